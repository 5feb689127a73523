"""The fiche of a lieu as a form: add or edit, with each error shown beside its field.

The form checks everything with the same fiche parser as the CLI before it closes, so
what it hands back can be saved as it is.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from scout.domain import Lieu
from scout.domain.fiche import FIELDS, apply_fiche, fiche_values, parse_fiche
from scout.domain.lieu import SITE_KINDS, ScoutingStatus, Setting
from scout.errors import ValidationError, ValidationErrors

MULTILINE = {"shoot_days", "contacts", "notes"}
YES_NO_KEYS = {"retained", "step_free", "lift", "accessible_toilets", "disabled_parking_nearby",
               "loges", "drone", "traffic_control"}
YES_NO = [("non évalué", ""), ("oui", "oui"), ("non", "non")]
CHOICES: dict[str, list[tuple[str, str]]] = {
    "status": [(s.label, s.value) for s in ScoutingStatus],
    "setting": [(s.label, s.value) for s in Setting],
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
SECTIONS = {"": "Lieu", "accessibility": "Accessibilité (PMR)",
            "needs": "Besoins du tournage (autorisations)", "logistics": "Logistique"}


class LieuForm(ModalScreen[dict[str, Any] | None]):
    """Returns the fiche as typed (checked), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Enregistrer", id="form.save", tooltip="Check and save"),
        Binding("escape", "cancel", "Annuler", id="form.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, lieu: Lieu | None = None) -> None:
        super().__init__()
        self.lieu = lieu

    def compose(self) -> ComposeResult:
        values = fiche_values(self.lieu) if self.lieu else {}
        title = f"Modifier « {self.lieu.name} »" if self.lieu else "Nouveau lieu"
        with Vertical(id="form-box"):
            yield Static(title, id="form-title")
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
            with Horizontal(id="form-buttons"):
                yield Static("Ctrl+S enregistrer · Échap annuler",
                             id="form-hint")
                yield Button("Enregistrer", variant="primary", id="save")
                yield Button("Annuler", id="cancel")

    def _widget(self, key: str, value: str) -> Any:
        wid = f"input-{key}"
        if key in MULTILINE:
            return TextArea(value, id=wid, soft_wrap=True, compact=True,
                            placeholder=PLACEHOLDERS.get(key, ""))
        if key in CHOICES or key in YES_NO_KEYS:
            options = CHOICES.get(key, YES_NO)
            default = options[0][1]
            return Select(options, value=value if value else default, allow_blank=False, id=wid,
                          compact=True)
        return Input(value, placeholder=PLACEHOLDERS.get(key, ""), id=wid, compact=True)

    def on_mount(self) -> None:
        self.query_one("#input-name", Input).focus()

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

    def check(self) -> dict[str, Any] | None:
        """The raw fiche if every field is right; otherwise show the errors, return None."""
        raw = self.raw()
        errors: list[ValidationError] = []
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
        return raw

    # -- actions ----------------------------------------------------------------------
    def action_save(self) -> None:
        raw = self.check()
        if raw is not None:
            self.dismiss(raw)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
