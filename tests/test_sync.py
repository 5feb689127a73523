"""Field sync: `scout checkout` then `scout sync`, on real files (and a real PostgreSQL when
the team fixture is there): edits on both sides, conflicts, deletes, new records, a second
sync that changes nothing, a sync killed half-way then resumed, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from scout.domain.sync import safe_location, same_database
from scout.store.documents import lieu_to_dict
from scout.store.sync_record import SyncRecord
from scout.store.tinydb_store import open_store as open_file

PRODUCTION = "1"  # the demo's production


@pytest.fixture
def team(run_scout, db_path: Path) -> Path:
    """The team database: the demo production (14 lieux, 9 permits)."""
    assert run_scout("demo").returncode == 0
    return db_path


@pytest.fixture
def field(team: Path, run_scout, tmp_path: Path) -> Path:
    """A scout's checkout of the demo production."""
    path = tmp_path / "field.db"
    out = run_scout("checkout", "--production", PRODUCTION, "--to", str(path))
    assert out.returncode == 0, out.stderr
    return path


def _open(db: Path | str) -> Any:
    from scout.store import open_store

    return open_store(db, read_only=True)


def lieux(path: Path | str) -> dict[str, dict[str, Any]]:
    """A database's lieux by name, as stored (a file or a team database)."""
    with _open(path) as store:
        return {lieu.name: lieu_to_dict(lieu) for lieu in store.query_lieux()}


def local_id(path: Path | str, name: str) -> int:
    with _open(path) as store:
        (found,) = [lieu.id for lieu in store.query_lieux() if lieu.name == name]
        assert found is not None
        return found


def team_id(path: Path | str, name: str) -> int:
    return local_id(path, name)


def sync(
    run_scout, field: Path, db: str | None = None, env: dict[str, str] | None = None
) -> dict[str, Any]:
    out = run_scout(*(("--db", db) if db else ()), "sync", str(field), "--json", env=env)
    assert out.returncode == 0, out.stderr
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def edit(run_scout, db: Path | str, name: str, *options: str) -> None:
    out = run_scout("--db", str(db), "edit", str(local_id(db, name)), *options)
    assert out.returncode == 0, out.stderr


# -- checkout --------------------------------------------------------------------------------
def test_checkout_copies_the_production_and_writes_its_sync_record(
    team: Path, run_scout, tmp_path: Path
) -> None:
    path = tmp_path / "field.db"
    out = run_scout("checkout", "--production", PRODUCTION, "--to", str(path))
    assert out.returncode == 0, out.stderr
    assert "14 locations, 9 permits, 0 pictures" in out.stdout
    assert lieux(path).keys() == lieux(team).keys()
    assert {n: d["decor"] for n, d in lieux(path).items() if "decor" in d} == {
        n: d["decor"] for n, d in lieux(team).items() if "decor" in d
    }
    with open_file(team, read_only=True) as store:
        names = {lieu.id: lieu.name for lieu in store.query_lieux()}
    with open_file(path, read_only=True) as store:
        record = SyncRecord(store)
        header = record.header()
        assert header is not None
        assert header["format"] == "scout-sync"
        assert header["source"]["location"] == str(team.resolve())
        assert header["production"]["team_id"] == 1
        assert len(record.records("lieu")) == 14 and len(record.records("permit")) == 9
        # each record: its team id and the document checked out
        for local, (upstream, base) in record.records("lieu").items():
            assert base["name"] == store.get_lieu(local).name == names[upstream]
        assert [p.name for p in store.list_productions()] == ["Les Toits de Paris (démo)"]
    # nothing is left beside it: the file is written aside and renamed at the end
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".field")]


def test_checkout_again_to_the_same_file_changes_nothing(
    team: Path, field: Path, run_scout
) -> None:
    before = field.read_bytes()
    out = run_scout("checkout", "--production", PRODUCTION, "--to", str(field))
    assert out.returncode == 0
    assert "already a checkout" in out.stdout
    assert field.read_bytes() == before


def test_checkout_refuses_an_existing_file_that_is_not_this_checkout(
    team: Path, run_scout, tmp_path: Path
) -> None:
    other = tmp_path / "other.db"
    assert run_scout("--db", str(other), "add", "--name", "Mine").returncode == 0
    before = other.read_bytes()
    out = run_scout("checkout", "--production", PRODUCTION, "--to", str(other))
    assert out.returncode == 1
    assert "exists and is not a checkout of this production" in out.stderr
    assert other.read_bytes() == before


def test_checkout_of_an_unknown_production_writes_nothing(
    team: Path, run_scout, tmp_path: Path
) -> None:
    out = run_scout("checkout", "--production", "Nope", "--to", str(tmp_path / "x.db"))
    assert out.returncode == 1
    assert "no production" in out.stderr
    assert not (tmp_path / "x.db").exists()


# -- sync ------------------------------------------------------------------------------------
def test_edits_of_different_fields_on_both_sides_are_all_kept(
    team: Path, field: Path, run_scout
) -> None:
    edit(run_scout, field, "Café de Flore", "--notes", "patron d'accord, passer le matin")
    edit(run_scout, team, "Café de Flore", "--decor", "CAFÉ — INT. NUIT")
    edit(run_scout, field, "Les Deux Magots", "--tag", "terrasse")
    edit(run_scout, team, "Rue Crémieux", "--notes", "la régie a appelé")
    data = sync(run_scout, field)
    assert (data["pushed"], data["pulled"], data["conflicts"]) == (2, 2, [])
    for db in (team, field):
        flore = lieux(db)["Café de Flore"]
        assert flore["notes"] == "patron d'accord, passer le matin"
        assert flore["decor"] == "CAFÉ — INT. NUIT"
        assert lieux(db)["Les Deux Magots"]["tags"] == ["terrasse"]
        assert lieux(db)["Rue Crémieux"]["notes"] == "la régie a appelé"
    assert sync(run_scout, field)["pushed"] == 0


def test_the_same_field_changed_on_both_sides_is_a_conflict_listed_and_kept(
    team: Path, field: Path, run_scout
) -> None:
    edit(run_scout, field, "Café de Flore", "--decor", "TERRASSE — EXT. JOUR", "--notes", "vu")
    edit(run_scout, team, "Café de Flore", "--decor", "SALLE — INT. NUIT")
    out = run_scout("sync", str(field))
    assert out.returncode == 0, out.stderr
    assert "1 pushed, 1 pulled" in out.stdout
    assert "Café de Flore" in out.stdout and "Décor" in out.stdout
    assert "« TERRASSE — EXT. JOUR »" in out.stdout and "« SALLE — INT. NUIT »" in out.stdout
    for db in (team, field):
        flore = lieux(db)["Café de Flore"]
        assert flore["decor"] == "SALLE — INT. NUIT"  # the team's value is kept
        assert flore["notes"] == "vu"  # the rest of my edit went through
        said = [(h["field"], h["old"], h["new"]) for h in flore["history"]]
        values = {v for f, old, new in said if f == "decor" for v in (old, new)}
        assert {"TERRASSE — EXT. JOUR", "SALLE — INT. NUIT"} <= values  # both in history
    # marked for a decision in the file, readable by the TUI through the workspace
    from scout.clock import Clock
    from scout.services.workspace import Workspace

    with open_file(field, read_only=True) as store:
        (conflict,) = Workspace(store, Clock()).sync_conflicts()
    assert (conflict.kind, conflict.field) == ("lieu", "decor")
    assert (conflict.local, conflict.team) == ("TERRASSE — EXT. JOUR", "SALLE — INT. NUIT")
    assert conflict.team_by  # who changed it on the team
    again = sync(run_scout, field)
    assert (again["pushed"], again["pulled"], again["conflicts"]) == (0, 0, [])
    assert again["conflicts_waiting"] == 1
    # decided for the field's value: written again here, the conflict resolved, pushed
    edit(run_scout, field, "Café de Flore", "--decor", "TERRASSE — EXT. JOUR")
    with open_file(field) as store:
        ws = Workspace(store, Clock())
        ws.resolve_sync_conflict(conflict)
        assert ws.sync_conflicts() == []
    decided = sync(run_scout, field)
    assert (decided["pushed"], decided["conflicts_waiting"]) == (1, 0)
    assert lieux(team)["Café de Flore"]["decor"] == "TERRASSE — EXT. JOUR"


def test_conflicts_in_json_are_codes_and_values(team: Path, field: Path, run_scout) -> None:
    edit(run_scout, field, "Café de Flore", "--decor", "A")
    edit(run_scout, team, "Café de Flore", "--decor", "B")
    data = sync(run_scout, field)
    (c,) = data["conflicts"]
    assert {k: c[k] for k in ("kind", "field", "local", "team", "name")} == {
        "kind": "lieu",
        "field": "decor",
        "local": "A",
        "team": "B",
        "name": "Café de Flore",
    }
    assert c["team_id"] == team_id(team, "Café de Flore")
    assert c["local_id"] == local_id(field, "Café de Flore")


@pytest.mark.lang("fr")
def test_sync_speaks_french(team: Path, field: Path, run_scout) -> None:
    edit(run_scout, field, "Café de Flore", "--decor", "A")
    edit(run_scout, team, "Café de Flore", "--decor", "B")
    out = run_scout("sync", str(field))
    assert out.returncode == 0
    assert "1 envoyé" in out.stdout and "1 reçu" in out.stdout
    assert "la valeur de l'équipe" in out.stdout


def test_deletes_go_to_the_bin_on_the_other_side(team: Path, field: Path, run_scout) -> None:
    flore = local_id(field, "Café de Flore")
    assert run_scout("--db", str(field), "rm", str(flore), "--with-permits").returncode == 0
    magots = team_id(team, "Les Deux Magots")
    assert run_scout("rm", str(magots), "--with-permits").returncode == 0
    data = sync(run_scout, field)
    assert (data["pushed"], data["pulled"]) == (1, 1)
    for db in (team, field):
        names = lieux(db)
        assert "Café de Flore" not in names and "Les Deux Magots" not in names
        with open_file(db, read_only=True) as store:
            assert {b.lieu.name for b in store.binned()} == {"Café de Flore", "Les Deux Magots"}
    assert sync(run_scout, field)["pulled"] == 0


def test_a_delete_does_not_win_over_an_edit(team: Path, field: Path, run_scout) -> None:
    """Deleted here, changed by the team: it comes back, and the conflict says so."""
    edit(run_scout, team, "Café de Flore", "--notes", "la régie y tient")
    flore = local_id(field, "Café de Flore")
    assert run_scout("--db", str(field), "rm", str(flore), "--with-permits").returncode == 0
    data = sync(run_scout, field)
    (c,) = data["conflicts"]
    assert c["field"] == "(deleted)" and c["local"] is None
    for db in (team, field):
        assert lieux(db)["Café de Flore"]["notes"] == "la régie y tient"
    assert sync(run_scout, field)["pulled"] == 0


def test_new_records_on_both_sides_get_across_with_their_ids_mapped(
    team: Path, field: Path, run_scout
) -> None:
    out = run_scout("--db", str(field), "add", "--name", "Lavoir Moderne", "--postcode", "75018")
    assert out.returncode == 0, out.stderr
    mine = local_id(field, "Lavoir Moderne")
    out = run_scout("--db", str(field), "permit", "add", str(mine), "--type", "proprietaire")
    assert out.returncode == 0, out.stderr
    out = run_scout("add", "--name", "Square d'Anvers", "--postcode", "75009")
    assert out.returncode == 0, out.stderr
    data = sync(run_scout, field)
    assert (data["pushed"], data["pulled"]) == (2, 1)
    upstream = team_id(team, "Lavoir Moderne")
    assert {"kind": "lieu", "local": mine, "team": upstream} in data["new_ids"]
    assert "Square d'Anvers" in lieux(field)
    with open_file(team, read_only=True) as store:
        assert [p.type for p in store.permits(upstream)] == ["proprietaire"]
        production = {lieu.production_id for lieu in store.query_lieux()}
        assert production == {1}
    with open_file(field, read_only=True) as store:
        record = SyncRecord(store)
        assert record.records("lieu")[mine][0] == upstream
    again = sync(run_scout, field)
    assert (again["pushed"], again["pulled"]) == (0, 0)
    assert len(lieux(team)) == len(lieux(field)) == 16


def test_a_second_sync_changes_nothing_on_either_side(team: Path, field: Path, run_scout) -> None:
    edit(run_scout, field, "Café de Flore", "--decor", "A", "--notes", "n")
    edit(run_scout, team, "Café de Flore", "--decor", "B")
    edit(run_scout, team, "Rue Crémieux", "--notes", "x")
    sync(run_scout, field)
    before = team.read_bytes(), field.read_bytes()
    out = run_scout("sync", str(field))
    assert out.returncode == 0
    assert "0 pushed, 0 pulled" in out.stdout
    assert (team.read_bytes(), field.read_bytes()) == before


# -- a sync cut short ---------------------------------------------------------------------------
def _offline_day(run_scout, team: Path | str, field: Path) -> None:
    """Changes on both sides: edits, a conflict, new lieux, a delete (7 records to write)."""
    edit(run_scout, field, "Café de Flore", "--decor", "A", "--notes", "du terrain")
    edit(run_scout, team, "Café de Flore", "--decor", "B")
    edit(run_scout, field, "Les Deux Magots", "--notes", "terrasse chauffée")
    edit(run_scout, team, "Rue Crémieux", "--notes", "la régie")
    for name in ("Lavoir Moderne", "Studio Harcourt"):
        out = run_scout("--db", str(field), "add", "--name", name, "--postcode", "75018")
        assert out.returncode == 0
    assert run_scout("--db", str(team), "add", "--name", "Square d'Anvers").returncode == 0
    train = str(team_id(team, "Le Train Bleu"))
    assert run_scout("--db", str(team), "rm", train, "--with-permits").returncode == 0


def _state(db: Path | str) -> dict[str, Any]:
    """What a person sees: each lieu's fields (no bookkeeping), the bin, the permits."""
    from scout.domain.sync import fields_of

    with _open(db) as store:
        names = {lieu.id: lieu.name for lieu in store.query_lieux()}
        return {
            "lieux": {
                lieu.name: {
                    k: v
                    for k, v in fields_of(lieu_to_dict(lieu)).items()
                    if k not in ("production_id", "created_at")
                }
                for lieu in store.query_lieux()
            },
            "permits": sorted((names[p.lieu_id], p.type, p.status.value) for p in store.permits()),
            "bin": sorted(b.lieu.name for b in store.binned()),
        }


def test_a_sync_killed_half_way_resumes_and_loses_nothing(
    team: Path, field: Path, run_scout, run_installed_scout, tmp_path: Path
) -> None:
    _offline_day(run_scout, team, field)
    start = tmp_path / "start"
    start.mkdir()
    shutil.copy(team, start / "team.db")
    shutil.copy(field, start / "field.db")
    whole = sync(run_scout, field)  # the uninterrupted sync: what every resumed one must reach
    assert whole["pushed"] + whole["pulled"] == 8
    expected = _state(team), _state(field)
    assert expected[0] == expected[1]
    for batch, cuts in (("1", 7), ("3", 3)):  # records per transaction
        cut = 0
        for stop in range(1, 20):  # after each batch written, until the sync ends by itself
            run_dir = tmp_path / f"batch{batch}-stop{stop}"
            run_dir.mkdir()
            t, f = run_dir / team.name, run_dir / "field.db"
            shutil.copy(start / "team.db", t)
            shutil.copy(start / "field.db", f)
            _repoint(f, t)
            env = {"SCOUT_TEST_SYNC_STOP_AFTER": str(stop), "SCOUT_SYNC_BATCH": batch}
            killed = run_installed_scout("sync", str(f), db=t, env=env)
            if killed.returncode == 0:
                break
            assert killed.returncode == 75, (stop, killed.stderr)
            cut += 1
            resumed = run_scout("sync", str(f), "--json", db=t)
            assert resumed.returncode == 0, (stop, resumed.stderr)
            assert (_state(t), _state(f)) == expected, (batch, stop)
            again = json.loads(run_scout("sync", str(f), "--json", db=t).stdout)
            assert (again["pushed"], again["pulled"]) == (0, 0), (batch, stop)
            with open_file(f, read_only=True) as store:
                assert len(SyncRecord(store).conflicts()) == 1, stop  # listed once
        assert cut >= cuts  # every batch of the sync was a place where it was cut


def _repoint(field: Path, team: Path) -> None:
    """A copy of a checkout, pointed at a copy of its team database (for the test only)."""
    with open_file(field) as store:
        record = SyncRecord(store)
        header = record.header()
        assert header is not None
        header["source"] = {"location": str(team.resolve())}
        with store.transaction():
            record.write_header(header)


# -- bad input ------------------------------------------------------------------------------
def test_a_file_that_is_not_a_checkout_is_refused(team: Path, run_scout, tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    assert run_scout("--db", str(plain), "add", "--name", "Mine").returncode == 0
    before = plain.read_bytes(), team.read_bytes()
    out = run_scout("sync", str(plain))
    assert out.returncode == 1
    assert "not a checkout" in out.stderr
    assert (plain.read_bytes(), team.read_bytes()) == before
    missing = tmp_path / "missing.db"
    out = run_scout("sync", str(missing))
    assert out.returncode == 1 and "does not exist" in out.stderr
    assert not missing.exists()
    text = tmp_path / "notes.txt"
    text.write_text("pas une base\n")
    out = run_scout("sync", str(text))
    assert out.returncode != 0 and "not a scout database" in out.stderr
    assert text.read_text() == "pas une base\n"


def test_a_file_from_another_team_database_is_refused(
    team: Path, field: Path, run_scout, tmp_path: Path
) -> None:
    other = tmp_path / "other-team.db"
    assert run_scout("--db", str(other), "demo").returncode == 0
    edit(run_scout, field, "Café de Flore", "--notes", "n")
    before = field.read_bytes(), other.read_bytes()
    out = run_scout("--db", str(other), "sync", str(field))
    assert out.returncode == 1
    assert "was checked out from" in out.stderr and "nothing was changed" in out.stderr
    assert (field.read_bytes(), other.read_bytes()) == before
    # the same path, but a database made again since: its production is not the one
    team.unlink()
    again = run_scout(
        "production", "add", "Les Toits de Paris (démo)", env={"SCOUT_TODAY": "2026-12-01"}
    )
    assert again.returncode == 0, again.stderr
    before = field.read_bytes(), team.read_bytes()
    out = run_scout("sync", str(field))
    assert out.returncode == 1
    assert "another team database" in out.stderr
    assert (field.read_bytes(), team.read_bytes()) == before


def test_an_unreachable_team_database_changes_nothing(
    team: Path, field: Path, run_scout, tmp_path: Path
) -> None:
    edit(run_scout, field, "Café de Flore", "--notes", "n")
    moved = tmp_path / "elsewhere.db"
    team.rename(moved)
    before = field.read_bytes()
    out = run_scout("sync", str(field), env={"SCOUT_DB": ""})
    assert out.returncode == 3
    assert "cannot reach the team database" in out.stderr
    assert not team.exists() and field.read_bytes() == before
    out = run_scout("--db", "postgresql://scout@127.0.0.1:9/regie", "sync", str(field))
    assert out.returncode == 3  # no server there: refused at once, nothing changed
    assert field.read_bytes() == before


def test_a_team_database_that_cannot_be_written_changes_nothing(
    team: Path, field: Path, run_scout
) -> None:
    """Another process writes the team file (the TinyDB stand-in for a read-only role)."""
    from filelock import FileLock

    edit(run_scout, field, "Café de Flore", "--notes", "n")
    before = field.read_bytes(), team.read_bytes()
    with FileLock(str(team) + ".lock"):
        out = run_scout("sync", str(field))
    assert out.returncode == 3
    assert "open in another scout process" in out.stderr
    assert (field.read_bytes(), team.read_bytes()) == before


# -- the pure parts -----------------------------------------------------------------------------
def test_a_location_is_written_without_its_password() -> None:
    assert safe_location("postgresql://ana:s3cret@db.example:5433/regie?sslmode=require") == (
        "postgresql://ana@db.example:5433/regie?sslmode=require"
    )
    assert "secret" not in safe_location("postgresql://h/db?password=secret&sslmode=require")
    assert safe_location("postgresql://ana:***@h/db") == "postgresql://ana@h/db"
    assert safe_location("/home/ana/scout.db") == "/home/ana/scout.db"
    assert same_database("postgresql://ana@h/db", "postgresql://bob:x@h:5432/db")
    assert not same_database("postgresql://ana@h/db", "postgresql://ana@h/other")


# -- the team on PostgreSQL ----------------------------------------------------------------------
@pytest.fixture
def pg_team(pg_url: str, run_scout) -> str:
    out = run_scout("--db", pg_url, "demo")
    assert out.returncode == 0, out.stderr
    return pg_url


def test_checkout_and_sync_with_a_team_on_postgresql(
    pg_team: str, run_scout, tmp_path: Path
) -> None:
    field = tmp_path / "field.db"
    out = run_scout("--db", pg_team, "checkout", "--production", PRODUCTION, "--to", str(field))
    assert out.returncode == 0, out.stderr
    with open_file(field, read_only=True) as store:
        header = SyncRecord(store).header()
    assert header is not None and header["source"]["location"].startswith("postgresql://")
    assert ":***@" not in header["source"]["location"]
    _offline_day(run_scout, pg_team, field)
    data = sync(run_scout, field, env={"SCOUT_DB": ""})  # the database the file names
    assert data["pushed"] and data["pulled"]
    (c,) = data["conflicts"]
    assert (c["field"], c["local"], c["team"]) == ("decor", "A", "B")
    assert _state(pg_team) == _state(field)
    flore = lieux(pg_team)["Café de Flore"]
    values = {v for h in flore["history"] if h["field"] == "decor" for v in (h["old"], h["new"])}
    assert {"A", "B"} <= values
    again = sync(run_scout, field, env={"SCOUT_DB": ""})
    assert (again["pushed"], again["pulled"]) == (0, 0)


def test_a_sync_to_postgresql_killed_half_way_resumes(
    pg_team: str, run_scout, run_installed_scout, tmp_path: Path
) -> None:
    field = tmp_path / "field.db"
    out = run_scout("--db", pg_team, "checkout", "--production", PRODUCTION, "--to", str(field))
    assert out.returncode == 0, out.stderr
    _offline_day(run_scout, pg_team, field)
    env = {"SCOUT_TEST_SYNC_STOP_AFTER": "3", "SCOUT_SYNC_BATCH": "2"}
    killed = run_installed_scout("--db", pg_team, "sync", str(field), env=env)
    assert killed.returncode == 75, killed.stderr
    resumed = run_scout("--db", pg_team, "sync", str(field), "--json")
    assert resumed.returncode == 0, resumed.stderr
    assert _state(pg_team) == _state(field)
    assert sorted(lieux(pg_team)) == sorted(lieux(field))
    assert len(lieux(pg_team)) == 16  # 14 + 2 made in the field + 1 at the office - 1 binned
    again = sync(run_scout, field, db=pg_team)
    assert (again["pushed"], again["pulled"]) == (0, 0)


def test_a_read_only_role_cannot_sync_and_nothing_changes(
    pg_team: str, pg_server, run_scout, tmp_path: Path
) -> None:
    from pg import create_roles, drop_roles

    field = tmp_path / "field.db"
    out = run_scout("--db", pg_team, "checkout", "--production", PRODUCTION, "--to", str(field))
    assert out.returncode == 0, out.stderr
    edit(run_scout, field, "Café de Flore", "--notes", "du terrain")
    _writer, reader = create_roles(pg_server, pg_team, "sync")
    try:
        before = field.read_bytes(), _state(pg_team)
        out = run_scout("--db", reader, "sync", str(field))
        assert out.returncode == 1
        assert "you can only read" in out.stderr and "nothing was changed" in out.stderr
        assert (field.read_bytes(), _state(pg_team)) == before
    finally:
        drop_roles(pg_server, pg_team, "sync")


def test_permits_and_pictures_sync_too(team: Path, run_scout, tmp_path: Path) -> None:
    """A permit changed on both sides keeps both values in its history; a picture's
    record (its caption) goes across."""
    from dataclasses import replace

    from scout.domain import Photo

    with open_file(team) as store:
        flore = next(lieu.id for lieu in store.query_lieux() if lieu.name == "Café de Flore")
        store.add_photo(Photo("/photos/flore.jpg", "ab" * 32, lieu_id=flore))
        (permit,) = store.permits(flore)
    field = tmp_path / "field.db"
    out = run_scout("checkout", "--production", PRODUCTION, "--to", str(field))
    assert "1 picture" in out.stdout
    with open_file(field) as store:
        (photo,) = store.photos()
        store.update_photo(replace(photo, caption="la terrasse à 8 h"))
        (mine,) = [
            p for p in store.permits() if p.type == permit.type and p.lieu_id == photo.lieu_id
        ]
    out = run_scout("--db", str(field), "permit", "set", str(mine.id), "--notes", "du terrain")
    assert out.returncode == 0, out.stderr
    out = run_scout("permit", "set", str(permit.id), "--notes", "de la régie")
    assert out.returncode == 0, out.stderr
    data = sync(run_scout, field)
    (c,) = data["conflicts"]
    assert (c["kind"], c["field"], c["local"], c["team"]) == (
        "permit",
        "notes",
        "du terrain",
        "de la régie",
    )
    with open_file(team, read_only=True) as store:
        assert store.photos()[0].caption == "la terrasse à 8 h"
        kept = store.get_permit(permit.id)
        assert kept.notes == "de la régie"
        assert any("du terrain" in h.note and "de la régie" in h.note for h in kept.history)
    again = sync(run_scout, field)
    assert (again["pushed"], again["pulled"]) == (0, 0)
