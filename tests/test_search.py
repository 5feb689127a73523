"""The list's instant search, structured filters, sort and remembered view (issue 13):
the filter module alone (unit and property tests), then the real app driven by Pilot on
real database files, then snapshots of a filtered, sorted list."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_snapshots import SIZES, FixedClock, SnapCompare, after, demo_app, settle  # noqa: F401
from test_tui import _ready, _status_line, running
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select

from scout.clock import Clock
from scout.demo import seed_demo
from scout.permits.deadlines import Urgency
from scout.permits.review import ReviewRow
from scout.present.lieu_filter import (
    LieuSearch,
    Query,
    WordIndex,
    compose_filter,
    free_text,
    parse_query,
    parse_range,
    permit_states,
    split_tokens,
)
from scout.services import Workspace
from scout.store import open_store
from scout.store.repository import LieuRow
from scout.tui.app import ScoutApp
from scout.tui.screens.lieu_filters import FiltersScreen
from scout.tui.widgets.lieu_table import LieuTable

CLOCK = Clock(date(2026, 11, 23))


# -- the filter module ------------------------------------------------------------------
def test_words_arrondissements_and_tokens_are_read() -> None:
    q = parse_query("Rivoli 5e arr:6,11 statut:validée permit:late")
    assert q.words == ("rivoli",)
    assert q.arrondissements == {5, 6, 11}
    assert q.statuses == {"validated"}
    assert q.permits == {"late"}
    assert not q.errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status:retained", {"retained"}),
        ("statut:retenu", {"retained"}),
        ("status:option,rejected", {"option", "rejected"}),
        ("STATUS:À-repérer", {"to_scout"}),
        ("status:valid", {"validated"}),  # the start of a word: typing is enough
    ],
)
def test_statuses_in_both_languages_and_accents_aside(text: str, expected: set[str]) -> None:
    q = parse_query(text)
    assert q.statuses == expected and not q.errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("permit:to-file", {"to_file"}),
        ("autorisation:à-déposer", {"to_file"}),
        ("permis:en-retard", {"late"}),
        ("permit:overdue", {"late"}),
        ("permit:accordée", {"granted"}),
        ("permit:none", {"none"}),
        ("autorisation:aucune", {"none"}),
        ("permit:refused,filed", {"refused", "filed"}),
    ],
)
def test_permit_states_in_both_languages(text: str, expected: set[str]) -> None:
    q = parse_query(text)
    assert q.permits == expected and not q.errors


def test_the_other_tokens() -> None:
    q = parse_query('décor:"salle à manger" tag:nuit,toit geocode:pending pmr:none pmr0')
    assert q.decors == (("salle a manger",),)
    assert q.tags == (("nuit", "toit"),)
    assert q.geocode_pending is True
    assert q.pmr == {"none"}
    assert parse_query("géocodage:fait").geocode_pending is False
    assert parse_query("pmr:partiel").pmr == {"partial"}
    assert split_tokens('a decor:"b c" « d e »') == ["a", "decor:b c", "d e"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01..2026-12-31", (date(2026, 12, 1), date(2026, 12, 31))),
        ("2026-12-01..", (date(2026, 12, 1), None)),
        ("..2026-12-31", (None, date(2026, 12, 31))),
        ("2026-12-03", (date(2026, 12, 3), date(2026, 12, 3))),
        ("03/12/2026", (date(2026, 12, 3), date(2026, 12, 3))),
        ("2026-02", (date(2026, 2, 1), date(2026, 2, 28))),
        ("2026-12-31..2026-12-01", None),  # ends before it starts
        ("2026-13-01", None),
        ("demain", None),
        ("..", None),
    ],
)
def test_date_ranges(text: str, expected: object) -> None:
    assert parse_range(text) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("foo:bar", "“foo:” unknown — arr:"),
        ("date:2026-13-01", "“2026-13-01”: not a date"),
        ("date:2026-12-31..2026-12-01", "the range ends before it starts"),
        ("date:", "date: which days?"),
        ("status:bof", "“bof”: unknown status"),
        ("permit:peutetre", "“peutetre”: unknown permit state"),
        ("arr:25", "“25”: not an arrondissement"),
        ("geocode:maybe", "geocode:pending"),
    ],
)
def test_what_cannot_be_read_is_said_never_raised(text: str, says: str) -> None:
    q = parse_query(f"rivoli {text}")
    assert q.words == ("rivoli",)  # the rest of the box still filters
    assert any(says in e for e in q.errors), q.errors


def test_a_keyword_without_its_value_yet_is_no_error() -> None:
    q = parse_query("status:")
    assert q.empty and not q.errors


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_any_text_is_read_without_an_exception(text: str) -> None:
    q = parse_query(text)
    assert isinstance(q, Query)


def test_the_panel_writes_what_the_box_reads() -> None:
    text = compose_filter(
        "rivoli",
        arrondissements=[11, 5],
        statuses=["option"],
        permits=["late"],
        decor="salle à manger",
        tag="nuit",
        date_from=date(2026, 12, 1),
        date_to=date(2026, 12, 31),
        geocode_pending=True,
        pmr_none=True,
    )
    q = parse_query(text)
    assert not q.errors
    assert (q.words, q.arrondissements, q.statuses, q.permits) == (
        ("rivoli",),
        {5, 11},
        {"option"},
        {"late"},
    )
    assert q.decors == (("salle a manger",),) and q.tags == (("nuit",),)
    assert (q.date_from, q.date_to) == (date(2026, 12, 1), date(2026, 12, 31))
    assert q.geocode_pending is True and q.pmr == {"none"}
    assert free_text(text) == "rivoli"
    assert free_text("rivoli 5e arr:6 pmr0 quai") == "rivoli quai"


words = st.text(alphabet="abcdeé -", min_size=0, max_size=12)


@given(st.dictionaries(st.integers(1, 40), words, max_size=25), st.text("abcde", max_size=3))
@settings(max_examples=200, deadline=None)
def test_the_index_finds_what_a_rescan_finds(texts: dict[int, str], word: str) -> None:
    from scout.domain.values import fold

    folded = {k: fold(v) for k, v in texts.items()}
    index = WordIndex(folded)
    word = word or "a"
    assert index.find(word) == {k for k, t in folded.items() if word in t}
    # the next keystroke reads only what the last found, and finds the same
    longer = word + "b"
    assert index.find(longer) == {k for k, t in folded.items() if longer in t}
    # kept current
    index.set(99, "zz " + longer)
    assert 99 in index.find(longer)
    index.remove(99)
    assert 99 not in index.find(longer)


def _row(lieu_id: int, **values: object) -> LieuRow:
    base = LieuRow(lieu_id, f"Lieu {lieu_id}", "DÉCOR", 5, False, False, "to_scout", "", False, 1)
    return base._replace(**values)


def test_the_search_combines_every_part() -> None:
    search = LieuSearch(lambda r: f"{r.name.lower()} {r.decor.lower()}")
    search.set_rows(
        [
            _row(1, arrondissement=5, status="option", tags=("Nuit",)),
            _row(2, arrondissement=6, status="option", shoot_days=("2026-12-10",)),
            _row(3, arrondissement=5, retained=True, geocode_pending=True, pmr_assessed=6),
            _row(4, arrondissement=11, decor="Salle à manger", pmr_assessed=2),
        ]
    )
    search.set_permits({1: frozenset({"late", "to_file"}), 3: frozenset({"granted"})})

    def ids(text: str) -> set[int] | None:
        return search.select(parse_query(text))

    assert ids("") is None
    assert ids("5e") == {1, 3}
    assert ids("arr:5 status:option") == {1}
    assert ids("status:retained") == {3}
    assert ids("permit:late") == {1}
    assert ids("permit:none") == {2, 4}
    assert ids("tag:nuit") == {1}
    assert ids("date:2026-12") == {2}
    assert ids("geocode:pending") == {3}
    assert ids("pmr:none") == {1, 2}
    assert ids("pmr:done") == {3}
    assert ids("decor:manger") == {4}
    assert ids("lieu salle") == {4}  # words: each a part of the row's words
    assert ids("lieu 4") == set()  # (4: the 4e arrondissement)
    search.upsert(_row(2, arrondissement=5, status="option"))
    assert ids("arr:5 status:option") == {1, 2}  # kept current
    search.remove(1)
    assert ids("arr:5 status:option") == {2}


def test_permit_states_from_the_review() -> None:
    def row(lieu_id: int, status: str, urgency: Urgency = Urgency.TO_FILE) -> ReviewRow:
        from scout.i18n import Text

        return ReviewRow(
            1, lieu_id, "x", 5, "", "t", Text.plain("t"), Text(), status, None, urgency, 3,
            None, None,
        )  # fmt: skip

    states = permit_states(
        [
            row(1, "to_request", Urgency.OVERDUE),
            row(1, "granted", Urgency.GRANTED),
            row(2, "granted", Urgency.GRANTED),
            row(2, "granted_with_conditions", Urgency.GRANTED),
            row(3, "to_create"),
            row(4, "filed", Urgency.AWAITING),
            row(5, "refused", Urgency.REFUSED),
        ]
    )
    assert states[1] == {"late", "to_file"}  # granted only when every permit is
    assert states[2] == {"granted"}
    assert states[3] == {"to_create", "to_file"}
    assert states[4] == {"filed"}
    assert states[5] == {"refused"}
    assert 6 not in states  # no permit: the state "none"


# -- the real app -------------------------------------------------------------------------
def _shown(app: ScoutApp) -> list[int]:
    return [r.id for r in app.lieux_screen().query_one(LieuTable).rows_shown()]


async def _type(pilot: Pilot[None], text: str) -> list[int]:
    box = pilot.app.screen.query_one("#filter", Input)
    box.value = text
    await _ready(pilot)
    return sorted(_shown(pilot.app))  # type: ignore[arg-type]


def _with_tags_and_a_pending_address(db_path: Path) -> None:
    """The demo, with tags on two lieux and one address waiting to be geocoded."""
    with open_store(db_path) as store:
        ws = Workspace(store, CLOCK)
        seed_demo(ws)
        ws.lieux.edit(6, {"tags": "nuit, verrière"})
        ws.lieux.edit(10, {"tags": "Nuit"})
        ws.lieux.add({"name": "Cour à géocoder", "address": "12 rue Oberkampf"})


async def test_typing_narrows_the_list_letter_by_letter(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        assert len(_shown(app)) == 14
        await pilot.press("slash", *"quai")
        await _ready(pilot)
        assert sorted(_shown(app)) == [7, 13]  # « quai de Jemmapes », « QUAI DU CANAL »
        await pilot.press(*" de jem")
        await _ready(pilot)
        assert _shown(app) == [7]
        assert "1 / 14 locations" in _status_line(app)
        await pilot.press("backspace", "backspace", "backspace", "backspace")
        await _ready(pilot)
        assert sorted(_shown(app)) == [7, 13]


async def test_each_structured_filter(db_path: Path) -> None:
    _with_tags_and_a_pending_address(db_path)
    async with running(db_path, size=(120, 40)) as (app, pilot, store):
        assert await _type(pilot, "5e") == [4, 11]
        assert await _type(pilot, "arr:5,6") == [1, 2, 4, 11]
        assert await _type(pilot, "status:option") == [1, 6, 9, 11, 13]
        assert await _type(pilot, "statut:retenu") == [3, 4]
        assert await _type(pilot, "décor:claire") == [1, 2, 3, 4, 5]
        assert await _type(pilot, "tag:nuit") == [6, 10]
        assert await _type(pilot, "date:2026-12-01..2026-12-05") == [3, 4]
        assert await _type(pilot, "geocode:pending") == [15]
        assert await _type(pilot, "pmr:none") == [5, 7, 8, 10, 12, 15]
        assert await _type(pilot, "permit:late") == [4]
        assert await _type(pilot, "permit:granted") == [3]
        assert await _type(pilot, "autorisation:aucune") == [2, 5, 7, 8, 10, 12, 14, 15]
        assert await _type(pilot, "permit:to-file arr:20") == [9]
        assert await _type(pilot, "cafe status:option") == [1]
        await pilot.press("escape")
        await pilot.press("n")  # PMR not assessed, from the key
        await _ready(pilot)
        assert sorted(_shown(app)) == [5, 7, 8, 10, 12, 15]
        assert app.screen.query_one("#filter", Input).value == "pmr:none"
        await pilot.press("n")
        await _ready(pilot)
        assert len(_shown(app)) == 15


async def test_a_bad_token_says_so_and_the_rest_still_filters(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        assert await _type(pilot, "cafe datte:demain") == [1, 2, 3]
        assert "“datte:” unknown" in _status_line(app)
        assert await _type(pilot, "cafe date:2026-13-45") == [1, 2, 3]
        assert "“2026-13-45”: not a date" in _status_line(app)
        assert await _type(pilot, "status:bof") == list(range(1, 15))
        assert "“bof”: unknown status" in _status_line(app)
        assert app._exception is None


async def test_a_permit_status_changed_reaches_the_permit_filter(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(120, 40)) as (app, pilot, store):
        assert await _type(pilot, "permit:refused") == [13]
        permit = next(
            p for p in app.ws.permits.of_lieu(11) if p.status.value in ("filed", "under_review")
        )
        app.ws.permits.update(permit.id, {}, "refused", "")
        app.check_deadlines(announce=False)  # as a save does
        await _ready(pilot)
        await app.workers.wait_for_complete()
        await _ready(pilot)
        assert sorted(_shown(app)) == [11, 13]


async def test_the_filters_panel_writes_tokens_into_the_box(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        app.screen.query_one("#filter", Input).value = "quai 19e"
        await _ready(pilot)
        await pilot.press("f")
        assert isinstance(app.screen, FiltersScreen)
        panel = app.screen
        assert panel.query_one("#filters-words", Input).value == "quai"
        assert panel.query_one("#filters-arr", Input).value == "19"
        panel.query_one("#filters-arr", Input).value = "1, 10"
        panel.query_one("#filters-status", Select).value = "option"
        panel.query_one("#filters-from", Input).value = "bientôt"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FiltersScreen)  # a bad date keeps the panel open
        assert "Bad date “bientôt”" in str(panel.query_one("#filters-error").render())
        panel.query_one("#filters-from", Input).value = "01/12/2026"
        panel.query_one("#filters-pmr", Checkbox).value = False
        await pilot.press("ctrl+s")
        await _ready(pilot)
        assert not isinstance(app.screen, FiltersScreen)
        box = app.screen.query_one("#filter", Input)
        assert box.value == "quai arr:1,10 status:option date:2026-12-01.."
        assert _shown(app) == [13]
        await pilot.press("f")
        await pilot.press("escape")  # cancelled: nothing changes
        await _ready(pilot)
        assert box.value == "quai arr:1,10 status:option date:2026-12-01.."


@pytest.mark.parametrize("column", range(7))
async def test_sort_by_each_column_and_reverse(db_path: Path, column: int) -> None:
    async with running(db_path, demo=True, size=(120, 40)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        assert table.sort_column == 2 and "Décor ▲" in table.titles()
        for _ in range((column - 2) % 7):
            await pilot.press("s")
        await pilot.pause()
        assert table.sort_column == column
        rows = table.rows_shown()
        keys = [table.sort_key(r, column) for r in rows]
        assert keys == sorted(keys)
        title = table.titles()[column]
        assert title.endswith("▲")
        header = table.render_line(0).text
        assert "▲" in header
        await pilot.press("S")
        await pilot.pause()
        assert [r.id for r in table.rows_shown()] == [r.id for r in reversed(rows)]
        assert table.titles()[column].endswith("▼")
        assert "▼" in table.render_line(0).text


async def test_a_click_on_a_column_title_sorts_by_it(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(120, 40)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        await pilot.click(LieuTable, offset=(1, 0))  # « ID »
        await pilot.pause()
        assert table.sort_column == 0
        assert [r.id for r in table.rows_shown()] == list(range(1, 15))
        await pilot.click(LieuTable, offset=(1, 0))  # again: the other way
        await pilot.pause()
        assert [r.id for r in table.rows_shown()] == list(range(14, 0, -1))


async def test_the_sort_keeps_a_saved_lieu_in_its_place(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(120, 40)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        await pilot.press("s")  # by arrondissement
        app.ws.lieux.edit(13, {"lat": "48.8718", "lon": "2.3165"})  # to the 8e
        app.lieux_screen().lieu_saved(13)
        await pilot.pause()
        arrs = [r.arrondissement for r in table.rows_shown()]
        assert arrs == sorted(arrs, key=lambda a: 99 if a is None else a)
        assert table.get_row(13).arrondissement == 8


async def test_the_view_comes_back_on_the_next_run(db_path: Path) -> None:
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        await pilot.press("slash", *"cafe")
        await pilot.press("enter")
        await pilot.press("s", "s", "S")  # by status, descending
        await _ready(pilot)
        assert _shown(app) == [3, 1, 2]
    # the app closed at once: the view was written all the same

    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        table = app.screen.query_one(LieuTable)
        box = app.screen.query_one("#filter", Input)
        assert box.value == "cafe" and box.has_class("-visible")
        assert (table.sort_column, table.sort_reverse) == (4, True)
        assert _shown(app) == [3, 1, 2]
        assert "Status ▼" in table.render_line(0).text
        await pilot.press("escape")
        await pilot.pause(1.2)  # the view is written once typing pauses

    async with running(db_path, size=(80, 24)) as (app, pilot, store):
        assert app.screen.query_one("#filter", Input).value == ""
        assert len(_shown(app)) == 14


async def test_a_damaged_state_file_is_no_reason_to_fail(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "state.json").write_text("{not json")
    async with running(db_path, demo=True, size=(80, 24)) as (app, pilot, store):
        assert len(_shown(app)) == 14
        assert app._exception is None


# -- snapshots ----------------------------------------------------------------------------
@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_filtered_and_sorted(
    snap_compare: SnapCompare,
    demo_app: ScoutApp,  # noqa: F811
    size: tuple[int, int],
) -> None:
    async def filter_and_sort(pilot: Pilot[None]) -> None:
        await pilot.press("slash", *"claire statut:option,valide")
        await pilot.press("enter")
        await pilot.press("s", "S")  # by arrondissement, descending
        await settle(pilot)
        assert _shown(pilot.app) == [3, 1, 4]  # type: ignore[arg-type]

    assert snap_compare(demo_app, terminal_size=size, run_before=after(filter_and_sort))


@pytest.mark.lang("fr")
@pytest.mark.parametrize("size", SIZES)
def test_snapshot_filters_panel(
    snap_compare: SnapCompare,
    demo_app: ScoutApp,  # noqa: F811
    size: tuple[int, int],
) -> None:
    async def open_panel(pilot: Pilot[None]) -> None:
        pilot.app.screen.query_one("#filter", Input).value = "quai arr:1 permit:refused"
        await settle(pilot)
        await pilot.press("f")
        await pilot.pause()

    async def check(pilot: Pilot[None]) -> None:
        assert isinstance(pilot.app.screen, FiltersScreen)

    assert snap_compare(demo_app, terminal_size=size, run_before=after(open_panel, check))


@pytest.mark.parametrize("column", range(7))
async def test_saves_keep_every_sort_in_order(column: int) -> None:
    """A saved row moves to its place (by bisection) and the order stays the full sort's,
    whatever the column and the direction (random saves and deletes, seeded)."""
    import random

    from textual.app import App

    class Host(App[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield LieuTable()

    rng = random.Random(column)
    async with Host().run_test(size=(100, 30)) as pilot:
        table = pilot.app.query_one(LieuTable)
        for reverse in (False, True):
            table.load(LieuTable.prepare([_row(i, name=f"L{i % 7}") for i in range(1, 21)]))
            table.sort_by(column, reverse)
            for _ in range(60):
                lieu_id = rng.randint(1, 30)
                if rng.random() < 0.15:
                    table.remove_row(lieu_id)
                else:
                    table.upsert(
                        _row(
                            lieu_id,
                            decor=rng.choice(["A", "B", "É", ""]),
                            arrondissement=rng.choice([None, 3, 5, 12]),
                            pmr_assessed=rng.randint(0, 6),
                            next_shoot=rng.choice(["", "2026-12-01", "2026-12-09"]),
                            status=rng.choice(["option", "to_scout", "rejected"]),
                        )
                    )
                rows = table.all_rows()
                expected = sorted(rows, key=lambda r: table.sort_key(r, column), reverse=reverse)
                shown = table.rows_shown()
                assert [table.sort_key(r, column) for r in shown] == [
                    table.sort_key(r, column) for r in expected
                ]
                assert sorted(r.id for r in shown) == sorted(r.id for r in rows)


async def test_each_production_has_its_own_view(db_path: Path) -> None:
    with open_store(db_path) as store:
        ws = Workspace(store, CLOCK)
        seed_demo(ws)
        other = ws.productions.create("Court métrage")
        ws.lieux.add({"name": "Atelier rue Oberkampf"}, production_id=other.id)
    async with running(db_path, size=(100, 30)) as (app, pilot, store):
        demo = app.ws.productions.current_id()
        assert await _type(pilot, "cafe") == [1, 2, 3]
        await pilot.press("escape", "s")  # (escape: back to the list; the filter stays)
        app.screen.query_one("#filter", Input).value = "cafe"
        await _ready(pilot)

        app.ws.productions.switch(other.id)
        app.production_switched()
        await _ready(pilot)
        table = app.lieux_screen().query_one(LieuTable)
        assert app.screen.query_one("#filter", Input).value == ""  # its own view: none yet
        assert table.sort_column == 2 and [r.name for r in table.rows_shown()] == [
            "Atelier rue Oberkampf"
        ]

        app.ws.productions.switch(demo)
        app.production_switched()
        await _ready(pilot)
        assert app.screen.query_one("#filter", Input).value == "cafe"
        assert table.sort_column == 3 and sorted(_shown(app)) == [1, 2, 3]
