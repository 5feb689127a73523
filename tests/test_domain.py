"""Tier 1: the domain model and the fiche a user types."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scout.domain import Accessibility, Lieu, Position, ScoutingStatus, Setting, ShootDay
from scout.domain.fiche import apply_fiche, fiche_values, parse_fiche
from scout.domain.values import parse_date, parse_phone, parse_position, parse_time
from scout.errors import ValidationError, ValidationErrors
from scout.store.documents import lieu_from_dict, lieu_to_dict


def test_statuses_accept_values_french_labels_and_english() -> None:
    assert ScoutingStatus.parse("Validé", "status") is ScoutingStatus.VALIDATED
    assert ScoutingStatus.parse("a reperer", "status") is ScoutingStatus.TO_SCOUT
    assert ScoutingStatus.parse("OPTION", "status") is ScoutingStatus.OPTION
    assert Setting.parse("exterior", "setting") is Setting.EXT
    with pytest.raises(ValidationError, match="status: 'maybe' is not one of"):
        ScoutingStatus.parse("maybe", "status")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("01 42 76 40 40", "+33142764040"),
        ("06.12.34.56.78", "+33612345678"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_phone_numbers_french_and_international(text: str, expected: str) -> None:
    assert parse_phone(text) == expected


@pytest.mark.parametrize("bad", ["12", "abc", "01 42", "+33 1"])
def test_bad_phone_numbers_name_the_field(bad: str) -> None:
    with pytest.raises(ValidationError, match="^phone: "):
        parse_phone(bad)


def test_dates_and_times_in_iso_and_french_forms() -> None:
    assert parse_date("03/12/2026") == date(2026, 12, 3)
    assert parse_date("2026-12-03") == date(2026, 12, 3)
    assert parse_time("7h30") == time(7, 30)
    with pytest.raises(ValidationError, match="not a date"):
        parse_date("2026-02-30")
    with pytest.raises(ValidationError, match="not a time"):
        parse_time("24:10")


@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "91", "abc", ""])
def test_positions_reject_non_finite_and_out_of_range(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_position(f"{bad},2.35")


def test_fiche_reports_every_bad_field_at_once() -> None:
    with pytest.raises(ValidationErrors) as caught:
        parse_fiche(
            {
                "name": "X",
                "lat": "95",
                "status": "peut-être",
                "cost": "-3",
                "contacts": ["Bob; régisseur; 12"],
                "shoot_days": ["2026-13-01"],
            }
        )
    fields = sorted(e.field for e in caught.value.errors)
    assert fields == ["contacts", "cost", "lat", "shoot_days", "status"]


def test_fiche_rejects_unknown_fields_and_empty_name() -> None:
    with pytest.raises(ValidationErrors) as caught:
        parse_fiche({"name": "  ", "colour": "red"})
    assert {e.field for e in caught.value.errors} == {"name", "colour"}


def test_latitude_without_longitude_is_refused() -> None:
    values = parse_fiche({"lat": "48.85"})
    with pytest.raises(ValidationError, match="together"):
        apply_fiche(Lieu(name="X"), values)


def test_fiche_round_trips_through_the_form_text() -> None:
    lieu = apply_fiche(
        Lieu(name="Café"),
        parse_fiche(
            {
                "decor": "CAFÉ — INT. JOUR",
                "lat": "48.85",
                "lon": "2.35",
                "status": "option",
                "shoot_days": ["2026-12-03 07:30-19:00", "2026-12-01"],
                "contacts": ["Marc; gérant; 01 99 00 12 03; marc@example.org"],
                "lift": "oui",
                "narrowest_door_cm": "80",
                "cost": "1 200,50",
                "power": "groupe",
            }
        ),
    )
    assert lieu.shoot_days[0].day == date(2026, 12, 1)  # sorted
    assert lieu.cost == Decimal("1200.50")
    again = apply_fiche(
        Lieu(name="Café"),
        parse_fiche(
            {
                k: (v.splitlines() if k in ("shoot_days", "contacts") else v)
                for k, v in fiche_values(lieu).items()
            }
        ),
    )
    assert again == lieu


def test_night_shoot_detected_past_midnight() -> None:
    assert ShootDay(date(2026, 12, 3), time(19), time(2)).is_night
    assert not ShootDay(date(2026, 12, 3), time(7, 30), time(19)).is_night


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    name=texts.filter(lambda s: s.strip()),
    decor=texts,
    lat=st.floats(-90, 90, allow_nan=False),
    lon=st.floats(-180, 180, allow_nan=False),
    status=st.sampled_from(list(ScoutingStatus)),
    days=st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)), max_size=4),
    answers=st.lists(st.sampled_from([True, False, None]), min_size=3, max_size=3),
    retained=st.booleans(),
)
def test_codec_round_trip(
    name: str,
    decor: str,
    lat: float,
    lon: float,
    status: ScoutingStatus,
    days: list[date],
    answers: list,
    retained: bool,
) -> None:
    lieu = Lieu(
        name=name,
        decor=decor,
        position=Position(lat, lon),
        status=status,
        retained=retained,
        accessibility=Accessibility(
            step_free=answers[0], lift=answers[1], accessible_toilets=answers[2]
        ),
        shoot_days=tuple(ShootDay(d, time(8), time(18)) for d in days),
    )
    assert lieu_from_dict(lieu_to_dict(lieu)) == lieu
