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


# `mysql://…` (a Path made of it keeps one slash: `mysql:/…`); two letters at least, so
# that a Windows drive (C:/) is a file
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+):/")
_ANY_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]+:/+[^:/@?#]*):[^/@?#]*@")


def scheme_problem(location: str) -> str | None:
    """What is wrong with a `scheme://…` location that is not a team database URL
    (`mysql://…`, `http://…`), said without its password; None for anything else."""
    from scout.i18n import _

    found = _SCHEME.match(location)
    if not found or found.group(1).lower() in ("postgresql", "postgres"):
        return None
    return _(
        "{location}: scout cannot use a «{scheme}» database; a team database is "
        "postgresql://… and a local one a file name. Nothing was changed."
    ).format(
        location=_PASSWORD_IN_QUERY.sub(r"\1***", _ANY_PASSWORD.sub(r"\1:***@", location)),
        scheme=found.group(1),
    )


def checked_url(url: str) -> str:
    """A team database URL that libpq can read, or StoreError naming what is wrong, the
    URL shown without its password (libpq's own message repeats the URL as given)."""
    from scout.errors import StoreError
    from scout.i18n import _

    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:  # without the team packages: open_store says what to install
        return url
    try:
        conninfo_to_dict(url)
    except Exception as e:  # psycopg.ProgrammingError: a URL libpq cannot parse
        reason = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        reason = _hide_password(reason.replace(url, masked(url)), url)
        raise StoreError(
            _(
                "{location} is not a database URL scout can read ({reason}). Nothing was changed."
            ).format(location=_hide_password(masked(url), url), reason=reason)
        ) from None
    return url


def _hide_password(text: str, url: str) -> str:
    """`text` with the URL's password, wherever it still shows, replaced by ***."""
    found = re.match(r"^[^:]+://[^:/@?#]*:([^@/?#]+)@", url)
    secrets = [found.group(1)] if found else []
    secrets += re.findall(r"[?&]password=([^&#]+)", url, re.IGNORECASE)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text
