"""Tier 1: the arrondissement lookup, its geodata build, and the City's real shoots."""

from __future__ import annotations

import csv
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scout.errors import ValidationError
from scout.geo import locate, locate_many, postcode_arrondissement


@pytest.mark.parametrize(
    "lat, lon, number, name",
    [
        (48.85837, 2.29448, 7, "Palais-Bourbon"),  # tour Eiffel
        (48.86061, 2.33764, 1, "Louvre"),  # pyramide du Louvre
        (48.85296, 2.34990, 4, "Hôtel-de-Ville"),  # Notre-Dame, île de la Cité
        (48.85170, 2.35650, 4, "Hôtel-de-Ville"),  # île Saint-Louis
        (48.87380, 2.29500, 8, "Élysée"),  # Arc de triomphe, on a boundary place
        (48.88672, 2.34310, 18, "Buttes-Montmartre"),  # Sacré-Cœur
        (48.84620, 2.33710, 6, "Luxembourg"),  # jardin du Luxembourg
        (48.86250, 2.24830, 16, "Passy"),  # bois de Boulogne
        (48.82800, 2.43300, 12, "Reuilly"),  # bois de Vincennes
        (48.86150, 2.39330, 20, "Ménilmontant"),  # Père-Lachaise
    ],
)
def test_landmarks(lat: float, lon: float, number: int, name: str) -> None:
    where = locate(lat, lon, "75008" if number == 8 else None)
    assert where.arrondissement is not None
    assert (where.arrondissement.number, where.arrondissement.name) == (number, name)
    assert where.arrondissement.mairie.name


def test_paris_centre_shares_one_mairie_for_four_arrondissements() -> None:
    mairies = {
        locate(lat, lon).arrondissement.mairie.name
        for lat, lon in [(48.8606, 2.3376), (48.8680, 2.3430), (48.8630, 2.3600), (48.8530, 2.3499)]
    }
    assert mairies == {"Mairie de Paris Centre"}


def test_zones_and_their_rules_with_confidence() -> None:
    marais = locate(48.8590, 2.3620)  # 4e: under pressure
    assert marais.zone.under_pressure and marais.zone.tech_vehicle_cap == 5
    assert marais.zone.parking_arretes
    belleville = locate(48.8720, 2.3850)  # 20e: standard
    assert not belleville.zone.under_pressure and belleville.zone.tech_vehicle_cap == 8
    assert {r.confidence for r in marais.zone.rules} >= {"sure", "unknown"}
    assert all(r.source for r in marais.zone.rules)


def test_butte_montmartre_is_an_approximate_zone_of_the_18th() -> None:
    sacre_coeur = locate(48.88672, 2.34310)
    assert sacre_coeur.zone.under_pressure and sacre_coeur.approximate_zone
    assert sacre_coeur.area == "butte_montmartre"
    porte_de_clignancourt = locate(48.8975, 2.3445)  # north of the 18th
    assert not porte_de_clignancourt.zone.under_pressure
    assert not porte_de_clignancourt.approximate_zone


def test_a_point_in_the_seine_between_two_arrondissements() -> None:
    # pont de Bir-Hakeim, mid-river: the 15th and the 16th within a metre
    where = locate(48.8556, 2.2874)
    assert where.on_boundary
    assert {c.number for c in where.candidates} == {15, 16}
    assert locate(48.8556, 2.2874, "75016").arrondissement.number == 16
    assert locate(48.8556, 2.2874, "75015").arrondissement.number == 15
    assert locate(48.8556, 2.2874, "75116").decided_by in ("postcode", "position")


def test_a_shared_vertex_and_an_exact_boundary_point() -> None:
    from scout.geo.lookup import paris
    from scout.geo.plane import KX, KY, LAT0, LON0

    data = paris()
    # A vertex of the 1st that another arrondissement shares.
    first = data.polygons[0]
    for x, y in list(first.exterior.coords):
        lat, lon = LAT0 + y / KY, LON0 + x / KX
        where = locate(lat, lon)
        if where.on_boundary and len(where.candidates) >= 2:
            assert where.arrondissement.number in {c.number for c in where.candidates}
            assert where.candidates[0].distance_m < 0.01
            break
    else:
        pytest.fail("no shared vertex found on the 1st")


def test_outside_paris_gives_a_distance_and_the_nearest_arrondissement() -> None:
    pantin = locate(48.8942, 2.4097)  # cimetière parisien de Pantin
    assert pantin.outside_paris and pantin.arrondissement is None
    assert pantin.nearest == 19 and 500 < pantin.distance_to_paris_m < 3000
    far = locate(45.7640, 4.8357)  # Lyon
    assert (
        far.outside_paris and 375_000 < far.distance_to_paris_m < 392_000
    )  # geodesic, from the bois de Vincennes
    just_outside = locate(48.8790, 2.4135)  # beyond the périphérique, Les Lilas side
    assert just_outside.outside_paris and just_outside.distance_to_paris_m > 15


@pytest.mark.parametrize(
    "lat, lon, message",
    [
        (float("nan"), 2.35, "not a finite number"),
        (48.85, float("inf"), "not a finite number"),
        (2.35, 48.85, "look swapped"),
        (91, 2.35, "out of range"),
        (48.85, 181, "out of range"),
        ("quarante-huit", 2.35, "not a number"),
    ],
)
def test_bad_positions_are_clear_errors(lat, lon, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        locate(lat, lon)


def test_postcodes() -> None:
    assert postcode_arrondissement("75116") == 16
    assert postcode_arrondissement("75001") == 1
    assert postcode_arrondissement("75021") is None
    assert postcode_arrondissement("93500") is None
    assert postcode_arrondissement("") is None


paris_points = st.tuples(st.floats(48.80, 48.92), st.floats(2.20, 2.48))


@settings(max_examples=300, deadline=None)
@given(st.lists(paris_points, min_size=1, max_size=40))
def test_batch_and_single_lookups_agree(points: list[tuple[float, float]]) -> None:
    lats, lons = zip(*points)
    batch = locate_many(np.array(lats), np.array(lons))
    for k, (lat, lon) in enumerate(points):
        one = locate(lat, lon)
        assert batch.arrondissement[k] == (one.arrondissement.number if one.arrondissement else 0)
        assert batch.on_boundary[k] == one.on_boundary
        assert batch.outside_paris[k] == one.outside_paris


def test_batch_agrees_on_exact_boundary_vertices() -> None:
    from scout.geo.lookup import paris
    from scout.geo.plane import KX, KY, LAT0, LON0

    coords = np.concatenate([np.asarray(p.exterior.coords) for p in paris().polygons])[::7]
    lats, lons = LAT0 + coords[:, 1] / KY, LON0 + coords[:, 0] / KX
    batch = locate_many(lats, lons)
    for k in range(len(lats)):
        one = locate(float(lats[k]), float(lons[k]))
        assert batch.on_boundary[k] == one.on_boundary
        assert batch.arrondissement[k] == (one.arrondissement.number if one.arrondissement else 0)


def test_the_local_plane_matches_lambert_93_to_the_centimetre() -> None:
    from pyproj import Transformer

    from scout.geo.plane import to_plane

    l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    for (lat1, lon1), (lat2, lon2) in [
        ((48.8556, 2.2874), (48.8557, 2.2876)),
        ((48.8900, 2.4000), (48.8901, 2.4002)),
        ((48.8200, 2.2500), (48.8201, 2.2501)),
    ]:
        a, b = to_plane(lat1, lon1), to_plane(lat2, lon2)
        ours = math.dist(a, b)
        (x1, x2), (y1, y2) = l93.transform([lon1, lon2], [lat1, lat2])
        theirs = math.dist((x1, y1), (x2, y2)) / 0.99905  # Lambert-93 scale factor near Paris
        assert abs(ours - theirs) < 0.01 * max(theirs, 1) + 0.01


def test_the_shipped_geodata_is_what_the_build_produces(shared_dir: Path, tmp_path: Path) -> None:
    from importlib import resources

    from scout.geodata.build import build

    report = build(shared_dir, tmp_path)
    shipped = resources.files("scout.geodata")
    for name in ("paris.geojson", "mairies.json"):
        assert (tmp_path / name).read_bytes() == shipped.joinpath(name).read_bytes(), name
    assert max(v["hausdorff_m"] for k, v in report.items() if isinstance(k, int)) <= 1.0


def test_real_shoots_agree_with_their_postcodes(shared_dir: Path) -> None:
    """Every authorised shoot of the City's data lands in its postcode's arrondissement,
    or is flagged as a boundary case with that arrondissement among the candidates."""
    agree = boundary = outside = 0
    with (shared_dir / "lieux-de-tournage-sample.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) == 9241
    for row in rows:
        lat, lon = (float(v) for v in row["geo_point_2d"].split(","))
        wanted = postcode_arrondissement(row["Code postal"])
        where = locate(lat, lon)
        if wanted is None:
            if row["Code postal"].strip():
                assert where.outside_paris, row["Identifiant du lieu"]
                assert where.distance_to_paris_m > 0
                outside += 1
            continue
        got = where.arrondissement.number if where.arrondissement else None
        if got == wanted:
            agree += 1
            continue
        assert where.on_boundary, (row["Identifiant du lieu"], got, wanted)
        assert wanted in {c.number for c in where.candidates}
        assert locate(lat, lon, row["Code postal"]).arrondissement.number == wanted
        boundary += 1
    assert agree > 9000 and boundary < 100 and outside >= 10


# -- what a person reads about a position, and what a script reads ----------------------

BIR_HAKEIM = (48.8556, 2.2874)  # mid-river, the 15th and the 16th within a metre
PANTIN = (48.8942, 2.4097)  # 855 m beyond the 19th
LYON = (45.7640, 4.8357)
MARAIS_SAID_5TH = (48.8590, 2.3620, "75005")  # the 3rd, with the postcode of the 5th


def test_remarks_in_english() -> None:
    assert locate(*BIR_HAKEIM).notes == (
        "on a boundary: within 15\u00a0m of 15e (0.0\u00a0m), 16e (1.0\u00a0m)",
    )
    assert locate(*PANTIN).notes == ("outside Paris, 855\u00a0m from the 19e",)
    (far,) = locate(*LYON).notes
    assert re.fullmatch(r"outside Paris, \d{3}\.\d\u00a0km from the 1\de", far), far
    assert locate(*MARAIS_SAID_5TH).notes == (
        "postcode 75005 says the 5e, the position says the 3e",
    )


@pytest.mark.lang("fr")
def test_remarks_in_french() -> None:
    assert locate(*BIR_HAKEIM).notes == (
        "sur une limite, à moins de 15\u00a0m : 15e (0,0\u00a0m), 16e (1,0\u00a0m)",
    )
    assert locate(*PANTIN).notes == ("hors de Paris, à 855\u00a0m du 19e",)
    (far,) = locate(*LYON).notes
    assert re.fullmatch(r"hors de Paris, à \d{3},\d\u00a0km du 1\de", far), far
    assert locate(*MARAIS_SAID_5TH).notes == (
        "le code postal 75005 indique le 5e, la position le 3e",
    )
    with pytest.raises(ValidationError, match="semblent inversées .* vouliez-vous dire"):
        locate(2.35, 48.85)


def test_json_remarks_are_codes_and_data_whatever_the_language() -> None:
    from scout import i18n

    points = [BIR_HAKEIM, PANTIN, MARAIS_SAID_5TH, (48.88672, 2.34310)]
    english = [locate(*p).to_dict() for p in points]
    i18n.activate("fr")
    assert [locate(*p).to_dict() for p in points] == english
    boundary, outside, postcode, butte = (d["notes"] for d in english)
    assert boundary == [
        {
            "kind": "on_boundary",
            "tolerance_m": 15.0,
            "candidates": [
                {"arrondissement": 15, "distance_m": 0.0},
                {"arrondissement": 16, "distance_m": 1.02},
            ],
        }
    ]
    assert outside == [{"kind": "outside_paris", "distance_m": 855.0, "nearest_arrondissement": 19}]
    assert postcode == [
        {
            "kind": "postcode_disagrees",
            "postcode": "75005",
            "postcode_arrondissement": 5,
            "arrondissement": 3,
        }
    ]
    assert butte[0]["kind"] == "in_area" and butte[0]["area"] == "butte_montmartre"
