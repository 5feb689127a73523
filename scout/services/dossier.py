"""What a dossier de repérage holds, read from the workspace: the production, the décors
asked for, their candidate lieux with pictures and permits. No text for a person here
(that is `scout.exports.dossier.compose`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from scout.domain import Lieu, Photo, Production
from scout.errors import NotFound
from scout.i18n import _

if TYPE_CHECKING:
    from scout.permits.review import Review
    from scout.services.workspace import Workspace


@dataclass(frozen=True)
class LieuFile:
    """One candidate lieu and what goes with it."""

    lieu: Lieu
    photos: list[Photo]
    review: Review


@dataclass(frozen=True)
class DecorFile:
    name: str
    lieux: list[LieuFile] = field(default_factory=list)


@dataclass(frozen=True)
class DossierData:
    production: Production | None
    decors: list[DecorFile]
    today: date  # the day the dossier is made
    thumbnails: Path  # where the thumbnails are cached, by content hash


def thumbnail_folder(ws: Workspace) -> Path:
    """The thumbnails' cache: beside the database, one file per picture content."""
    return Path(ws.settings.db_path).parent / "thumbnails"


def gather(
    ws: Workspace, decor: str | None = None, lieu_ids: list[int] | None = None
) -> DossierData:
    """The dossier of one décor (by name, any case), of some lieux (by id, grouped by their
    décor), or of every décor. Raises NotFound for an unknown décor or lieu."""
    if lieu_ids:
        chosen = [ws.lieux.get(i) for i in dict.fromkeys(lieu_ids)]  # NotFound for an unknown id
    else:
        rows = ws.lieux.rows()
        if not rows:
            raise NotFound(_("No locations yet: nothing to put in a dossier."))
        if decor is not None:
            wanted = decor.strip().casefold()
            ids = [r.id for r in rows if r.decor.strip().casefold() == wanted]
            if not ids:
                known = sorted({r.decor for r in rows if r.decor})
                raise NotFound(
                    _("No décor named «{decor}». Décors: {known}").format(
                        decor=decor, known=", ".join(f"«{k}»" for k in known) or "—"
                    )
                )
        else:
            ids = [r.id for r in rows]
        chosen = [ws.lieux.get(i) for i in ids]
    if not chosen:
        raise NotFound(_("No locations yet: nothing to put in a dossier."))
    decors: dict[str, DecorFile] = {}
    for lieu in sorted(chosen, key=lambda x: (not x.retained, x.name.casefold(), x.id or 0)):
        assert lieu.id is not None
        entry = LieuFile(lieu, ws.photos.of_lieu(lieu.id), ws.permits.review(lieu_id=lieu.id))
        decors.setdefault(lieu.decor, DecorFile(lieu.decor)).lieux.append(entry)
    productions = {p.id: p for p in ws.lieux.productions()}
    production = next(
        (productions[x.production_id] for x in chosen if x.production_id in productions), None
    )
    return DossierData(
        production=production,
        decors=sorted(decors.values(), key=lambda d: d.name.casefold()),
        today=ws.clock.today(),
        thumbnails=thumbnail_folder(ws),
    )
