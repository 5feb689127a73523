"""`scout permit …`, `scout deadlines`, `scout rules check`, `scout export ics`."""

from __future__ import annotations

import argparse
import sys
from typing import Any

EXIT_OVERDUE = 5  # `scout deadlines`: some permit is overdue (for cron and scripts)

_PERMIT_OPTIONS: list[tuple[str, str, str, bool]] = [
    # (flag, dest, help, repeated)
    ("--authority", "authority", "issuing authority (default: the type's)", False),
    ("--reference", "reference", "the authority's reference number", False),
    ("--shoot-date", "shoot_days", "a shoot day it covers, YYYY-MM-DD (repeat; default: the "
                                   "lieu's shoot days)", True),
    ("--filed-on", "filed_on", "date filed", False),
    ("--decision-on", "decision_on", "date of the decision", False),
    ("--valid-from", "valid_from", "validity start", False),
    ("--valid-to", "valid_to", "validity end", False),
    ("--deadline", "deadline_override", "override the computed filing deadline", False),
    ("--deadline-reason", "override_reason", "why the deadline is overridden", False),
    ("--conditions", "conditions", "conditions attached to the permit", False),
    ("--document", "documents", "an attached document's path (repeat)", True),
    ("--contact", "contact", "contact at the authority", False),
    ("--notes", "notes", "free notes", False),
]
_ARRETE_OPTIONS: list[tuple[str, str, str, bool]] = [
    ("--street", "street", "street of the arrêté", False),
    ("--side", "side", "pair, impair or both", False),
    ("--from-number", "from_number", "from street number", False),
    ("--to-number", "to_number", "to street number", False),
    ("--perimeter", "perimeter", "the perimeter, described", False),
    ("--spaces", "spaces", "number of parking spaces", False),
    ("--arrete-start", "start", "first day of the arrêté", False),
    ("--arrete-end", "end", "last day of the arrêté", False),
    ("--from-time", "from_time", "start time, HH:MM", False),
    ("--to-time", "to_time", "end time, HH:MM", False),
    ("--notice-posted-on", "notice_posted_on", "residents' notice posted on (≥ 3 days "
                                               "before)", False),
    ("--proof-photo", "proof_photos", "photo of the signs going up or down (repeat)", True),
]


def _add_fields(parser: argparse.ArgumentParser) -> None:
    for title, options in (("permit", _PERMIT_OPTIONS), ("arrêté", _ARRETE_OPTIONS)):
        group = parser.add_argument_group(title)
        for flag, dest, help_text, repeated in options:
            group.add_argument(flag, dest=f"f_{dest}", metavar="TEXT", help=help_text,
                               action="append" if repeated else None)


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    return {k[2:]: v for k, v in vars(args).items() if k.startswith("f_") and v is not None}


def add_permit_commands(sub: Any) -> None:
    from scout.cli import _lieu_id

    permit = sub.add_parser("permit", help="permits and arrêtés of a lieu")
    psub = permit.add_subparsers(title="permit commands", metavar="ACTION", required=True)

    p = psub.add_parser("add", help="add a permit to a lieu")
    p.add_argument("lieu", type=_lieu_id, metavar="LIEU_ID")
    p.add_argument("--type", required=True, help="a permit type of the rules (see "
                                                 "`scout rules check`)")
    _add_fields(p)
    p.set_defaults(func=cmd_permit_add)

    p = psub.add_parser("set", help="change a permit's status or fields (history is kept)")
    p.add_argument("permit", type=_lieu_id, metavar="PERMIT_ID")
    p.add_argument("--status", help="to_request, in_preparation, filed, under_review, granted, "
                                    "granted_with_conditions, refused, cancelled, expired")
    p.add_argument("--note", default="", help="a note for the history")
    _add_fields(p)
    p.set_defaults(func=cmd_permit_set)

    p = psub.add_parser("list", help="permits, of one lieu or of all")
    p.add_argument("lieu", type=_lieu_id, metavar="LIEU_ID", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_permit_list)

    p = psub.add_parser("suggest", help="which permits a lieu needs, and why")
    p.add_argument("lieu", type=_lieu_id, metavar="LIEU_ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_permit_suggest)

    p = psub.add_parser("rm", help="delete a permit")
    p.add_argument("permit", type=_lieu_id, metavar="PERMIT_ID")
    p.set_defaults(func=cmd_permit_rm)

    p = sub.add_parser("deadlines", help="permits by urgency; exits 5 when one is overdue",
                       description="Permits by urgency, with warnings. Exits 5 when any "
                                   "permit is overdue, so it can run from cron.")
    p.add_argument("--within", type=int, metavar="N",
                   help="only permits due within N working days (and overdue ones)")
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


def _permits(args: argparse.Namespace, *, read_only: bool = False) -> Any:
    from scout.clock import Clock
    from scout.permits.rules import RulesBook
    from scout.permits.service import PermitService
    from scout.settings import Settings
    from scout.store import open_store

    settings = Settings.load(args.db, args.rules)
    if settings.rules is not None and not settings.rules.exists():
        from scout.permits.rules import RulesError

        raise RulesError(str(settings.rules), None, "no such file")
    book = RulesBook(settings.rules_path)
    if book.error is not None:
        if settings.rules is not None:  # asked for by name: a mistake must stop us
            raise book.error
        print(f"scout: {book.error}; using the rules shipped with scout", file=sys.stderr)
    store = open_store(settings.db_path, read_only=read_only)
    return PermitService(store, Clock.from_env(), book)


def _date(d: Any) -> str:
    return f"{d:%d/%m/%Y}" if d else "—"


def cmd_permit_add(args: argparse.Namespace) -> int:
    service = _permits(args)
    try:
        permit = service.add(args.lieu, args.type, _fields(args))
    finally:
        service.store.close()
    print(f"Added permit {permit.id}: {service.rules.type(permit.type).label} for lieu "
          f"{permit.lieu_id}")
    return 0


def cmd_permit_set(args: argparse.Namespace) -> int:
    service = _permits(args)
    try:
        before = service.store.get_permit(args.permit)
        permit = service.update(args.permit, _fields(args), args.status, args.note)
    finally:
        service.store.close()
    if permit.status != before.status:
        print(f"Permit {permit.id}: {before.status.label} → {permit.status.label}")
    else:
        print(f"Permit {permit.id}: updated" if permit != before else
              f"Permit {permit.id}: nothing changed")
    return 0


def cmd_permit_rm(args: argparse.Namespace) -> int:
    service = _permits(args)
    try:
        permit = service.remove(args.permit)
    finally:
        service.store.close()
    print(f"Deleted permit {permit.id}")
    return 0


def _row_json(r: Any) -> dict[str, Any]:
    return {
        "permit_id": r.permit_id, "lieu_id": r.lieu_id, "lieu": r.lieu_name,
        "arrondissement": r.arrondissement, "type": r.type, "type_label": r.type_label,
        "authority": r.authority, "status": r.status,
        "deadline": r.deadline.isoformat() if r.deadline else None,
        "urgency": r.urgency.name.lower(), "working_days_left": r.working_days_left,
        "valid_from": r.valid_from.isoformat() if r.valid_from else None,
        "valid_to": r.valid_to.isoformat() if r.valid_to else None,
    }


def _print_rows(rows: list[Any]) -> None:
    from scout.cli import _print_table
    from scout.domain.permit import PermitStatus
    from scout.formatting import arrondissement_label

    table = [("URGENCE", "PERMIT", "LIEU", "ARR.", "TYPE", "STATUT", "ÉCHÉANCE")]
    for r in rows:
        table.append((r.urgency.label, str(r.permit_id), f"{r.lieu_name} ({r.lieu_id})",
                      arrondissement_label(r.arrondissement), r.type_label,
                      PermitStatus(r.status).label, _date(r.deadline)))
    _print_table(table)


def cmd_permit_list(args: argparse.Namespace) -> int:
    from scout.cli import _print_json

    service = _permits(args, read_only=True)
    if args.lieu is not None:
        service.store.get_lieu(args.lieu)
    rows = service.review(lieu_id=args.lieu).rows
    if args.json:
        _print_json([_row_json(r) for r in rows])
    elif rows:
        _print_rows(rows)
    else:
        print("No permits yet. `scout permit suggest LIEU_ID` says which ones a lieu needs.")
    return 0


def cmd_permit_suggest(args: argparse.Namespace) -> int:
    from scout.cli import _print_json

    service = _permits(args, read_only=True)
    suggestions = service.suggest(args.lieu)
    facts = service.facts(args.lieu)
    if args.json:
        _print_json([{
            "type": s.type.id, "label": s.type.label, "authority": s.type.authority,
            "reasons": list(s.reasons), "lead": s.type.lead_text,
            "deadline": s.deadline.isoformat() if s.deadline else None,
            "confidence": s.type.confidence, "source": s.type.source,
            "already_requested": s.requested,
        } for s in suggestions])
        return 0
    print(f"Lieu {facts.id} — {facts.name}")
    for s in suggestions:
        done = "  (already requested)" if s.requested else ""
        print(f"• {s.type.label} — {s.type.authority}{done}")
        print(f"    because: {'; '.join(s.reasons)}")
        print(f"    lead: {s.type.lead_text} before the first shoot day → file by "
              f"{_date(s.deadline)}   [{s.type.confidence}] {s.type.source}")
    if not suggestions:
        print("No permit needed by the rules in force for what is known of this lieu.")
    if facts.public_space and facts.crew is None:
        print("Note: the crew size is not known: give --crew-size to tell a prior "
              "declaration from a full request.")
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    from scout.cli import _print_json
    from scout.permits.deadlines import Urgency

    service = _permits(args, read_only=True)
    review = service.review()
    rows = review.rows
    if args.within is not None:
        rows = [r for r in rows if r.urgency is Urgency.OVERDUE or (
            r.working_days_left is not None and 0 <= r.working_days_left <= args.within)]
    if args.json:
        _print_json({"today": service.clock.today().isoformat(),
                     "permits": [_row_json(r) for r in rows],
                     "warnings": [{"lieu_id": w.lieu_id, "permit_id": w.permit_id,
                                   "kind": w.kind, "message": w.message}
                                  for w in review.warnings]})
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
        print(f"scout: {len(overdue)} permit(s) overdue", file=sys.stderr)
        return EXIT_OVERDUE
    return 0


def cmd_rules_check(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scout.permits.rules import RulesBook, load_rules_file
    from scout.settings import Settings

    if args.file:
        rules = load_rules_file(Path(args.file))
    else:
        book = RulesBook(Settings.load(args.db, args.rules).rules_path)
        if book.error is not None:
            raise book.error
        rules = book.rules
    print(f"{rules.origin}: {len(rules.types)} permit types, no mistake found")
    for t in rules.types.values():
        print(f"  {t.id:<24} {t.lead_text:<16} [{t.confidence}] {t.label}")
    return 0


def cmd_export_ics(args: argparse.Namespace) -> int:
    from datetime import timezone

    from scout.exports.ics import permits_calendar

    service = _permits(args, read_only=True)
    data = permits_calendar(service.review().rows,
                            service.clock.now().astimezone(timezone.utc))
    if args.output:
        from pathlib import Path

        Path(args.output).write_bytes(data)
        print(f"Wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
    return 0
