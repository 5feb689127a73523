"""The layers a reader can see: the domain, store and geo never import the UI."""

from __future__ import annotations

import subprocess
import sys
import tempfile


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
