"""The `scout` command on temporary databases: in this process (`run_scout`), and through
the real installed command (`run_installed_scout`) in a few tests that prove it works end
to end: the version, `demo` then `list`, a database it refuses (exit 3), `locate -`
streaming standard input, bad ids and usage (exit 1 and 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


def test_version_and_help(run_scout, run_installed_scout) -> None:
    assert run_installed_scout("--version").stdout.strip() == "scout 0.1.0"
    for command in ("demo", "list", "show", "add", "edit", "rm", "locate"):
        result = run_scout(command, "--help")
        assert result.returncode == 0 and "usage: scout" in result.stdout


def test_demo_seeds_real_places_once(run_scout) -> None:
    first = run_scout("demo")
    assert first.returncode == 0 and "14 lieux" in first.stdout
    again = run_scout("demo")
    assert again.returncode == 0 and "nothing added" in again.stdout
    lieux = json.loads(run_scout("list", "--json").stdout)
    assert len(lieux) == 14
    assert len({lieu["arrondissement"] for lieu in lieux}) >= 6
    assert any(lieu["on_boundary"] for lieu in lieux)  # the pont de Bir-Hakeim
    cafes = [lieu for lieu in lieux if lieu["decor"] == "CAFÉ DE CLAIRE — INT. JOUR"]
    assert len(cafes) == 3 and sum(lieu["retained"] for lieu in cafes) == 1
    assert min(lieu["next_shoot_day"] or "9" for lieu in lieux) > "2026-11-23"


def test_list_shows_arrondissement_and_next_shoot_day(run_installed_scout) -> None:
    run_installed_scout("demo")
    out = run_installed_scout("list").stdout
    assert "Café des Deux Moulins" in out and "18e~" in out  # Butte Montmartre
    assert "15e*" in out or "16e*" in out  # on the Seine boundary
    assert "2026-12-02" in out


def test_add_edit_show_rm(run_scout) -> None:
    added = run_scout(
        "add",
        "--name",
        "Quai de la Tournelle",
        "--decor",
        "QUAIS — EXT. NUIT",
        "--lat",
        "48.8508",
        "--lon",
        "2.3540",
        "--shoot-date",
        "2026-12-04 19:00-02:00",
        "--contact",
        "Port autonome; gestion; 01 99 00 12 40",
    )
    assert added.returncode == 0, added.stderr
    assert "Added lieu 1" in added.stdout and "(5e)" in added.stdout
    edited = run_scout("edit", "1", "--status", "validé", "--lift", "non")
    assert edited.returncode == 0 and "2 field(s) changed" in edited.stdout
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["status"] == "validated" and shown["arrondissement"] == 5
    assert shown["contacts"][0]["phone"] == "+33199001240"
    assert [h["field"] for h in shown["history"]] == ["status", "accessibility.lift"]
    text = run_scout("show", "1").stdout
    assert "Quai de la Tournelle" in text and "Statut : À repérer → Validé" in text
    moved = run_scout("edit", "1", "--lat", "48.8867", "--lon", "2.3431")
    assert "(18e~)" in moved.stdout  # arrondissement recomputed when the position changes
    removed = run_scout("rm", "1")
    assert removed.returncode == 0 and "Deleted lieu 1" in removed.stdout
    missing = run_scout("show", "1")
    assert missing.returncode == 1 and "no lieu with id 1" in missing.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lat", "95", "--lon", "2.35"], "--lat: 95.0 is out of range"),
        (["--lat", "48.85", "--lon", "abc"], "--lon: 'abc' is not a number"),
        (["--lat", "nan", "--lon", "2.35"], "--lat: 'nan' is not a finite number"),
        (["--lat", "48.85"], "--lon: give latitude and longitude together"),
        (["--status", "peut-être"], "--status: 'peut-être' is not one of"),
        (["--shoot-date", "2026-02-30"], "--shoot-date: '2026-02-30' is not a date"),
        (["--contact", "Marc; gérant; 12 34"], "--contact: contact phone"),
        (["--contact", "Marc; gérant; ; marc@"], "--contact: contact email"),
        (["--cost", "beaucoup"], "--cost: 'beaucoup' is not an amount"),
    ],
)
def test_bad_input_is_named_and_nothing_changes(
    run_scout, db_path: Path, args: list[str], message: str
) -> None:
    run_scout("demo")
    before = db_path.read_bytes()
    result = run_scout("add", "--name", "Nouveau", *args)
    assert result.returncode == 1
    assert message in result.stderr and "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    assert db_path.read_bytes() == before
    if args != ["--lat", "48.85"]:  # editing only the latitude of a placed lieu is fine
        edit = run_scout("edit", "3", *args)
        assert edit.returncode == 1 and message in edit.stderr
        assert db_path.read_bytes() == before


def test_bad_ids_and_usage(run_installed_scout) -> None:
    assert run_installed_scout("show", "abc").returncode == 2
    assert "not a lieu id" in run_installed_scout("show", "abc").stderr
    assert run_installed_scout("edit", "7").returncode == 1  # nothing to change
    assert run_installed_scout("add").returncode == 2  # --name is required


def test_a_corrupt_database_is_reported_and_untouched(run_installed_scout, db_path: Path) -> None:
    db_path.write_text("this is my shopping list\n")
    result = run_installed_scout("list")
    assert result.returncode == 3
    assert "not a scout database" in result.stderr and "Traceback" not in result.stderr
    assert run_installed_scout("add", "--name", "X").returncode == 3
    assert db_path.read_text() == "this is my shopping list\n"


def test_locate_prints_arrondissement_mairie_and_rules(run_scout) -> None:
    result = run_scout("locate", "48.8530,2.3499")
    assert result.returncode == 0
    assert "4e — Hôtel-de-Ville (INSEE 75104)" in result.stdout
    assert "Mairie de Paris Centre" in result.stdout
    assert "5 technical vehicles max" in result.stdout and "[sure]" in result.stdout
    data = json.loads(run_scout("locate", "48.8867,2.3431", "--json").stdout)
    assert data["arrondissement"] == 18 and data["zone"]["id"] == "sous_tension"
    assert data["zone"]["approximate"] is True


@pytest.mark.parametrize(
    "text, message",
    [
        ("2.35,48.85", "look swapped"),
        ("48.85", "is not a position"),
        ("nan,2.35", "is not a position"),
        ("28 rue Buffault", "SCOUT_OFFLINE is set"),  # an address: geocoded, but offline here
    ],
)
def test_locate_bad_positions(run_scout, text: str, message: str) -> None:
    result = run_scout("locate", text)
    assert result.returncode == 1 and message in result.stderr


def test_locate_streams_one_json_object_per_line(run_installed_scout) -> None:
    lines = "48.8530,2.3499\nnot a position\n48.80,2.30\n\n48.8556,2.2874,75016\n"
    result = run_installed_scout("locate", "-", input=lines)
    assert result.returncode == 1  # some lines were wrong; every line still answered
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["line"] for o in out] == [1, 2, 3, 4, 5]
    assert out[0]["arrondissement"] == 4
    assert "error" in out[1] and "error" in out[3]
    assert out[2]["outside_paris"] and out[2]["distance_to_paris_m"] > 1000
    assert out[4]["arrondissement"] == 16 and out[4]["decided_by"] == "postcode"
