"""Concurrent writers on one team database: two and eight PROCESSES (multiprocessing,
spawn) edit the same lieux at the same time. Different fields: every edit is kept (merged
field by field). The same field: the stale saves are refused with a conflict naming the
field and who changed it, and no save is ever overwritten by one that had not seen it."""

from __future__ import annotations

import pytest
from pg import LOGISTICS, lost_updates, run_writers

from scout.domain import Lieu
from scout.store import open_store

LIEUX = 3


def _lieux(url: str) -> list[int]:
    with open_store(url) as store:
        return [store.add_lieu(Lieu(name=f"Lieu {i} « l'été »")).id for i in range(LIEUX)]


@pytest.mark.parametrize("writers", [2, 8])
def test_writers_of_different_fields_keep_every_edit(pg_url: str, writers: int) -> None:
    ids = _lieux(pg_url)
    rounds = 6
    fields = [f"logistics.{name}" for name in LOGISTICS[:writers]]
    reports = run_writers(pg_url, fields, ids, rounds)
    assert [c for r in reports for c in r["conflicts"]] == []
    with open_store(pg_url) as store:
        for lieu_id in ids:
            lieu = store.get_lieu(lieu_id)
            for i, field in enumerate(fields):
                # each writer's last value is there: nobody's edit was lost
                assert getattr(lieu.logistics, field.split(".")[1]) == f"w{i}-r{rounds - 1}"
            assert lieu.version == writers * rounds
            kept = store.history_of("lieu", lieu_id)
            assert {by for _, by, _ in kept[1:]} == {f"w{i}" for i in range(writers)}


@pytest.mark.parametrize("writers", [2, 8])
def test_writers_of_the_same_field_get_conflicts_and_lose_nothing(
    pg_url: str, writers: int
) -> None:
    ids = _lieux(pg_url)
    reports = run_writers(pg_url, ["notes"] * writers, ids, 6)
    saved = [s for r in reports for s in r["saved"]]
    conflicts = [c for r in reports for c in r["conflicts"]]
    assert conflicts, "writers of the same field at the same time must meet a conflict"
    for _lieu_id, field, by, message in conflicts:
        assert field == "notes" and by.startswith("w")
        assert "notes" in message and by in message and "not saved" in message
    assert lost_updates(reports) == []
    with open_store(pg_url) as store:
        for lieu_id in ids:
            mine = sorted((made, value) for i, value, _, made in saved if i == lieu_id)
            made = [m for m, _ in mine]
            assert len(made) == len(set(made))  # one save, one version
            lieu = store.get_lieu(lieu_id)
            assert lieu.version == made[-1] == len(made)
            assert lieu.notes == mine[-1][1]  # the last save is what is stored
