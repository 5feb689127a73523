"""Sheets: everything about a lieu, a place or a lieu's permits as lines of text, for
`scout show`, `scout locate` and the TUI's detail pane, in the language of the run."""

from __future__ import annotations

from typing import Any

from scout.i18n import _, formats, ngettext
from scout.present.labels import (
    arrondissement_label,
    history_line,
    permit_status_label,
    zone_label,
)

WIDTH = 12  # the labels' column on a fiche


def _row(label: str, text: str) -> str:
    """« Statut       À repérer »: the label in its column, then the text."""
    return f"{label:<{WIDTH}} {text}".rstrip()


def location_lines(where: Any) -> list[tuple[str, str]]:
    """A scout.geo Location as (label, text) lines."""
    from scout.permits.rules import confidence_label

    out: list[tuple[str, str]] = [(_("Position"), f"{where.lat:.6f}, {where.lon:.6f}")]
    arr = where.arrondissement
    if arr is None:
        out.append(
            (
                _("Arrondissement"),
                _("outside Paris — {distance} from the {arrondissement}").format(
                    distance=formats.metres(where.distance_to_paris_m),
                    arrondissement=arrondissement_label(where.nearest),
                ),
            )
        )
    else:
        out.append(
            (
                _("Arrondissement"),
                f"{arrondissement_label(arr.number)} — {arr.name} (INSEE {arr.insee})",
            )
        )
        out.append((_("Mairie"), f"{arr.mairie.name}, {arr.mairie.address}"))
    zone = where.zone
    if zone is not None:
        arretes = _("parking arrêtés taken") if zone.parking_arretes else _("no parking arrêtés")
        label = zone_label(zone.id)
        if where.approximate_zone:
            label = _("{zone} — approximate zone").format(zone=label)
        cap = zone.tech_vehicle_cap
        out.append(
            (
                _("Zone"),
                ngettext(
                    "{zone}: {count} technical vehicle at most (catering excluded), {arretes}",
                    "{zone}: {count} technical vehicles at most (catering excluded), {arretes}",
                    cap,
                ).format(zone=label, count=cap, arretes=arretes),
            )
        )
        for rule in zone.rules:
            text = f"[{confidence_label(rule.confidence)}] {rule.text}"
            if rule.effective:
                text += " " + _("(since {date})").format(date=formats.day(rule.effective))
            out.append((_("Rule"), text))
    if where.candidates and (where.on_boundary or where.outside_paris):
        names = ", ".join(
            _("{arrondissement} at {distance}").format(
                arrondissement=arrondissement_label(c.number),
                distance=_metres_1(c.distance_m),
            )
            for c in where.candidates
        )
        out.append((_("Boundary"), _("within 15 m of {names}").format(names=names)))
    if where.decided_by == "postcode":
        out.append((_("Decided by"), _("the postcode (the position lies on a boundary)")))
    for note in where.notes:
        out.append((_("Note"), note))
    return out


def _metres_1(value: float) -> str:
    """A short distance to the decimetre: « 3,2 m » | « 3.2 m »."""
    return f"{formats.number(value, 1)}\u00a0m"


def lieu_sheet(lieu: Any, today: Any) -> str:
    """Everything about a lieu as plain text: `scout show` and the TUI's detail pane."""
    from scout.domain.fiche import fiche_values
    from scout.domain.lieu import site_kind_label

    v = fiche_values(lieu)
    a = lieu.accessibility
    title = _("{name}  (location {id})").format(name=lieu.name, id=lieu.id)
    if lieu.retained:
        title += "  ★ " + _("retained")
    lines = [title]
    decor = lieu.decor or "—"
    if lieu.sequences:
        decor += "   " + _("seq. {sequences}").format(sequences=v["sequences"])
    lines.append(_row(_("Décor"), decor))
    setting = lieu.setting.label if lieu.setting else _("INT/EXT not given")
    lines.append(_row(_("Status"), f"{lieu.status.label}   {setting}"))
    lines.append(_row(_("Address"), f"{lieu.address or '—'} {lieu.postcode}"))
    arr = arrondissement_label(lieu.arrondissement, lieu.on_boundary, lieu.approximate_zone)
    if lieu.position:
        lines.append(
            _row(
                _("Position"),
                f"{lieu.position.lat:.6f}, {lieu.position.lon:.6f} ({lieu.position.source.label})",
            )
        )
    where = arr
    if lieu.on_boundary:
        where += "  — " + _("on a boundary: check which side")
    if lieu.approximate_zone:
        where += "  — " + _("approximate zone (Butte Montmartre)")
    lines.append(_row(_("Arrondiss."), where))
    lines.extend(f"⚠ {w}" for w in position_warnings(lieu))
    upcoming = lieu.next_shoot_day(today)
    if lieu.shoot_days:
        lines.append(_row(_("Shooting"), "; ".join(_shoot_day(d) for d in lieu.shoot_days)))
        lines.append(_row(_("Next"), formats.day(upcoming.day if upcoming else None)))
    for contact in v["contacts"].splitlines():
        lines.append(_row(_("Contact"), contact))
    checks = [
        (key, label)
        for key, label in (
            ("step_free", _("step-free")),
            ("lift", _("lift")),
            ("narrowest_door_cm", _("door cm")),
            ("accessible_toilets", _("PMR toilets")),
            ("disabled_parking_nearby", _("PMR parking")),
            ("dropoff_distance_m", _("drop-off m")),
        )
        if v[key]
    ]
    lines.append(
        _row(
            "PMR",
            _("{count}/6 checked").format(count=a.assessed())
            + "".join(f"; {label} {v[key]}" for key, label in checks),
        )
    )
    if a.notes:
        lines.append(_row("", a.notes))
    nd = lieu.needs
    needs = [
        text
        for shown, text in (
            (nd.site_kind, _("site: {kind}").format(kind=site_kind_label(nd.site_kind))),
            (nd.crew_size is not None, _("crew {count}").format(count=nd.crew_size)),
            (
                nd.tech_vehicles is not None,
                ngettext(
                    "{count} tech. vehicle", "{count} tech. vehicles", nd.tech_vehicles or 0
                ).format(count=nd.tech_vehicles),
            ),
            (
                nd.parking_spaces is not None,
                ngettext(
                    "{count} parking space", "{count} parking spaces", nd.parking_spaces or 0
                ).format(count=nd.parking_spaces),
            ),
            (nd.loges, "loges"),
            (nd.drone, _("drone")),
            (nd.traffic_control, _("traffic control")),
            (nd.generator, _("generator")),
        )
        if shown
    ]
    if needs:
        lines.append(_row(_("Needs"), ", ".join(needs)))
    for key, label in (
        ("truck_access", _("Trucks")),
        ("tech_vehicle_parking", _("Tech. veh.")),
        ("power", _("Power")),
        ("water", _("Water")),
        ("toilets", _("Toilets")),
        ("hmc_rooms", "HMC"),
        ("catering_space", _("Catering")),
        ("noise", _("Noise")),
    ):
        if v[key]:
            lines.append(_row(label, v[key]))
    if lieu.cost is not None:
        lines.append(_row(_("Cost"), formats.money(lieu.cost)))
    if lieu.tags:
        lines.append(_row(_("Tags"), v["tags"]))
    if lieu.notes:
        lines.append(_row(_("Notes"), lieu.notes))
    if lieu.history:
        lines.append(_("History"))
        for change in lieu.history[-8:]:
            lines.append(f"  {history_line(change)}")
    return "\n".join(lines)


def _shoot_day(d: Any) -> str:
    """« 03/12/2026 07:30-19:00 note » | « 2026-12-03 07:30-19:00 note »."""
    text = formats.day(d.day)
    if d.call and d.wrap:
        text += f" {formats.clock(d.call)}-{formats.clock(d.wrap)}"
    return f"{text} {d.note}".strip()


def position_warnings(lieu: Any) -> list[str]:
    """What the position says against what else is known: outside Paris, or in another
    arrondissement than the postcode (beyond the boundary tolerance). The lieu is saved
    all the same; the fiche and `scout show` say it."""
    from scout.geo.lookup import postcode_arrondissement

    if lieu.position is None:
        return []
    if lieu.arrondissement is None:
        return [_("the position is outside Paris: check it (or the location is meant to be there)")]
    said = postcode_arrondissement(lieu.postcode)
    if said is not None and said != lieu.arrondissement and not lieu.on_boundary:
        return [
            _(
                "the position is in the {found}, the postcode {postcode} says the {said}: "
                "check one of them"
            ).format(
                found=arrondissement_label(lieu.arrondissement),
                postcode=lieu.postcode,
                said=arrondissement_label(said),
            )
        ]
    return []


def permit_lines(rows: Any, warnings: Any, possible: Any = ()) -> list[str]:
    """A lieu's permits and warnings under its fiche (rows and warnings of one lieu), then
    the permits it possibly needs, with the facts not given yet that decide them."""
    lines = []
    if rows:
        lines.append(_("Permits"))
        for r in rows:
            parts = [permit_status_label(r.status)]
            if r.deadline:
                parts.append(_("deadline {date}").format(date=formats.day(r.deadline)))
            ref = (
                _("no. {id}").format(id=r.permit_id)
                if r.permit_id is not None
                else permit_status_label("to_create").lower()
            )
            lines.append(f"  [{r.urgency.label}] {r.type_label} — {', '.join(parts)}  ({ref})")
    maybe = [s for s in possible if not s.certain and not s.requested]
    if maybe:
        lines.append(_("Possible permits (facts not given yet)"))
        for s in maybe:
            due = (
                ", " + _("deadline {date}").format(date=formats.day(s.deadline))
                if s.deadline
                else ""
            )
            facts = sorted({d.partition(" (")[0] for d in s.depends_on})
            lines.append(
                f"  ? {s.type.label}{due} — "
                + _("depends on: {facts}").format(facts=", ".join(facts))
            )
    for w in warnings:
        lines.append(f"⚠ {w.message}")
    return lines
