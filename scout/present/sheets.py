"""Sheets: everything about a lieu, a place or a lieu's permits as lines of text, for
`scout show`, `scout locate` and the TUI's detail pane."""

from __future__ import annotations

from typing import Any

from scout.present.labels import arrondissement_label, history_line, permit_status_label


def location_lines(where: Any) -> list[tuple[str, str]]:
    """A scout.geo Location as (label, text) lines."""
    out: list[tuple[str, str]] = [("Position", f"{where.lat:.6f}, {where.lon:.6f}")]
    arr = where.arrondissement
    if arr is None:
        out.append(
            (
                "Arrondissement",
                f"outside Paris — {where.distance_to_paris_m:,.0f} m "
                f"from the {arrondissement_label(where.nearest)}",
            )
        )
    else:
        out.append(
            (
                "Arrondissement",
                f"{arrondissement_label(arr.number)} — {arr.name} (INSEE {arr.insee})",
            )
        )
        out.append(("Mairie", f"{arr.mairie.name}, {arr.mairie.address}"))
    zone = where.zone
    if zone is not None:
        arretes = "parking arrêtés taken" if zone.parking_arretes else "no parking arrêtés"
        label = zone.label + (" — approximate zone" if where.approximate_zone else "")
        out.append(
            (
                "Zone",
                f"{label}: {zone.tech_vehicle_cap} technical vehicles max "
                f"(catering excluded), {arretes}",
            )
        )
        for rule in zone.rules:
            since = f" (since {rule.effective:%d/%m/%Y})" if rule.effective else ""
            out.append(("Rule", f"[{rule.confidence}] {rule.text}{since}"))
    if where.candidates and (where.on_boundary or where.outside_paris):
        names = ", ".join(
            f"{arrondissement_label(c.number)} at {c.distance_m:.1f} m" for c in where.candidates
        )
        out.append(("Boundary", f"within 15 m of {names}"))
    if where.decided_by == "postcode":
        out.append(("Decided by", "the postcode (the position lies on a boundary)"))
    for note in where.notes:
        out.append(("Note", note))
    return out


def lieu_sheet(lieu: Any, today: Any) -> str:
    """Everything about a lieu as plain text: `scout show` and the TUI's detail pane."""
    from scout.domain.fiche import fiche_values

    v = fiche_values(lieu)
    a = lieu.accessibility
    lines = [f"{lieu.name}  (lieu {lieu.id})" + ("  ★ retenu" if lieu.retained else "")]
    lines.append(
        f"Décor        {lieu.decor or '—'}"
        + (f"   séq. {v['sequences']}" if lieu.sequences else "")
    )
    setting = lieu.setting.label if lieu.setting else "INT/EXT non renseigné"
    lines.append(f"Statut       {lieu.status.label}   {setting}")
    lines.append(f"Adresse      {lieu.address or '—'} {lieu.postcode}".rstrip())
    arr = arrondissement_label(lieu.arrondissement, lieu.on_boundary, lieu.approximate_zone)
    if lieu.position:
        lines.append(
            f"Position     {lieu.position.lat:.6f}, {lieu.position.lon:.6f} "
            f"({lieu.position.source.label})"
        )
    lines.append(
        f"Arrondiss.   {arr}"
        + ("  — on a boundary: check which side" if lieu.on_boundary else "")
        + ("  — approximate zone (Butte Montmartre)" if lieu.approximate_zone else "")
    )
    lines.extend(f"⚠ {w}" for w in position_warnings(lieu))
    upcoming = lieu.next_shoot_day(today)
    if lieu.shoot_days:
        lines.append("Tournage     " + "; ".join(v["shoot_days"].splitlines()))
        lines.append(f"Prochain     {upcoming.day:%d/%m/%Y}" if upcoming else "Prochain     —")
    for contact in v["contacts"].splitlines():
        lines.append(f"Contact      {contact}")
    lines.append(
        f"PMR          {a.assessed()}/6 checked"
        + "".join(
            f"; {label} {v[key]}"
            for key, label in (
                ("step_free", "plain-pied"),
                ("lift", "ascenseur"),
                ("narrowest_door_cm", "porte cm"),
                ("accessible_toilets", "WC PMR"),
                ("disabled_parking_nearby", "place PMR"),
                ("dropoff_distance_m", "dépose m"),
            )
            if v[key]
        )
    )
    if a.notes:
        lines.append(f"             {a.notes}")
    needs = [
        text
        for key, text in (
            ("site_kind", f"site {v['site_kind'].replace('_', ' ')}"),
            ("crew_size", f"équipe {v['crew_size']}"),
            ("tech_vehicles", f"{v['tech_vehicles']} véh. tech."),
            ("parking_spaces", f"{v['parking_spaces']} places"),
            ("loges", "loges"),
            ("drone", "drone"),
            ("traffic_control", "régulation"),
        )
        if v[key]
    ]
    if needs:
        lines.append("Besoins      " + ", ".join(needs))
    for key, label in (
        ("truck_access", "Camions"),
        ("tech_vehicle_parking", "Véh. tech."),
        ("power", "Électricité"),
        ("water", "Eau"),
        ("toilets", "Toilettes"),
        ("hmc_rooms", "HMC"),
        ("catering_space", "Cantine"),
        ("noise", "Bruit"),
    ):
        if v[key]:
            lines.append(f"{label:<12} {v[key]}")
    if lieu.cost is not None:
        lines.append(f"Coût         {lieu.cost} €")
    if lieu.tags:
        lines.append(f"Tags         {v['tags']}")
    if lieu.notes:
        lines.append(f"Notes        {lieu.notes}")
    if lieu.history:
        lines.append("Historique")
        for change in lieu.history[-8:]:
            lines.append(f"  {history_line(change)}")
    return "\n".join(lines)


def position_warnings(lieu: Any) -> list[str]:
    """What the position says against what else is known: outside Paris, or in another
    arrondissement than the postcode (beyond the boundary tolerance). The lieu is saved
    all the same; the fiche and `scout show` say it."""
    from scout.geo.lookup import postcode_arrondissement

    if lieu.position is None:
        return []
    if lieu.arrondissement is None:
        return ["the position is outside Paris: check it (or the lieu is meant to be there)"]
    said = postcode_arrondissement(lieu.postcode)
    if said is not None and said != lieu.arrondissement and not lieu.on_boundary:
        return [
            f"the position is in the {arrondissement_label(lieu.arrondissement)}, "
            f"the postcode {lieu.postcode} says the {arrondissement_label(said)}: "
            "check one of them"
        ]
    return []


def permit_lines(rows: Any, warnings: Any, possible: Any = ()) -> list[str]:
    """A lieu's permits and warnings under its fiche (rows and warnings of one lieu), then
    the permits it possibly needs, with the facts not given yet that decide them."""
    lines = []
    if rows:
        lines.append("Autorisations")
        for r in rows:
            due = f", échéance {r.deadline:%d/%m/%Y}" if r.deadline else ""
            ref = f"n° {r.permit_id}" if r.permit_id is not None else "à créer"
            lines.append(
                f"  [{r.urgency.label}] {r.type_label} — "
                f"{permit_status_label(r.status)}{due}  ({ref})"
            )
    maybe = [s for s in possible if not s.certain and not s.requested]
    if maybe:
        lines.append("Autorisations possibles (faits non renseignés)")
        for s in maybe:
            due = f", échéance {s.deadline:%d/%m/%Y}" if s.deadline else ""
            facts = sorted({d.partition(" (")[0] for d in s.depends_on})
            lines.append(f"  ? {s.type.label}{due} — dépend de : {', '.join(facts)}")
    for w in warnings:
        lines.append(f"⚠ {w.message}")
    return lines
