"""The Qt-free layers (``index`` and ``reader.core``) stay free of Qt."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = ("index", "reader.core")

# Runs in a fresh interpreter so modules loaded by pytest plugins (pytest-qt) do not count.
_PROBE = r"""
import importlib, json, pkgutil, sys
imported, failed = [], {}
for top in sys.argv[1:]:
    package = importlib.import_module(top)
    imported.append(top)
    for info in pkgutil.walk_packages(package.__path__, prefix=top + "."):
        try:
            importlib.import_module(info.name)
            imported.append(info.name)
        except Exception as exc:
            failed[info.name] = f"{type(exc).__name__}: {exc}"
qt = sorted(m for m in sys.modules if m.split(".")[0] in {"PySide6", "shiboken6"})
print(json.dumps({"imported": imported, "failed": failed, "qt": qt}))
"""

_QT_NAME = re.compile(r"\b(PySide6|shiboken6)\b")


def test_importing_qt_free_layers_loads_no_qt() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, *QT_FREE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert "reader.core.model" in report["imported"]
    assert report["failed"] == {}, "modules of the Qt-free layers failed to import"
    assert report["qt"] == [], f"Qt loaded by importing {QT_FREE}: {report['qt']}"


def test_qt_free_sources_never_name_qt() -> None:
    sources = sorted((ROOT / "index").rglob("*.py")) + sorted((ROOT / "reader" / "core").rglob("*.py"))
    assert sources, "no sources found for the Qt-free layers"
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sources
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _QT_NAME.search(line)
    ]
    assert offenders == []
