"""Where lieux, permits and photos are kept: a small repository interface, its TinyDB
implementation, and the one module that knows the stored documents' shape."""

from __future__ import annotations

import os
from typing import Any

from scout.store.repository import LieuRow, Repository
from scout.store.tinydb_store import TinyDBRepository
from scout.store.tinydb_store import open_store as open_file_store

__all__ = ["LieuRow", "Repository", "TinyDBRepository", "open_store"]


def open_store(path: str | os.PathLike[str], **options: Any) -> Any:
    """The store `path` names: a `postgresql://…` URL is a team database (PostgreSQL,
    installed with `pip install 'scout[team]'`), anything else a local file."""
    text = os.fspath(path)
    if isinstance(text, str) and text.startswith(("postgresql://", "postgres://")):
        try:
            from scout.store.postgres import open_postgres
        except ImportError:
            from scout.errors import StoreError
            from scout.i18n import _

            raise StoreError(
                _(
                    "a team database (postgresql://…) needs scout's team mode: "
                    "pip install 'scout[team]'"
                )
            ) from None

        from scout.store.urls import checked_url

        return open_postgres(
            checked_url(text), read_only=bool(options.get("read_only")), user=options.get("user")
        )
    from scout.store.urls import scheme_problem

    problem = scheme_problem(text) if isinstance(text, str) else None
    if problem:
        from scout.errors import StoreError

        raise StoreError(problem)
    user = options.pop("user", None)
    store = open_file_store(path, **options)
    if user:
        store.user = user  # type: ignore[attr-defined]  # its versions' author
    return store
