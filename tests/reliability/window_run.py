"""Child process for the window cases: the real window, offscreen, on a library; prints what it showed.

Usage: ``python -m tests.reliability.window_run LIBRARY [FILE...]``.  The window
starts as a user's would (opening the sample, importing it first when the
library looks empty), then imports FILEs through the Library feature's worker,
and prints one JSON line: every status message shown, whether the import job
ended, and the seconds it took.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QThreadPool
from PySide6.QtWidgets import QApplication

from reader.app import build
from reader.core.library import Library
from reader.features import library as library_feature
from reader.features.lifecycle import shutdown, start


def _pump_until(done: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if callable(done) and done():
            return True
        time.sleep(0.01)
    return False


def main(argv: list[str]) -> int:
    """Run the scenario and print its JSON line."""
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    app = build(Library.open(argv[0]))
    shown: list[str] = []
    label = app.window.status_label
    show_text = label.setText

    def record(text: str) -> None:
        shown.append(text)
        show_text(text)

    label.setText = record  # type: ignore[method-assign]
    start(app)
    # As a user would: the window is up, the document shown and search ready before they import.
    started = _pump_until(lambda: app.session.document is not None and app.session.search_ready, 90)
    files = [Path(f) for f in argv[1:]]
    ended = True
    seconds = 0.0
    if files:
        t0 = time.monotonic()
        library_feature.import_files(app, files)
        ended = _pump_until(lambda: app.import_job is None, 60)
        seconds = time.monotonic() - t0
    _pump_until(None, 0.3)  # let the refresh after the import show its messages
    print(json.dumps({"started": started, "ended": ended, "seconds": seconds, "shown": shown}), flush=True)
    app.window.close()
    shutdown(app)
    QThreadPool.globalInstance().waitForDone(10_000)
    del qapp
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
