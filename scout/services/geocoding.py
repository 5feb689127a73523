"""Lieux waiting for a position: saved with their address while there was no signal,
placed when the address service answers, never placed twice, never over a later edit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from scout.domain import Lieu
from scout.errors import ScoutError
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
    # Why the rest is still waiting, as a person reads it: a Reason (its `kind` for JSON).
    unreachable: str = ""

    @property
    def waiting(self) -> int:
        return len(self.ambiguous) + len(self.not_found)


@dataclass(frozen=True)
class Answer:
    """What the address service said about one waiting lieu."""

    lieu: Lieu
    seen: str  # version(lieu) when the question was asked
    candidates: list[Candidate]
    failed: bool = False  # the service could not answer for this one


def look_up(
    pending: list[Lieu],
    geocoder: GeocodingService,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Answer], str]:
    """Ask the address service about each waiting lieu, as far as the network allows.
    Touches no database: the caller holds no lock meanwhile. Returns the answers and,
    if the service could not be reached, why the rest is still waiting (a Reason: the
    text in the language of the run, its `kind` for scripts)."""
    answers: list[Answer] = []
    for done, lieu in enumerate(pending, start=1):
        try:
            answers.append(Answer(lieu, version(lieu), geocoder.search(lieu.address)))
        except GeocodingUnavailable as e:
            return answers, e.reason()
        except GeocodingError:
            answers.append(Answer(lieu, version(lieu), [], failed=True))
        finally:
            if progress:
                progress(done, len(pending))
    return answers, ""


def apply_answers(lieux: LieuService, answers: list[Answer], unreachable: str = "") -> QueueReport:
    """Place the lieux whose answer is clear, unless edited since the question."""
    report = QueueReport(unreachable=unreachable)
    for answer in answers:
        lieu, candidates = answer.lieu, answer.candidates
        choice = clear_choice(candidates)
        if choice is None:
            if candidates:
                report.ambiguous.append((lieu, candidates))
            else:
                report.not_found.append(lieu)
            continue
        assert lieu.id is not None  # read from the store: it has its id
        try:
            placed = lieux.apply_geocoding(
                lieu.id, answer.seen, choice.lat, choice.lon, choice.postcode
            )
        except ScoutError:  # the lieu went away, or the answer does not fit: it waits
            report.not_found.append(lieu)
            continue
        (report.placed if placed else report.edited_meanwhile).append(placed or lieu)
    return report


def resolve_queue(
    lieux: LieuService,
    geocoder: GeocodingService,
    only: list[int] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> QueueReport:
    """Geocode the lieux waiting in the queue (or just `only`), as far as the network
    allows. Stops at the first sign that the service cannot be reached."""
    pending = [lieu for lieu in lieux.pending_geocoding() if only is None or lieu.id in only]
    answers, unreachable = look_up(pending, geocoder, progress)
    return apply_answers(lieux, answers, unreachable)


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
