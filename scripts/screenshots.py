"""Render the main window in its states to PNG (offscreen).

States: reading, search, notes, dark, Chinese UI, the File menu after an export,
and a second window on the same library (read-only).

Usage: ``python scripts/screenshots.py [OUT_DIR]`` (default ``screenshots/``).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QFileDialog

from reader.app import App, build, load_bundled_fonts, shutdown, start
from reader.core.library import Library


def wait(qapp: QApplication, done: Callable[[], bool], timeout: float = 60.0) -> None:
    """Process events until ``done()`` or the timeout."""
    end = time.monotonic() + timeout
    while not done() and time.monotonic() < end:
        qapp.processEvents()
        time.sleep(0.005)
    for _ in range(20):
        qapp.processEvents()


def prepare(argv: list[str]) -> tuple[QApplication, Path]:
    """The application (with the bundled fonts) and the output folder: ``argv[1]`` or ``screenshots/``."""
    out = Path(argv[1] if len(argv) > 1 else "screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    load_bundled_fonts()
    return qapp, out


def started(qapp: QApplication, library: Library, *, search: bool = True) -> App:
    """A 1400×880 window on ``library``, started: its document shown and, with ``search``, search ready."""
    app = build(library)
    app.window.resize(1400, 880)
    start(app)
    wait(qapp, lambda: app.session.document is not None and (app.session.search_ready or not search))
    return app


def shoot(qapp: QApplication, app: App, out: Path, name: str) -> None:
    """Let the window settle and save it."""
    wait(qapp, lambda: False, 0.4)
    path = out / f"{name}.png"
    app.window.grab().save(str(path))
    print(path)


def shoot_menu(qapp: QApplication, app: App, out: Path, name: str, menu_index: int) -> None:
    """Save the window with one of its menus open (a menu is its own window, so paint it in)."""
    window = app.window
    menu = window.menus[menu_index]
    bar = window.menuBar()
    action_rect = bar.actionGeometry(menu.menuAction())
    menu.popup(bar.mapToGlobal(action_rect.bottomLeft()))
    wait(qapp, lambda: False, 0.3)
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(window.mapFromGlobal(menu.pos()) + QPoint(0, 0), menu.grab())
    painter.end()
    menu.close()
    path = out / f"{name}.png"
    picture.save(str(path))
    print(path)


def main(argv: list[str]) -> int:
    """Produce every screenshot; returns 0."""
    qapp, out = prepare(argv)
    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "library")
        app = started(qapp, library)
        view = app.window.view
        view.scroll_to_block("h7.1")
        shoot(qapp, app, out, "reading")

        panel = app.window.search
        panel.box.setText("维和情报")
        panel.flush()
        wait(qapp, lambda: app.last_results is not None and app.last_results.total > 0)
        panel.results.setCurrentIndex(panel.model.hit_index(1))
        panel.hit_requested.emit(app.session.doc_id, str(panel.model.hit_index(1).data(258 + 1)))
        view.step_hit(1)
        shoot(qapp, app, out, "search")

        doc = app.session.document
        assert doc is not None
        for block, phrase, colour, text in (
            ("p63", "维和情报监视和侦察工作人员手册", "yellow", "问：情报协调机制覆盖几个特派团？"),
            ("p65", "维和情报和积极主动的地区控制", "green", ""),
        ):
            start_at = doc.block(block).text.index(phrase)
            view.select_range(block, start_at, start_at + len(phrase))
            app.window.action("add_note").trigger()
            notes = app.session.notes
            assert notes is not None
            note_id = app.window.notes.current_note()
            if text:
                app.window.notes.edit_requested.emit(note_id, text)
            app.window.notes.colour_requested.emit(note_id, colour)
        view.scroll_to_offset("p63", 0)
        view.moveCursor(view.textCursor().MoveOperation.Start)
        view.scroll_to_block("h7.4")
        app.window.search.box.clear()
        panel.flush()
        wait(qapp, lambda: view.hit_count == 0, 5)
        shoot(qapp, app, out, "notes")

        app.window.action("dark").setChecked(True)
        shoot(qapp, app, out, "dark")
        app.window.action("dark").setChecked(False)

        app.window.language_requested.emit("zh_CN")
        shoot(qapp, app, out, "chinese_ui")
        app.window.language_requested.emit("en")

        exports = Path(tmp) / "exports"
        exports.mkdir()
        target = exports / "statement.docx"
        original = QFileDialog.getSaveFileName
        QFileDialog.getSaveFileName = staticmethod(  # type: ignore[method-assign]
            lambda *_a, **_k: (str(target), "Word document (*.docx)")
        )
        try:
            app.window.action("export_notes").trigger()
            wait(qapp, lambda: "exported" in app.window.status_label.text(), 10)
        finally:
            QFileDialog.getSaveFileName = original  # type: ignore[method-assign]
        shoot_menu(qapp, app, out, "file_menu_after_export", 0)

        second = started(qapp, library)
        second.window.view.scroll_to_block("h7.4")
        shoot(qapp, second, out, "read_only_second_window")
        second.window.close()
        shutdown(second)
        app.window.close()
        shutdown(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
