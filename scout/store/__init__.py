"""Where lieux, permits and photos are kept: a small repository interface, its TinyDB
implementation, and the one module that knows the stored documents' shape."""

from scout.store.repository import LieuRow, Repository
from scout.store.tinydb_store import TinyDBRepository, open_store

__all__ = ["LieuRow", "Repository", "TinyDBRepository", "open_store"]
