"""The words of the trade that stay in French in both languages, with what they mean:
shown by `scout --help` and the help screen (F1)."""

from __future__ import annotations

from scout.i18n import N_, _

# (the word as crews say it, what it means): the word is never translated.
TERMS = (
    ("décor", N_("a place as the script needs it; several locations are candidates for one décor")),
    ("repérage", N_("location scouting: visiting and documenting candidate places")),
    ("régie", N_("the unit and location management team: bookings, permits, parking")),
    ("arrêté", N_("a City order reserving parking spaces or changing traffic for a shoot")),
    ("loges", N_("dressing-room vehicles")),
    ("PMR", N_("reduced mobility: step-free access, lifts, accessible toilets")),
    ("mairie", N_("the town hall of an arrondissement")),
)


def glossary_lines() -> list[str]:
    """« décor — … », one line a word, in the language of the run."""
    width = max(len(word) for word, _meaning in TERMS)
    return [f"{word:<{width}}  {_(meaning)}" for word, meaning in TERMS]
