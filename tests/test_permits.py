"""Permits: working days, deadlines, rules, transitions, suggestions and warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scout.clock import Clock
from scout.demo import seed_demo
from scout.domain.permit import PermitStatus
from scout.errors import ValidationError
from scout.permits.checks import PermitFacts, assess
from scout.permits.deadlines import Urgency, filing_deadline
from scout.permits.rules import RulesBook, RulesError, default_rules, parse_rules
from scout.permits.workdays import WorkCalendar, months_before
from scout.services import Workspace
from scout.services.permits import PermitService
from scout.store import open_store

CAL = WorkCalendar()
RULES = default_rules()
TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    "holiday",
    [
        "2025-01-01",
        "2025-04-21",
        "2025-05-01",
        "2025-05-08",
        "2025-05-29",
        "2025-06-09",
        "2025-07-14",
        "2025-08-15",
        "2025-11-01",
        "2025-11-11",
        "2025-12-25",
        "2026-04-06",
        "2026-05-14",
        "2026-05-25",
        "2027-03-29",
        "2027-05-06",
        "2027-05-17",
    ],
)
def test_french_public_holidays_are_not_working_days(holiday: str) -> None:
    assert not CAL.is_working_day(date.fromisoformat(holiday))


@pytest.mark.parametrize(
    "start, count, expected",
    [
        ("2026-05-11", 1, "2026-05-07"),  # Mon after Victoire 1945 (Fri 8 May)
        ("2026-05-15", 1, "2026-05-13"),  # Fri after Ascension (Thu 14 May)
        ("2026-05-26", 1, "2026-05-22"),  # Tue after Whit Monday
        ("2026-04-07", 1, "2026-04-03"),  # Tue after Easter Monday
        ("2025-05-02", 1, "2025-04-30"),  # Fri after 1 May
        ("2025-07-15", 1, "2025-07-11"),  # Tue after 14 July (Mon)
        ("2025-08-18", 1, "2025-08-14"),  # Mon after 15 August (Fri)
        ("2025-11-12", 2, "2025-11-07"),  # Wed after 11 November (Tue)
        ("2025-12-26", 1, "2025-12-24"),  # Fri after Christmas
        ("2027-01-04", 2, "2026-12-30"),  # across the year end and New Year's Day (Fri)
        ("2027-05-07", 1, "2027-05-05"),  # Fri after Ascension 2027
        ("2027-05-18", 1, "2027-05-14"),  # Tue after Whit Monday 2027
        ("2026-12-03", 15, "2026-11-12"),  # the full request: three weeks, 11 November inside
    ],
)
def test_counting_working_days_back(start: str, count: int, expected: str) -> None:
    assert CAL.working_days_before(date.fromisoformat(start), count) == date.fromisoformat(expected)


def test_a_deadline_on_a_holiday_or_weekend_moves_earlier_never_later() -> None:
    declaration = RULES.type("declaration_prealable")  # 7 calendar days
    assert filing_deadline(declaration, date(2026, 7, 21), CAL) == date(2026, 7, 13)  # 14 July
    assert filing_deadline(declaration, date(2026, 11, 30), CAL) == date(2026, 11, 23)
    assert filing_deadline(declaration, date(2026, 12, 6), CAL) == date(2026, 11, 27)  # Sun
    monument = RULES.type("monument")  # 1 month
    assert filing_deadline(monument, date(2026, 3, 31), CAL) == date(2026, 2, 27)  # 28 = Sat
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert months_before(date(2026, 1, 15), 2) == date(2025, 11, 15)
    assert filing_deadline(monument, date(2025, 12, 15), CAL) == date(2025, 11, 14)  # 15 = Sat


def test_urgency_buckets() -> None:
    def level(status: str, deadline: str | None) -> Urgency:
        facts = PermitFacts(1, 1, "demande_agate", status, (), None, None, None)
        days = (date.fromisoformat(deadline),) if deadline else ()
        return assess(facts, days, RULES, TODAY, CAL).urgency

    assert level("to_request", "2026-12-10") is Urgency.OVERDUE  # deadline 19/11
    assert level("to_request", "2026-12-15") is Urgency.DUE_3  # deadline 24/11
    assert level("in_preparation", "2026-12-21") is Urgency.DUE_7
    assert level("to_request", "2027-01-04") is Urgency.DUE_14  # deadline 10/12
    assert level("to_request", "2027-03-01") is Urgency.TO_FILE
    assert level("to_request", None) is Urgency.TO_FILE
    assert level("filed", "2026-12-10") is Urgency.AWAITING  # filed: no longer late
    assert level("refused", "2026-12-10") is Urgency.REFUSED


def test_transitions_legal_and_illegal(db_path: Path) -> None:
    with open_store(db_path) as store:
        clock = Clock(TODAY)
        ws = Workspace(store, clock)
        seed_demo(ws)
        service = ws.permits
        permit = service.add(8, "demande_agate", {})
        with pytest.raises(ValidationError, match="cannot go from to_request .* to granted"):
            service.update(permit.id, {}, "granted")
        service.update(permit.id, {}, "filed", "déposée en ligne")
        granted = service.update(permit.id, {}, "granted", "reçue par mail")
        with pytest.raises(ValidationError, match="cannot go from granted"):
            service.update(permit.id, {}, "to_request")
        assert granted.filed_on == TODAY and granted.decision_on == TODAY
    with open_store(db_path) as store:  # the history survives a restart, in order
        history = store.get_permit(permit.id).history
        assert [(h.old, h.new, h.note) for h in history] == [
            ("to_request", "filed", "déposée en ligne"),
            ("filed", "granted", "reçue par mail"),
        ]


def test_an_arrete_is_not_filed_without_an_explicit_place_and_count(db_path: Path) -> None:
    with open_store(db_path) as store:
        clock = Clock(TODAY)
        ws = Workspace(store, clock)
        seed_demo(ws)
        service = ws.permits
        arrete = service.add(4, "arrete_stationnement", {"street": "rue Clovis"})
        with pytest.raises(ValidationError, match="spaces.*perimeter"):
            service.update(arrete.id, {}, "filed")
        service.update(arrete.id, {"spaces": "4", "perimeter": "face au 3 rue Clovis"}, "filed")
        assert store.get_permit(arrete.id).status is PermitStatus.FILED


def test_rules_file_mistakes_name_the_line_and_the_last_good_rules_stay(tmp_path: Path) -> None:
    good = (Path(__file__).resolve().parents[1] / "scout/permits/default_rules.toml").read_text()
    path = tmp_path / "rules.toml"
    path.write_text(good.replace("lead = 15\n", "lead = 10\n", 1))
    book = RulesBook(path)
    assert book.error is None and book.rules.type("demande_agate").lead == 10
    path.write_text(good.replace('unit = "working_days"', 'unit = "fortnights"', 1))
    error = book.reload()
    assert isinstance(error, RulesError) and error.file == str(path)
    assert error.line == good.splitlines().index('unit = "working_days"') + 1
    assert "unknown unit 'fortnights'" in str(error)
    assert book.rules.type("demande_agate").lead == 10  # the last good rules


@pytest.mark.parametrize(
    "text, line, reason",
    [
        ("[types.a\n", 1, "not valid TOML"),
        (
            '[types.a]\nlabel = "A"\nauthority = "B"\nlead = -1\nunit = "months"\n'
            'source = "s"\nconfidence = "sure"\n',
            4,
            "lead must be a whole number",
        ),
        (
            '[types.a]\nlabel = "A"\nauthority = "B"\nlead = 1\nunit = "months"\n'
            'source = "s"\nconfidence = "sure"\ncolour = "red"\n',
            8,
            "unknown key 'colour'",
        ),
        (
            '[types.a]\nlabel = "A"\nauthority = "B"\nlead = 1\nunit = "months"\n'
            'source = "s"\nconfidence = "maybe"\n',
            7,
            "confidence must be",
        ),
        (
            '[types.a]\nlabel = "A"\nauthority = "B"\nlead = 1\nunit = "months"\n'
            'source = "s"\nconfidence = "sure"\nneeded_when = [{ site = ["castle"] }]\n',
            8,
            "unknown site kind 'castle'",
        ),
        ("[kinds.a]\nx = 1\n", None, "no [types"),
    ],
)
def test_rules_errors(text: str, line: int | None, reason: str) -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "rules.toml")
    assert caught.value.line == line and reason in caught.value.reason


def _service(db_path: Path, **edits) -> PermitService:
    ws = Workspace(open_store(db_path), Clock(TODAY))
    seed_demo(ws)
    for lieu_id, raw in edits.items():
        ws.lieux.edit(int(lieu_id[1:]), raw)
    return ws.permits


def test_suggestions_under_pressure_and_outside(db_path: Path) -> None:
    needs = {"crew_size": "20", "parking_spaces": "5", "site_kind": "street", "setting": "ext"}
    service = _service(db_path, l4=needs, l9={**needs})  # 5e (under pressure), 20e
    in_5e = {s.type.id: s for s in service.suggest(4)}
    in_20e = {s.type.id: s for s in service.suggest(9)}
    assert "arrete_stationnement" in in_5e and "arrete_stationnement" not in in_20e
    assert "demande_agate" in in_5e and "demande_agate" in in_20e
    assert "arrondissement under pressure" in in_5e["arrete_stationnement"].reasons
    assert in_5e["demande_agate"].deadline == date(2026, 11, 12)
    service.store.close()


def test_light_day_shoot_gets_a_prior_declaration_a_night_shoot_does_not(db_path: Path) -> None:
    light = {
        "crew_size": "6",
        "site_kind": "street",
        "setting": "ext",
        "parking_spaces": "0",
        "drone": "non",
        "traffic_control": "non",
    }
    service = _service(db_path, l10=light)  # pont de Bir-Hakeim, no shoot day yet
    # Without shoot hours nobody knows whether it runs after 23:00: possible, not certain.
    possible = {s.type.id: s for s in service.suggest(10)}
    assert not any(s.certain for s in possible.values())
    assert any("shoot hours" in d for d in possible["declaration_prealable"].depends_on)
    service.ws.lieux.edit(10, {"shoot_days": ["2026-12-20 10:00-18:00"]})
    assert [s.type.id for s in service.suggest(10) if s.certain] == ["declaration_prealable"]
    service.ws.lieux.edit(10, {"site_kind": "bridge", "shoot_days": ["2026-12-20 20:00-01:00"]})
    ids = [s.type.id for s in service.suggest(10) if s.certain]
    assert "declaration_prealable" not in ids and "demande_agate" in ids
    service.store.close()


def test_unknown_crew_on_a_street_makes_the_city_procedures_possible(db_path: Path) -> None:
    """Issue 15: an EXT street shoot with the crew not yet known is never "no permit"."""
    service = _service(db_path)
    lieu = service.ws.lieux.add(
        {
            "name": "X",
            "lat": "48.8530",
            "lon": "2.3499",
            "shoot_days": ["2027-05-18"],
            "setting": "ext",
        }
    )
    found = {s.type.id: s for s in service.suggest(lieu.id)}
    assert {"declaration_prealable", "demande_agate"} <= set(found)
    assert not found["declaration_prealable"].certain
    assert "crew size (≤ 9)" in found["declaration_prealable"].depends_on
    assert "crew size (≥ 10)" in found["demande_agate"].depends_on
    service.store.close()


def test_a_monument_needs_its_own_authorisation(db_path: Path) -> None:
    service = _service(db_path, l14={"site_kind": "monument"})
    suggestion = {s.type.id: s for s in service.suggest(14)}["monument"]
    assert suggestion.type.lead_text == "1 mois" and suggestion.type.confidence == "sure"
    service.store.close()


def test_warnings_catch_what_goes_wrong(db_path: Path) -> None:
    service = _service(db_path, l6={"tech_vehicles": "7", "loges": "oui"})  # 2e, night
    night = service.add(6, "declaration_prealable", {})
    granted = service.add(
        3, "demande_agate", {"valid_from": "2026-12-01", "valid_to": "2026-12-02"}
    )
    service.update(granted.id, {}, "filed")
    service.update(granted.id, {}, "granted")
    kinds = {(w.lieu_id, w.kind) for w in service.review().warnings}
    assert (6, "vehicles") in kinds and (6, "loges") in kinds and (6, "night") in kinds
    assert (3, "validity") in kinds  # the shoot days are 2 and 3 December
    assert (4, "overdue") in kinds  # the demo's overdue arrêté
    assert (13, "not_granted") in kinds  # refused request, shoot day ahead
    assert night.id is not None
    service.store.close()
