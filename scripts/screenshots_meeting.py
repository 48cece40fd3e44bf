"""Render the meeting-ready states to PNG (offscreen), for issue 12's closing note.

States: a "Go to ¶37" row in the search box, the Ctrl+G dialog, the reading view's context menu, margin
marks for a bookmark and notes, the note editor with its quote, the Messages list after failed imports,
a small window whose side docks yielded, full-screen reading, the shortcuts and About dialogs, search in
document order with "…" snippets and "Show more", and PDF pages with margin notes and endnotes (when
``pdftoppm`` is installed).

Usage: ``python scripts/screenshots_meeting.py [OUT_DIR]`` (default ``screenshots/``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from reader.app import App, shutdown
from reader.core.library import Library
from reader.features import annotating, frame, navigation, printing
from reader.models.search import SORT_ORDER
from reader.ui.printout import NOTES_END, NOTES_MARGIN
from screenshots import prepare, shoot, started, wait


def save(widget: QWidget, out: Path, name: str) -> None:
    """Save one widget (a dialog) as it is drawn."""
    path = out / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def with_popup(qapp: QApplication, app: App, popup: QWidget, at: QPoint, out: Path, name: str) -> None:
    """The window with a popup (a menu or dialog, its own window) painted in at ``at``."""
    wait(qapp, lambda: False, 0.3)
    picture = app.window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(at, popup.grab())
    painter.end()
    path = out / f"{name}.png"
    picture.save(str(path))
    print(path)


def _page_with(pdf: Path, pages: int, text: str) -> str:
    """The first page of ``pdf`` whose text holds ``text`` (pdftotext), else the first page."""
    if shutil.which("pdftotext"):
        for page in range(1, pages + 1):
            found = subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout
            if text in found.replace("\n", "").replace(" ", ""):
                return str(page)
    return "1"


def _dialog(app: App) -> QDialog:
    found = [w for w in app.window.findChildren(QDialog) if w.isVisible()]
    return found[-1]


def _goto_scenes(qapp: QApplication, app: App, out: Path, tmp: str) -> None:
    """Go to: the search box row and the Ctrl+G dialog."""
    window, _view, panel = app.window, app.window.view, app.window.search
    panel.box.setText("37")
    panel.flush()
    wait(qapp, lambda: panel.model.goto_count() > 0, 5)
    shoot(qapp, app, out, "goto_search_row")
    navigation.jump(app, "p37")
    window.action("goto").trigger()
    dialog = _dialog(app)
    dialog.findChild(QWidget, "goto_box").setText("第十条")  # type: ignore[union-attr]
    dialog.findChild(QWidget, "goto_box").setText("A.")  # type: ignore[union-attr]
    with_popup(qapp, app, dialog, QPoint(480, 200), out, "goto_dialog")
    dialog.reject()


def _annotation_scenes(qapp: QApplication, app: App, out: Path, tmp: str) -> None:
    """Context menu, margin marks, the note editor."""
    window, view, panel = app.window, app.window.view, app.window.search
    view.scroll_to_block("p36")
    wait(qapp, lambda: False, 0.3)
    view.select_range("p37", 0, 24)
    menu = view.build_context_menu(view.block_rect("p37").center())
    menu.popup(view.viewport().mapToGlobal(view.block_rect("p37").center()))
    with_popup(qapp, app, menu, view.mapTo(window, view.block_rect("p37").center()), out, "context_menu")
    menu.close()

    annotating.highlight(app, "green")
    view.select_range("p36", 3, 20)
    window.action("add_note").trigger()
    wait(qapp, lambda: False, 0.2)
    notes = app.session.notes
    assert notes is not None
    first = notes.notes()[0]
    window.notes.edit_requested.emit(first.id, "支持：请秘书处说明统计口径。")
    view.scroll_to_block("p38")
    window.action("toggle_bookmark").trigger()
    view.scroll_to_block("p35")
    panel.box.clear()
    panel.flush()
    shoot(qapp, app, out, "margin_marks")
    editor = annotating.open_editor(app, first.id)
    assert editor is not None
    with_popup(qapp, app, editor, QPoint(440, 180), out, "note_editor")
    editor.reject()


def _window_scenes(qapp: QApplication, app: App, out: Path, tmp: str) -> None:
    """Search order, Messages, small window, full screen, Help."""
    window, view, panel = app.window, app.window.view, app.window.search
    panel.box.setText("维和情报")
    panel.flush()
    wait(qapp, lambda: panel.model.hit_count() > 0, 10)
    panel.sort.setCurrentIndex(panel.sort.findData(SORT_ORDER))
    shoot(qapp, app, out, "search_document_order")

    bad = Path(tmp) / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "photo.docx").write_bytes(b"\xff\xd8\xff\xe0" + bytes(200))
    (bad / "damaged.pdf").write_bytes(b"%PDF-1.4 truncated")
    window.library.import_requested.emit([str(p) for p in sorted(bad.iterdir())])
    wait(qapp, lambda: app.import_job is None, 20)
    wait(qapp, lambda: False, 1.0)
    shoot(qapp, app, out, "messages_after_failed_import")
    window.docks["messages"].hide()

    window.resize(1024, 700)
    wait(qapp, lambda: bool(window.yielded_docks), 3)
    shoot(qapp, app, out, "small_window_docks_yielded")
    window.resize(1400, 880)
    wait(qapp, lambda: not window.yielded_docks, 3)

    window.action("zoom_in").trigger()
    window.action("zoom_in").trigger()
    window.set_reading_mode(True)
    wait(qapp, lambda: False, 0.5)
    shoot(qapp, app, out, "full_screen_zoomed")
    window.set_reading_mode(False)
    view.reset_zoom()

    shortcuts = frame.show_shortcuts(app)
    shortcuts.resize(460, 700)
    save(shortcuts, out, "help_shortcuts")
    shortcuts.reject()
    about = frame.show_about(app)
    save(about, out, "help_about")
    about.reject()


def _pdf_scenes(qapp: QApplication, app: App, out: Path, tmp: str) -> None:
    """PDF pages with margin notes and endnotes."""
    _window, _view, _panel = app.window, app.window.view, app.window.search
    for mode in (NOTES_MARGIN, NOTES_END):
        pdf = Path(tmp) / f"{mode}.pdf"
        pages = printing.export_pdf(app, pdf, mode)
        print(pdf, pages, "pages")
        if shutil.which("pdftoppm"):
            page = _page_with(pdf, pages, "统计口径") if mode == NOTES_MARGIN else str(pages)
            prefix = out / f"pdf_{mode}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "70",
                    "-png",
                    "-singlefile",
                    "-f",
                    page,
                    "-l",
                    page,
                    str(pdf),
                    str(prefix),
                ],
                check=True,
            )
            print(f"{prefix}.png")


def main(argv: list[str]) -> int:
    """Produce every screenshot; returns 0."""
    qapp, out = prepare(argv)
    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "library")
        app = started(qapp, library)
        doc = app.session.document
        assert doc is not None
        library.rename(doc.id, symbol="A/75/563")
        doc.symbol = "A/75/563"
        _goto_scenes(qapp, app, out, tmp)
        _annotation_scenes(qapp, app, out, tmp)
        _window_scenes(qapp, app, out, tmp)
        _pdf_scenes(qapp, app, out, tmp)
        app.window.close()
        shutdown(app)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
