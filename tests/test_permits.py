"""Permits: working days, deadlines, rules, transitions, suggestions and warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scout import i18n
from scout.clock import Clock
from scout.demo import seed_demo
from scout.domain.permit import PermitStatus
from scout.errors import ValidationError
from scout.permits.checks import PermitFacts, Warning, assess, lieu_warnings
from scout.permits.deadlines import Urgency, filing_deadline
from scout.permits.rules import (
    RulesBook,
    RulesError,
    Text,
    confidence_label,
    default_rules,
    lead_text,
    parse_rules,
)
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
        with pytest.raises(ValidationError, match="cannot go from To request to Granted"):
            service.update(permit.id, {}, "granted")
        service.update(permit.id, {}, "déposée", "déposée en ligne")  # French words too
        granted = service.update(permit.id, {}, "Granted", "reçue par mail")
        with pytest.raises(ValidationError, match="cannot go from Granted"):
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
    assert suggestion.type.lead_text == "1 month" and suggestion.type.confidence == "sure"
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


# -- one language at a time (issue 11) ----------------------------------------------------
@pytest.mark.lang("fr")
def test_a_transition_refused_is_said_in_french() -> None:
    from scout.domain.permit import check_transition

    with pytest.raises(
        ValidationError, match="ne peut pas passer de « À demander » à « Accordée »"
    ):
        check_transition(PermitStatus.TO_REQUEST, PermitStatus.GRANTED)


def test_permit_statuses_are_typed_in_either_language() -> None:
    for typed, status in [
        ("Déposée", PermitStatus.FILED),
        ("filed", PermitStatus.FILED),
        ("en instruction", PermitStatus.UNDER_REVIEW),
        ("under review", PermitStatus.UNDER_REVIEW),
        ("accordée sous conditions", PermitStatus.GRANTED_WITH_CONDITIONS),
        ("Refusé", PermitStatus.REFUSED),
        ("canceled", PermitStatus.CANCELLED),
    ]:
        assert PermitStatus.parse(typed, "status") is status
    assert PermitStatus.GRANTED.label == "Granted"
    i18n.activate("fr")
    assert PermitStatus.GRANTED.label == "Accordée"  # read when shown, not at import
    assert PermitStatus.parse("granted", "status") is PermitStatus.GRANTED
    with pytest.raises(ValidationError, match="n'est pas parmi : À demander, En préparation"):
        PermitStatus.parse("peut-être", "status")


def test_working_days_are_counted_with_a_correct_plural() -> None:
    assert lead_text(1, "working_days") == "1 working day"
    assert lead_text(15, "working_days") == "15 working days"
    assert Urgency.DUE_3.label == "≤ 3 working days" and Urgency.OVERDUE.label == "OVERDUE"
    i18n.activate("fr")
    assert lead_text(1, "working_days") == "1 jour ouvré"
    assert lead_text(15, "working_days") == "15 jours ouvrés"
    assert lead_text(1, "months") == "1 mois" and lead_text(7, "calendar_days") == "7 jours"
    assert Urgency.DUE_3.label == "≤ 3 j ouvrés" and Urgency.OVERDUE.label == "EN RETARD"


def _due(left: int) -> Warning:
    label = RULES.types["demande_agate"].label_text
    data = {"type": "demande_agate", "deadline": "2026-12-03", "working_days_left": left}
    return Warning("due", 1, 2, data, {"type": label})


def test_a_warning_is_data_and_its_sentence_follows_the_language() -> None:
    overdue = Warning(
        "overdue",
        1,
        2,
        {"type": "demande_agate", "deadline": "2026-12-03"},
        {"type": RULES.types["demande_agate"].label_text},
    )
    assert overdue.message == (
        "Filming permit request (AGATE platform): filing deadline 2026-12-03 has passed"
    )
    assert _due(1).message.endswith("file by 2026-12-03 (1 working day left)")
    assert _due(2).message.endswith("(2 working days left)")
    i18n.activate("fr")  # the same warning, read again in French
    assert overdue.message == (
        "Demande d'autorisation (plateforme AGATE) : la date limite de dépôt du 03/12/2026 "
        "est passée"
    )
    assert _due(1).message.endswith("(1 jour ouvré restant)")
    assert _due(3).message.endswith("(3 jours ouvrés restants)")


def test_the_review_warnings_carry_codes_and_iso_dates_only(db_path: Path) -> None:
    import json

    service = _service(db_path, l6={"tech_vehicles": "7", "loges": "oui"})
    warnings = service.review().warnings
    english = [w.message for w in warnings]
    as_json = json.dumps([(w.kind, w.lieu_id, w.permit_id, dict(w.data)) for w in warnings])
    by_kind = {w.kind: w for w in warnings if w.lieu_id == 6}
    assert dict(by_kind["vehicles"].data) == {"vehicles": 7, "cap": 5}
    overdue = next(w for w in warnings if w.kind == "overdue")
    assert set(overdue.data) == {"type", "deadline"} and overdue.data["deadline"][4] == "-"
    i18n.activate("fr")
    french = [w.message for w in service.review().warnings]  # the review is kept: same objects
    again = json.dumps([(w.kind, w.lieu_id, w.permit_id, dict(w.data)) for w in warnings])
    assert again == as_json and french != english
    assert "7 véhicules techniques : le plafond dans cette zone est de 5" in " ".join(french)
    assert any("/20" in m and "dépôt" in m for m in french)  # 19/11/2026: French dates
    service.store.close()


@pytest.mark.lang("fr")
def test_french_warnings_name_the_days_the_french_way() -> None:
    from scout.domain.facts import LieuFacts

    facts = LieuFacts(
        1,
        "X",
        4,
        "sous_tension",
        5,
        "street",
        True,
        20,
        None,
        None,
        (("08:00", "19:00"),),
        None,
        None,
        True,
        (date(2026, 12, 3),),
    )
    messages = [w.message for w in lieu_warnings(facts, [], RULES, TODAY)]
    assert any(m.startswith("les loges (véhicules loges) ne sont plus admises") for m in messages)
    assert any(m.startswith("tournage le 03/12/2026 : pas encore accordé : ") for m in messages)
    assert confidence_label("one-source") == "une source"


_ONE_TYPE = (
    '[types.a]\nlabel = {label}\nauthority = "B"\nlead = 1\nunit = "months"\n'
    'source = "s"\nconfidence = "sure"\n'
)


def test_rules_texts_are_given_in_both_languages_and_read_in_the_run_s() -> None:
    rules = parse_rules(
        _ONE_TYPE.format(label='{ fr = "Arrêté", en = "Order" }')
        + '[notices.n]\ntext = { en = "Only English" }\n',
        "r.toml",
    )
    kind, notice = rules.types["a"], rules.notices[0]
    assert kind.label == "Order" and kind.authority == "B" and notice.text == "Only English"
    i18n.activate("fr")
    assert kind.label == "Arrêté"  # the same object: the language is read when shown
    assert notice.text == "Only English"  # no French given: the other language
    assert kind.label_text == Text("Arrêté", "Order")


def test_the_default_rules_speak_both_languages() -> None:
    for ptype in RULES.types.values():
        for text in (ptype.label_text, ptype.authority_text, ptype.source_text):
            assert text.fr and text.en, ptype.id
    assert all(n.text_text.fr and n.text_text.en for n in RULES.notices)
    english = RULES.types["demande_agate"]
    assert english.label == "Filming permit request (AGATE platform)"
    # The Mission's closure is found whatever language names the authority.
    assert RULES.calendar_for("City of Paris — Paris Film").closed
    assert RULES.calendar_for("Ville de Paris — Paris Film").closed
    i18n.activate("fr")
    assert english.label == "Demande d'autorisation (plateforme AGATE)"
    assert RULES.types["monument"].lead_text == "1 mois"


@pytest.mark.parametrize(
    "label, reason",
    [
        ('{ fr = "A", de = "B" }', "label: unknown language 'de' (use fr, en)"),
        ("{ fr = 3 }", "label.fr must be text in quotes"),
        ('{ fr = "" }', "label.fr must be text in quotes"),
        ("{}", "label gives no text"),
        ("3", "label must be text in quotes, or a table of texts by language (fr, en)"),
        ('[ "A" ]', "label must be text in quotes, or a table of texts by language"),
    ],
)
def test_rules_check_refuses_bad_texts(label: str, reason: str) -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(_ONE_TYPE.format(label=label), "rules.toml")
    assert caught.value.line == 2 and reason in caught.value.reason
    assert str(caught.value).startswith("rules.toml, line 2: type 'a': ")


def test_rules_check_refuses_a_notice_text_in_an_unknown_language() -> None:
    text = _ONE_TYPE.format(label='"A"') + '\n[notices.n]\ntext = { es = "Hola" }\n'
    with pytest.raises(RulesError) as caught:
        parse_rules(text, "rules.toml")
    assert caught.value.line == 9 and "'n': text: unknown language 'es'" in caught.value.reason


@pytest.mark.lang("fr")
def test_rules_mistakes_are_said_in_french() -> None:
    with pytest.raises(RulesError) as caught:
        parse_rules(_ONE_TYPE.format(label='{ fr = "A", de = "B" }'), "rules.toml")
    assert str(caught.value) == (
        "rules.toml, ligne 2 : type 'a' : label : langue inconnue 'de' (utilisez fr, en)"
    )


def test_suggestions_say_their_facts_as_words_and_as_codes() -> None:
    from scout.domain.facts import LieuFacts
    from scout.permits.checks import suggest

    facts = LieuFacts(
        1,
        "X",
        4,
        "sous_tension",
        5,
        "street",
        True,
        None,
        None,
        False,
        (("08:00", "19:00"),),
        False,
        False,
        False,
        (date(2027, 5, 18),),
        interior=False,
        generator=False,
    )
    found = {s.type.id: s for s in suggest(facts, RULES, set())}
    declaration = found["declaration_prealable"]
    assert "crew size (≤ 9)" in declaration.depends_on
    assert {"condition": "crew_max", "value": 9, "fields": ["crew_size"]} in declaration.unknown
    i18n.activate("fr")
    again = {s.type.id: s for s in suggest(facts, RULES, set())}["declaration_prealable"]
    assert "taille de l'équipe (≤ 9)" in again.depends_on and again.unknown == declaration.unknown
    facts = facts._replace(crew=5)
    certain = {s.type.id: s for s in suggest(facts, RULES, set())}["declaration_prealable"]
    assert "site : rue" in certain.reasons and "aucun drone" in certain.reasons
    assert {"condition": "site", "value": ["street", "bridge"]} in certain.conditions


def test_a_fiche_follows_the_production_s_first_shoot_day_when_it_moves(db_path: Path) -> None:
    """The production's notices are kept between fiches; a save that brings another
    lieu's shoot forward moves the VHSS charter to that lieu's fiche."""

    def charter(service: PermitService, lieu_id: int) -> list[Warning]:
        warnings = service.review(lieu_id=lieu_id).warnings
        return [w for w in warnings if w.kind == "charte_vhss"]

    service = _service(db_path)
    first = next(w.lieu_id for w in service.review().warnings if w.kind == "charte_vhss")
    other = next(i for i in range(1, 15) if i != first)
    assert charter(service, first) and not charter(service, other)
    service.ws.lieux.edit(other, {"shoot_days": ["2026-11-30 08:00-18:00"]})
    assert charter(service, other) and not charter(service, first)
    service.store.close()
