"""The bin: a deleted lieu kept whole (its permits and the links to its pictures) until
the scout brings it back. Nothing a scout deletes disappears silently."""

from __future__ import annotations

from dataclasses import dataclass

from scout.domain.lieu import Lieu
from scout.domain.permit import Permit
from scout.i18n import ngettext


@dataclass(frozen=True, slots=True)
class Binned:
    lieu: Lieu
    permits: tuple[Permit, ...]
    photo_ids: tuple[int, ...]  # pictures that were the lieu's (they stay imported)
    deleted_at: str

    def summary(self) -> str:
        """« 2 permits, 3 pictures » — what went with the lieu."""
        parts = []
        if self.permits:
            n = len(self.permits)
            parts.append(ngettext("{n} permit", "{n} permits", n).format(n=n))
        if self.photo_ids:
            n = len(self.photo_ids)
            parts.append(ngettext("{n} picture", "{n} pictures", n).format(n=n))
        return ", ".join(parts)
