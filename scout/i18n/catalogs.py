"""The catalogs' workshop, for developers: extract the messages from the code, keep the
French and the English catalogs in step with it, compile them, and say what is missing.

    python -m scout.i18n.catalogs update [--parts DIR]   # then translate what it lists
    python -m scout.i18n.catalogs check                  # what the test checks

`update` keeps every translation already made, drops the messages the code no longer
has, adds the new ones (untranslated, so `check` fails until someone translates them)
and compiles the `.mo` files that ship in the wheel. `--parts DIR` reads translations
from JSON files: a list of {"id", "plural"?, "context"?, "fr", "en"?}; without "en" the
English is the msgid itself. Babel does the extraction, the reading, the writing and the
compiling; this module only says where.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from scout.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)(?:[:!][^}]*)?\}")

Key = tuple[str, str | None]  # (msgid, context)


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every message marked in the package, in the order of the code."""
    catalog = Catalog(domain=DOMAIN)
    found = extract_from_dir(
        PACKAGE,
        method_map=[("**/i18n/catalogs.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("i18n:",),
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN)
    with path.open("rb") as f:
        return read_po(f, locale=language, domain=DOMAIN)


def _key(message: Message) -> Key:
    ident = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (str(ident), message.context)


def _parts(folder: Path | None) -> dict[str, dict[Key, object]]:
    """Translations from JSON parts: {language: {key: msgstr}}."""
    found: dict[str, dict[Key, object]] = {lang: {} for lang in LANGUAGES}
    if folder is None:
        return found
    for path in sorted(folder.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            key = (entry["id"], entry.get("context"))
            plural = entry.get("plural")
            found["fr"][key] = tuple(entry["fr"]) if plural else entry["fr"]
            english = entry.get("en") or ((entry["id"], plural) if plural else entry["id"])
            found["en"][key] = tuple(english) if plural else english
    return found


def update(parts: Path | None = None) -> dict[str, list[str]]:
    """Brings both catalogs in step with the code; returns the untranslated msgids."""
    template = extract()
    extra = _parts(parts)
    missing: dict[str, list[str]] = {}
    for language in LANGUAGES:
        old = {_key(m): m for m in read(language) if m.id}
        new = Catalog(locale=language, domain=DOMAIN, project="scout", fuzzy=False)
        for message in template:
            if not message.id:
                continue
            key = _key(message)
            string: Any = extra[language].get(key) or (old[key].string if key in old else None)
            if not _translated(string):
                string = ("", "") if message.pluralizable else ""
                missing.setdefault(language, []).append(key[0])
            new.add(
                message.id,
                string,
                message.locations,
                auto_comments=message.auto_comments,
                context=message.context,
            )
        path = po_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        write_po(buffer, new, width=100, include_lineno=False, omit_header=False)
        _write(path, buffer.getvalue())
        _write(path.with_suffix(".mo"), compiled(new))
    return missing


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _translated(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(string)
    return bool(string)


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def problems() -> list[str]:
    """What a release must not ship: a message without its French or English words, a
    stale translation, fields that differ from the msgid's, a `.mo` behind its `.po`."""
    template = {_key(m): m for m in extract() if m.id}
    found: list[str] = []
    for language in LANGUAGES:
        catalog = read(language)
        have = {_key(m): m for m in catalog if m.id}
        for key, message in template.items():
            mine = have.get(key)
            if mine is None or not _translated(mine.string) or mine.fuzzy:
                found.append(f"{language}: no translation for {key[0]!r}")
                continue
            wanted = _fields(message.id)
            if _fields(mine.string) != wanted:
                found.append(f"{language}: {key[0]!r} is translated with other {{fields}}")
        for key in have.keys() - template.keys():
            found.append(f"{language}: stale translation of {key[0]!r} (not in the code)")
        mo = po_path(language).with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            found.append(f"{language}: {mo.name} is not compiled from {po_path(language).name}")
    return found


def _fields(text: object) -> set[str]:
    texts: Iterable[object] = text if isinstance(text, tuple | list) else [text]
    return {f for t in texts for f in _FIELD.findall(str(t))}


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        parts = Path(argv[2]) if argv[1:2] == ["--parts"] and len(argv) > 2 else None
        for language, ids in update(parts).items():
            print(f"{language}: {len(ids)} to translate")
            for ident in ids:
                print(f"  {ident!r}")
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        print("\n".join(found) or "the catalogs are complete")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
