"""Lifecycle: first document and search warm-up at start; save everything and stop workers at close."""

from __future__ import annotations

from PySide6.QtCore import QTimer

from reader.core.library import DocumentRecord
from reader.features import library, notes, read_only, reading, search
from reader.features.base import App
from reader.workers.jobs import Job, JobContext


def connect(app: App) -> None:
    """Save layout, position and notes when the window closes; quit action."""
    window = app.window
    window.action("quit").triggered.connect(window.close)
    window.closing.connect(lambda: shutdown(app))


def start(app: App) -> None:
    """Restore the layout, show the window, then open the last (or sample) document and warm up search."""
    restored = app.window.restore_state(app.settings)
    app.window.show()
    if not restored:
        app.window.apply_default_sizes()
    read_only.update(app)
    last = str(app.settings.value("session/document", "") or "")

    def first_document(_ctx: JobContext) -> tuple[str, list[DocumentRecord]]:
        # Every record is read once, here in the worker, and handed to the Library panel as it is.
        records = app.library.documents()
        if not records:
            app.library.ensure_sample()
            records = app.library.documents()
        ids = [r.id for r in records]
        return (last if last in ids else (ids[0] if ids else "")), records

    job: Job[tuple[str, list[DocumentRecord]]] = Job(first_document, name="startup")
    job.signals.finished.connect(lambda _rid: _startup_done(app, *(job.result or ("", []))))
    job.signals.failed.connect(lambda _rid, msg: app.window.show_error(msg))
    app.runner.start(job)


def _startup_done(app: App, doc_id: str, records: list[DocumentRecord]) -> None:
    if not doc_id:
        library.refresh_library(app, records)
        search.start_indexing(app)
        return
    # The document is parsed in a worker while the Library panel fills from the records read.
    # Note counts and search (jieba, the index) wait until the document is on screen: they want
    # the interpreter too, and the reader wants the text first.
    reading.open_document(app, doc_id, then=lambda: QTimer.singleShot(0, lambda: _after_first_paint(app)))
    library.refresh_library(app, records, count_notes=False)


def _after_first_paint(app: App) -> None:
    library.refresh_note_counts(app)
    search.start_indexing(app)


def shutdown(app: App) -> None:
    """Stop workers, save everything, release the notes lock (idempotent)."""
    if getattr(app, "_shut", False):
        return
    app._shut = True  # type: ignore[attr-defined]
    for timer in app.timers.values():
        timer.stop()
    app.runner.cancel_all()
    app.runner.wait(15_000)
    app.guard.drain()
    reading.save_position(app)
    app.window.save_state(app.settings)
    notes.flush(app)
    app.store.close()
    app.search.engine.close()
    app.settings.sync()
    app.language.uninstall()
