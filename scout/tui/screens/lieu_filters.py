"""The Filters panel (key f): one field per structured filter. It writes the same tokens a
person may type in the filter box (`arr:5 status:option permit:late…`), so what the
panel does can be read, changed and remembered as text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from scout.domain.lieu import ScoutingStatus
from scout.i18n import N_, _
from scout.present.lieu_filter import (
    PERMIT_STATES,
    RETAINED,
    compose_filter,
    free_text,
    parse_date,
    parse_query,
)
from scout.tui.text import content, day_text


def permit_state_name(state: str) -> str:
    """A permit state as the panel offers it."""
    return {
        "none": _("No permit"),
        "to_create": _("To create (the rules call for it)"),
        "to_file": _("To file (to request, in preparation)"),
        "late": _("Late (deadline passed)"),
        "filed": _("Filed, awaiting the answer"),
        "granted": _("All granted"),
        "refused": _("Refused"),
    }.get(state, state)


def _one_of(options: list[tuple[str, str]], chosen: Iterable[str], id: str) -> Select[str]:
    """A choice of the form (status, permits): the value the filter asks for when it asks
    for one, else "Any"."""
    values = sorted(chosen)
    return Select(
        options,
        value=values[0] if len(values) == 1 else Select.NULL,
        prompt=_("Any"),
        id=id,
        compact=True,
    )


class FiltersScreen(ModalScreen[str | None]):
    """Returns the filter box's new text, or None when cancelled."""

    LABEL = N_("Filters")
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="filters.cancel",
            tooltip=N_("Close without changing the filter"),
        ),
        Binding(
            "ctrl+s",
            "apply",
            N_("Apply"),
            id="filters.apply",
            tooltip=N_("Filter the list with these fields"),
        ),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        self.query_was = parse_query(text)

    def compose(self) -> ComposeResult:
        q = self.query_was
        status_options = [(m.label, m.value) for m in ScoutingStatus]
        status_options.append(("★ " + _("Retained"), RETAINED))
        with Vertical(id="filters-box"):
            yield Label(_("Filters"), id="filters-title")
            with VerticalScroll(id="filters-fields"):
                yield from self._row(
                    _("Words"), Input(free_text(self.text), id="filters-words", compact=True)
                )
                yield from self._row(
                    _("Arrondissements"),
                    Input(
                        ", ".join(str(a) for a in sorted(q.arrondissements)),
                        placeholder=_("5, 6, 11"),
                        id="filters-arr",
                        compact=True,
                    ),
                )
                yield from self._row(
                    _("Status"),
                    _one_of(status_options, q.statuses, "filters-status"),
                )
                yield from self._row(
                    _("Permits"),
                    _one_of(
                        [(permit_state_name(s), s) for s in PERMIT_STATES],
                        q.permits,
                        "filters-permit",
                    ),
                )
                yield from self._row(
                    _("Décor"),
                    Input(
                        " ".join(",".join(g) for g in q.decors), id="filters-decor", compact=True
                    ),
                )
                yield from self._row(
                    _("Tag"),
                    Input(" ".join(",".join(g) for g in q.tags), id="filters-tag", compact=True),
                )
                yield from self._row(
                    _("Shoot from"),
                    Input(
                        _iso(q.date_from),
                        placeholder=day_text(date(2026, 12, 1)),
                        id="filters-from",
                        compact=True,
                    ),
                )
                yield from self._row(
                    _("Shoot until"),
                    Input(
                        _iso(q.date_to),
                        placeholder=day_text(date(2026, 12, 31)),
                        id="filters-to",
                        compact=True,
                    ),
                )
                yield Checkbox(
                    _("Needs geocoding (an address, no position yet)"),
                    q.geocode_pending is True,
                    id="filters-geocode",
                    compact=True,
                )
                yield Checkbox(
                    _("PMR not assessed"),
                    "none" in q.pmr and len(q.pmr) == 1,
                    id="filters-pmr",
                    compact=True,
                )
            yield Label("", id="filters-error")
            with Horizontal(id="filters-buttons"):
                yield Button(_("Apply"), variant="primary", id="filters-apply", compact=True)
                yield Button(_("Clear all"), id="filters-clear", compact=True)
                yield Button(_("Cancel"), id="filters-cancel", compact=True)

    def _row(self, label: str, widget: Input | Select[str]) -> ComposeResult:
        with Horizontal(classes="filters-row"):
            yield Label(label, classes="filters-label")
            yield widget

    def on_mount(self) -> None:
        self.query_one("#filters-words", Input).focus()

    def _error(self, text: str) -> None:
        self.query_one("#filters-error", Label).update(content(text))

    def action_apply(self) -> None:
        value = self.query_one
        arrs: list[int] = []
        for part in value("#filters-arr", Input).value.replace(",", " ").split():
            number = part.lower().rstrip("erèm")
            if not number.isdigit() or not 1 <= int(number) <= 20:
                self._error(_("“{value}” is not an arrondissement (1 to 20)").format(value=part))
                value("#filters-arr", Input).focus()
                return
            arrs.append(int(number))
        days: list[date | None] = []
        for field in ("#filters-from", "#filters-to"):
            typed = value(field, Input).value.strip()
            day = parse_date(typed) if typed else None
            if typed and day is None:
                self._error(
                    _("Bad date “{value}”: write 2026-12-01 or 01/12/2026").format(value=typed)
                )
                value(field, Input).focus()
                return
            days.append(day)
        if days[0] and days[1] and days[1] < days[0]:
            self._error(_("The shoot dates end before they start."))
            return
        status_box, permit_box = value("#filters-status", Select), value("#filters-permit", Select)
        status, permit = status_box.value, permit_box.value
        text = compose_filter(
            value("#filters-words", Input).value,
            arrondissements=arrs,
            statuses=[str(status)] if not status_box.is_blank() else [],
            permits=[str(permit)] if not permit_box.is_blank() else [],
            decor=value("#filters-decor", Input).value,
            tag=value("#filters-tag", Input).value,
            date_from=days[0],
            date_to=days[1],
            geocode_pending=True if value("#filters-geocode", Checkbox).value else None,
            pmr_none=value("#filters-pmr", Checkbox).value,
        )
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#filters-apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#filters-clear")
    def _clear(self) -> None:
        self.dismiss("")

    @on(Button.Pressed, "#filters-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
