"""The layers import only downward: ``index`` and ``reader.core`` stay free of Qt, models stand below widgets.

See docs/ARCHITECTURE.md for the layer table these rules hold.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = ("index", "reader.core")
QT = ("PySide6", "shiboken6")
ABOVE_MODELS = ("reader.ui", "reader.features", "reader.app")

# Each layer (a package, as a folder under ROOT) and the modules it must never import.
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "index": QT,
    "reader/core": QT,
    "reader/qt": ("reader.models", "reader.workers", *ABOVE_MODELS),
    "reader/models": ABOVE_MODELS,
    "reader/workers": ABOVE_MODELS,
    "reader/ui": ("reader.features", "reader.app"),
    "reader/features": ("reader.app",),
}

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


def module_name(path: Path, root: Path) -> str:
    """Dotted module name of a source file below ``root`` (a package's ``__init__`` is the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every module a source file imports (line, dotted name), anywhere in it, relative imports resolved.

    ``from a import b`` yields both ``a`` and ``a.b``, since ``b`` may be a module.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package.pop()
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if alias.name != "*"]
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def layer_violations(root: Path, forbidden: dict[str, tuple[str, ...]]) -> list[str]:
    """``file:line imports name`` for every import of a forbidden module by a layer under ``root``."""

    def banned(name: str, prefixes: tuple[str, ...]) -> bool:
        return any(name == p or name.startswith(p + ".") for p in prefixes)

    offenders: set[str] = set()
    for folder, prefixes in forbidden.items():
        for path in sorted((root / folder).rglob("*.py")):
            for line, name in imported_modules(path, root):
                if banned(name, prefixes):
                    offenders.add(f"{path.relative_to(root).as_posix()}:{line} imports {name}")
    return sorted(offenders)


def test_layers_import_only_downward() -> None:
    for folder in FORBIDDEN:
        assert any((ROOT / folder).rglob("*.py")), f"no sources found under {folder}"
    assert layer_violations(ROOT, FORBIDDEN) == []


@pytest.mark.parametrize(
    ("path", "source", "offence"),
    [
        ("reader/models/bad.py", "from reader.ui.theme import LIGHT\n", "imports reader.ui.theme"),
        ("reader/models/bad.py", "from reader import ui\n", "imports reader.ui"),
        ("reader/models/bad.py", "from ..ui import mainwindow\n", "imports reader.ui"),
        ("reader/models/bad.py", "def f():\n    import reader.features.notes\n", "imports reader.features"),
        ("reader/models/sub/__init__.py", "from ...features import base\n", "imports reader.features"),
        ("index/bad.py", "import PySide6.QtCore\n", "imports PySide6.QtCore"),
        ("index/bad.py", "from shiboken6 import isValid\n", "imports shiboken6"),
        ("reader/core/bad.py", "from PySide6 import QtCore\n", "imports PySide6"),
        ("reader/core/bad.py", "importlib.import_module('PySide6.QtGui')\n", "imports PySide6.QtGui"),
    ],
)
def test_layer_check_catches_a_bad_import(tmp_path: Path, path: str, source: str, offence: str) -> None:
    bad = tmp_path / path
    bad.parent.mkdir(parents=True)
    bad.write_text(source, encoding="utf-8")
    offenders = layer_violations(tmp_path, FORBIDDEN)
    assert offenders, f"{path} with {source!r} passed the layer check"
    assert any(o.startswith(f"{path}:") and offence in o for o in offenders), offenders


def test_layer_check_allows_downward_and_lookalike_imports(tmp_path: Path) -> None:
    (tmp_path / "reader" / "models").mkdir(parents=True)
    (tmp_path / "reader" / "models" / "ok.py").write_text(
        "from reader.qt.theme import LIGHT\nfrom reader.core import model\nimport reader.uikit\n"
        "from . import notes\n",
        encoding="utf-8",
    )
    assert layer_violations(tmp_path, FORBIDDEN) == []
