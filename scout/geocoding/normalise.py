"""One key per address, however it was typed: the cache never asks twice."""

from __future__ import annotations

import re

from scout.domain.values import fold

_SUFFIX = [
    (re.compile(r"\b(\d+)\s*(bis|b)\b"), r"\1 bis"),
    (re.compile(r"\b(\d+)\s*(ter|t)\b"), r"\1 ter"),
    (re.compile(r"\b(\d+)\s*(quater|q)\b"), r"\1 quater"),
]
_PUNCT = re.compile(r"[^\w\s,]")


def normalise_query(text: str) -> str:
    """'28 BIS, Rue  Buffault' and '28bis rue buffault' give the same key."""
    key = fold(_PUNCT.sub(" ", fold(text)))
    for pattern, replacement in _SUFFIX:
        key = pattern.sub(replacement, key)
    return " ".join(key.replace(",", " ").split())  # commas do not change the place
