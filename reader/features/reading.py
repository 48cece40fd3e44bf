"""Reading: open a document in a worker, show it where the reader left it, and remember the position."""

from __future__ import annotations

from collections.abc import Callable

from reader.core.annotations import DocumentNotes
from reader.core.model import Document
from reader.features import notes as notes_feature
from reader.features.base import App
from reader.qt.i18n import tr
from reader.workers.jobs import Job, JobContext


def connect(app: App) -> None:
    """Reading position: status bar, remembered per document, followed by the contents tree."""
    view, window = app.window.view, app.window

    def moved(block_id: str) -> None:
        document = app.session.document
        if document is None:
            return
        block = document.get_block(block_id)
        path = " › ".join(document.path(block_id)) if block is not None else ""
        label = view.paragraph_label(block_id)
        window.position_label.setText(f"{label}  {path}".strip())
        window.contents.follow(block_id)
        app.settings.setValue(f"positions/{document.id}", block_id)

    view.position_changed.connect(moved)
    app.session.document_opened.connect(lambda _doc: moved(view.position()))


def save_position(app: App) -> None:
    """Remember where the reader is in the open document."""
    if app.session.document is not None:
        block = app.window.view.position()
        if block:
            app.settings.setValue(f"positions/{app.session.doc_id}", block)


def open_document(
    app: App, doc_id: str, block: str | None = None, then: Callable[[], None] | None = None
) -> None:
    """Load a document (and its notes) in a worker, then show it at ``block`` or where the reader left it.

    ``then`` runs after the document is shown, or after loading failed.
    """

    def load(_ctx: JobContext) -> tuple[Document, DocumentNotes]:
        document = app.library.load(doc_id)
        return document, app.store.open_document(doc_id, document)

    job: Job[tuple[Document, DocumentNotes]] = Job(load, name="open")

    def shown(_rid: int) -> None:
        _show_document(app, job.result, block)
        if then is not None:
            then()

    def failed(_rid: int, msg: str) -> None:
        app.window.show_error(tr("Could not open the document: %1").replace("%1", msg))
        if then is not None:
            then()

    job.signals.finished.connect(shown)
    job.signals.failed.connect(failed)
    app.runner.start(job)


def _show_document(app: App, loaded: tuple[Document, DocumentNotes] | None, block: str | None) -> None:
    if loaded is None:
        return
    document, notes = loaded
    save_position(app)
    notes_feature.flush(app)
    if app.session.notes is not None and app.session.notes is not notes:
        app.session.notes.remove_listener(app.session_listener)  # type: ignore[attr-defined]
    app.session.document = document
    app.session.notes = notes
    notes.add_listener(app.session_listener)  # type: ignore[attr-defined]
    app.undo.clear()
    position = block or str(app.settings.value(f"positions/{document.id}", "") or "") or None
    app.window.view.show_document(document, position)
    app.settings.setValue("session/document", document.id)
    app.session.document_opened.emit(document.id)
    if notes.problems:
        app.window.show_error(notes.problems[-1].message())
