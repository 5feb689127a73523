"""One language per run (issue #11): the catalogs are complete, the language is chosen as
the README says, every command speaks French only or English only, and JSON does not
change with the language."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from photo_factory import make_photo

from scout import i18n
from scout.i18n import formats
from scout.i18n.choice import choose, flag_value

# Words that give away the other language. Not the words of the trade, which stay French
# in English (décor, régie, arrêté, loges, PMR, mairie, arrondissement, repérage), and not
# words of the demo's own data (its lieux are French places with French names and notes).
FRENCH_TELLS = re.compile(
    r"\b(aucun|aucune|enregistré|enregistrée|annuler|supprimé|supprimée|statut|échéance|"
    r"non renseigné|oui|prochain|depuis|jours ouvrés|à créer|introuvable|erreur|"
    r"avertissement|n'est pas|est vide|autorisations?|demandé|déposé|accordé|refusé|"
    r"corbeille|tournage le|pas de|rien|avant le|fichier|adresse|pour|avec|sans|soleil|"
    r"lever|coucher|heure dorée|caméra|azimut|besoins|retenu|vérifié|saisie|selon|"
    r"dans|aux?)\b",
    re.IGNORECASE,
)
ENGLISH_TELLS = re.compile(
    r"\b(the|not|is|are|was|with|without|deadline|deadlines|permit|permits|granted|filed|"
    r"warning|error|nothing|saved|found|unknown|yes|none|between|because|possibly|"
    r"needed|outside|wrote|deleted|lieux in|shoot day|working days?|bin|address|sun|"
    r"sunrise|golden hour|camera|needs|retained|checked|typed|of|and|from|to|in)\b",
    re.IGNORECASE,
)
TELLS = {"fr": ENGLISH_TELLS, "en": FRENCH_TELLS}


def test_the_catalogs_are_complete_and_compiled() -> None:
    """Every message in the code has its French and its English words, no catalog keeps
    a message the code dropped, and the shipped .mo files are compiled from the .po."""
    from scout.i18n.catalogs import problems

    found = problems()
    assert not found, "\n".join(found[:40])


def test_the_language_is_chosen_flag_then_scout_lang_then_config_then_locale(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    env = {"SCOUT_LANG": "fr", "LANG": "en_GB.UTF-8"}
    assert choose("en", env, config).language == "en"
    assert choose(None, env, config).origin == "SCOUT_LANG"
    assert choose(None, {"LANG": "fr_FR.UTF-8"}, config) == choose(None, {}, config)
    assert choose(None, {"LANG": "fr_FR.UTF-8"}, config).language == "en"
    assert choose(None, {"LANG": "en_US.UTF-8"}, None).language == "en"
    assert choose(None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "en_US"}, None).language == "fr"
    assert choose(None, {"LC_MESSAGES": "en_US", "LANG": "fr_FR"}, None).language == "en"
    assert choose(None, {"LANG": "C.UTF-8"}, None).language == "fr"
    assert choose(None, {}, None).language == "fr"
    assert flag_value(["list", "--lang=en"]) == "en"
    assert flag_value(["--lang", "fr", "list"]) == "fr"
    assert flag_value(["add", "--", "--lang", "en"]) is None


def test_a_language_setting_scout_does_not_speak_is_said_and_the_next_one_decides(
    tmp_path: Path,
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('language = "klingon"\n', encoding="utf-8")
    chosen = choose(None, {"SCOUT_LANG": "de", "LANG": "en_US.UTF-8"}, config)
    assert chosen.language == "en" and chosen.origin == "LANG"
    assert [fields["origin"] for _, fields in chosen.notes] == ["SCOUT_LANG", str(config)]
    config.write_text("language = [", encoding="utf-8")
    assert choose(None, {}, config).notes  # unreadable: said, not fatal
    with pytest.raises(ValueError):
        choose("de", {}, None)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            ("03/12/2026", "1\u202f881\u00a0m", "4\u202f500,00\u00a0€", "jeudi 3 décembre 2026"),
        ),
        ("en", ("2026-12-03", "1,881\u00a0m", "€4,500.00", "Thursday 3 December 2026")),
    ],
)
def test_dates_distances_and_money_are_written_the_way_of_the_language(
    language: str, expected: tuple[str, ...]
) -> None:
    i18n.activate(language)
    day = date(2026, 12, 3)
    got = (formats.day(day), formats.metres(1881), formats.money(Decimal(4500)))
    assert got + (formats.long_day(day),) == expected


def _demo_session(run_scout, tmp_path: Path) -> list[subprocess.CompletedProcess[str]]:
    """The commands a person runs in a day, on the demo production: what they print."""
    pictures = tmp_path / "pictures"
    pictures.mkdir(exist_ok=True)
    make_photo(pictures / "IMG_1.jpg", 48.8462, 2.3447)
    (pictures / "broken.jpg").write_bytes(b"\xff\xd8 not a picture")
    runs = [
        run_scout("demo"),
        run_scout("list"),
        run_scout("show", "1"),
        run_scout("add", "--name", "Cour pavée", "--lat", "91.5", "--lon", "2.35"),
        run_scout("add", "--name", "Cour pavée", "--step-free", "maybe?"),
        run_scout("add", "--name", "Cour pavée", "--address", "12 rue Mouffetard, Paris"),
        run_scout("edit", "1", "--status", "nonsense"),
        run_scout("rm", "2", "--with-permits"),
        run_scout("bin"),
        run_scout("restore", "2"),
        run_scout("show", "404"),
        run_scout("locate", "48.8462,2.3447"),
        run_scout("locate", "48.95,2.60"),
        run_scout("locate", "not a place at all"),
        run_scout("permit", "list"),
        run_scout("permit", "list", "1"),
        run_scout("permit", "suggest", "1"),
        run_scout("permit", "add-suggested", "1"),
        run_scout("permit", "add", "1", "--type", "nonsense"),
        run_scout("permit", "set", "1", "--status", "nonsense"),
        run_scout("permit", "rm", "999"),
        run_scout("deadlines"),
        run_scout("deadlines", "--within", "5"),
        run_scout("rules", "check"),
        run_scout("geocode", "--pending"),
        run_scout("import", "photos", str(pictures)),
        run_scout("photos", "list"),
        run_scout("photos", "proposals"),
        run_scout("photos", "accept", "99"),
        run_scout("list", "--bogus"),
        run_scout("--help"),
    ]
    for command in ("add", "permit", "deadlines", "locate", "import", "photos", "geocode"):
        runs.append(run_scout(command, "--help"))
    return runs


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_command_speaks_one_language(run_scout, tmp_path: Path, language: str) -> None:
    env = {"SCOUT_LANG": language}
    leaks = []
    for run in _demo_session(lambda *a: run_scout(*a, env=env), tmp_path):
        for stream in (run.stdout, run.stderr):
            for line in stream.splitlines():
                if TELLS[language].search(_without_data(line)):
                    leaks.append(f"scout {' '.join(run.args[1:])}: {line.strip()}")
    assert not leaks, "\n".join(leaks[:40])


COMMANDS = (
    "demo|list|show|add|edit|rm|bin|restore|locate|permit|deadlines|rules|export|geocode|"
    "import|photos|set|suggest|add-suggested|check|ics|proposals|accept|attach|give|relink"
)
_NOT_WORDS = re.compile(
    r"«[^»]*»|'[^']*'|\"[^\"]*\"|/\S+"  # what the user typed, paths, names in « »
    r"|--[\w-]+"  # options are code
    rf"|^\s*(?:{COMMANDS})\b|\bscout(?: (?:{COMMANDS})\b)*"  # and so are commands
)


def _demo_texts() -> list[str]:
    """What the demo's scouts typed (in French, as they would): data, not interface."""
    from scout.demo import PERMITS, PLACES

    found: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str) and len(value) > 3:
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    collect(PLACES)
    collect(PERMITS)
    return sorted(set(found), key=len, reverse=True)


DEMO_TEXTS = _demo_texts()


def _without_data(line: str) -> str:
    """The line without what is not a word of the language: what the user typed or the
    demo holds (quoted values, paths, lieu names in « », the demo's notes), options and
    command names."""
    for text in DEMO_TEXTS:
        line = line.replace(text, "")
    return _NOT_WORDS.sub("", line)


def test_the_calendar_speaks_the_language_of_the_run(run_scout) -> None:
    run_scout("demo")
    french = run_scout("export", "ics", env={"SCOUT_LANG": "fr"}).stdout
    english = run_scout("export", "ics", env={"SCOUT_LANG": "en"}).stdout
    summaries = {
        lang: [line for line in text.splitlines() if line.startswith(("SUMMARY", "DESCRIPTION"))]
        for lang, text in (("fr", french), ("en", english))
    }
    assert summaries["fr"] and summaries["en"]
    assert not [s for s in summaries["fr"] if ENGLISH_TELLS.search(_without_data(s))]
    assert not [s for s in summaries["en"] if FRENCH_TELLS.search(_without_data(s))]


@pytest.mark.parametrize(
    "command",
    [
        ("deadlines", "--json"),
        ("list", "--json"),
        ("show", "1", "--json"),
        ("permit", "list", "--json"),
        ("permit", "suggest", "1", "--json"),
        ("bin", "--json"),
        ("locate", "48.8462,2.3447", "--json"),
    ],
)
def test_json_is_the_same_bytes_in_both_languages(run_scout, command: tuple[str, ...]) -> None:
    run_scout("demo")
    french = run_scout(*command, env={"SCOUT_LANG": "fr"})
    english = run_scout(*command, env={"SCOUT_LANG": "en"})
    assert french.returncode == english.returncode
    assert french.stdout and french.stdout == english.stdout


def test_the_installed_command_ships_its_catalogs(run_installed_scout) -> None:
    """The wheel carries the compiled catalogs: the installed command speaks French by
    default and English when asked, with nothing but `pip install .`."""
    french = run_installed_scout("show", "404", env={"SCOUT_LANG": "", "LANG": "C.UTF-8"})
    english = run_installed_scout("show", "404", env={"SCOUT_LANG": "en"})
    assert french.returncode == english.returncode == 1
    assert french.stderr != english.stderr
    assert not ENGLISH_TELLS.search(french.stderr)
    assert not FRENCH_TELLS.search(english.stderr)


def test_the_language_flag_may_come_after_the_command(run_scout) -> None:
    run_scout("demo")
    shown = run_scout("show", "404", "--lang", "fr", env={"SCOUT_LANG": "en"})
    assert shown.returncode == 1 and "aucun lieu" in shown.stderr
    listed = run_scout("list", "--lang=en", env={"SCOUT_LANG": "fr"})
    assert listed.returncode == 0 and "STATUS" in listed.stdout
    named = run_scout("add", "--name", "Cour", "--notes", "x", "--", env={"SCOUT_LANG": "en"})
    assert named.returncode in (0, 2)  # `--` ends the options: nothing after it is taken
