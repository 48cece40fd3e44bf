"""Library: the document list with note counts, opening from it, and importing files in a worker."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from reader.core.errors import ImportFailed
from reader.core.library import DocumentRecord, ImportResult
from reader.features import reading, search
from reader.features.base import App
from reader.qt.i18n import tr
from reader.ui.wording import plural
from reader.workers.jobs import Job, JobContext
from reader.workers.notes import count_job


def connect(app: App) -> None:
    """Open documents from the Library panel; import by menu, Ctrl+O or drag-and-drop."""
    window = app.window
    panel = window.library
    panel.document_requested.connect(lambda doc: reading.open_document(app, doc))
    app.session.document_opened.connect(lambda doc: panel.select_document(doc))

    def choose() -> None:
        folder = str(app.settings.value("import/folder", "") or Path.home())
        files, _filter = QFileDialog.getOpenFileNames(
            window, tr("Import documents"), folder, tr("Documents (*.txt *.md *.docx *.pdf)")
        )
        if files:
            # The next import starts where this one was.
            app.settings.setValue("import/folder", str(Path(files[0]).parent))
            import_files(app, [Path(f) for f in files])

    window.action("import").triggered.connect(choose)
    window.action("open_document").triggered.connect(lambda: open_from_library(app))
    panel.import_requested.connect(lambda files: import_files(app, [Path(str(f)) for f in files]))
    panel.import_cancel_requested.connect(lambda: app.import_job.cancel() if app.import_job else None)


def open_from_library(app: App) -> None:
    """File ▸ Open from the library (Ctrl+Shift+O): type part of a title or symbol, Enter.

    Someone cites A/77/123 across the table: the picker lists what the Library pane
    lists (no disk read), filtered as you type.
    """
    records = app.window.library.model.all_records()
    if not records:
        app.window.show_message(tr("The library is empty: import documents first (Ctrl+O)."))
        return
    from reader.ui.document_picker import pick_document

    picked = pick_document(records, tr("Open from the library"), tr("Document to open:"), app.window)
    if picked is not None:
        reading.open_document(app, picked)


def import_files(app: App, files: Sequence[Path]) -> None:
    """Import files in a worker with progress and cancel; then refresh, index and open the last one."""
    if app.import_job is not None:
        app.window.show_error(tr("An import is already running."))
        return
    panel, window = app.window.library, app.window
    files = list(files)

    def run(ctx: JobContext) -> list[ImportResult | ImportFailed]:
        return app.library.import_files(files, progress=ctx.progress, cancelled=ctx.cancelled)

    job: Job[list[ImportResult | ImportFailed]] = Job(run, name="import")
    app.import_job = job
    panel.set_importing(True, len(files))
    window.show_message(plural(len(files), "Importing %n file…", "Importing %n files…"))
    job.signals.progress.connect(lambda _rid, done, total: panel.set_progress(done, total))

    def ended(message: str) -> None:
        app.import_job = None
        panel.set_importing(False)
        refresh_library(app)
        results = job.result or []
        failures = [r for r in results if isinstance(r, ImportFailed)]
        done = [r for r in results if isinstance(r, ImportResult)]
        text = message or plural(len(files), "Imported %1 of %n file.", "Imported %1 of %n files.").replace(
            "%1", str(len(done))
        )
        remarks = [remark for r in done for remark in r.remarks]
        if failures:
            # Every failure stays in Messages with its file and reason; the panel opens to show them.
            # The first stays in the status bar too: a passing notice ("Search is ready.") leaves it.
            for failure in failures:
                window.messages.add(str(failure), "error")
            more = len(failures) - 1
            rest = " " + plural(more, "(%n more in Messages)", "(%n more in Messages)") if more else ""
            window.show_error(f"{text} {failures[0]}{rest}", record=False)
            window.show_messages()
        elif remarks:
            window.show_message(f"{text} {remarks[0]}")
        else:
            window.show_message(text)
        if done:
            # Only then: "Search is ready." from an index sync would replace the refusal shown above.
            search.start_indexing(app)
            reading.open_document(app, done[-1].record.id)

    job.signals.finished.connect(lambda _rid: ended(""))
    job.signals.cancelled.connect(lambda _rid: ended(tr("Import cancelled.")))
    job.signals.failed.connect(lambda _rid, msg: ended(tr("Import failed: %1").replace("%1", msg)))
    app.runner.start(job)


def refresh_library(
    app: App, records: list[DocumentRecord] | None = None, *, count_notes: bool = True
) -> None:
    """Re-read the document list (or show ``records``, just read by a worker), then count notes in a worker.

    ``count_notes=False`` leaves the count to the caller (start-up counts after the first paint).
    """
    if records is None:
        records = app.library.documents()
    panel = app.window.library
    panel.model.set_records(records)
    panel.select_document(app.session.doc_id)
    for remark in app.library.take_remarks():
        app.window.show_message(remark)
    for problem in app.library.problems:
        if problem.reason not in app.reported:
            app.reported.add(problem.reason)
            app.window.show_error(problem.reason)
    if count_notes:
        refresh_note_counts(app)


def refresh_note_counts(app: App) -> None:
    """Count every document's notes from its files in a worker (the open one from memory)."""
    model = app.window.library.model
    doc_ids = [model.doc_id(r) for r in range(model.rowCount())]
    if not doc_ids:
        return
    previous = app.jobs.get("count")
    for running in app.runner.running():
        if running.request_id == previous:
            running.cancel()
    job = count_job(app.store, doc_ids)
    app.jobs["count"] = job.request_id

    def counted(_rid: int) -> None:
        if app.jobs.get("count") != job.request_id or job.result is None:
            return  # a newer count was asked for meanwhile
        app.jobs.pop("count", None)
        counts = dict(job.result)
        # Unsaved edits of the open document are not on disk yet.
        if app.session.notes is not None and app.session.doc_id in counts:
            counts[app.session.doc_id] = len(app.session.notes.notes())
        model.set_note_counts(counts)

    job.signals.finished.connect(counted)
    job.signals.failed.connect(lambda _rid, msg: app.window.show_error(msg))
    app.runner.start(job)
