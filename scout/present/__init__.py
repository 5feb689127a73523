"""Presentation: domain objects turned into text for a person, one place for each rule.

- `labels`: arrondissement labels and marks, statuses, dates, history lines;
- `sheets`: a lieu's fiche, a place's location, a lieu's permits, as lines;
- `photos`: pictures and sun under the fiche;
- `lines`: one line per geocoding candidate and per photo proposal.

Shared by the CLI, the TUI and the exports; imports no user interface.
"""
