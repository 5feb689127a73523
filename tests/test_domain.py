"""Tier 1: the domain model and the fiche a user types."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scout import i18n
from scout.domain import Accessibility, Lieu, Position, ScoutingStatus, Setting, ShootDay
from scout.domain.fiche import apply_fiche, fiche_values, parse_fiche
from scout.domain.lieu import SITE_KINDS, parse_site_kind, site_kind_label
from scout.domain.values import (
    parse_cost,
    parse_date,
    parse_phone,
    parse_position,
    parse_time,
    parse_yes_no,
)
from scout.errors import ValidationError, ValidationErrors
from scout.present.labels import status_label, value_label
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


@pytest.mark.parametrize("language", ["en", "fr"])
def test_fiche_round_trips_through_the_form_text(language: str) -> None:
    i18n.activate(language)
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
    form = fiche_values(lieu)
    days = {"en": "2026-12-01\n2026-12-03 07:30-19:00", "fr": "01/12/2026\n03/12/2026 07:30-19:00"}
    assert form["shoot_days"] == days[language]
    assert form["lift"] == {"en": "yes", "fr": "oui"}[language]
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


# -- one language at a time (issue 11) ----------------------------------------------------
@pytest.mark.parametrize(
    "typed, expected",
    [
        ("oui", True),
        ("Yes", True),
        ("O", True),
        ("non", False),
        ("no", False),
        ("?", None),
        ("peut-être", None),
        ("Peut etre", None),
        ("inconnu", None),
        ("unknown", None),
        ("non renseigné", None),
        ("not given", None),
        ("", None),
    ],
)
def test_yes_no_and_unknown_in_either_language(typed: str, expected: bool | None) -> None:
    assert parse_yes_no(typed, "step_free") is expected
    assert parse_fiche({"step_free": typed}).get("step_free") is expected


def test_a_wrong_answer_lists_the_words_of_the_run_s_language() -> None:
    with pytest.raises(
        ValidationError, match=r"^lift: 'perhaps' is not yes, no or \? \(not known\)"
    ):
        parse_yes_no("perhaps", "lift")
    i18n.activate("fr")
    with pytest.raises(ValidationError, match=r"'perhaps' n'est ni oui, ni non, ni \? \(inconnu\)"):
        parse_yes_no("perhaps", "lift")


def test_statuses_and_settings_are_typed_in_either_language_and_shown_in_one() -> None:
    for typed, status in [
        ("À repérer", ScoutingStatus.TO_SCOUT),
        ("to scout", ScoutingStatus.TO_SCOUT),
        ("repéré", ScoutingStatus.SCOUTED),
        ("Validated", ScoutingStatus.VALIDATED),
        ("écarté", ScoutingStatus.REJECTED),
        ("rejected", ScoutingStatus.REJECTED),
    ]:
        assert ScoutingStatus.parse(typed, "status") is status
    for typed, setting in [
        ("intérieur", Setting.INT),
        ("EXT", Setting.EXT),
        ("INT/EXT", Setting.INT_EXT),
        ("int_ext", Setting.INT_EXT),
        ("les deux", Setting.INT_EXT),
    ]:
        assert Setting.parse(typed, "setting") is setting
    assert ScoutingStatus.TO_SCOUT.label == "To scout" and status_label("rejected") == "Rejected"
    with pytest.raises(ValidationError, match="one of: To scout, Scouted, Option, Validated"):
        ScoutingStatus.parse("maybe", "status")
    i18n.activate("fr")
    assert ScoutingStatus.TO_SCOUT.label == "À repérer" and status_label("rejected") == "Écarté"
    assert ScoutingStatus.parse("Validated", "status") is ScoutingStatus.VALIDATED
    with pytest.raises(ValidationError, match="parmi : À repérer, Repéré, Option, Validé"):
        ScoutingStatus.parse("maybe", "status")


def test_every_label_reads_back_as_its_member_in_both_languages() -> None:
    from scout.domain.lieu import PositionSource
    from scout.domain.permit import PermitStatus

    for language in ("en", "fr"):
        i18n.activate(language)
        for kind in (ScoutingStatus, Setting, PositionSource, PermitStatus):
            for member in kind:
                assert kind.parse(member.label, "x") is member, (language, member)
        for code in SITE_KINDS:
            assert parse_site_kind(site_kind_label(code)) == code, (language, code)


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("rue", "street"),
        ("Street", "street"),
        ("pont", "bridge"),
        ("bridge", "bridge"),
        ("parc", "park"),
        ("quai", "quay"),
        ("canal", "canal"),
        ("Seine", "seine"),
        ("monument", "monument"),
        ("bâtiment municipal", "city_building"),
        ("city_building", "city_building"),
        ("city building", "city_building"),
        ("sport", "sports"),
        ("sports", "sports"),
        ("SNCF", "sncf"),
        ("ratp", "ratp"),
        ("église", "church"),
        ("church", "church"),
        ("privé", "private"),
        ("private", "private"),
        ("?", ""),
    ],
)
def test_site_kinds_in_either_language_are_stored_as_codes(typed: str, kind: str) -> None:
    assert parse_fiche({"site_kind": typed})["site_kind"] == kind


def test_site_kinds_are_shown_in_the_run_s_language() -> None:
    assert site_kind_label("city_building") == "city building"
    assert value_label("needs.site_kind", "city_building") == "city building"
    with pytest.raises(ValidationErrors, match="'castle' is not one of: street, bridge, park"):
        parse_fiche({"site_kind": "castle"})
    i18n.activate("fr")
    assert site_kind_label("city_building") == "bâtiment municipal"
    assert value_label("needs.site_kind", "street") == "rue"
    with pytest.raises(ValidationErrors, match="'castle' n'est pas parmi : rue, pont, parc"):
        parse_fiche({"site_kind": "castle"})


def test_fiche_labels_and_help_follow_the_language() -> None:
    from scout.domain.fiche import BY_KEY

    step_free = BY_KEY["step_free"]
    assert step_free.label == "Step-free access"
    assert step_free.help == "step-free access: yes, no or ? (not known)"
    assert "to scout" not in BY_KEY["status"].help and "To scout, Scouted" in BY_KEY["status"].help
    i18n.activate("fr")
    assert step_free.label == "Accès de plain-pied"
    assert step_free.help == "accès de plain-pied : oui, non ou ? (inconnu)"
    assert "rue, pont, parc" in BY_KEY["site_kind"].help
    assert fiche_values(Lieu(name="X", retained=True))["retained"] == "oui"


def test_out_of_range_says_what_was_typed() -> None:
    with pytest.raises(ValidationErrors, match=r"lat: 91\.5 is out of range \(-90 to 90\)"):
        parse_fiche({"lat": "91.5"})
    i18n.activate("fr")
    with pytest.raises(ValidationErrors, match=r"lat : 91,5 est hors limites \(-90 à 90\)"):
        parse_fiche({"lat": "91,5"})


def test_costs_in_french_or_english_form() -> None:
    assert parse_cost("1 200,50") == Decimal("1200.50")
    assert parse_cost("€4,500.00") == Decimal("4500.00")
    assert parse_cost("4 500,00 €") == Decimal("4500.00")
    assert parse_cost("4\u202f500,00\u00a0€") == Decimal("4500.00")  # as French formats it


def test_what_went_to_the_bin_is_counted_in_words() -> None:
    from scout.domain.bin import Binned
    from scout.domain.permit import Permit

    binned = Binned(Lieu(name="X"), (Permit(1, "a"), Permit(1, "b")), (7,), "")
    assert binned.summary() == "2 permits, 1 picture"
    i18n.activate("fr")
    assert binned.summary() == "2 autorisations, 1 photo"


def test_the_sheet_writes_dates_and_words_as_the_language_does() -> None:
    from scout.present.sheets import lieu_sheet

    lieu = Lieu(
        name="Café",
        id=3,
        shoot_days=(ShootDay(date(2026, 12, 3), time(7, 30), time(19)),),
        cost=Decimal("4500"),
    )
    today = date(2026, 11, 23)
    english = lieu_sheet(lieu, today)
    assert "Next         2026-12-03" in english and "€4,500.00" in english
    assert "INT/EXT not given" in english and "(location 3)" in english
    i18n.activate("fr")
    french = lieu_sheet(lieu, today)
    assert "Prochain     03/12/2026" in french and "4\u202f500,00\u00a0€" in french
    assert "Tournage     03/12/2026 07:30-19:00" in french and "(lieu 3)" in french


@pytest.mark.lang("fr")
def test_the_history_and_values_speak_french() -> None:
    from scout.domain.lieu import Change
    from scout.present.labels import history_line, permit_status_label

    line = history_line(Change("2026-11-23T10:05:00+01:00", "needs.loges", None, True))
    assert line == "23/11/2026 10:05  Loges (véhicules) : non renseigné → oui"
    assert permit_status_label("to_create") == "À créer"
    assert value_label("setting", "int_ext") == "INT/EXT"
