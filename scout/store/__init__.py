"""Where lieux and productions are kept: a small repository interface and its TinyDB implementation."""

from scout.store.repository import LieuRow, Repository
from scout.store.tinydb_store import TinyDBRepository, open_store

__all__ = ["LieuRow", "Repository", "TinyDBRepository", "open_store"]
