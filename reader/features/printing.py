"""File ▸ Print and File ▸ Export as PDF: the open document, with or without its notes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from reader.core.model import Document
from reader.features.base import App
from reader.qt.i18n import tr
from reader.ui.wording import plural
from reader.workers.jobs import Job

if TYPE_CHECKING:
    from reader.ui.printout import PrintNote

# Qt's printing module (imported by reader.ui.printout) loads on first use, not at start-up.
NOTES_NONE = "none"


def connect(app: App) -> None:
    """Ctrl+P prints, Ctrl+Shift+P exports a PDF."""
    app.window.action("print").triggered.connect(lambda: print_open(app))
    app.window.action("export_pdf").triggered.connect(lambda: export_pdf_dialog(app))


def _notes(app: App) -> list[PrintNote]:
    from reader.ui.printout import PrintNote

    current = app.session.notes
    if current is None:
        return []
    return [
        PrintNote(n.anchor.block, n.anchor.quote, n.text, n.author)
        for n in current.notes(include_orphans=False)
    ]


def ask_mode(app: App) -> str | None:
    """Without notes, notes in the margin, or notes as endnotes (``None``: cancelled)."""
    from reader.ui.printout import NOTE_MODES

    if not _notes(app):
        return NOTES_NONE
    labels = [tr(label) for _key, label in NOTE_MODES]
    choice, ok = QInputDialog.getItem(app.window, tr("Notes in the printout"), tr("Notes:"), labels, 1, False)
    if not ok:
        return None
    return NOTE_MODES[labels.index(choice)][0] if choice in labels else NOTES_NONE


def write_pdf(document: Document, notes: list[PrintNote], path: Path, mode: str) -> int:
    """Lay out and write ``document`` as PDF at ``path`` (atomically); returns the number of pages.

    Safe in a worker thread: the text document and the printer belong to the thread that makes them.
    """
    from reader.ui.printout import build_printout, pdf_printer, print_document

    qdoc = build_printout(document, notes, mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".pdf", dir=path.parent)
    os.close(fd)
    try:
        print_document(qdoc, pdf_printer(Path(tmp)))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return qdoc.pageCount()


def export_pdf(app: App, path: Path, mode: str) -> int:
    """Write the open document to ``path`` as PDF now; returns the number of pages (0: nothing open)."""
    document = app.session.document
    return write_pdf(document, _notes(app), path, mode) if document is not None else 0


def export_pdf_job(app: App, path: Path, mode: str) -> Job[int] | None:
    """The same in a worker, so the window stays responsive on a long document."""
    document = app.session.document
    if document is None:
        return None
    notes = _notes(app)
    return Job(lambda _ctx: write_pdf(document, notes, path, mode), name="pdf")


def export_pdf_dialog(app: App) -> None:
    """Ask where and how, then write the PDF and say where it went."""
    window, document = app.window, app.session.document
    if document is None:
        window.show_error(tr("Open a document first."))
        return
    folder = str(app.settings.value("export/folder", "") or Path.home())
    stem = (document.symbol or document.title or document.id).replace("/", "_")
    path, _filter = QFileDialog.getSaveFileName(
        window, tr("Export as PDF"), str(Path(folder) / f"{stem}.pdf"), tr("PDF (*.pdf)")
    )
    if not path:
        return
    mode = ask_mode(app)
    if mode is None:
        return
    target = Path(path) if path.lower().endswith(".pdf") else Path(path + ".pdf")
    app.settings.setValue("export/folder", str(target.parent))
    job = export_pdf_job(app, target, mode)
    if job is None:
        return
    window.show_message(tr("Exporting %1…").replace("%1", str(target)))
    job.signals.finished.connect(
        lambda _rid: window.show_message(
            plural(job.result or 0, "Exported %1 (%n page).", "Exported %1 (%n pages).").replace(
                "%1", str(target)
            )
        )
    )
    job.signals.failed.connect(
        lambda _rid, msg: window.show_error(tr("The PDF could not be written: %1").replace("%1", msg))
    )
    app.runner.start(job)


def print_open(app: App) -> None:
    """The system print dialog, then print the open document."""
    try:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter
    except ImportError:
        app.window.show_error(tr("Printing is not available here; export as PDF and print that."))
        return

    from reader.ui.printout import build_printout, configure, print_document

    document = app.session.document
    if document is None:
        app.window.show_error(tr("Open a document first."))
        return
    mode = ask_mode(app)
    if mode is None:
        return
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    configure(printer)
    dialog = QPrintDialog(printer, app.window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    print_document(build_printout(document, _notes(app), mode), printer)
