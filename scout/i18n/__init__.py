"""One language per run: French by default, English for international crews.

Messages are written in English in the code (the msgid) and marked with `_()`; the French
and the English catalogs (`scout/i18n/locale/<lang>/LC_MESSAGES/scout.po`, compiled to
`.mo` and shipped in the wheel) give the words a person reads. Both catalogs are complete:
the English one holds the words of the trade crews use in French (décor, régie, arrêté…).

Texts fixed at import time (key bindings, field labels, enum labels, argparse help built
before the language is known) are marked with `N_()` and translated where they are shown.

Only the standard library here: the domain imports this module, and `scout --version`
must stay fast. Locale formatting (Babel) is in `scout.i18n.formats`, imported on use.
"""

from __future__ import annotations

import gettext as _gettext
from dataclasses import dataclass
from pathlib import Path

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
DOMAIN = "scout"
LOCALE_DIR = Path(__file__).with_name("locale")

_language = DEFAULT_LANGUAGE
_catalog: _gettext.NullTranslations | None = None  # read on first use


def activate(language: str) -> None:
    """Use this language for the rest of the run (one of LANGUAGES)."""
    global _language, _catalog
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    if language != _language or _catalog is None:
        _language, _catalog = language, None


def current_language() -> str:
    return _language


def _load() -> _gettext.NullTranslations:
    global _catalog
    if _catalog is None:
        try:
            _catalog = _gettext.translation(DOMAIN, LOCALE_DIR, languages=[_language])
        except OSError:  # a broken install: the English msgids still read well
            _catalog = _gettext.NullTranslations()
    return _catalog


def _(message: str) -> str:
    """The message in the language of this run."""
    return (_catalog or _load()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or the plural, as the language of this run counts (0 is singular in French)."""
    return (_catalog or _load()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A short word whose translation depends on where it is shown."""
    return (_catalog or _load()).pgettext(context, message)


def N_(message: str) -> str:
    """Marks a message for the catalogs; it is translated with `_()` where it is shown."""
    return message


_NAMES = {
    "fr": "fr",
    "french": "fr",
    "francais": "fr",
    "français": "fr",
    "en": "en",
    "english": "en",
    "anglais": "en",
}


def language_of(text: str | None) -> str | None:
    """« fr », « fr_FR.UTF-8 », « French », « en_GB » → "fr" or "en"; None when the text
    names no language scout speaks (C, POSIX, de_DE…)."""
    if not text:
        return None
    word = text.strip().lower().split(".")[0].split("@")[0].replace("-", "_").split("_")[0]
    return _NAMES.get(word)


@dataclass(frozen=True, slots=True)
class Text:
    """A text of a data file (the rules, the zones) a person reads, in French and in
    English: `str()` gives it in the language of the run, or in the other one when the
    file gives only that one. A plain string in the file is one text for both languages,
    shown as it is."""

    fr: str = ""
    en: str = ""

    @classmethod
    def plain(cls, text: str) -> Text:
        return cls(text, text)

    def in_language(self, language: str) -> str:
        if language == "en":
            return self.en or self.fr
        return self.fr or self.en

    def __str__(self) -> str:
        return self.in_language(current_language())

    def variants(self) -> tuple[str, ...]:
        """Every language's text (to match a name the file gives in either)."""
        return tuple(dict.fromkeys(t for t in (self.fr, self.en) if t))

    def to_dict(self) -> dict[str, str]:
        """For JSON, which is the same in every language: both texts."""
        return {"fr": self.fr or self.en, "en": self.en or self.fr}

    @classmethod
    def of(cls, value: object) -> Text:
        """A plain string (one text for both languages) or a {fr, en} table, as written
        in a shipped data file (the rules file has its own, checking, reader)."""
        if isinstance(value, dict):
            return cls(str(value.get("fr", "")), str(value.get("en", "")))
        return cls.plain(str(value))
