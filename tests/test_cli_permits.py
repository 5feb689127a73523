"""`scout permit`, `scout deadlines`, `scout rules check`, `scout export ics`: the command
run in this process (`run_scout`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from icalendar import Calendar


def test_deadlines_on_the_demo_exit_5_for_the_overdue_permit(run_scout) -> None:
    run_scout("demo")
    result = run_scout("deadlines")
    assert result.returncode == 5 and "1 permit overdue" in result.stderr
    lines = result.stdout.splitlines()
    assert (
        lines[0].startswith("URGENCY")
        and lines[1].startswith("OVERDUE")
        and "Place de l'Estrapade" in lines[1]
    )
    data = json.loads(run_scout("deadlines", "--json").stdout)
    urgencies = [p["urgency"] for p in data["permits"]]
    assert urgencies == sorted(
        urgencies,
        key=[
            "overdue",
            "due_3",
            "due_7",
            "due_14",
            "refused",
            "to_file",
            "awaiting",
            "expiring",
            "granted",
            "closed",
        ].index,
    )
    assert data["today"] == "2026-11-23"
    soon = json.loads(run_scout("deadlines", "--within", "3", "--json").stdout)["permits"]
    assert {p["urgency"] for p in soon} == {"overdue", "due_3"}


def test_deadlines_exit_0_when_nothing_is_late(run_scout) -> None:
    run_scout("add", "--name", "Cour", "--shoot-date", "2027-03-01")
    assert run_scout("permit", "add", "1", "--type", "proprietaire").returncode == 0
    assert run_scout("deadlines").returncode == 0


def test_permit_add_set_list_and_the_history(run_scout) -> None:
    run_scout("demo")
    added = run_scout(
        "permit",
        "add",
        "10",
        "--type",
        "demande_agate",
        "--reference",
        "AGATE-1",
        "--shoot-date",
        "2026-12-20",
    )
    assert added.returncode == 0 and "Added permit 10" in added.stdout
    assert (
        run_scout("permit", "set", "10", "--status", "filed", "--note", "en ligne").returncode == 0
    )
    refused = run_scout("permit", "set", "10", "--status", "to_request")
    assert refused.returncode == 1 and "cannot go from Filed to To request" in refused.stderr
    rows = json.loads(run_scout("permit", "list", "10", "--json").stdout)
    assert [(r["permit_id"], r["status"]) for r in rows] == [(10, "filed")]
    assert rows[0]["deadline"] == "2026-11-30"  # 15 working days before Sunday 20 December


def test_permit_bad_input(run_scout, db_path: Path) -> None:
    run_scout("demo")
    before = db_path.read_bytes()
    for args, message in [
        (["permit", "add", "99", "--type", "demande_agate"], "no location with id 99"),
        (["permit", "add", "4", "--type", "helicopter"], "unknown permit type 'helicopter'"),
        (
            ["permit", "add", "4", "--type", "demande_agate", "--valid-from", "31/02/2026"],
            "--valid-from: '31/02/2026' is not a date",
        ),
        (
            ["permit", "add", "4", "--type", "demande_agate", "--deadline", "2026-11-30"],
            "--deadline: say why",
        ),
        (
            ["permit", "add", "4", "--type", "arrete_stationnement", "--spaces", "beaucoup"],
            "--spaces: 'beaucoup' is not a whole number",
        ),
        (["permit", "set", "42", "--status", "filed"], "no permit with id 42"),
        (["permit", "set", "1", "--status", "lost"], "--status: 'lost' is not one of"),
    ]:
        result = run_scout(*args)
        assert result.returncode == 1, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before


def test_permit_suggest(run_scout) -> None:
    run_scout("demo")
    out = run_scout("permit", "suggest", "6").stdout  # Passage des Panoramas, at night
    assert "Filming permit request (AGATE platform)" in out and "(already requested)" in out
    assert "shooting after 23:00" in out
    data = json.loads(run_scout("permit", "suggest", "12", "--json").stdout)  # gare de Lyon
    needed = [s for s in data if s["needed"] == "yes"]
    assert [s["type"] for s in needed] == ["sncf"] and needed[0]["confidence"] == "unknown"
    # the drone is not known yet: possibly needed, never silently "no"
    assert {s["type"] for s in data if s["needed"] == "possibly"} == {"drone_prefecture"}


def test_rules_check_reports_the_line(run_scout, tmp_path: Path) -> None:
    assert "10 permit types" in run_scout("rules", "check").stdout
    bad = tmp_path / "rules.toml"
    bad.write_text(
        '[types.a]\nlabel = "A"\nauthority = "B"\nlead = 3\n'
        'unit = "fortnights"\nsource = "s"\nconfidence = "sure"\n'
    )
    result = run_scout("rules", "check", str(bad))
    assert result.returncode == 1
    assert f"{bad}, line 5: type 'a': unknown unit 'fortnights'" in result.stderr


def test_a_broken_production_rules_file_keeps_the_shipped_rules(run_scout, db_path: Path) -> None:
    run_scout("demo")
    (db_path.parent / "rules.toml").write_text("[types.x\n")
    result = run_scout("deadlines")
    assert result.returncode == 5  # still computed, with the rules shipped with scout
    assert "rules.toml, line 1: not valid TOML" in result.stderr
    assert "using the rules shipped with scout" in result.stderr
    explicit = run_scout("--rules", str(db_path.parent / "rules.toml"), "deadlines")
    assert explicit.returncode == 1 and "not valid TOML" in explicit.stderr


def test_ics_export_parses_back_with_stable_uids(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run_scout("export", "ics", "--output", str(first)).returncode == 0
    assert run_scout("export", "ics", "-o", str(second)).returncode == 0

    def events(path: Path) -> dict[str, object]:
        cal = Calendar.from_ical(path.read_bytes())
        return {str(e["uid"]): e for e in cal.walk("VEVENT")}

    a, b = events(first), events(second)
    assert a.keys() == b.keys() and "deadline-2@scout" in a and "validity-3@scout" not in a
    overdue = a["deadline-2@scout"]
    assert str(overdue["summary"]).startswith("To file: Parking arrêté")
    assert overdue.decoded("dtstart").isoformat() == "2026-11-12"
    assert "Paris" in str(overdue["location"])
    alarms = overdue.walk("VALARM")
    assert alarms and alarms[0].decoded("trigger").days == -2


def test_a_missing_rules_file_named_on_the_command_line_is_an_error(
    run_scout, tmp_path: Path
) -> None:
    result = run_scout("--rules", str(tmp_path / "nope.toml"), "deadlines")
    assert result.returncode == 1 and "nope.toml: no such file" in result.stderr


@pytest.mark.lang("fr")
def test_french_tables_and_calendar(run_scout, tmp_path: Path) -> None:
    run_scout("demo")
    result = run_scout("deadlines")
    assert result.returncode == 5 and "scout : 1 autorisation en retard" in result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == ["URGENCE", "AUTORISATION", "LIEU", "ARR.", "TYPE", "STATUT", "ÉCHÉANCE"]
    assert "12/11/2026" in result.stdout and "2026-11-12" not in result.stdout
    assert "Alertes :" in result.stdout
    suggested = run_scout("permit", "suggest", "6").stdout
    assert "parce que :" in suggested and "délai :" in suggested
    assert "because" not in suggested and "lead:" not in suggested
    calendar = tmp_path / "fr.ics"
    written = run_scout("export", "ics", "-o", str(calendar))
    assert written.returncode == 0 and f"{calendar} écrit" in written.stderr
    events = {str(e["uid"]): e for e in Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")}
    overdue = events["deadline-2@scout"]
    assert str(overdue["summary"]).startswith("Déposer : ")
    assert str(overdue["description"]).startswith("Date limite de dépôt de l'autorisation 2 ")
    assert "Filing" not in calendar.read_text(encoding="utf-8")


def test_permit_json_has_codes_not_labels(run_scout) -> None:
    run_scout("demo")
    rows = json.loads(run_scout("permit", "list", "--json").stdout)
    assert rows and all("type_label" not in r and "authority" not in r for r in rows)
    warnings = json.loads(run_scout("deadlines", "--json").stdout)["warnings"]
    assert warnings and all("message" not in w for w in warnings)
    overdue = next(w for w in warnings if w["kind"] == "overdue")
    assert overdue["deadline"] == "2026-11-12" and overdue["permit_id"] == 2


def test_the_production_s_charter_is_said_once_before_its_first_shoot_day(run_scout) -> None:
    """The VHSS charter is a step of the production, before its first shoot day: the
    fiche of a lieu shot later does not carry it with its own, later date."""
    run_scout("demo")
    review = json.loads(run_scout("deadlines", "--json").stdout)
    charter = [w for w in review["warnings"] if w["kind"] == "charte_vhss"]
    assert len(charter) == 1
    first = charter[0]["lieu_id"]
    later = next(i for i in range(1, 15) if i != first)
    assert "VHSS" in run_scout("show", str(first)).stdout
    assert "VHSS" not in run_scout("show", str(later)).stdout
