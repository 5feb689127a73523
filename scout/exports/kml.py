"""Lieux as KML 2.2, for Google Earth and Google My Maps.

One Folder per décor (My Maps makes each a layer), one Placemark per placed lieu, styled
by its scouting status through shared Styles (`#status-option`…: the icon's colour says
the status, the document's description is the legend). What a person reads (the legend,
the descriptions, the status labels, the folder of lieux without a décor) is written in
the language of the run; the ExtendedData beside it (lieu_id, status code, arrondissement)
is the same in every language, for the tables of My Maps.

Written with the standard library's xml.etree: it escapes text and attributes for us
(no hand-made `&amp;`), needs no dependency at run time, and a KML document is a small
tree. fastkml, a fine reader, is used by the tests to read the file back; as a writer it
would add a dependency (and pygeoif, lxml) for what ElementTree does in 100 lines.

The descriptions are HTML (that is how Google Earth and My Maps show a balloon): the
user's text is HTML-escaped there before ElementTree escapes it again as XML text, so a
name like `<b>Café</b>` shows as typed and never becomes markup.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from scout.domain.lieu import Lieu, ScoutingStatus, ShootDay
from scout.domain.values import arrondissement_ordinal
from scout.i18n import N_, _, formats, pgettext

KML_NS = "http://www.opengis.net/kml/2.2"
ICON = "https://maps.google.com/mapfiles/kml/paddle/wht-blank.png"
# The icon's colour per status, KML's aabbggrr, with the colour's name for the legend.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "to_scout": ("ff9e9e9e", N_("grey")),
    "scouted": ("ffe5881e", N_("blue")),
    "option": ("ff008cfb", N_("orange")),
    "validated": ("ff47a043", N_("green")),
    "rejected": ("ff3539e5", N_("red")),
}
# What XML 1.0 cannot hold at all (the fiche refuses them; a file from elsewhere may not).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def style_id(status: str) -> str:
    return f"status-{status}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _clean(text)
    return element


def _line(label: str, value: str) -> str:
    """« <b>Statut</b> : Repéré » as HTML, the value escaped."""
    return _("{label}: {value}").format(
        label=f"<b>{html.escape(label, quote=False)}</b>", value=html.escape(value, quote=False)
    )


def _day(day: ShootDay) -> str:
    text = formats.day(day.day)
    if day.call and day.wrap:
        text += f" {formats.clock(day.call)}–{formats.clock(day.wrap)}"
    return text


def _where(lieu: Lieu) -> str:
    if lieu.arrondissement is not None:
        return _("{ordinal} arrondissement").format(
            ordinal=arrondissement_ordinal(lieu.arrondissement)
        )
    return _("outside Paris")


def description(lieu: Lieu) -> str:
    """The placemark's balloon, HTML: address, arrondissement, status, shoot days."""
    lines = []
    if lieu.retained:
        lines.append(html.escape(_("★ retained for its décor"), quote=False))
    address = " ".join(p for p in (lieu.address, lieu.postcode) if p)
    if address:
        lines.append(_line(_("Address"), address))
    lines.append(_line(pgettext("map", "Arrondissement"), _where(lieu)))
    lines.append(_line(_("Status"), lieu.status.label))
    if lieu.decor:
        lines.append(_line(_("Décor"), lieu.decor))
    if lieu.shoot_days:
        lines.append(_line(_("Shoot days"), ", ".join(_day(d) for d in lieu.shoot_days)))
    return "<br/>".join(lines)


def legend() -> str:
    """The document's description: what each colour says."""
    rows = [html.escape(_("Icon colour by scouting status:"), quote=False)]
    for status in ScoutingStatus:
        _colour, name = STATUS_COLOURS[status.value]
        rows.append(_line(_(name), status.label))
    return "<br/>".join(rows)


def _data(extended: ET.Element, name: str, value: Any) -> None:
    data = _sub(extended, "Data", name=name)
    _sub(data, "value", "" if value is None else str(value))


def placemark(parent: ET.Element, lieu: Lieu) -> None:
    pos = lieu.position
    assert pos is not None
    mark = _sub(parent, "Placemark", id=f"lieu-{lieu.id}")
    _sub(mark, "name", lieu.name)
    _sub(mark, "description", description(lieu))
    _sub(mark, "styleUrl", "#" + style_id(lieu.status.value))
    extended = _sub(mark, "ExtendedData")
    _data(extended, "lieu_id", lieu.id)
    _data(extended, "status", lieu.status.value)
    _data(extended, "arrondissement", lieu.arrondissement)
    _data(extended, "address", lieu.address)
    _data(extended, "postcode", lieu.postcode)
    point = _sub(mark, "Point")
    _sub(point, "coordinates", f"{round(pos.lon, 6)},{round(pos.lat, 6)}")


def kml_document(lieux: Iterable[Lieu], title: str) -> bytes:
    """The KML file: styles, then one Folder per décor (in the order of the décors'
    names; the lieux without a décor last), placemarks by id."""
    root = ET.Element("kml", xmlns=KML_NS)
    doc = _sub(root, "Document")
    _sub(doc, "name", title)
    _sub(doc, "description", legend())
    for status in ScoutingStatus:
        colour, _name = STATUS_COLOURS[status.value]
        style = _sub(doc, "Style", id=style_id(status.value))
        icon_style = _sub(style, "IconStyle")
        _sub(icon_style, "color", colour)
        _sub(icon_style, "scale", "1.1")
        icon = _sub(icon_style, "Icon")
        _sub(icon, "href", ICON)
    by_decor: dict[str, list[Lieu]] = {}
    for lieu in lieux:
        if lieu.position is not None:
            by_decor.setdefault(lieu.decor, []).append(lieu)
    for decor in sorted(by_decor, key=lambda d: (d == "", d.casefold())):
        folder = _sub(doc, "Folder")
        _sub(folder, "name", decor or _("(no décor)"))
        for lieu in sorted(by_decor[decor], key=lambda x: x.id or 0):
            placemark(folder, lieu)
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"
