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
from textual.screen import ModalScreen
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
from scout.domain.lieu import SITE_KINDS, PositionSource, ScoutingStatus, Setting
from scout.errors import ValidationError, ValidationErrors
from scout.present.labels import arrondissement_name
from scout.present.lines import candidate_line
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
}
UNKNOWN = ("non renseigné", "")  # not known yet: never the same as « non » (GLOSSARY.md)
YES_NO = [UNKNOWN, ("oui", "oui"), ("non", "non")]
CHOICES: dict[str, list[tuple[str, str]]] = {
    "status": [(s.label, s.value) for s in ScoutingStatus],
    "setting": [UNKNOWN] + [(s.label, s.value) for s in Setting],  # a new lieu's is unknown
    "site_kind": [("—", "")] + [(k.replace("_", " "), k) for k in SITE_KINDS],
}
PLACEHOLDERS = {
    "shoot_days": "2026-12-03 07:30-19:00   (one per line)",
    "contacts": "Nom; rôle; téléphone; e-mail   (one per line)",
    "lat": "48.8530",
    "lon": "2.3499",
    "postcode": "75004",
    "sequences": "12, 14",
}
if TYPE_CHECKING:
    from scout.tui.app import ScoutApp

GEOCODE_DELAY_S = 0.6  # wait for a pause in typing before asking the address service
SECTIONS = {
    "": "Lieu",
    "accessibility": "Accessibilité (PMR)",
    "needs": "Besoins du tournage (autorisations)",
    "logistics": "Logistique",
}


class LieuForm(ModalScreen[FicheEntry | None]):
    """Returns the checked fiche and the position's provenance, or None when cancelled."""

    app: ScoutApp

    LABEL = "Fiche du lieu"
    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="form.save", tooltip="Check and save"),
        Binding(
            "escape",
            "cancel",
            "Annuler",
            id="form.cancel",
            tooltip="Close without saving (asks first when something was changed)",
        ),
        Binding("f1", "app.help", "Aide", id="form.help", tooltip="The keys of the form"),
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
        title = f"Modifier « {self.lieu.name} »" if self.lieu else "Nouveau lieu"
        with Vertical(id="form-box"):
            yield Static(content(title), id="form-title")
            with VerticalScroll(id="form-fields"):
                group = None
                for spec in FIELDS:
                    if spec.group != group:
                        group = spec.group
                        yield Static(SECTIONS[group], classes="form-section")
                    with Vertical(classes="field", id=f"field-{spec.key}"):
                        with Horizontal(classes="field-row"):
                            yield Label(spec.label, classes="field-label")
                            yield self._widget(spec.key, values.get(spec.key, ""))
                        yield Label("", classes="field-error", id=f"error-{spec.key}")
                        if spec.key == "address":
                            yield Label("", id="geocode-status", markup=False)
                            yield OptionList(id="address-candidates", markup=False)
            with Horizontal(id="form-buttons"):
                yield Static("Ctrl+S enregistrer · Échap annuler", id="form-hint")
                yield Button("Enregistrer", variant="primary", id="save")
                yield Button("Annuler", id="cancel")

    def _widget(self, key: str, value: str) -> Any:
        wid = f"input-{key}"
        if key in MULTILINE:
            return TextArea(
                value, id=wid, soft_wrap=True, compact=True, placeholder=PLACEHOLDERS.get(key, "")
            )
        if key in CHOICES or key in YES_NO_KEYS:
            options = CHOICES.get(key, YES_NO)
            default = options[0][1]
            return Select(
                options, value=value if value else default, allow_blank=False, id=wid, compact=True
            )
        return Input(value, placeholder=PLACEHOLDERS.get(key, ""), id=wid, compact=True)

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
            self.notify(f"{len(errors)} field(s) to correct", severity="error", timeout=4)
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

        self.app.call_from_thread(self._geocode_status, "recherche de l'adresse…")
        try:
            found = self.app.ws.geocoder.search(text)
        except GeocodingError as e:
            self.app.call_from_thread(self._geocode_status, f"{e} — le lieu sera géocodé plus tard")
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
        self._geocode_status(
            f"{len(found)} résultat(s) : choisissez pour placer le lieu"
            if found
            else "aucun résultat pour cette adresse"
        )

    @on(OptionList.OptionSelected, "#address-candidates")
    def _candidate_chosen(self, event: OptionList.OptionSelected) -> None:
        chosen = self._candidates[event.option_index]
        if chosen.outside_ile_de_france:
            from scout.tui.screens.confirm import ConfirmScreen

            question = plain(
                f"« {chosen.label} » est hors d'Île-de-France. Placer le lieu là quand même ?"
            )
            self.app.push_screen(
                ConfirmScreen(question, "Placer"), lambda yes: self._place(chosen) if yes else None
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
            "hors de Paris"
            if chosen.outside_paris
            else arrondissement_name(chosen.arrondissement)
            if chosen.arrondissement
            else ""
        )
        self._geocode_status(f"placé : {chosen.label} {('— ' + where) if where else ''}")
        self.query_one("#address-candidates", OptionList).remove_class("-visible")

    # -- actions ----------------------------------------------------------------------
    def action_save(self) -> None:
        values = self.check()
        if values is not None:
            self.dismiss(FicheEntry(values, self.position_source))

    def action_cancel(self) -> None:
        """Close; a form with changes asks first, since they would be lost."""
        if not self.changed:
            self.dismiss(None)
            return
        from scout.tui.screens.confirm import ConfirmScreen

        what = f"« {self.lieu.name} »" if self.lieu else "ce nouveau lieu"
        question = plain(f"Fermer sans enregistrer ? Les modifications de {what} seront perdues.")

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(question, "Abandonner"), answered)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
