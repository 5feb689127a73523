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
    assert first.returncode == 0 and "14 locations" in first.stdout
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
    assert "Added location 1" in added.stdout and "(5e)" in added.stdout
    edited = run_scout("edit", "1", "--status", "validé", "--lift", "non")
    assert edited.returncode == 0 and "2 fields changed" in edited.stdout
    shown = json.loads(run_scout("show", "1", "--json").stdout)
    assert shown["status"] == "validated" and shown["arrondissement"] == 5
    assert shown["contacts"][0]["phone"] == "+33199001240"
    assert [h["field"] for h in shown["history"]] == ["status", "accessibility.lift"]
    text = run_scout("show", "1").stdout
    assert "Quai de la Tournelle" in text and "Status: To scout → Validated" in text
    moved = run_scout("edit", "1", "--lat", "48.8867", "--lon", "2.3431")
    assert "(18e~)" in moved.stdout  # arrondissement recomputed when the position changes
    removed = run_scout("rm", "1")
    assert removed.returncode == 0 and "Deleted location 1" in removed.stdout
    missing = run_scout("show", "1")
    assert missing.returncode == 1 and "no location with id 1" in missing.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lat", "95", "--lon", "2.35"], "--lat: 95 is out of range"),
        (["--lat", "48.85", "--lon", "abc"], "--lon: 'abc' is not a number"),
        (["--lat", "nan", "--lon", "2.35"], "--lat: 'nan' is not a finite number"),
        (["--lat", "48.85"], "--lon: give the latitude and the longitude together"),
        (["--status", "peut-être"], "--status: 'peut-être' is not one of"),
        (["--shoot-date", "2026-02-30"], "--shoot-date: '2026-02-30' is not a date"),
        (["--contact", "Marc; gérant; 12 34"], "--contact: contact's phone"),
        (["--contact", "Marc; gérant; ; marc@"], "--contact: contact's e-mail"),
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
    assert "not a location id" in run_installed_scout("show", "abc").stderr
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
    assert "5 technical vehicles at most" in result.stdout and "[sure]" in result.stdout
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


# -- the language of the run (issue #11) -------------------------------------------------

ENGLISH_EMPTY = "No locations yet in"
FRENCH_EMPTY = "Aucun lieu pour l'instant dans"


def _speaks(result) -> str:
    """Which language `scout list` on an empty database answered in."""
    assert result.returncode == 0, result.stderr
    if ENGLISH_EMPTY in result.stdout:
        return "en"
    assert FRENCH_EMPTY in result.stdout, result.stdout
    return "fr"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_lang_flag_chooses_the_language(run_scout, language: str) -> None:
    other = "en" if language == "fr" else "fr"
    assert _speaks(run_scout("--lang", language, "list", env={"SCOUT_LANG": other})) == language
    assert _speaks(run_scout(f"--lang={language}", "list")) == language


def test_a_lang_flag_scout_does_not_speak_is_exit_2(run_scout, db_path: Path) -> None:
    english = run_scout("--lang", "de", "list")
    assert english.returncode == 2 and english.stdout == ""
    assert "--lang: 'de' is not a language scout speaks (fr, en)" in english.stderr
    # said in the language the rest of the settings choose
    french = run_scout("--lang", "de", "list", env={"SCOUT_LANG": "fr"})
    assert french.returncode == 2
    assert "--lang : 'de' n'est pas une langue que scout parle (fr, en)" in french.stderr
    assert not db_path.exists()  # nothing ran


def test_scout_lang_beats_lang(run_scout) -> None:
    env = {"SCOUT_LANG": "en", "LANG": "fr_FR.UTF-8"}
    assert _speaks(run_scout("list", env=env)) == "en"
    env = {"SCOUT_LANG": "fr", "LANG": "en_GB.UTF-8"}
    assert _speaks(run_scout("list", env=env)) == "fr"


def test_language_in_the_config_file(run_scout, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    env = {"SCOUT_LANG": "", "SCOUT_CONFIG": str(config), "LANG": "fr_FR.UTF-8"}
    assert _speaks(run_scout("list", env=env)) == "en"  # the config file beats the locale
    assert _speaks(run_scout("list", env={**env, "SCOUT_LANG": "fr"})) == "fr"
    config.write_text('language = "klingon"\n', encoding="utf-8")
    said = run_scout("list", env=env)
    assert _speaks(said) == "fr"  # the next setting decides: the locale
    assert "attention" in said.stderr and "klingon" in said.stderr


def test_the_locale_chooses_when_nothing_else_does(run_scout) -> None:
    assert _speaks(run_scout("list", env={"SCOUT_LANG": "", "LANG": "fr_FR.UTF-8"})) == "fr"
    assert _speaks(run_scout("list", env={"SCOUT_LANG": "", "LANG": "en_US.UTF-8"})) == "en"
    assert _speaks(run_scout("list", env={"SCOUT_LANG": "", "LANG": "C.UTF-8"})) == "fr"
    assert _speaks(run_scout("list", env={"SCOUT_LANG": ""})) == "fr"  # the default


def test_lc_all_beats_lang(run_scout) -> None:
    env = {"SCOUT_LANG": "", "LC_ALL": "en_US.UTF-8", "LANG": "fr_FR.UTF-8"}
    assert _speaks(run_scout("list", env=env)) == "en"
    env = {"SCOUT_LANG": "", "LC_ALL": "fr_FR.UTF-8", "LANG": "en_US.UTF-8"}
    assert _speaks(run_scout("list", env=env)) == "fr"


def test_the_installed_command_speaks_the_locale(run_installed_scout) -> None:
    env = {"SCOUT_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "fr_FR.UTF-8"}
    assert _speaks(run_installed_scout("list", env=env)) == "fr"
    assert _speaks(run_installed_scout("list", env={"SCOUT_LANG": "en"})) == "en"


def test_help_ends_with_the_glossary_of_the_trade(run_scout) -> None:
    english = run_scout("--help", env={"COLUMNS": "200"}).stdout
    assert "Words of the trade (kept in French):" in english
    assert "régie" in english and "dressing-room vehicles" in english
    assert "show this help message and exit" in english
    french = run_scout("--help", env={"SCOUT_LANG": "fr", "COLUMNS": "200"}).stdout
    assert "Mots du métier :" in french and "régie" in french
    assert "affiche ce message d'aide et quitte" in french
    assert "options :" in french and "Words of the trade" not in french


@pytest.mark.lang("fr")
def test_french_messages_tables_and_dates(run_scout) -> None:
    assert "14 lieux" in run_scout("demo").stdout
    listed = run_scout("list").stdout
    assert listed.startswith("ID  LIEU") and "PROCHAIN TOURNAGE" in listed
    assert "02/12/2026" in listed and "2026-12-02" not in listed
    bad = run_scout("add", "--name", "X", "--lat", "95", "--lon", "2.35")
    assert bad.returncode == 1 and "scout : rien n'a été enregistré" in bad.stderr
    assert "nothing was saved" not in bad.stderr
    usage = run_scout("show", "abc")
    assert usage.returncode == 2
    assert "scout show : erreur : argument ID : 'abc' n'est pas un identifiant de lieu" in (
        usage.stderr
    )


def test_json_does_not_change_with_the_language(run_scout) -> None:
    run_scout("demo")
    for command in (["deadlines", "--json"], ["permit", "suggest", "6", "--json"]):
        french = run_scout(*command, env={"SCOUT_LANG": "fr"})
        english = run_scout(*command, env={"SCOUT_LANG": "en"})
        assert french.stdout and french.stdout == english.stdout, command
    data = json.loads(english.stdout)
    assert all("label" not in s and "authority" not in s for s in data)
