"""`scout permit …`, `scout deadlines`, `scout rules check`, `scout export ics`."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from scout.cli.context import (
    Context,
    add_output_option,
    emit,
    number,
    print_json,
    print_table,
    warn,
)
from scout.cli.options import add_permit_fields, lieu_id, permit_fields, permit_id
from scout.i18n import _, formats, ngettext, pgettext
from scout.permits.review import ReviewRow
from scout.permits.rules import confidence_label
from scout.present.labels import arrondissement_label, permit_status_label

EXIT_OVERDUE = 5  # `scout deadlines`: some permit is overdue (for cron and scripts)


def add_permit_commands(sub: Any) -> None:
    from scout.domain.permit import PermitStatus

    permit = sub.add_parser("permit", help=_("permits and arrêtés of a location"))
    psub = permit.add_subparsers(title=_("permit commands"), metavar=_("ACTION"), required=True)

    p = psub.add_parser("add", help=_("add a permit to a location"))
    p.add_argument("lieu", type=lieu_id, metavar=_("LOCATION_ID"), help=_("the location's id"))
    p.add_argument(
        "--type",
        required=True,
        metavar=_("TYPE"),
        help=_("a permit type of the rules (see `scout rules check`)"),
    )
    add_permit_fields(p)
    p.set_defaults(func=cmd_permit_add)

    p = psub.add_parser("set", help=_("change a permit's status or fields (history is kept)"))
    p.add_argument("permit", type=permit_id, metavar=_("PERMIT_ID"), help=_("the permit's id"))
    statuses = ", ".join(s.label.lower() for s in PermitStatus)
    p.add_argument(
        "--status",
        metavar=_("STATUS"),
        help=_("the new status: {statuses}").format(statuses=statuses),
    )
    p.add_argument("--note", default="", metavar=_("TEXT"), help=_("a note for the history"))
    add_permit_fields(p)
    p.set_defaults(func=cmd_permit_set)

    p = psub.add_parser("list", help=_("permits, of one location or of all"))
    p.add_argument(
        "lieu", type=lieu_id, metavar=_("LOCATION_ID"), nargs="?", help=_("the location's id")
    )
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_permit_list)

    p = psub.add_parser("suggest", help=_("which permits a location needs, and why"))
    p.add_argument("lieu", type=lieu_id, metavar=_("LOCATION_ID"), help=_("the location's id"))
    p.add_argument(
        "--json", action="store_true", help=_("one JSON array, the same in every language")
    )
    p.set_defaults(func=cmd_permit_suggest)

    p = psub.add_parser(
        "add-suggested",
        help=_("create in one step the permits the rules call for that the location lacks"),
    )
    p.add_argument("lieu", type=lieu_id, metavar=_("LOCATION_ID"), help=_("the location's id"))
    p.add_argument(
        "--possible",
        action="store_true",
        help=_("also those that depend on facts not known yet"),
    )
    p.set_defaults(func=cmd_permit_add_suggested)

    p = psub.add_parser("rm", help=_("delete a permit"))
    p.add_argument("permit", type=permit_id, metavar=_("PERMIT_ID"), help=_("the permit's id"))
    p.set_defaults(func=cmd_permit_rm)

    p = sub.add_parser(
        "deadlines",
        help=_("permits by urgency; exits 5 when one is overdue"),
        description=_(
            "Permits by urgency, with warnings. Exits 5 when any "
            "permit is overdue, so it can run from cron."
        ),
    )
    p.add_argument(
        "--within",
        type=int,
        metavar="N",
        help=_("only permits due within N working days (and overdue ones)"),
    )
    p.add_argument(
        "--json", action="store_true", help=_("one JSON object, the same in every language")
    )
    p.set_defaults(func=cmd_deadlines)

    rules = sub.add_parser("rules", help=_("the permit rules file"))
    rsub = rules.add_subparsers(title=_("rules commands"), metavar=_("ACTION"), required=True)
    p = rsub.add_parser("check", help=_("check a rules file and list its permit types"))
    p.add_argument("file", nargs="?", metavar=_("FILE"), help=_("default: the rules in force"))
    p.set_defaults(func=cmd_rules_check)


def add_calendar_export(esub: Any) -> None:
    p = esub.add_parser("ics", help=_("deadlines and validity windows as an iCalendar file"))
    add_output_option(p)
    p.set_defaults(func=cmd_export_ics)


def _added(permit: Any, label: str) -> str:
    return _("Added permit {id}: {type} for location {lieu}").format(
        id=permit.id, type=label, lieu=permit.lieu_id
    )


def cmd_permit_add(ctx: Context) -> int:
    ws = ctx.workspace()
    permit = ws.permits.add(ctx.args.lieu, ctx.args.type, permit_fields(ctx.args))
    print(_added(permit, ws.permits.rules.type(permit.type).label))
    return 0


def cmd_permit_add_suggested(ctx: Context) -> int:
    ws = ctx.workspace()
    created = ws.permits.create_suggested(ctx.args.lieu, possible=ctx.args.possible)
    for permit in created:
        print(_added(permit, ws.permits.rules.type(permit.type).label))
    if not created:
        from scout.present.suggestions import only_possible

        name = ws.permits.facts(ctx.args.lieu).name
        possible = only_possible(
            name, ws.permits.suggest(ctx.args.lieu), how=_("add them with --possible")
        )
        print(
            possible
            or _("Location {id}: no permit to create (see `scout permit suggest`)").format(
                id=ctx.args.lieu
            )
        )
    return 0


def cmd_permit_set(ctx: Context) -> int:
    args = ctx.args
    ws = ctx.workspace()
    before = ws.permits.get(args.permit)
    permit = ws.permits.update(args.permit, permit_fields(args), args.status, args.note)
    if permit.status != before.status:
        text = _("Permit {id}: {before} → {after}").format(
            id=permit.id, before=before.status.label, after=permit.status.label
        )
    elif permit != before:
        text = _("Permit {id}: updated").format(id=permit.id)
    else:
        text = _("Permit {id}: nothing changed").format(id=permit.id)
    print(text)
    return 0


def cmd_permit_rm(ctx: Context) -> int:
    permit = ctx.workspace().permits.remove(ctx.args.permit)
    print(_("Deleted permit {id}").format(id=permit.id))
    return 0


def _row_json(r: ReviewRow) -> dict[str, Any]:
    """A review row for scripts: codes, ids, ISO dates; no label in any language."""
    return {
        "permit_id": r.permit_id,
        "lieu_id": r.lieu_id,
        "lieu": r.lieu_name,
        "arrondissement": r.arrondissement,
        "type": r.type,
        "status": r.status,
        "deadline": r.deadline.isoformat() if r.deadline else None,
        "urgency": r.urgency.name.lower(),
        "working_days_left": r.working_days_left,
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
    }


def _warning_json(w: Any) -> dict[str, Any]:
    """A warning for scripts: its code and neutral data (numbers, codes, ISO dates),
    never its sentence, which is in the language of the run."""
    out: dict[str, Any] = {"lieu_id": w.lieu_id, "permit_id": w.permit_id, "kind": w.kind}
    for key, value in (getattr(w, "data", None) or {}).items():
        out.setdefault(key, value.isoformat() if hasattr(value, "isoformat") else value)
    return out


def _print_rows(rows: list[ReviewRow]) -> None:
    table = [
        (
            pgettext("column", "URGENCY"),
            pgettext("column", "PERMIT"),
            pgettext("column", "LOCATION"),
            pgettext("column", "ARR."),
            pgettext("column", "TYPE"),
            pgettext("column", "STATUS"),
            pgettext("column", "DEADLINE"),
        )
    ]
    to_create = _("to create")
    for r in rows:
        table.append(
            (
                r.urgency.label,
                str(r.permit_id) if r.permit_id is not None else to_create,
                f"{r.lieu_name} ({r.lieu_id})",
                arrondissement_label(r.arrondissement),
                r.type_label,
                permit_status_label(r.status),
                formats.day(r.deadline),
            )
        )
    print_table(table)


def cmd_permit_list(ctx: Context) -> int:
    ws = ctx.workspace(read_only=True)
    if ctx.args.lieu is not None:
        ws.lieux.get(ctx.args.lieu)
    rows = ws.permits.review(lieu_id=ctx.args.lieu).rows
    if ctx.args.json:
        print_json([_row_json(r) for r in rows])
    elif rows:
        _print_rows(rows)
    else:
        print(
            _(
                "No permits yet. `scout permit suggest LOCATION_ID` says which ones "
                "a location needs."
            )
        )
    return 0


def cmd_permit_suggest(ctx: Context) -> int:
    ws = ctx.workspace(read_only=True)
    if ctx.args.json:
        # The facts that call for each permit, and those still unknown, as neutral data
        # (condition codes, values, fiche fields): the same bytes in every language.
        print_json(
            [
                {
                    "type": s.type.id,
                    "reasons": [dict(c) for c in s.conditions],
                    "lead": s.type.lead,
                    "lead_unit": s.type.unit,
                    "deadline": s.deadline.isoformat() if s.deadline else None,
                    "confidence": s.type.confidence,
                    "already_requested": s.requested,
                    "needed": "yes" if s.certain else "possibly",
                    "depends_on": [dict(u) for u in s.unknown],
                }
                for s in ws.permits.suggest(ctx.args.lieu)
            ]
        )
        return 0
    suggestions = ws.permits.suggest(ctx.args.lieu)
    facts = ws.permits.facts(ctx.args.lieu)
    print(_("Location {id} — {name}").format(id=facts.id, name=facts.name))
    today = ws.clock.today()
    for s in suggestions:
        line = f"• {s.type.label} — {s.type.authority}"
        if s.requested:
            line += "  " + _("(already requested)")
        print(line)
        if s.certain:
            print("    " + _("because: {reasons}").format(reasons="; ".join(s.reasons)))
        else:
            print(
                "    "
                + _("possibly needed — depends on: {facts}").format(facts="; ".join(s.depends_on))
            )
        if s.deadline is None:
            lead = _(
                "lead: {lead} before the first shoot day → no deadline until a shoot day is set"
            ).format(lead=s.type.lead_text)
        else:
            lead = _("lead: {lead} before the first shoot day → file by {day}").format(
                lead=s.type.lead_text, day=formats.day(s.deadline)
            )
        if s.deadline and s.deadline < today:
            lead += "  " + _("(PASSED)")
        print(f"    {lead}   [{confidence_label(s.type.confidence)}] {s.type.source}")
    deciding = _deciding_facts(suggestions)
    if deciding:
        print(_("Not known yet, and it decides:"))
        for fact, choices in deciding.items():
            print(f"  {fact}: " + "; ".join(f"{cond} → {label}" for cond, label in choices))
    if not suggestions:
        print(_("No permit needed by the rules in force: every fact they look at is known."))
    return 0


def _deciding_facts(suggestions: list[Any]) -> dict[str, list[tuple[str, str]]]:
    """'crew size': [('≤ 9', 'Déclaration préalable'), ('≥ 10', 'Demande AGATE')]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for s in suggestions:
        for missing in s.depends_on:
            fact, _sep, condition = str(missing).partition(" (")
            pair = (condition.rstrip(")"), s.type.label)
            if pair not in out.setdefault(fact, []):
                out[fact].append(pair)
    return out


def cmd_deadlines(ctx: Context) -> int:
    from scout.permits.deadlines import Urgency

    ws = ctx.workspace(read_only=True)
    review = ws.permits.review()
    rows = review.rows
    within = ctx.args.within
    if within is not None:
        rows = [
            r
            for r in rows
            if r.urgency is Urgency.OVERDUE
            or (r.working_days_left is not None and 0 <= r.working_days_left <= within)
        ]
    if ctx.args.json:
        print_json(
            {
                "today": ws.clock.today().isoformat(),
                "permits": [_row_json(r) for r in rows],
                "warnings": [_warning_json(w) for w in review.warnings],
            }
        )
    else:
        if rows:
            _print_rows(rows)
        else:
            print(_("No permits to show."))
        if review.warnings:
            print()
            print(_("Warnings:"))
            for w in review.warnings:
                line = _("location {id}: {message}").format(id=w.lieu_id, message=w.message)
                print(f"  {line}")
    overdue = review.overdue
    if overdue:
        n = len(overdue)
        warn(ngettext("{n} permit overdue", "{n} permits overdue", n).format(n=number(n)))
        return EXIT_OVERDUE
    return 0


def cmd_rules_check(ctx: Context) -> int:
    from pathlib import Path

    from scout.permits.rules import RulesBook, load_rules_file

    if ctx.args.file:
        rules = load_rules_file(Path(ctx.args.file))
    else:
        book = RulesBook(ctx.settings.rules_path)
        if book.error is not None:
            raise book.error
        rules = book.rules
    n = len(rules.types)
    print(
        ngettext(
            "{origin}: {n} permit type, no mistake found",
            "{origin}: {n} permit types, no mistake found",
            n,
        ).format(origin=rules.origin, n=number(n))
    )
    for t in rules.types.values():
        confidence = f"[{confidence_label(t.confidence)}]"
        print(f"  {t.id:<24} {t.lead_text:<16} {confidence:<14} {t.label}")
    return 0


def cmd_export_ics(ctx: Context) -> int:
    from scout.exports.ics import permits_calendar

    ws = ctx.workspace(read_only=True)
    data = permits_calendar(ws.permits.review().rows, ws.clock.now().astimezone(UTC))
    emit(ctx.args.output, data)
    return 0
