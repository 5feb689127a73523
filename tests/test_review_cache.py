"""The régie's review is kept and brought up to date lieu by lieu as saves happen: after
any sequence of saves it is exactly the review computed whole."""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import pytest

from scout.clock import Clock
from scout.demo import seed_demo
from scout.errors import ScoutError
from scout.permits.review import Review
from scout.services import Workspace
from scout.services.permits import PermitService
from scout.store import open_store

TODAY = date(2026, 11, 23)
STATUSES = ["in_preparation", "filed", "under_review", "granted", "refused", "cancelled"]


def _whole(ws: Workspace) -> Review:
    """The review as a service that never kept anything computes it."""
    return PermitService(ws).review()


def _same(kept: Review, whole: Review) -> None:
    assert [r.key for r in kept.rows] == [r.key for r in whole.rows]
    assert kept.rows == whole.rows
    assert kept.warnings == whole.warnings


def _random_save(ws: Workspace, rng: random.Random, binned: list[int], other: int) -> str:
    lieux = [r.id for r in ws.lieux.all_rows()]
    lid = rng.choice(lieux)
    what = rng.choice(
        ["shoot", "shoot", "fiche", "add", "add", "status", "remove_permit", "bin", "restore"]
        + ["move", "copy"]
    )
    if what == "shoot":
        day = TODAY + timedelta(days=rng.randint(-5, 60))
        days = [] if rng.random() < 0.2 else [f"{day.isoformat()} 08:00-18:00"]
        ws.lieux.edit(lid, {"shoot_days": days})
    elif what == "fiche":
        ws.lieux.edit(
            lid,
            {
                "crew_size": str(rng.randint(2, 60)),
                "parking_spaces": str(rng.randint(0, 8)),
                "site_kind": rng.choice(["street", "bridge", "park", "private place"]),
                "setting": rng.choice(["ext", "int"]),
                "name": rng.choice(["Atelier", "Café", "Pont", "Cour"]) + f" {lid}",
            },
        )
    elif what == "add":
        suggestions = ws.permits.suggest(lid)
        types = [s.type.id for s in suggestions] or ["demande_agate"]
        ws.permits.add(lid, rng.choice(types), {})
    elif what in ("status", "remove_permit"):
        permits = [p for i in lieux for p in ws.permits.of_lieu(i)]
        if not permits:
            return "nothing"
        permit = rng.choice(permits)
        if what == "remove_permit":
            ws.permits.remove(permit.id)  # type: ignore[arg-type]
        else:
            try:
                ws.permits.update(permit.id, {}, rng.choice(STATUSES))  # type: ignore[arg-type]
            except ScoutError:
                return "refused"
    elif what == "bin" and len(lieux) > 3:
        ws.lieux.remove(lid)
        binned.append(lid)
    elif what in ("move", "copy"):  # to the other production and back: out of the review
        target = rng.choice([other, ws.productions.current_id()])
        try:
            if what == "move":
                ws.productions.move_lieu(lid, target)  # type: ignore[arg-type]
            else:
                ws.productions.copy_lieu(lid, target)  # type: ignore[arg-type]
        except ScoutError:
            return "refused"
    elif what == "restore" and binned:
        ws.lieux.restore(binned.pop(rng.randrange(len(binned))))
    return what


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_kept_review_is_the_whole_review_after_every_save(db_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    with open_store(db_path) as store:
        ws = Workspace(store, Clock(TODAY))
        seed_demo(ws)
        service = ws.permits
        other = ws.productions.create("Deuxième saison").id
        _same(service.review(), _whole(ws))
        binned: list[int] = []
        merged = 0
        for _step in range(60):
            _random_save(ws, rng, binned, other)  # type: ignore[arg-type]
            state = service._state
            kept = service.review()
            merged += service._state is state  # brought up to date, not computed again
            _same(kept, _whole(ws))
            assert service.kept_review() is kept  # current: the screens read it at once
            if rng.random() < 0.2:  # a fiche between saves: one lieu's review
                lid = rng.choice([r.id for r in ws.lieux.all_rows()])
                one = service.review(lieu_id=lid)
                assert one.rows == PermitService(ws).review(lieu_id=lid).rows
        assert merged >= 50


def test_a_save_brings_the_kept_review_up_to_date_without_computing_it_whole(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_store(db_path) as store:
        ws = Workspace(store, Clock(TODAY))
        seed_demo(ws)
        service = ws.permits
        before = service.review()
        ws.lieux.edit(4, {"shoot_days": ["2026-12-01 08:00-18:00"]})
        assert service.kept_review() is None  # not current until brought up to date

        def whole(*args: object) -> None:
            raise AssertionError("computed whole again")

        monkeypatch.setattr(service, "_full_state", whole)
        after = service.review()
        assert after is not before and service.kept_review() is after
        assert any(r.lieu_id == 4 for r in after.rows)
        monkeypatch.undo()
        _same(after, _whole(ws))


def test_another_day_computes_the_review_whole(db_path: Path) -> None:
    with open_store(db_path) as store:
        clock = Clock(TODAY)
        ws = Workspace(store, clock)
        seed_demo(ws)
        service = ws.permits
        service.review()
        state = service._state
        clock._today = TODAY + timedelta(days=1)  # midnight passed: deadlines move
        review = service.review()
        assert service._state is not state
        assert review.rows != state.review.rows  # a working day less before each deadline
        _same(review, _whole(ws))


async def test_the_fiche_never_waits_for_a_worker_holding_the_workspace(db_path: Path) -> None:
    """While a worker holds the workspace (computing the whole review: seconds with
    60,000 permits), the cursor moves at once and the fiche follows when it is free."""
    import threading
    import time

    from test_tui import running

    from scout.tui.widgets.lieu_detail import LieuDetail

    async with running(db_path, demo=True, size=(100, 30)) as (app, pilot, _store):
        held, release = threading.Event(), threading.Event()

        def worker() -> None:
            with app.ws.lock:
                held.set()
                release.wait(10)

        thread = threading.Thread(target=worker)
        thread.start()
        held.wait(5)
        try:
            t = time.perf_counter()
            await pilot.press("end")
            await pilot.pause(0.15)
            assert time.perf_counter() - t < 1.0  # the UI went on: nothing waited
            assert "Musée de la Vie romantique" not in str(
                app.screen.query_one(LieuDetail).render()
            )
        finally:
            release.set()
            thread.join()
        await pilot.pause(0.2)  # free again: the fiche follows the cursor
        assert "Musée de la Vie romantique" in str(app.screen.query_one(LieuDetail).render())


async def test_the_review_screen_after_a_save_reads_the_service_s_review(db_path: Path) -> None:
    from test_tui import running

    from scout.tui.screens.permit_form import permits_changed
    from scout.tui.screens.permits import PermitsScreen
    from scout.tui.widgets.permit_table import PermitTable

    async with running(db_path, demo=True) as (app, pilot, _store):
        await pilot.press("p")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, PermitsScreen) and screen.review is not None
        row = screen.review.rows[-1]
        created = app.ws.permits.add(row.lieu_id, "demande_agate", {})  # a form's save
        app.run_worker(
            partial(permits_changed, app, row.lieu_id, created.id), thread=True, group="save"
        )
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        kept = app.ws.permits.kept_review()
        assert kept is not None and screen.review is kept  # the service's, brought up to date
        _same(kept, _whole(app.ws))
        keys = {r.key for r in screen.query_one(PermitTable).all_rows()}
        assert f"permit-{created.id}" in keys
