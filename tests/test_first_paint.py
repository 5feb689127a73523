"""The first screenful before the rest (issue 13, "fast as the data grows"): the list's
first rows read without making every row, and the review drawn from the badge's review
when nothing changed since. What is drawn first must be what the whole load shows."""

from __future__ import annotations

import threading
from itertools import takewhile
from pathlib import Path
from typing import Any

from test_tui import _workspace, running

from scout.domain.values import fold
from scout.i18n import Text
from scout.permits.deadlines import Urgency
from scout.permits.review import Review, ReviewRow
from scout.store import open_store
from scout.store.documents import first_in_file_order
from scout.tui.screens.permits import PermitsScreen
from scout.tui.widgets.lieu_table import LieuTable
from scout.tui.widgets.permit_table import PermitTable

DECORS = ["", "Appartement", "appartement", "Église", "eglise", "Café", "cafe", "Zinc"]
NAMES = ["rue Crémieux", "Rue crémieux", "Élysée", "abbesses", "Zoo", "canal", "Canal"]


def _docs(n: int) -> list[tuple[int, dict[str, Any]]]:
    return [
        (
            i,
            {
                "name": NAMES[i % len(NAMES)],
                "decor": DECORS[(i * 3) % len(DECORS)],
                "production_id": (None, 1, 2)[i % 3],
            },
        )
        for i in range(1, n + 1)
    ]


def _file_order(doc: tuple[int, dict[str, Any]]) -> tuple[str, str, int]:
    i, d = doc
    return (fold(d.get("decor", "")), fold(d["name"]), i)


def test_first_in_file_order_is_the_head_of_the_whole_order() -> None:
    docs = _docs(200)
    for production in (None, 1, 2):
        kept = [
            d for d in docs if production is None or d[1]["production_id"] in (production, None)
        ]
        whole = sorted(kept, key=_file_order)
        for n in (1, 7, 40, 500):
            assert first_in_file_order(iter(docs), n, production) == whole[:n]


async def test_first_screenful_is_the_whole_lists_head(tmp_path: Path) -> None:
    db_path = tmp_path / "scout.db"
    async with running(db_path, demo=True) as (app, pilot, _store):
        table = app.screen.query_one(LieuTable)
        shown = [table.get_row(k) for k in table._order]
        first = app.ws.lieux.first_rows(5)
        assert [r.id for r in first] == [r.id for r in shown[:5] if r is not None]


def _row(urgency: Urgency, n: int) -> ReviewRow:
    text = Text.plain("t")
    return ReviewRow(n, 1, "Lieu", 5, "", "t", text, text, "filed", None, urgency, None, None, None)


def test_pressing_and_overdue_by_bisection() -> None:
    for counts in [(0, 0, 0), (3, 0, 2), (0, 4, 1), (2, 2, 0), (5, 1, 7)]:
        rows = [_row(Urgency.OVERDUE, i) for i in range(counts[0])]
        rows += [_row(Urgency.DUE_3, 100 + i) for i in range(counts[1])]
        rows += [_row(Urgency.CLOSED, 200 + i) for i in range(counts[2])]
        review = Review(rows, [])
        assert review.overdue == rows[: counts[0]]
        assert review.pressing == sum(
            1 for _ in takewhile(lambda r: r.urgency <= Urgency.DUE_3, rows)
        )


async def test_review_from_the_badge_shows_what_a_reload_shows(tmp_path: Path) -> None:
    """Opened after start-up, the review comes from the badge's (kept) review, in the
    first frame; after a reload (the worker) the same rows, the same detail."""
    db_path = tmp_path / "scout.db"
    async with running(db_path, demo=True) as (app, pilot, _store):
        assert app.ws.permits.kept_review() is not None  # the badge's, computed at start
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PermitsScreen)
        table = screen.query_one(PermitTable)
        first = list(table._order)
        assert first, "the review's rows are there at once"
        detail = str(screen.query_one("#permit-detail").render())
        assert detail.strip()
        screen.load()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert list(table._order) == first
        assert str(screen.query_one("#permit-detail").render()) == detail


def test_kept_review_does_not_compute(tmp_path: Path) -> None:
    db_path = tmp_path / "scout.db"
    from test_tui import _demo

    _demo(db_path)
    with open_store(db_path) as store:
        ws = _workspace(db_path, store)
        assert ws.permits.kept_review() is None  # nothing computed yet: nothing computed now
        review = ws.permits.review()
        assert ws.permits.kept_review() is review
        with ws.lock:  # a worker holds the workspace: no waiting on the UI thread
            seen: list[Review | None] = []
            t = threading.Thread(target=lambda: seen.append(ws.permits.kept_review()))
            t.start()
            t.join(5)
            assert seen == [None]
