"""Notes files: File ▸ Export notes (Markdown or Word) and File ▸ Import colleague's notes, in workers."""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.core.annotations import ExportFilter
from reader.features import library
from reader.features import notes as notes_feature
from reader.features.base import App
from reader.qt.i18n import tr
from reader.workers.notes import export_job, merge_job


def connect(app: App) -> None:
    """File ▸ Export notes (Markdown or Word) and File ▸ Import colleague's notes, both in workers."""
    app.window.action("export_notes").triggered.connect(lambda: export_notes(app))

    def choose() -> None:
        folder = str(app.settings.value("import_notes/folder", "") or Path.home())
        path, _filter = QFileDialog.getOpenFileName(
            app.window, tr("Import colleague's notes"), folder, tr("Briefing Reader notes (*.yaml *.yml)")
        )
        if path:
            app.settings.setValue("import_notes/folder", str(Path(path).parent))
            merge_notes(app, Path(path))

    app.window.action("import_notes").triggered.connect(choose)


def merge_notes(app: App, path: Path) -> None:
    """Merge a colleague's annotation file in a worker; report what changed and refresh the views."""
    window = app.window
    if app.jobs.get("merge"):
        window.show_error(tr("A merge is already running."))
        return
    notes_feature.flush(app)
    job = merge_job(app.store, path, app.guard.lock)
    app.jobs["merge"] = job.request_id
    window.show_message(tr("Merging %1…").replace("%1", path.name))

    def ended() -> None:
        app.jobs.pop("merge", None)

    def merged(_rid: int) -> None:
        ended()
        if job.result is None:
            return
        doc_id, report = job.result
        title = doc_id
        with contextlib.suppress(KeyError):
            title = app.library.record(doc_id).title
        window.show_message(
            tr("Merged %1 into “%2”: %3 added, %4 updated, %5 deleted.")
            .replace("%1", path.name)
            .replace("%2", title)
            .replace("%3", str(len(report.added)))
            .replace("%4", str(len(report.updated)))
            .replace("%5", str(len(report.deleted)))
        )
        if doc_id == app.session.doc_id:
            notes_feature.refresh(app)
        library.refresh_note_counts(app)

    def failed(_rid: int, message: str) -> None:
        ended()
        window.show_error(tr("The notes could not be merged: %1").replace("%1", message))

    job.signals.finished.connect(merged)
    job.signals.failed.connect(failed)
    app.runner.start(job)


def _export_target(path: str, word_chosen: bool) -> tuple[Path, str]:
    # A typed .md/.docx suffix wins; otherwise the dialog's filter decides and supplies the suffix.
    target = Path(path)
    suffix = target.suffix.lower().lstrip(".")
    if suffix in ("md", "docx"):
        return target, suffix
    fmt = "docx" if word_chosen else "md"
    return target.with_name(f"{target.name}.{fmt}"), fmt


def _export_filter(app: App) -> ExportFilter | None:
    """Ask whether to export only what the Notes pane's filter shows (None: every note)."""
    window = app.window
    tag, colour = window.notes.filter_choice()
    if not (tag or colour):
        return None
    shown = " ".join(x for x in (f"#{tag}" if tag else "", tr(colour) if colour else "") if x)
    answer = QMessageBox.question(
        window,
        tr("Export notes"),
        tr("The Notes pane shows only %1. Export only those notes?").replace("%1", shown),
    )
    if answer == QMessageBox.StandardButton.Yes:
        return ExportFilter.of(tags=[tag] if tag else (), colours=[colour] if colour else ())
    return None


def export_notes(app: App) -> None:
    """Ask where to save, whether to keep the Notes pane's filter, then export in a worker."""
    window, notes, document = app.window, app.session.notes, app.session.document
    if notes is None or document is None:
        window.show_error(tr("Open a document first."))
        return
    folder = str(app.settings.value("export/folder", "") or Path.home())
    stem = (document.symbol or document.title or document.id).replace("/", "_")
    markdown, word = tr("Markdown (*.md)"), tr("Word document (*.docx)")
    path, chosen = QFileDialog.getSaveFileName(
        window, tr("Export notes"), str(Path(folder) / f"{stem} {tr('notes')}"), f"{markdown};;{word}"
    )
    if not path:
        return
    target, fmt = _export_target(path, chosen == word)
    filter_ = _export_filter(app)
    app.settings.setValue("export/folder", str(target.parent))
    job = export_job(notes, target, fmt, filter_, app.guard.lock)
    window.show_message(tr("Exporting notes to %1…").replace("%1", str(target)))
    job.signals.finished.connect(
        lambda _rid: window.show_message(
            tr("Notes exported to %1 (notes and bookmarks: %2).")
            .replace("%1", str(target))
            .replace("%2", str(job.result or 0))
        )
    )
    job.signals.failed.connect(
        lambda _rid, msg: window.show_error(tr("The notes could not be exported: %1").replace("%1", msg))
    )
    app.runner.start(job)
