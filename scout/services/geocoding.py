"""Lieux waiting for a position: saved with their address while there was no signal,
placed when the address service answers, never placed twice, never over a later edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scout.domain import Lieu
from scout.geocoding.candidates import Candidate
from scout.geocoding.errors import GeocodingError, GeocodingUnavailable
from scout.services.lieux import LieuService, Service, version

if TYPE_CHECKING:
    from scout.geocoding.service import GeocodingService

# An answer is taken without asking when it is this sure and clearly ahead of the next one.
SURE_SCORE = 0.6
CLEAR_LEAD = 0.1


def clear_choice(candidates: list[Candidate]) -> Candidate | None:
    """The candidate to take without asking the scout, if there is one."""
    if not candidates:
        return None
    best = candidates[0]
    if best.score < SURE_SCORE or best.outside_ile_de_france:
        return None
    if len(candidates) > 1 and best.score - candidates[1].score < CLEAR_LEAD:
        return None
    return best


@dataclass
class QueueReport:
    placed: list[Lieu] = field(default_factory=list)
    ambiguous: list[tuple[Lieu, list[Candidate]]] = field(default_factory=list)
    not_found: list[Lieu] = field(default_factory=list)
    edited_meanwhile: list[Lieu] = field(default_factory=list)
    unreachable: str = ""  # why the rest is still waiting

    @property
    def waiting(self) -> int:
        return len(self.ambiguous) + len(self.not_found)


def resolve_queue(
    lieux: LieuService,
    geocoder: GeocodingService,
    only: list[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> QueueReport:
    """Geocode the lieux waiting in the queue (or just `only`), as far as the network
    allows. Stops at the first sign that the service cannot be reached."""
    report = QueueReport()
    pending = [lieu for lieu in lieux.pending_geocoding() if only is None or lieu.id in only]
    seen = {lieu.id: version(lieu) for lieu in pending}
    for done, lieu in enumerate(pending, start=1):
        try:
            candidates = geocoder.search(lieu.address)
        except GeocodingUnavailable as e:
            report.unreachable = str(e)
            break
        except GeocodingError:
            report.not_found.append(lieu)
            continue
        finally:
            if progress:
                progress(done, len(pending))
        choice = clear_choice(candidates)
        if choice is None:
            if candidates:
                report.ambiguous.append((lieu, candidates))
            else:
                report.not_found.append(lieu)
            continue
        assert lieu.id is not None  # read from the store: it has its id
        placed = lieux.apply_geocoding(
            lieu.id,
            seen[lieu.id],
            choice.lat,
            choice.lon,
            choice.postcode,
        )
        (report.placed if placed else report.edited_meanwhile).append(placed or lieu)
    return report


class GeocodingQueue(Service):
    """The lieux waiting for a position, and the geocoder of the workspace. Lookups run
    outside the workspace's lock: a slow answer never holds the others up."""

    def resolve(
        self,
        only: list[int] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> QueueReport:
        return resolve_queue(self.ws.lieux, self.ws.geocoder, only, progress)

    def pending(self) -> list[Lieu]:
        return self.ws.lieux.pending_geocoding()
