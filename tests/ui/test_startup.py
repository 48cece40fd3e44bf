"""Start-up loads only what the first paint needs: the cores of features not yet used load on first use.

Each probe runs in a fresh interpreter, so modules pytest (or another test) imported do not count.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Starts the real window on a fresh library, waits for the first document, paints it, and reports
# which modules are loaded at that moment.
_PROBE = r"""
import json, sys
from PySide6.QtWidgets import QApplication
from reader.app import build, shutdown, start
from reader.core.library import Library
qapp = QApplication(sys.argv[:1])
app = build(Library.open(sys.argv[1]))
start(app)
while app.session.document is None:
    qapp.processEvents()
app.window.view.viewport().repaint()
loaded = sorted(sys.modules)
app.window.close()
shutdown(app)
print(json.dumps(loaded))
"""

DEFERRED = (
    "reader.core.compare",  # the first comparison or notes review
    "reader.core.align",  # the first side-by-side window
    "reader.ui.parallel_view",
    "reader.core.goto",  # the first Go to, or query typed in the search box
    "reader.core.citation",  # the first copy with citation or note editor
    "reader.ui.goto_dialog",
    "reader.ui.note_editor",  # the first note
    "index.engine",  # the first search (jieba and numpy under it)
    "importlib.metadata",  # never: the Qt guard reads PySide6's own version
)


# Imports the composition root only: what every start pays before the window can be built.
_IMPORT_PROBE = r"""
import json, sys
import reader.app
print(json.dumps(sorted(sys.modules)))
"""

AFTER_THE_WINDOW = (
    "reader.core.parsing",  # the first document is parsed in a worker once the window is up
    "reader.core.parser",
)


def _loaded(library: Path, probe: str = _PROBE) -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BRIEFING_READER_HOME": str(library.parent / "home")}
    proc = subprocess.run(
        [sys.executable, "-c", probe, str(library)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    loaded: list[str] = json.loads(proc.stdout.strip().splitlines()[-1])
    return loaded


def test_first_paint_loads_no_core_of_a_feature_not_yet_used(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path / "library")
    assert "reader.ui.readingview" in loaded  # the probe did start the reader
    early = [m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED)]
    assert early == []


def test_importing_the_app_loads_no_parser() -> None:
    loaded = _loaded(Path("unused"), _IMPORT_PROBE)
    assert "reader.app" in loaded
    early = [m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED + AFTER_THE_WINDOW)]
    assert early == []
