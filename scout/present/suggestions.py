"""What to say when the rules call for no permit for sure but some possibly (`T`,
`scout permit add-suggested`): how many, and the facts that decide."""

from __future__ import annotations

from typing import Any

from scout.i18n import ngettext


def deciding_facts(suggestions: list[Any]) -> list[str]:
    """The facts nobody has given yet that decide the possible permits, once each, in order
    (« crew size (≥ 10) » → « crew size »)."""
    facts: list[str] = []
    for s in suggestions:
        for missing in s.depends_on:
            fact = str(missing).partition(" (")[0].strip()
            if fact and fact not in facts:
                facts.append(fact)
    return facts


def only_possible(name: str, suggestions: list[Any], *, how: str) -> str | None:
    """« “Cour”: none needed for sure; 5 possibly needed, depending on crew size, drone —
    add them one by one with t », or None when none is possibly needed either. `how` says
    how to add them (a key, an option), in the user's words."""
    possible = [s for s in suggestions if not s.requested and not s.certain]
    if not possible:
        return None
    n = len(possible)
    return ngettext(
        "“{name}”: none needed for sure; {n} possibly needed, depending on {facts} — {how}",
        "“{name}”: none needed for sure; {n} possibly needed, depending on {facts} — {how}",
        n,
    ).format(name=name, n=n, facts=", ".join(deciding_facts(possible)), how=how)
