"""A record the production can trust (issue 15), through the installed command: unknown
never reads as "no", the régie's table is complete, nothing disappears silently,
positions are checked, the rules say what the City says, the history speaks French."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from photo_factory import make_photo

from scout.domain.facts import LieuFacts
from scout.permits.checks import suggest
from scout.permits.deadlines import filing_deadline
from scout.permits.rules import default_rules, parse_rules
from scout.photos.sun import facing_windows, sun_lines

STREET_IN_THE_4TH = ("--lat", "48.8530", "--lon", "2.3499")


def _facts(**known: object) -> LieuFacts:
    base: dict[str, object] = {
        "id": 1,
        "name": "X",
        "arrondissement": 4,
        "zone": "sous_tension",
        "tech_vehicle_cap": 5,
        "site": "street",
        "public_space": True,
        "crew": None,
        "vehicles": None,
        "parking": None,
        "hours": (("08:00", "19:00"),),
        "drone": None,
        "traffic_control": None,
        "loges": None,
        "shoot_days": (date(2027, 5, 18),),
        "interior": False,
    }
    base.update(known)
    return LieuFacts(**base)  # type: ignore[arg-type]


# -- unknown is not "no" -----------------------------------------------------------------
def test_a_street_shoot_with_unknown_crew_is_never_no_permit(run_installed_scout) -> None:
    run_installed_scout(
        "add", "--name", "X", *STREET_IN_THE_4TH, "--shoot-date", "2027-05-18", "--setting", "ext"
    )
    result = run_installed_scout("permit", "suggest", "1")
    assert result.returncode == 0
    assert "No permit needed" not in result.stdout
    assert "possibly needed" in result.stdout
    assert "crew size: ≤ 9 → Déclaration préalable (prior notice, Paris Film)" in result.stdout
    assert "≥ 10 → Filming permit request (AGATE platform)" in result.stdout
    data = json.loads(run_installed_scout("permit", "suggest", "1", "--json").stdout)
    by_type = {s["type"]: s for s in data}
    assert by_type["declaration_prealable"]["needed"] == "possibly"
    crew = {"condition": "crew_max", "value": 9, "fields": ["crew_size"]}
    assert crew in by_type["declaration_prealable"]["depends_on"]  # codes, not words


@pytest.mark.lang("fr")
def test_what_decides_a_permit_is_said_in_french(run_installed_scout) -> None:
    run_installed_scout(
        "add", "--name", "X", *STREET_IN_THE_4TH, "--shoot-date", "2027-05-18", "--setting", "ext"
    )
    result = run_installed_scout("permit", "suggest", "1")
    assert "taille de l'équipe (≤ 9)" in result.stdout
    assert "≤ 9 → Déclaration préalable (Paris Film)" in result.stdout
    assert "≥ 10 → Demande d'autorisation (plateforme AGATE)" in result.stdout


def test_no_permit_needed_only_when_every_deciding_fact_is_known() -> None:
    rules = default_rules()
    known_private = _facts(
        site="private",
        public_space=False,
        drone=False,
        generator=False,
        interior=True,
        parking=False,
        traffic_control=False,
        loges=False,
        crew=5,
        vehicles=1,
    )
    assert [s.type.id for s in suggest(known_private, rules, set())] == ["proprietaire"]
    unknown_setting = _facts(site="", public_space=None, interior=None)
    found = suggest(unknown_setting, rules, set())
    assert found and not any(s.certain for s in found)


def test_a_new_lieu_has_no_setting_and_unknown_needs_stay_unknown(run_scout) -> None:
    run_scout("add", "--name", "X", "--loges", "?", "--drone", "non")
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert "setting" not in shown  # unknown: stored as absent, never coerced to INT
    assert shown["needs"] == {"drone": False}  # "non" is an answer, "?" is not
    text = run_scout("show", "1").stdout
    assert "INT/EXT not given" in text


def test_the_prior_declaration_excludes_building_interiors() -> None:
    rules = default_rules()
    light = {"crew": 5, "parking": False, "drone": False, "traffic_control": False}
    outside = {s.type.id for s in suggest(_facts(**light), rules, set()) if s.certain}
    inside = {s.type.id for s in suggest(_facts(interior=True, **light), rules, set()) if s.certain}
    assert "declaration_prealable" in outside and "declaration_prealable" not in inside
    assert "demande_agate" in inside


# -- the régie's table is complete -------------------------------------------------------
def test_deadlines_list_the_permits_nobody_created_and_one_command_creates_them(
    run_installed_scout,
) -> None:
    run_installed_scout(
        "add",
        "--name",
        "Rue",
        *STREET_IN_THE_4TH,
        "--setting",
        "ext",
        "--crew-size",
        "25",
        "--shoot-date",
        "2026-12-10 08:00-19:00",
    )
    listed = json.loads(run_installed_scout("deadlines", "--json").stdout)
    to_create = [p for p in listed["permits"] if p["status"] == "to_create"]
    assert {p["type"] for p in to_create} == {"demande_agate"}
    assert to_create[0]["permit_id"] is None and to_create[0]["deadline"] == "2026-11-19"
    assert to_create[0]["urgency"] == "overdue"
    assert "to create" in run_installed_scout("deadlines").stdout
    assert "à créer" in run_installed_scout("deadlines", env={"SCOUT_LANG": "fr"}).stdout
    made = run_installed_scout("permit", "add-suggested", "1")
    assert made.returncode == 0 and "Filming permit request (AGATE platform)" in made.stdout
    again = json.loads(run_installed_scout("deadlines", "--json").stdout)
    assert not [p for p in again["permits"] if p["status"] == "to_create"]
    assert [p["permit_id"] for p in again["permits"]] == [1]


# -- nothing disappears silently ---------------------------------------------------------
def test_rm_names_what_goes_with_the_lieu_and_the_bin_brings_it_back(
    run_installed_scout,
) -> None:
    run_installed_scout("demo")
    refused = run_installed_scout("rm", "4")
    assert refused.returncode == 1 and "nothing was deleted" in refused.stderr
    assert "Parking arrêté" in refused.stderr and "permit 2" in refused.stderr
    assert len(json.loads(run_installed_scout("list", "--json").stdout)) == 14
    gone = run_installed_scout("rm", "4", "--with-permits")
    assert gone.returncode == 0 and "2 permits" in gone.stdout and "restore 4" in gone.stdout
    assert "Place de l'Estrapade" in run_installed_scout("bin").stdout
    assert run_installed_scout("permit", "list", "4").returncode == 1
    back = run_installed_scout("restore", "4")
    assert back.returncode == 0 and "Place de l'Estrapade (5e)" in back.stdout
    permits = json.loads(run_installed_scout("permit", "list", "4", "--json").stdout)
    assert sorted(p["permit_id"] for p in permits) == [1, 2]
    assert "The bin is empty." in run_installed_scout("bin").stdout


def test_retaining_a_lieu_says_which_one_lost_its_star(run_scout) -> None:
    run_scout("demo")
    out = run_scout("edit", "2", "--retained", "oui").stdout
    assert "Location 3 «Café des Deux Moulins» is no longer retained" in out


# -- positions are checked ---------------------------------------------------------------
def test_a_position_far_from_its_postcode_is_saved_with_a_warning(run_installed_scout) -> None:
    lyon = run_installed_scout(
        "add", "--name", "L", "--lat", "45.76", "--lon", "4.83", "--postcode", "75006"
    )
    assert lyon.returncode == 0 and "outside Paris" in lyon.stderr
    wrong = run_installed_scout("add", "--name", "Q", *STREET_IN_THE_4TH, "--postcode", "75006")
    assert wrong.returncode == 0
    assert "the postcode 75006 says the 6e" in wrong.stderr
    assert "⚠ the position is in the 4e" in run_installed_scout("show", "2").stdout


@pytest.mark.parametrize("postcode", ["75099", "75000", "75021"])
def test_an_impossible_paris_postcode_is_refused(run_scout, postcode: str) -> None:
    result = run_scout("add", "--name", "P", "--postcode", postcode)
    assert result.returncode == 1 and "is not a Paris postcode" in result.stderr
    assert json.loads(run_scout("list", "--json").stdout) == []


# -- photos ------------------------------------------------------------------------------
def test_a_picture_without_gps_is_given_to_the_lieu_named(run_scout, tmp_path: Path) -> None:
    run_scout("add", "--name", "Cour")
    picture = make_photo(tmp_path / "nogps.jpg")
    first = json.loads(run_scout("import", "photos", str(picture), "--json").stdout)
    assert first["without_position"] == [str(picture.resolve())]
    given = json.loads(run_scout("import", "photos", str(picture), "--lieu", "1", "--json").stdout)
    assert given["attached"] == [str(picture.resolve())]
    assert len(json.loads(run_scout("photos", "list", "1", "--json").stdout)) == 1


def test_a_jpeg_cut_short_is_named_in_the_report(run_scout, tmp_path: Path) -> None:
    whole = make_photo(tmp_path / "whole.jpg", 48.85, 2.35, size=(1200, 900))
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    result = run_scout("import", "photos", str(cut))
    assert result.returncode == 1 and "cut.jpg" in result.stdout and "truncated" in result.stdout


# -- the rules brought up to the facts ---------------------------------------------------
def test_the_mission_year_end_closure_does_not_count_as_working_days() -> None:
    rules = default_rules()
    agate = rules.types["demande_agate"]
    closed = rules.calendar_for(agate.authority)
    # 15 working days before 12 January 2026: the Mission is closed 25/12–02/01.
    with_closure = filing_deadline(agate, date(2026, 1, 12), closed)
    without = filing_deadline(agate, date(2026, 1, 12))
    assert with_closure is not None and without is not None and with_closure < without
    assert with_closure == date(2025, 12, 11) and without == date(2025, 12, 18)


def test_a_drone_goes_to_the_prefecture_and_warns_about_the_prohibited_zone(
    run_scout,
) -> None:
    run_scout(
        "add",
        "--name",
        "Toits",
        *STREET_IN_THE_4TH,
        "--setting",
        "ext",
        "--drone",
        "oui",
        "--shoot-date",
        "2026-12-20 10:00-12:00",
    )
    suggested = json.loads(run_scout("permit", "suggest", "1", "--json").stdout)
    drone = next(s for s in suggested if s["type"] == "drone_prefecture")
    assert drone["needed"] == "yes" and drone["lead"] == 5
    warnings = json.loads(run_scout("deadlines", "--json").stdout)["warnings"]
    assert any(w["kind"] == "drone_zone_p23" for w in warnings)
    assert any(w["kind"] == "charte_vhss" for w in warnings)  # once, before the first day
    assert "prohibited zone P23" in run_scout("deadlines").stdout


def test_a_generator_brings_its_rule(run_scout) -> None:
    run_scout(
        "add",
        "--name",
        "G",
        *STREET_IN_THE_4TH,
        "--generator",
        "oui",
        "--shoot-date",
        "2026-12-20 10:00-12:00",
    )
    warnings = json.loads(run_scout("deadlines", "--json").stdout)["warnings"]
    assert any(w["kind"] == "generator" for w in warnings)
    assert "Generators under 10 kW" in run_scout("deadlines").stdout


def test_night_limits_are_data() -> None:
    text = (
        Path(__file__).resolve().parents[1] / "scout" / "permits" / "default_rules.toml"
    ).read_text(encoding="utf-8")
    earlier = parse_rules(
        text.replace('declaration_after = "23:00"', 'declaration_after = "21:00"'), "r.toml"
    )
    assert earlier.night_after == "21:00" and earlier.night_guide == ("22:00", "07:00")
    late = _facts(
        crew=5, parking=False, drone=False, traffic_control=False, hours=(("14:00", "22:00"),)
    )
    assert "declaration_prealable" in {
        s.type.id for s in suggest(late, default_rules(), set()) if s.certain
    }
    assert "declaration_prealable" not in {
        s.type.id for s in suggest(late, earlier, set()) if s.certain
    }


# -- the sun and the history in the user's words ----------------------------------------
@pytest.mark.lang("fr")
def test_sun_windows_are_to_the_minute_and_never_empty() -> None:
    windows = facing_windows(48.853, 2.3499, date(2026, 12, 3), 90.0)
    assert windows and all(b > a for a, b in windows)
    assert any(a.minute % 60 != 0 for a, _ in windows)  # not rounded to the hour
    line = sun_lines(48.853, 2.3499, date(2026, 12, 3), None, [90.0])[-1]
    start, end = windows[0]
    assert f"de {start:%H:%M} à {end:%H:%M}" in line and start != end


@pytest.mark.lang("fr")
def test_the_history_speaks_the_users_words(run_scout) -> None:
    run_scout("add", "--name", "H")
    run_scout("edit", "1", "--status", "validated", "--loges", "oui", "--setting", "ext")
    text = run_scout("show", "1").stdout
    assert "Statut : À repérer → Validé" in text
    assert "Loges (véhicules) : non renseigné → oui" in text
    assert "INT/EXT : non renseigné → EXT" in text
    assert "status:" not in text and "to_scout" not in text


def test_the_history_speaks_english_to_an_english_run(run_scout) -> None:
    run_scout("add", "--name", "H")
    run_scout("edit", "1", "--status", "validé", "--loges", "yes", "--setting", "extérieur")
    text = run_scout("show", "1").stdout
    assert "Status: To scout → Validated" in text
    assert "Loges (vehicles): not given → yes" in text
    assert "INT/EXT: not given → EXT" in text
    assert "Statut" not in text and "to_scout" not in text
