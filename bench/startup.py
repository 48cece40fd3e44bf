"""Start-up benchmark: first paint and search-ready of the reader vs a bare PySide6 window.

Each measurement runs in a fresh interpreter (``python bench/startup.py --child MODE LIB``)
so imports are cold; the parent prints a table and writes its section of
docs/PERFORMANCE.md between the ``startup`` markers.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- startup:begin -->", "<!-- startup:end -->"
RUNS = 5
PYCACHE = Path(tempfile.gettempdir()) / "briefing-reader-bench-pycache"
"""Where the children keep compiled bytecode (outside every checkout, which stays untouched).

An installed reader starts from ``.pyc`` files; a child told not to write them
(``PYTHONDONTWRITEBYTECODE``, set in some shells) would compile every module on every start
and measure the compiler, so the children always cache bytecode here.
"""


def child(mode: str, library: str, root: Path = ROOT) -> None:
    """Measure one start of the reader in ``root`` (this checkout unless told) and print JSON.

    Besides wall-clock times, the process's CPU time at the same moments (all its threads):
    a figure other programs on a busy machine disturb far less than the wall clock.
    """
    t0 = time.perf_counter()
    c0 = time.process_time()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(root))
    if mode == "bare":
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QApplication, QLabel

        qapp = QApplication(sys.argv[:1])
        painted: list[float] = []

        class Watch(QObject):
            def eventFilter(self, obj: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and not painted:
                    painted.append(time.perf_counter() - t0)
                return False

        label = QLabel("hello")
        watch = Watch()
        label.installEventFilter(watch)
        label.show()
        while not painted:
            qapp.processEvents()
        print(json.dumps({"first_paint": painted[0]}))
        return
    from PySide6.QtWidgets import QApplication

    from reader.app import build, shutdown, start
    from reader.core.library import Library

    qapp = QApplication(sys.argv[:1])
    app = build(Library.open(library))
    start(app)
    shown = first_paint = ready = shown_cpu = first_paint_cpu = 0.0
    view = app.window.view.viewport()
    while not ready and time.perf_counter() - t0 < 120:
        qapp.processEvents()
        now = time.perf_counter() - t0
        if not first_paint and app.window.isVisible():
            first_paint, first_paint_cpu = now, time.process_time() - c0
        if not shown and app.session.document is not None:
            view.repaint()
            shown, shown_cpu = time.perf_counter() - t0, time.process_time() - c0
        if app.session.search_ready:
            ready = now
    app.window.close()
    shutdown(app)
    figures = {"first_paint": first_paint, "document_shown": shown, "search_ready": ready}
    print(json.dumps({**figures, "first_paint_cpu": first_paint_cpu, "document_shown_cpu": shown_cpu}))


def _child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPYCACHEPREFIX": str(PYCACHE)}


def measure(mode: str, library: str, root: Path = ROOT) -> dict[str, float]:
    """Run one cold child on the code in ``root`` (this checkout, or another) and parse its figures."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, library, str(root)],
        capture_output=True,
        text=True,
        check=True,
        env=_child_env(),
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("{")][-1]
    result: dict[str, float] = json.loads(line)
    return result


def alternate(other: Path, runs: int) -> int:
    """Alternate cold starts of another checkout's reader and this one; print medians, write nothing.

    Both run under this file's child (the same measurement as ``501fe04``'s bench, plus CPU
    time), each on its own code and its own library (built by one uncounted first start), so
    neither reads the other's index format; the bare window is measured in the same rounds.
    """
    rows: dict[str, list[dict[str, float]]] = {"bare": [], "other": [], "this": []}
    with tempfile.TemporaryDirectory() as tmp:
        libs = {"other": str(Path(tmp) / "other"), "this": str(Path(tmp) / "this")}
        # Uncounted: builds each library and caches each checkout's bytecode.
        measure("bare", libs["this"])
        measure("reader", libs["other"], other)
        measure("reader", libs["this"])
        for _ in range(runs):
            rows["bare"].append(measure("bare", libs["this"]))
            rows["other"].append(measure("reader", libs["other"], other))
            rows["this"].append(measure("reader", libs["this"]))

    def med(kind: str, key: str) -> str:
        values = [r[key] for r in rows[kind] if key in r]
        return f"{statistics.median(values) * 1000:.0f} ms" if values else "–"

    for kind in ("other", "this"):
        runs_ms = [f"{r['first_paint'] * 1000:.0f}/{r['document_shown'] * 1000:.0f}" for r in rows[kind]]
        print(f"{kind} (window/document, ms, in run order): {' '.join(runs_ms)}")
    print(f"load average (1, 5 min) after the runs: {os.getloadavg()[0]:.2f}, {os.getloadavg()[1]:.2f}")
    print("| start, existing library | window shown | document painted | CPU: window | CPU: document |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| bare PySide6 window (QLabel) | {med('bare', 'first_paint')} | – | – | – |")
    for kind, name in (("other", f"`{other}`"), ("this", "this checkout")):
        print(
            f"| {name} | {med(kind, 'first_paint')} | {med(kind, 'document_shown')} | "
            f"{med(kind, 'first_paint_cpu')} | {med(kind, 'document_shown_cpu')} |"
        )
    return 0


def main() -> int:
    """Run the comparison and update docs/PERFORMANCE.md."""
    rows: dict[str, list[dict[str, float]]] = {"bare": [], "first": [], "warm": []}
    with tempfile.TemporaryDirectory() as tmp:
        lib = str(Path(tmp) / "library")
        measure("bare", lib)  # uncounted: caches the bytecode
        for _ in range(RUNS):
            rows["bare"].append(measure("bare", lib))
        # First start imports the sample and builds the index; later starts reuse both.
        rows["first"].append(measure("reader", lib))
        for _ in range(RUNS):
            rows["warm"].append(measure("reader", lib))

    def med(kind: str, key: str) -> str:
        values = [r[key] for r in rows[kind] if key in r]
        return f"{statistics.median(values) * 1000:.0f} ms" if values else "–"

    table = [
        "| start | window shown (bare: first paint) | document painted | search ready |",
        "| --- | --- | --- | --- |",
        f"| bare PySide6 window (QLabel) | {med('bare', 'first_paint')} | – | – |",
        f"| reader, empty library (imports sample, builds index) | {med('first', 'first_paint')} | "
        f"{med('first', 'document_shown')} | {med('first', 'search_ready')} |",
        f"| reader, existing library | {med('warm', 'first_paint')} | {med('warm', 'document_shown')} | "
        f"{med('warm', 'search_ready')} |",
    ]
    section = "\n".join(
        [
            BEGIN,
            "## Start-up",
            "",
            f"`python bench/startup.py` — median of {RUNS} cold processes (offscreen platform), measured "
            "from interpreter start of the child, in the same run as a bare PySide6 window.",
            "Search-ready means the exact-match store is synced and jieba plus the word index are loaded; "
            "the window and the document appear before that.  The children start from cached bytecode, "
            f"as an installed reader does; load average {os.getloadavg()[0]:.2f} after the runs.",
            "",
            *table,
            END,
        ]
    )
    print("\n".join(table))
    doc = ROOT / "docs" / "PERFORMANCE.md"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        old, tail = rest.split(END, 1)
        # Subsections written by hand (the alternating comparison with a release) stay.
        kept = old[old.index("\n### ") :] if "\n### " in old else ""
        kept = "\n" + kept.strip("\n") + "\n" if kept else ""
        text = head + section.removesuffix(END) + kept + END + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], Path(sys.argv[4]) if len(sys.argv) > 4 else ROOT)
        sys.exit(0)
    if len(sys.argv) >= 3 and sys.argv[1] == "--against":
        sys.exit(alternate(Path(sys.argv[2]).resolve(), int(sys.argv[3]) if len(sys.argv) > 3 else RUNS))
    sys.exit(main())
