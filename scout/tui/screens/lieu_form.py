"""The fiche of a lieu as a form: add or edit, with each error shown beside its field.

The form checks everything with the same fiche parser as the CLI before it closes, so
what it hands back can be saved as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from scout.domain import Lieu
from scout.domain.fiche import (
    FIELDS,
    FicheEntry,
    FicheValues,
    apply_fiche,
    fiche_values,
    parse_fiche,
)
from scout.domain.lieu import PositionSource, ScoutingStatus, Setting, site_kind_labels
from scout.domain.values import parse_yes_no
from scout.errors import ValidationError, ValidationErrors
from scout.i18n import N_, _, ngettext, pgettext
from scout.present.labels import arrondissement_name
from scout.present.lines import candidate_line
from scout.tui.screens.base import GuardedForm
from scout.tui.text import content, plain

MULTILINE = {"shoot_days", "contacts", "notes"}
YES_NO_KEYS = {
    "retained",
    "step_free",
    "lift",
    "accessible_toilets",
    "disabled_parking_nearby",
    "loges",
    "drone",
    "traffic_control",
    "generator",
}
# Not known yet: never the same as « non » (GLOSSARY.md). The choices' values are the
# codes the fiche parser reads in either language; their labels are the run's language.
UNKNOWN = N_("not given")
CHOICE_KEYS = {"status", "setting", "site_kind"}


def choices(key: str) -> list[tuple[str, str]]:
    """(label, value) for a field chosen from a list, in the language of the run."""
    unknown = (_(UNKNOWN), "")
    if key == "status":
        return [(s.label, s.value) for s in ScoutingStatus]
    if key == "setting":
        return [unknown] + [(s.label, s.value) for s in Setting]  # a new lieu's is unknown
    if key == "site_kind":
        return [("—", "")] + [(label, kind) for kind, label in site_kind_labels().items()]
    return [unknown, (_("yes"), "yes"), (_("no"), "no")]


def yes_no_value(text: str) -> str:
    """The form's value for a yes/no field as the fiche writes it (oui, yes, …)."""
    try:
        answer = parse_yes_no(text, "")
    except ValidationError:
        return ""
    return "" if answer is None else ("yes" if answer else "no")


PLACEHOLDERS = {
    "shoot_days": N_("2026-12-03 07:30-19:00   (one per line)"),
    "contacts": N_("Name; role; phone; e-mail   (one per line)"),
}
EXAMPLES = {  # what is typed the same in every language
    "lat": "48.8530",
    "lon": "2.3499",
    "postcode": "75004",
    "sequences": "12, 14",
}
if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

GEOCODE_DELAY_S = 0.6  # wait for a pause in typing before asking the address service
SECTIONS = {
    "": N_("Location"),
    "accessibility": N_("Accessibility (PMR)"),
    "needs": N_("Shoot needs (permits)"),
    "logistics": N_("Logistics"),
}


def placeholder(key: str) -> str:
    return _(PLACEHOLDERS[key]) if key in PLACEHOLDERS else EXAMPLES.get(key, "")


class LieuForm(GuardedForm[FicheEntry | None]):
    """Returns the checked fiche and the position's provenance, or None when cancelled."""

    app: ScoutApp

    LABEL = N_("Location sheet")
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="form.save", tooltip=N_("Check and save")),
        Binding(
            "escape",
            "cancel",
            N_("Cancel"),
            id="form.cancel",
            tooltip=N_("Close without saving (asks first when something was changed)"),
        ),
        Binding("f1", "app.help", N_("Help"), id="form.help", tooltip=N_("The keys of the form")),
    ]

    def __init__(self, lieu: Lieu | None = None) -> None:
        super().__init__()
        self.lieu = lieu
        self.position_source = PositionSource.TYPED
        self._geocode_timer: Timer | None = None
        self._candidates: list[Any] = []
        self._opened_with: dict[str, Any] = {}  # the fields as the form opened

    def compose(self) -> ComposeResult:
        # A field that holds control characters (saved before they were refused, or
        # imported) shows them as visible escapes, which is also what a save keeps.
        values = {k: plain(v) for k, v in fiche_values(self.lieu).items()} if self.lieu else {}
        title = _("Edit “{name}”").format(name=self.lieu.name) if self.lieu else _("New location")
        with Vertical(id="form-box"):
            yield Static(content(title), id="form-title")
            with VerticalScroll(id="form-fields"):
                group = None
                for spec in FIELDS:
                    if spec.group != group:
                        group = spec.group
                        yield Static(_(SECTIONS[group]), classes="form-section")
                    with Vertical(classes="field", id=f"field-{spec.key}"):
                        with Horizontal(classes="field-row"):
                            yield Label(spec.label, classes="field-label")
                            widget = self._widget(spec.key, values.get(spec.key, ""))
                            widget.tooltip = spec.help  # what to type, in words
                            yield widget
                        yield Label("", classes="field-error", id=f"error-{spec.key}")
                        if spec.key == "address":
                            yield Label("", id="geocode-status", markup=False)
                            yield OptionList(id="address-candidates", markup=False)
            with Horizontal(id="form-buttons"):
                yield Static(_("Ctrl+S save · Esc cancel"), id="form-hint")
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Cancel"), id="cancel")

    def _widget(self, key: str, value: str) -> Any:
        wid = f"input-{key}"
        if key in MULTILINE:
            return TextArea(
                value, id=wid, soft_wrap=True, compact=True, placeholder=placeholder(key)
            )
        if key in CHOICE_KEYS or key in YES_NO_KEYS:
            options = choices(key)
            if key in YES_NO_KEYS:
                value = yes_no_value(value)
            if not value:
                value = options[0][1]  # a new lieu's: unknown, or the first status
            elif value not in {v for _label, v in options}:
                options.append((value, value))  # kept as it is (a code scout no longer has)
            return Select(options, value=value, allow_blank=False, id=wid, compact=True)
        return Input(value, placeholder=placeholder(key), id=wid, compact=True)

    def on_mount(self) -> None:
        self.query_one("#input-name", Input).focus()
        self._opened_with = self.raw()

    @property
    def changed(self) -> bool:
        """Something was typed or chosen since the form opened."""
        return self.raw() != self._opened_with

    # -- reading the form -------------------------------------------------------------
    def raw(self) -> dict[str, Any]:
        raw: dict[str, Any] = {}
        for spec in FIELDS:
            widget = self.query_one(f"#input-{spec.key}")
            if isinstance(widget, TextArea):
                text = widget.text
                raw[spec.key] = text.splitlines() if spec.key != "notes" else text
            elif isinstance(widget, Select):
                raw[spec.key] = "" if widget.value is Select.BLANK else str(widget.value)
            else:
                raw[spec.key] = widget.value  # type: ignore[attr-defined]
        if not str(raw["lat"]).strip() and not str(raw["lon"]).strip():
            raw.pop("lat"), raw.pop("lon")  # no position yet: that is allowed
        return raw

    def check(self) -> FicheValues | None:
        """The checked fiche if every field is right; otherwise show the errors, return None."""
        raw = self.raw()
        errors: list[ValidationError] = []
        values: FicheValues = {}
        try:
            values = parse_fiche(raw)
            apply_fiche(self.lieu or Lieu(name=values["name"]), values)
        except ValidationErrors as e:
            errors = e.errors
        except ValidationError as e:
            errors = [e]
        by_key: dict[str, str] = {}
        for err in errors:
            by_key.setdefault(err.field.split(" ")[0], err.message)
        for spec in FIELDS:
            label = self.query_one(f"#error-{spec.key}", Label)
            label.update(by_key.get(spec.key, ""))
            self.query_one(f"#field-{spec.key}").set_class(spec.key in by_key, "-invalid")
        if errors:
            first = next(s.key for s in FIELDS if s.key in by_key)
            self.query_one(f"#input-{first}").focus()
            n = len(errors)
            self.notify(
                ngettext("{n} field to correct", "{n} fields to correct", n).format(n=n),
                severity="error",
                timeout=4,
            )
            return None
        return values

    # -- the address, geocoded as the scout types ---------------------------------------
    @on(Input.Changed, "#input-address")
    def _address_changed(self, event: Input.Changed) -> None:
        if self._geocode_timer is not None:
            self._geocode_timer.stop()
        text = event.value.strip()
        if len(text) < 5:
            return
        self._geocode_timer = self.set_timer(GEOCODE_DELAY_S, lambda: self.find(text))

    @work(thread=True, exclusive=True, exit_on_error=False, group="geocode")
    def find(self, text: str) -> None:
        from scout.geocoding.errors import GeocodingError

        self.app.call_from_thread(self._geocode_status, _("looking up the address…"))
        try:
            found = self.app.ws.geocoder.search(text)
        except GeocodingError as e:
            later = _("{error} — the location will be geocoded later").format(error=e)
            self.app.call_from_thread(self._geocode_status, later)
            return
        self.app.call_from_thread(self._show_candidates, text, found)

    def _geocode_status(self, text: str) -> None:
        self.query_one("#geocode-status", Label).update(content(text))  # the service's words

    def _show_candidates(self, text: str, found: list[Any]) -> None:
        if self.query_one("#input-address", Input).value.strip() != text:
            return  # the scout typed on: this answer is for an older question
        self._candidates = found
        options = self.query_one("#address-candidates", OptionList)
        options.clear_options()
        options.add_options([Option(content(candidate_line(c))) for c in found])
        options.set_class(bool(found), "-visible")
        n = len(found)
        self._geocode_status(
            ngettext(
                "{n} result: choose it to place the location",
                "{n} results: choose one to place the location",
                n,
            ).format(n=n)
            if found
            else _("no result for this address")
        )

    @on(OptionList.OptionSelected, "#address-candidates")
    def _candidate_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = self._candidates[event.option_index]
        if chosen.outside_ile_de_france:
            from scout.tui.screens.confirm import ConfirmScreen

            question = plain(
                _(
                    "“{place}” is outside Île-de-France. Place the location there all the same?"
                ).format(place=chosen.label)
            )
            self.app.push_screen(
                ConfirmScreen(question, pgettext("button", "Place it")),
                lambda yes: self._place(chosen) if yes else None,
            )
            return
        self._place(chosen)

    def _place(self, chosen: Any) -> None:
        self.query_one("#input-lat", Input).value = f"{chosen.lat:.6f}"
        self.query_one("#input-lon", Input).value = f"{chosen.lon:.6f}"
        if chosen.postcode:
            self.query_one("#input-postcode", Input).value = chosen.postcode
        self.position_source = PositionSource.GEOCODED
        where = (
            _("outside Paris")
            if chosen.outside_paris
            else arrondissement_name(chosen.arrondissement)
            if chosen.arrondissement
            else ""
        )
        self._geocode_status(
            _("placed: {place} — {where}").format(place=chosen.label, where=where)
            if where
            else _("placed: {place}").format(place=chosen.label)
        )
        self.query_one("#address-candidates", OptionList).remove_class("-visible")

    # -- actions ----------------------------------------------------------------------
    def action_save(self) -> None:
        values = self.check()
        if values is not None and self.app.live.offline:  # the team database is away
            from scout.tui.live import offline_refusal

            self.notify(offline_refusal(), severity="error", timeout=8)  # the form stays
            return
        if values is not None:
            self.dismiss(FicheEntry(values, self.position_source))

    def discard_question(self) -> str:
        if self.lieu:
            return _("Close without saving? The changes to “{name}” will be lost.").format(
                name=self.lieu.name
            )
        return _("Close without saving? This new location will be lost.")
