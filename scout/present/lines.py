"""One line for a geocoder's candidate and for a place proposed by pictures: in
`scout geocode`, `scout photos proposals`, the form's pick list and the photo screen."""

from __future__ import annotations

from datetime import datetime

from scout.geocoding.candidates import Candidate
from scout.i18n import _, formats, ngettext
from scout.photos.importer import Proposal
from scout.present.labels import arrondissement_label


def candidate_line(c: Candidate) -> str:
    where = (
        _("outside Paris")
        if c.outside_paris
        else arrondissement_label(c.arrondissement, c.on_boundary)
    )
    line = _("{label}  [{where}]  score {score} ({provider})").format(
        label=c.label, where=where, score=formats.number(c.score, 2), provider=c.provider
    )
    if c.outside_ile_de_france:
        line += "  ⚠ " + _("outside Île-de-France: check")
    return line


def proposal_line(x: Proposal) -> str:
    from scout.geo import locate

    where = locate(x.lat, x.lon)
    arr = (
        _("outside Paris")
        if where.outside_paris or where.arrondissement is None
        else arrondissement_label(where.arrondissement.number, where.on_boundary)
    )
    count = len(x.photos)
    line = ngettext(
        "{number}. {count} picture at {lat}, {lon} [{where}]",
        "{number}. {count} pictures at {lat}, {lon} [{where}]",
        count,
    ).format(number=x.number, count=count, lat=f"{x.lat:.5f}", lon=f"{x.lon:.5f}", where=arr)
    if x.lieu_id:
        line += " — " + _("near location {id}").format(id=x.lieu_id)
    if x.first_taken:
        line += ", " + _("from {moment}").format(moment=_moment(x.first_taken))
    return line


def _moment(stamp: str) -> str:
    """An EXIF time, as the language of the run writes a day and a time."""
    try:
        return formats.moment(datetime.fromisoformat(stamp))
    except ValueError:
        return stamp[:16].replace("T", " ")
