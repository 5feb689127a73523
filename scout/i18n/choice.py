"""Which language this run speaks: `--lang`, then SCOUT_LANG, then `language` in
config.toml, then the locale (LC_ALL, then LC_MESSAGES, then LANG, as POSIX reads them),
then French. A setting that names no language scout speaks is said, and the next one
decides; only `--lang`, typed for this very run, is refused outright."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scout.i18n import DEFAULT_LANGUAGE, N_, language_of


@dataclass(frozen=True)
class Choice:
    language: str
    origin: str  # "--lang", "SCOUT_LANG", the config file, "LANG"…, or "default"
    # (msgid, {fields}) for what was set and could not be used: said once chosen
    notes: tuple[tuple[str, dict[str, str]], ...] = field(default=())


_IGNORED = N_("{origin}: {value!r} is not a language scout speaks (fr, en); ignored")


def split_flag(argv: Sequence[str], flag: str = "--lang") -> tuple[str | None, list[str]]:
    """The value of `--lang` (the first one), and the arguments without it: the language
    is chosen before argparse runs (the help is written in it), and `--lang` may come
    anywhere on the line (`scout list --lang en`). Nothing after `--` is an option.
    `flag`: another option read the same way (`--production`)."""
    value: str | None = None
    rest: list[str] = []
    taking = ended = False
    for arg in argv:
        if taking:
            value, taking = (arg if value is None else value), False
        elif ended or (arg != flag and not arg.startswith(flag + "=")):
            ended = ended or arg == "--"
            rest.append(arg)
        elif arg == flag:
            taking = True
        elif value is None:
            value = arg.partition("=")[2]
    return value, rest


def flag_value(argv: Sequence[str]) -> str | None:
    return split_flag(argv)[0]


def choose(
    flag: str | None,
    environ: Mapping[str, str] | None = None,
    config: Path | None = None,
) -> Choice:
    """Raises ValueError when `--lang` names no language scout speaks."""
    env = os.environ if environ is None else environ
    notes: list[tuple[str, dict[str, str]]] = []
    if flag is not None:
        language = language_of(flag)
        if language is None:
            raise ValueError(flag)
        return Choice(language, "--lang")
    for origin, value in (("SCOUT_LANG", env.get("SCOUT_LANG")), _configured(config, notes)):
        if value:
            language = language_of(value)
            if language:
                return Choice(language, origin, tuple(notes))
            notes.append((_IGNORED, {"origin": origin, "value": value}))
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:  # the first one set decides, even C or a language scout lacks
            return Choice(language_of(value) or DEFAULT_LANGUAGE, name, tuple(notes))
    return Choice(DEFAULT_LANGUAGE, "default", tuple(notes))


def _configured(
    config: Path | None, notes: list[tuple[str, dict[str, str]]]
) -> tuple[str, str | None]:
    """`language = "en"` at the top of config.toml; an unreadable file is said, not fatal:
    the command the person typed does not depend on it."""
    if config is None or not config.is_file():
        return (str(config), None)
    try:
        value = tomllib.loads(config.read_text(encoding="utf-8")).get("language")
    except (OSError, UnicodeDecodeError, RecursionError, tomllib.TOMLDecodeError):
        notes.append(
            (
                N_("{origin}: cannot be read; its language setting is ignored"),
                {"origin": str(config)},
            )
        )
        return (str(config), None)
    if value is not None and not isinstance(value, str):
        notes.append((_IGNORED, {"origin": str(config), "value": str(value)}))
        return (str(config), None)
    return (str(config), value)
