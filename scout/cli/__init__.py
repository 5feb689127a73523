"""The command line: one module per command group, one context built in `main`.

- `main`: the parser, the exit codes, the one place errors become messages;
- `context`: settings, the workspace (opened once, closed by `main`), output helpers;
- `options`: the fiche's options (generated from its fields), permit fields, ids;
- `lieux`, `locate`, `geocode`, `permits`, `photos`: the commands.
"""

from scout.cli.main import main

__all__ = ["main"]
