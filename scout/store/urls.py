"""Database URLs in messages: never with their password."""

from __future__ import annotations

import re

_PASSWORD_IN_AUTHORITY = re.compile(r"^(postgres(?:ql)?://[^:/@?#]*):[^/?#]*@")
_PASSWORD_IN_QUERY = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)


def masked(url: str) -> str:
    """`postgresql://ana:secret@host/db?password=x` → `postgresql://ana:***@host/db?password=***`
    (an empty password stays as it was: there is nothing to hide)."""

    def authority(match: re.Match[str]) -> str:
        whole = match.group(0)
        return whole if whole.endswith(":@") else f"{match.group(1)}:***@"

    url = _PASSWORD_IN_AUTHORITY.sub(authority, url)
    return _PASSWORD_IN_QUERY.sub(r"\1***", url)
