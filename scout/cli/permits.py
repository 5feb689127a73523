"""`scout permit …`, `scout deadlines`, `scout rules check`, `scout export ics`."""

from __future__ import annotations

import sys
from datetime import UTC
from typing import Any

from scout.cli.context import Context, print_json, print_table, warn
from scout.cli.options import add_permit_fields, lieu_id, permit_fields, permit_id
from scout.permits.review import ReviewRow
from scout.present.labels import arrondissement_label, day, permit_status_label

EXIT_OVERDUE = 5  # `scout deadlines`: some permit is overdue (for cron and scripts)


def add_permit_commands(sub: Any) -> None:
    permit = sub.add_parser("permit", help="permits and arrêtés of a lieu")
    psub = permit.add_subparsers(title="permit commands", metavar="ACTION", required=True)

    p = psub.add_parser("add", help="add a permit to a lieu")
    p.add_argument("lieu", type=lieu_id, metavar="LIEU_ID")
    p.add_argument(
        "--type", required=True, help="a permit type of the rules (see `scout rules check`)"
    )
    add_permit_fields(p)
    p.set_defaults(func=cmd_permit_add)

    p = psub.add_parser("set", help="change a permit's status or fields (history is kept)")
    p.add_argument("permit", type=permit_id, metavar="PERMIT_ID")
    p.add_argument(
        "--status",
        help="to_request, in_preparation, filed, under_review, granted, "
        "granted_with_conditions, refused, cancelled, expired",
    )
    p.add_argument("--note", default="", help="a note for the history")
    add_permit_fields(p)
    p.set_defaults(func=cmd_permit_set)

    p = psub.add_parser("list", help="permits, of one lieu or of all")
    p.add_argument("lieu", type=lieu_id, metavar="LIEU_ID", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_permit_list)

    p = psub.add_parser("suggest", help="which permits a lieu needs, and why")
    p.add_argument("lieu", type=lieu_id, metavar="LIEU_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_permit_suggest)

    p = psub.add_parser(
        "add-suggested",
        help="create in one step the permits the rules call for that the lieu lacks",
    )
    p.add_argument("lieu", type=lieu_id, metavar="LIEU_ID")
    p.add_argument(
        "--possible",
        action="store_true",
        help="also those that depend on facts not known yet",
    )
    p.set_defaults(func=cmd_permit_add_suggested)

    p = psub.add_parser("rm", help="delete a permit")
    p.add_argument("permit", type=permit_id, metavar="PERMIT_ID")
    p.set_defaults(func=cmd_permit_rm)

    p = sub.add_parser(
        "deadlines",
        help="permits by urgency; exits 5 when one is overdue",
        description="Permits by urgency, with warnings. Exits 5 when any "
        "permit is overdue, so it can run from cron.",
    )
    p.add_argument(
        "--within",
        type=int,
        metavar="N",
        help="only permits due within N working days (and overdue ones)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_deadlines)

    rules = sub.add_parser("rules", help="the permit rules file")
    rsub = rules.add_subparsers(title="rules commands", metavar="ACTION", required=True)
    p = rsub.add_parser("check", help="check a rules file and list its permit types")
    p.add_argument("file", nargs="?", help="default: the rules in force")
    p.set_defaults(func=cmd_rules_check)

    export = sub.add_parser("export", help="export to other tools")
    esub = export.add_subparsers(title="formats", metavar="FORMAT", required=True)
    p = esub.add_parser("ics", help="deadlines and validity windows as an iCalendar file")
    p.add_argument("--output", "-o", metavar="FILE", help="default: standard output")
    p.set_defaults(func=cmd_export_ics)


def cmd_permit_add(ctx: Context) -> int:
    ws = ctx.workspace()
    permit = ws.permits.add(ctx.args.lieu, ctx.args.type, permit_fields(ctx.args))
    label = ws.permits.rules.type(permit.type).label
    print(f"Added permit {permit.id}: {label} for lieu {permit.lieu_id}")
    return 0


def cmd_permit_add_suggested(ctx: Context) -> int:
    ws = ctx.workspace()
    created = ws.permits.create_suggested(ctx.args.lieu, possible=ctx.args.possible)
    for permit in created:
        label = ws.permits.rules.type(permit.type).label
        print(f"Added permit {permit.id}: {label} for lieu {permit.lieu_id}")
    if not created:
        print(f"Lieu {ctx.args.lieu}: no permit to create (see `scout permit suggest`)")
    return 0


def cmd_permit_set(ctx: Context) -> int:
    args = ctx.args
    ws = ctx.workspace()
    before = ws.permits.get(args.permit)
    permit = ws.permits.update(args.permit, permit_fields(args), args.status, args.note)
    if permit.status != before.status:
        print(f"Permit {permit.id}: {before.status.label} → {permit.status.label}")
    elif permit != before:
        print(f"Permit {permit.id}: updated")
    else:
        print(f"Permit {permit.id}: nothing changed")
    return 0


def cmd_permit_rm(ctx: Context) -> int:
    permit = ctx.workspace().permits.remove(ctx.args.permit)
    print(f"Deleted permit {permit.id}")
    return 0


def _row_json(r: ReviewRow) -> dict[str, Any]:
    return {
        "permit_id": r.permit_id,
        "lieu_id": r.lieu_id,
        "lieu": r.lieu_name,
        "arrondissement": r.arrondissement,
        "type": r.type,
        "type_label": r.type_label,
        "authority": r.authority,
        "status": r.status,
        "deadline": r.deadline.isoformat() if r.deadline else None,
        "urgency": r.urgency.name.lower(),
        "working_days_left": r.working_days_left,
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
    }


def _print_rows(rows: list[ReviewRow]) -> None:
    table = [("URGENCE", "PERMIT", "LIEU", "ARR.", "TYPE", "STATUT", "ÉCHÉANCE")]
    for r in rows:
        table.append(
            (
                r.urgency.label,
                str(r.permit_id) if r.permit_id is not None else "à créer",
                f"{r.lieu_name} ({r.lieu_id})",
                arrondissement_label(r.arrondissement),
                r.type_label,
                permit_status_label(r.status),
                day(r.deadline),
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
        print("No permits yet. `scout permit suggest LIEU_ID` says which ones a lieu needs.")
    return 0


def cmd_permit_suggest(ctx: Context) -> int:
    ws = ctx.workspace(read_only=True)
    suggestions = ws.permits.suggest(ctx.args.lieu)
    facts = ws.permits.facts(ctx.args.lieu)
    if ctx.args.json:
        print_json(
            [
                {
                    "type": s.type.id,
                    "label": s.type.label,
                    "authority": s.type.authority,
                    "reasons": list(s.reasons),
                    "lead": s.type.lead_text,
                    "deadline": s.deadline.isoformat() if s.deadline else None,
                    "confidence": s.type.confidence,
                    "source": s.type.source,
                    "already_requested": s.requested,
                    "needed": "yes" if s.certain else "possibly",
                    "depends_on": list(s.depends_on),
                }
                for s in suggestions
            ]
        )
        return 0
    print(f"Lieu {facts.id} — {facts.name}")
    for s in suggestions:
        done = "  (already requested)" if s.requested else ""
        print(f"• {s.type.label} — {s.type.authority}{done}")
        if s.certain:
            print(f"    because: {'; '.join(s.reasons)}")
        else:
            print(f"    possibly needed — depends on: {'; '.join(s.depends_on)}")
        late = "  (PASSED)" if s.deadline and s.deadline < ws.clock.today() else ""
        print(
            f"    lead: {s.type.lead_text} before the first shoot day → file by "
            f"{day(s.deadline)}{late}   [{s.type.confidence}] {s.type.source}"
        )
    deciding = _deciding_facts(suggestions)
    if deciding:
        print("Not known yet, and it decides:")
        for fact, choices in deciding.items():
            print(f"  {fact}: " + "; ".join(f"{cond} → {label}" for cond, label in choices))
    if not suggestions:
        print("No permit needed by the rules in force: every fact they look at is known.")
    return 0


def _deciding_facts(suggestions: list[Any]) -> dict[str, list[tuple[str, str]]]:
    """'crew size': [('≤ 9', 'Déclaration préalable'), ('≥ 10', 'Demande AGATE')]."""
    out: dict[str, list[tuple[str, str]]] = {}
    for s in suggestions:
        for missing in s.depends_on:
            fact, _, condition = missing.partition(" (")
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
                "warnings": [
                    {
                        "lieu_id": w.lieu_id,
                        "permit_id": w.permit_id,
                        "kind": w.kind,
                        "message": w.message,
                    }
                    for w in review.warnings
                ],
            }
        )
    else:
        if rows:
            _print_rows(rows)
        else:
            print("No permits to show.")
        if review.warnings:
            print("\nWarnings:")
            for w in review.warnings:
                print(f"  lieu {w.lieu_id}: {w.message}")
    overdue = review.overdue
    if overdue:
        warn(f"{len(overdue)} permit(s) overdue")
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
    print(f"{rules.origin}: {len(rules.types)} permit types, no mistake found")
    for t in rules.types.values():
        print(f"  {t.id:<24} {t.lead_text:<16} [{t.confidence}] {t.label}")
    return 0


def cmd_export_ics(ctx: Context) -> int:

    from scout.exports.ics import permits_calendar

    ws = ctx.workspace(read_only=True)
    data = permits_calendar(ws.permits.review().rows, ws.clock.now().astimezone(UTC))
    if ctx.args.output:
        from scout.files import write_atomic

        write_atomic(ctx.args.output, data)
        print(f"Wrote {ctx.args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0
