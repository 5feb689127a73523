"""One line for a geocoder's candidate and for a place proposed by pictures: in
`scout geocode`, `scout photos proposals`, the form's pick list and the photo screen."""

from __future__ import annotations

from scout.geocoding.candidates import Candidate
from scout.photos.importer import Proposal
from scout.present.labels import arrondissement_label


def candidate_line(c: Candidate) -> str:
    where = (
        "outside Paris"
        if c.outside_paris
        else arrondissement_label(c.arrondissement, c.on_boundary)
    )
    flag = "  ⚠ outside Île-de-France: check" if c.outside_ile_de_france else ""
    return f"{c.label}  [{where}]  score {c.score:.2f} ({c.provider}){flag}"


def proposal_line(x: Proposal) -> str:
    from scout.geo import locate

    where = locate(x.lat, x.lon)
    arr = (
        "outside Paris"
        if where.outside_paris or where.arrondissement is None
        else arrondissement_label(where.arrondissement.number, where.on_boundary)
    )
    near = f" — near lieu {x.lieu_id}" if x.lieu_id else ""
    taken = f", from {x.first_taken[:16].replace('T', ' ')}" if x.first_taken else ""
    return (
        f"{x.number}. {len(x.photos)} picture(s) at {x.lat:.5f}, {x.lon:.5f} [{arr}]{near}{taken}"
    )
