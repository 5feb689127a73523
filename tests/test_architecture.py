"""The layers a reader can see: the domain, store and geo never import the UI."""

from __future__ import annotations

import ast
import subprocess
import sys
import tempfile
from pathlib import Path


def _modules_after(imports: str) -> set[str]:
    code = f"{imports}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )  # the installed package, not the tree
    return set(out.stdout.split())


def test_domain_store_geo_and_services_never_import_textual() -> None:
    loaded = _modules_after(
        "import scout.domain, scout.domain.fiche, scout.store.documents, scout.store, "
        "scout.geo, scout.services, scout.demo, scout.present.sheets, scout.present.labels"
    )
    assert not {m for m in loaded if m.split(".")[0] == "textual"}


def test_the_command_line_starts_without_heavy_imports() -> None:
    loaded = _modules_after("import scout.cli, scout.geo, scout.store")
    heavy = {"shapely", "numpy", "pyproj", "geopy", "textual", "httpx", "phonenumbers"}
    assert not heavy & {m.split(".")[0] for m in loaded}


def test_the_command_line_starts_without_babel() -> None:
    """Dates and numbers are formatted by Babel, imported when first used: `scout --version`
    must not pay for it."""
    loaded = _modules_after("import scout.cli, scout.geo, scout.store, scout.services, scout.i18n")
    assert "babel" not in {m.split(".")[0] for m in loaded}


_GETTEXT = {"_", "ngettext", "pgettext"}


def _translation_mistakes(tree: ast.Module) -> list[tuple[int, str]]:
    """`_()` run at import time (the language is chosen later), and messages the catalogs
    cannot hold (an f-string, a concatenation, or text formatted before its translation)."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, at_import: bool) -> None:
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in _GETTEXT:
            if at_import:
                found.append((node.lineno, "translated at import time: mark it N_()"))
            for arg in node.args:
                if isinstance(arg, ast.JoinedStr | ast.BinOp) or (
                    isinstance(arg, ast.Call) and getattr(arg.func, "attr", None) == "format"
                ):
                    found.append((node.lineno, "a message built before its translation"))
        if isinstance(node, ast.If) and isinstance(node.test, ast.Constant) and not node.test.value:
            body = node.orelse  # `if False:` lists messages for the extractor, never runs
            for child in body:
                visit(child, at_import)
            return
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for default in [*node.args.defaults, *node.args.kw_defaults]:
                if default is not None:
                    visit(default, at_import)
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator, at_import)
            body = node.body if isinstance(node.body, list) else [node.body]
            for child in body:
                visit(child, False)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, at_import)

    visit(tree, True)
    return found


def test_messages_are_translated_when_shown_never_at_import() -> None:
    package = Path(__file__).resolve().parents[1] / "scout"
    mistakes = [
        f"{path.relative_to(package.parent)}:{line}: {what}"
        for path in sorted(package.rglob("*.py"))
        for line, what in _translation_mistakes(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not mistakes, "\n".join(mistakes)
