"""A past shoot from the City's open data ("lieux de tournage à Paris"): reference data,
kept apart from the productions' lieux. No I/O here: the CSV reader is in
scout/exports/tournages.py, the table in the store, the search in the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scout.i18n import N_

# The City publishes four shoot types; the code is what JSON and the store carry.
TYPE_CODES: dict[str, str] = {
    "long métrage": "feature_film",
    "série tv": "tv_series",
    "téléfilm": "tv_film",
    "série web": "web_series",
}
TYPE_LABELS: dict[str, str] = {
    "feature_film": N_("feature film"),
    "tv_series": N_("TV series"),
    "tv_film": N_("TV film"),
    "web_series": N_("web series"),
    "other": N_("other type"),
}
FLAG_METRES = 5.0  # X/Y and geo_point_2d further apart than this: the row is flagged


def type_code(published: str) -> str:
    """The code of a type as the City writes it ("Long métrage" → feature_film)."""
    return TYPE_CODES.get(" ".join(published.split()).casefold(), "other")


def arrondissement_of_postcode(postcode: str) -> int | None:
    """75001–75020 → 1–20, 75116 (north of the 16th) → 16; anything else → None."""
    if len(postcode) == 5 and postcode.startswith("75") and postcode.isdigit():
        if postcode == "75116":
            return 16
        n = int(postcode[2:])
        if 1 <= n <= 20:
            return n
    return None


def tidy_text(text: str) -> str:
    """Non-breaking and repeated spaces collapsed, ends trimmed."""
    return " ".join(text.replace("\u00a0", " ").split())


def tidy_address(text: str) -> str:
    """As `tidy_text`; an address written all in capitals (2016) is put in lower case, as
    the later years write them ("64  RUE  DE MONCEAU" → "64 rue de monceau")."""
    tidy = tidy_text(text)
    return tidy.lower() if tidy.isupper() else tidy


@dataclass(frozen=True, slots=True)
class Tournage:
    source_id: str  # the City's "Identifiant du lieu" (e.g. 2019-242)
    year: int
    title: str
    type: str  # a code of TYPE_LABELS
    director: str
    producer: str
    start: date
    end: date
    address: str
    postcode: str
    lat: float
    lon: float
    arrondissement: int | None = None
    flagged: bool = False  # X/Y and geo_point_2d disagree by more than FLAG_METRES
    gap_m: float = 0.0  # how far apart they are, in metres
    id: int | None = None  # the store's


def type_label(code: str) -> str:
    """A type code in the language of the run."""
    from scout.i18n import _

    return _(TYPE_LABELS.get(code, TYPE_LABELS["other"]))


def per_year_text(per_year: dict[int, int]) -> str:
    """How busy a place has been: « 2016 : 3 · 2019 : 1 » | "2016: 3 · 2019: 1"."""
    from scout.i18n import _, formats

    return " · ".join(
        _("{year}: {n}").format(year=year, n=formats.number(n)) for year, n in per_year.items()
    )
