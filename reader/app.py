"""Composition root: builds the library, services and window, and wires them per feature.

Panels only emit ``*_requested`` signals; the ``connect_*`` functions below
decide what happens.  Work that can take longer than a frame (loading,
importing, indexing, searching) runs in :mod:`reader.workers`.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QUndoStack
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from index.types import NoteRecord, SearchResults
from reader.core import paths
from reader.core.annotations import (
    AddBookmark,
    AddNote,
    AnnotationStore,
    Change,
    Command,
    DeleteNote,
    DocumentNotes,
    EditNote,
    ExportFilter,
    ReadOnlyError,
    RecolourNote,
    RemoveBookmark,
    RetagNote,
)
from reader.core.errors import ImportFailed
from reader.core.library import ImportResult, Library
from reader.core.model import BlockKind, Document
from reader.ui import qtguard as _qtguard  # noqa: F401 - before any Qt call
from reader.ui.i18n import LanguageSwitcher, system_language, tr
from reader.ui.mainwindow import MainWindow
from reader.ui.readingview import Highlight
from reader.ui.theme import DARK, LIGHT, THEMES, apply_theme
from reader.ui.undo import CoreUndo
from reader.workers.jobs import Job, JobContext, JobRunner
from reader.workers.notes import NotesGuard, count_job, export_job, merge_job, reload_job
from reader.workers.search import SearchService

SETTINGS_FILE = "ui.ini"
NOTES_SAVE_DELAY_MS = 600
LOCK_REFRESH_MS = 60_000
"""How often the notes lock is touched (other machines treat a lock idle for 15 min as abandoned)."""
RELOAD_POLL_MS = 5_000
"""How often the open document's notes files are checked for changes made elsewhere."""


class Session(QObject):
    """What is open right now; views refresh on its facts rather than being poked.

    Signals:
        document_opened(str): a document (id) is now shown.
        notes_changed(str): the open document's notes or bookmarks changed (``note``, ``bookmark``, ``all``).
        search_ready_changed(bool): whether the search engine accepts queries.
    """

    document_opened = Signal(str)
    notes_changed = Signal(str)
    search_ready_changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.document: Document | None = None
        self.notes: DocumentNotes | None = None
        self.search_ready = False

    @property
    def doc_id(self) -> str:
        """Id of the open document ("" when none)."""
        return self.document.id if self.document is not None else ""


@dataclass
class App:
    """Everything the running window is made of."""

    library: Library
    settings: QSettings
    window: MainWindow
    runner: JobRunner
    session: Session
    store: AnnotationStore
    search: SearchService
    undo: QUndoStack
    language: LanguageSwitcher
    save_timer: QTimer
    guard: NotesGuard
    search_request: int = 0
    last_results: SearchResults | None = None
    import_job: Job[list[ImportResult | ImportFailed]] | None = None
    jobs: dict[str, int] = field(default_factory=dict)
    timers: dict[str, QTimer] = field(default_factory=dict)
    lock_state: str = ""
    """Why the store is read-only: "" (it is not), ``elsewhere`` (at start) or ``lost`` (taken over)."""


def settings_for(library: Library) -> QSettings:
    """The window's settings file, inside the library's config folder (so tests redirect it)."""
    library.config_dir.mkdir(parents=True, exist_ok=True)
    return QSettings(str(library.config_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def load_bundled_fonts() -> None:
    """Register fonts shipped under resources/fonts (CJK coverage on bare systems)."""
    folder = paths.resources_dir() / "fonts"
    if folder.is_dir():
        for font in sorted(folder.iterdir()):
            if font.suffix.lower() in (".ttf", ".otf", ".ttc"):
                QFontDatabase.addApplicationFont(str(font))


# ---------------------------------------------------------------- building
def build(library: Library, settings: QSettings | None = None) -> App:
    """Create the window and services for ``library`` and wire every feature (nothing started yet)."""
    settings = settings or settings_for(library)
    window = MainWindow()
    undo = QUndoStack(window)
    save_timer = QTimer(window)
    save_timer.setSingleShot(True)
    save_timer.setInterval(NOTES_SAVE_DELAY_MS)
    app = App(
        library=library,
        settings=settings,
        window=window,
        runner=JobRunner(parent=window),
        session=Session(),
        store=AnnotationStore(library, autosave=False),
        search=SearchService(library),
        undo=undo,
        language=LanguageSwitcher(),
        save_timer=save_timer,
        guard=NotesGuard(window),
    )
    connect_appearance(app)
    connect_reading(app)
    connect_contents(app)
    connect_library(app)
    connect_search(app)
    connect_notes(app)
    connect_bookmarks(app)
    connect_notes_files(app)
    connect_read_only(app)
    connect_external_changes(app)
    connect_lifecycle(app)
    return app


def start(app: App) -> None:
    """Restore the layout, show the window, then open the last (or sample) document and warm up search."""
    restored = app.window.restore_state(app.settings)
    app.window.show()
    if not restored:
        app.window.apply_default_sizes()
    _update_read_only(app)
    last = str(app.settings.value("session/document", "") or "")

    def first_document(_ctx: JobContext) -> str:
        app.library.ensure_sample()
        records = app.library.documents()
        ids = [r.id for r in records]
        return last if last in ids else (ids[0] if ids else "")

    job = Job(first_document, name="startup")
    job.signals.finished.connect(lambda _rid: _startup_done(app, job.result or ""))
    job.signals.failed.connect(lambda _rid, msg: app.window.show_error(msg))
    app.runner.start(job)


def _startup_done(app: App, doc_id: str) -> None:
    refresh_library(app)
    if doc_id:
        # Search warms up (jieba, the index) only once the document is on screen:
        # both want the interpreter, and the reader wants the text first.
        open_document(app, doc_id, then=lambda: QTimer.singleShot(0, lambda: start_indexing(app)))
    else:
        start_indexing(app)


# ---------------------------------------------------------------- documents
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
    _save_position(app)
    _flush_notes(app)
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


def refresh_library(app: App) -> None:
    """Re-read the document list, then count notes in a worker."""
    records = app.library.documents()
    panel = app.window.library
    panel.model.set_records(records)
    panel.select_document(app.session.doc_id)
    for problem in app.library.problems:
        app.window.show_error(problem.reason)
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


# ---------------------------------------------------------------- features
def connect_appearance(app: App) -> None:
    """Theme, zoom, reading width and language, restored from and saved to settings."""
    view, window, settings = app.window.view, app.window, app.settings
    theme = THEMES.get(str(settings.value("view/theme", "light")), LIGHT)
    qapp = QApplication.instance()
    if isinstance(qapp, QApplication):
        apply_theme(qapp, theme)
    view.set_theme(theme)
    window.notes.model.set_theme(theme)
    window.action("dark").setChecked(theme is DARK)
    view.set_font_size(int(str(settings.value("view/font_size", view.font_size))))
    view.set_reading_width(int(str(settings.value("view/reading_width", view.reading_width))))

    def set_dark(dark: bool) -> None:
        chosen = DARK if dark else LIGHT
        if isinstance(qapp, QApplication):
            apply_theme(qapp, chosen)
        view.set_theme(chosen)
        window.notes.model.set_theme(chosen)
        settings.setValue("view/theme", chosen.name)
        _refresh_highlights(app)

    window.action("dark").toggled.connect(set_dark)
    window.action("zoom_in").triggered.connect(lambda: view.zoom(1))
    window.action("zoom_out").triggered.connect(lambda: view.zoom(-1))
    view.zoom_changed.connect(lambda size: settings.setValue("view/font_size", size))

    def widen(step: int) -> None:
        view.set_reading_width(view.reading_width + step)
        settings.setValue("view/reading_width", view.reading_width)

    window.action("wider").triggered.connect(lambda: widen(80))
    window.action("narrower").triggered.connect(lambda: widen(-80))

    language = str(settings.value("ui/language", "") or system_language())

    def set_language(code: str) -> None:
        if not app.language.apply(code):
            window.show_error(tr("The %1 translation could not be loaded.").replace("%1", code))
        settings.setValue("ui/language", app.language.language)
        window.set_language_checked(app.language.language)
        # Messages already shown are in the old language: drop them, restate what still holds.
        window.show_message("")
        window.read_only_reason = ""
        _update_read_only(app)

    window.language_requested.connect(set_language)
    set_language(language)


def connect_reading(app: App) -> None:
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


def _save_position(app: App) -> None:
    if app.session.document is not None:
        block = app.window.view.position()
        if block:
            app.settings.setValue(f"positions/{app.session.doc_id}", block)


def connect_contents(app: App) -> None:
    """The chapter tree follows the open document and moves the view when clicked."""
    panel = app.window.contents

    def opened(_doc: str) -> None:
        panel.model.set_document(app.session.document)
        panel.follow(app.window.view.position())

    app.session.document_opened.connect(opened)
    panel.block_requested.connect(lambda block: app.window.view.scroll_to_block(block))


def connect_library(app: App) -> None:
    """Open documents from the Library panel; import by menu, Ctrl+O or drag-and-drop."""
    window = app.window
    panel = window.library
    panel.document_requested.connect(lambda doc: open_document(app, doc))
    app.session.document_opened.connect(lambda doc: panel.select_document(doc))

    def choose() -> None:
        files, _filter = QFileDialog.getOpenFileNames(
            window, tr("Import documents"), str(Path.home()), tr("Documents (*.txt *.md *.docx *.pdf)")
        )
        if files:
            import_files(app, [Path(f) for f in files])

    window.action("import").triggered.connect(choose)
    panel.import_requested.connect(lambda files: import_files(app, [Path(str(f)) for f in files]))
    panel.import_cancel_requested.connect(lambda: app.import_job.cancel() if app.import_job else None)


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
    window.show_message(tr("Importing %1 files…").replace("%1", str(len(files))))
    job.signals.progress.connect(lambda _rid, done, total: panel.set_progress(done, total))

    def ended(message: str) -> None:
        app.import_job = None
        panel.set_importing(False)
        refresh_library(app)
        start_indexing(app)
        results = job.result or []
        failures = [r for r in results if isinstance(r, ImportFailed)]
        done = [r for r in results if isinstance(r, ImportResult)]
        text = message or tr("Imported %1 of %2 files.").replace("%1", str(len(done))).replace(
            "%2", str(len(files))
        )
        if failures:
            window.show_error(text + " " + str(failures[0]))
        else:
            window.show_message(text)
        if done:
            open_document(app, done[-1].record.id)

    job.signals.finished.connect(lambda _rid: ended(""))
    job.signals.cancelled.connect(lambda _rid: ended(tr("Import cancelled.")))
    job.signals.failed.connect(lambda _rid, msg: ended(tr("Import failed: %1").replace("%1", msg)))
    app.runner.start(job)


def start_indexing(app: App) -> None:
    """Sync the search index with the library in a worker; search is ready once the exact store is."""
    if app.jobs.get("index"):
        return
    window = app.window
    job = app.search.sync_job(words=True)
    app.jobs["index"] = job.request_id

    def progress(_rid: int, done: int, total: int) -> None:
        window.set_index_progress(done, total)
        if total and done < total:
            window.show_message(
                tr("Indexing for search: %1 of %2 steps").replace("%1", str(done)).replace("%2", str(total))
            )

    def ended(failed: str) -> None:
        app.jobs.pop("index", None)
        window.set_index_progress(0, 0)
        if failed:
            window.show_error(tr("Some documents could not be indexed: %1").replace("%1", failed))
        else:
            window.show_message(tr("Search is ready."))
        _set_search_ready(app, True)

    job.signals.progress.connect(progress)
    job.signals.finished.connect(lambda _rid: ended(job.result or ""))
    job.signals.cancelled.connect(lambda _rid: app.jobs.pop("index", None))
    job.signals.failed.connect(lambda _rid, msg: ended(msg))
    app.runner.start(job)


def _set_search_ready(app: App, ready: bool) -> None:
    if app.session.search_ready != ready:
        app.session.search_ready = ready
        app.session.search_ready_changed.emit(ready)


def connect_search(app: App) -> None:
    """Search as you type in a worker; stale answers are dropped; hits jump and highlight."""
    window, view, panel = app.window, app.window.view, app.window.search
    panel.set_ready(False)
    app.session.search_ready_changed.connect(panel.set_ready)

    def notes_texts() -> list[NoteRecord]:
        return [NoteRecord(t.doc_id, t.note_id, t.block_id, t.text) for t in app.store.iter_note_texts()]

    def requested(query: str, scope: str) -> None:
        app.search_request += 1
        if not query:
            app.last_results = None
            panel.show_results(SearchResults(query=""))
            view.clear_search()
            window.contents.model.clear_hit_counts()
            return
        job = app.search.search_job(query, scope, app.session.doc_id or None, notes_texts)
        wanted = app.search_request

        def done(_rid: int) -> None:
            if wanted != app.search_request or job.result is None:
                return  # a newer query was typed meanwhile
            _show_results(app, job.result)

        job.signals.finished.connect(done)
        job.signals.failed.connect(
            lambda _rid, msg: panel.show_error(msg) if wanted == app.search_request else None
        )
        app.runner.start(job)

    panel.search_requested.connect(requested)

    def hit(doc_id: str, block_id: str) -> None:
        if doc_id != app.session.doc_id:
            open_document(app, doc_id, block_id)
            return
        view.goto_hit_near(block_id)

    panel.hit_requested.connect(hit)

    def find() -> None:
        window.docks["search"].show()
        window.docks["search"].raise_()
        panel.focus_box()

    window.action("find").triggered.connect(find)
    window.action("find_next").triggered.connect(lambda: view.step_hit(1))
    window.action("find_previous").triggered.connect(lambda: view.step_hit(-1))
    app.session.document_opened.connect(lambda _doc: _highlight_results(app))


def _show_results(app: App, results: SearchResults) -> None:
    app.last_results = results
    app.window.search.show_results(results)
    _highlight_results(app)


def _highlight_results(app: App) -> None:
    """Highlight every occurrence of what the current results matched, and count hits per chapter."""
    view, document, results = app.window.view, app.session.document, app.last_results
    if document is None or results is None:
        return
    terms: set[str] = set()
    mine = [h for h in results.hits if h.doc_id == document.id and h.note_id is None]
    # Looser word matches would paint every lone 维和 and 情报; show them only when nothing matched exactly.
    exact = [h for h in mine if h.exact]
    for hit in exact or mine:
        block = document.get_block(hit.block_id)
        if block is None:
            continue
        for start, end in hit.block_spans:
            if 0 <= start < end <= len(block.text):
                terms.add(block.text[start:end])
    view.set_search_terms(sorted(terms))
    # Matching paragraphs per chapter, as the Search pane counts its result rows.
    app.window.contents.model.set_hit_counts(dict.fromkeys({h.block_id for h in mine}, 1))


def connect_notes(app: App) -> None:
    """Add (Ctrl+E), colour, tag, edit, delete and undo notes; show them in the pane and the view."""
    window, view, panel = app.window, app.window.view, app.window.notes
    undo_action = app.undo.createUndoAction(window, tr("&Undo"))
    redo_action = app.undo.createRedoAction(window, tr("&Redo"))
    window.action("undo").triggered.connect(lambda: app.guard.run(app.undo.undo))
    window.action("redo").triggered.connect(lambda: app.guard.run(app.undo.redo))
    app.undo.canUndoChanged.connect(window.action("undo").setEnabled)
    app.undo.canRedoChanged.connect(window.action("redo").setEnabled)
    window.action("undo").setEnabled(False)
    window.action("redo").setEnabled(False)
    del undo_action, redo_action

    def listener(change: Change) -> None:
        app.session.notes_changed.emit(change.kind)

    app.session_listener = listener  # type: ignore[attr-defined]

    def changed(_kind: str) -> None:
        _refresh_notes(app)
        app.save_timer.start()

    app.session.notes_changed.connect(changed)
    app.session.document_opened.connect(lambda _doc: _refresh_notes(app))
    app.save_timer.timeout.connect(lambda: _flush_notes(app))

    push = partial(_push, app)

    def add_note() -> None:
        notes, document = app.session.notes, app.session.document
        if notes is None or document is None:
            return
        spans = view.selected_spans()
        try:
            if spans:
                span = spans[0]
                note = notes.make_note(span.block_id, span.start, span.end)
            else:
                block = view.current_block()
                if not block:
                    return
                note = notes.make_note(block)
        except (KeyError, ValueError) as exc:
            window.show_error(str(exc))
            return

        def added() -> None:
            window.docks["notes"].show()
            window.docks["notes"].raise_()
            panel.select_note(note.id)
            panel.list.setFocus()
            window.show_message(tr("Note added. Press F2 to write it, 1–8 to colour it."))

        push(AddNote(notes, note), added)

    window.action("add_note").triggered.connect(add_note)
    panel.note_requested.connect(lambda note_id: _jump_to_note(app, note_id))
    panel.edit_requested.connect(
        lambda note_id, text: push(EditNote(app.session.notes, note_id, text)) if app.session.notes else None
    )
    panel.colour_requested.connect(
        lambda note_id, colour: (
            push(RecolourNote(app.session.notes, note_id, colour)) if app.session.notes else None
        )
    )

    def toggle_tag(note_id: str, tag: str) -> None:
        notes = app.session.notes
        if notes is None:
            return
        current = list(notes.note(note_id).tags)
        tags = [t for t in current if t != tag] if tag in current else [*current, tag]
        push(RetagNote(notes, note_id, tags))

    panel.tag_requested.connect(toggle_tag)
    panel.delete_requested.connect(
        lambda note_id: push(DeleteNote(app.session.notes, note_id)) if app.session.notes else None
    )


def _push(app: App, command: Command, then: Callable[[], None] | None = None) -> bool:
    """Push a notes command once no job holds the notes, then call ``then``; False if read-only."""
    reason = _read_only_reason(app)
    if reason:
        app.window.show_error(reason)
        return False

    def apply() -> None:
        try:
            app.undo.push(CoreUndo(command))
        except (KeyError, ValueError, ReadOnlyError) as exc:
            app.window.show_error(str(exc))
            return
        if then is not None:
            then()

    app.guard.run(apply)
    return True


def _jump_to_note(app: App, note_id: str) -> None:
    notes = app.session.notes
    if notes is None:
        return
    try:
        note = notes.note(note_id)
    except KeyError:
        return
    app.window.view.scroll_to_offset(note.anchor.block, note.anchor.start)


def _refresh_notes(app: App) -> None:
    app.guard.run(lambda: _show_notes(app))


def _show_notes(app: App) -> None:
    notes, document = app.session.notes, app.session.document
    if notes is None or document is None:
        return
    order = {b.id: i for i, b in enumerate(document.blocks)}

    def position(block: str) -> int:
        return order.get(block, len(order))

    app.window.notes.model.set_notes(notes.notes(), position)
    app.window.bookmarks.model.set_bookmarks(
        notes.bookmarks(), position, lambda block: _block_label(document, block)
    )
    _refresh_highlights(app)
    app.window.library.model.set_note_count(document.id, len(notes.notes()))


def _refresh_highlights(app: App) -> None:
    notes = app.session.notes
    if notes is None:
        return
    app.window.view.set_note_highlights(
        [
            Highlight(n.anchor.block, n.anchor.start, n.anchor.end, n.colour)
            for n in notes.notes(include_orphans=False)
        ]
    )


def _block_label(document: Document, block_id: str) -> str:
    block = document.get_block(block_id)
    if block is None:
        return block_id
    prefix = f"¶{block.number}  " if block.kind is BlockKind.PARAGRAPH and block.number else ""
    text = block.text if len(block.text) <= 40 else block.text[:40] + "…"
    return prefix + text


def _flush_notes(app: App) -> None:
    notes = app.session.notes
    if notes is None or (notes.read_only and not notes.dirty):
        return

    # Read-only but dirty: the lock was lost after edits; save() keeps them in a
    # recovery file and says where.
    def save() -> None:
        if not notes.dirty:
            return
        try:
            notes.save()
        except (OSError, ReadOnlyError) as exc:
            app.window.show_error(tr("Notes could not be saved: %1").replace("%1", str(exc)))

    app.guard.run(save)


def connect_bookmarks(app: App) -> None:
    """Ctrl+D toggles a bookmark on the current paragraph; the pane jumps and removes."""
    window, view, panel = app.window, app.window.view, app.window.bookmarks

    def toggle() -> None:
        notes = app.session.notes
        if notes is None:
            return
        block = view.current_block()
        if not block:
            return
        existing = [b for b in notes.bookmarks() if b.anchor.block == block]
        if existing:
            _push(
                app,
                RemoveBookmark(notes, existing[0].id),
                lambda: window.show_message(tr("Bookmark removed.")),
            )
            return
        try:
            mark = notes.make_bookmark(block)
        except (KeyError, ValueError) as exc:
            window.show_error(str(exc))
            return
        _push(app, AddBookmark(notes, mark), lambda: window.show_message(tr("Bookmark added.")))

    window.action("toggle_bookmark").triggered.connect(toggle)
    panel.block_requested.connect(lambda block: view.scroll_to_block(block))
    panel.delete_requested.connect(
        lambda mark: _push(app, RemoveBookmark(app.session.notes, mark)) if app.session.notes else None
    )


def connect_notes_files(app: App) -> None:
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
    _flush_notes(app)
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
            _refresh_notes(app)
        refresh_note_counts(app)

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
    tag, colour = window.notes.filter_choice()
    filter_: ExportFilter | None = None
    if tag or colour:
        shown = " ".join(x for x in (f"#{tag}" if tag else "", tr(colour) if colour else "") if x)
        answer = QMessageBox.question(
            window,
            tr("Export notes"),
            tr("The Notes pane shows only %1. Export only those notes?").replace("%1", shown),
        )
        if answer == QMessageBox.StandardButton.Yes:
            filter_ = ExportFilter.of(tags=[tag] if tag else (), colours=[colour] if colour else ())
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


def connect_read_only(app: App) -> None:
    """Keep the notes lock alive every minute; if it is lost, editing stops and the window says why."""
    if app.store.read_only:
        app.lock_state = "elsewhere"
    timer = QTimer(app.window)
    timer.setInterval(LOCK_REFRESH_MS)
    app.timers["lock"] = timer

    def refresh() -> None:
        was = app.store.read_only
        if not app.store.refresh_lock() and not was:
            app.lock_state = "lost"
        _update_read_only(app)

    timer.timeout.connect(refresh)
    app.session.document_opened.connect(lambda _doc: _update_read_only(app))
    timer.start()


def _read_only_reason(app: App) -> str:
    """Why notes cannot be changed right now, in plain words ("" when they can)."""
    if app.lock_state == "lost":
        return tr("Notes are read-only now: another Briefing Reader took over this library.")
    if app.store.read_only:
        return tr("Notes are read-only here: this library is open in another Briefing Reader window.")
    notes = app.session.notes
    if notes is not None and notes.read_only:
        return tr("Notes on this document are read-only: %1").replace("%1", notes.read_only_reason)
    return ""


def _update_read_only(app: App) -> None:
    """Enable or disable editing to match the store, and show the reason when it changes."""
    reason = _read_only_reason(app)
    if reason != app.window.read_only_reason and reason:
        app.undo.clear()  # nothing more can be written, so undo steps would only fail
    app.window.set_read_only(reason, detail=app.store.read_only_reason)


def connect_external_changes(app: App) -> None:
    """Pick up notes changed on disk (a sync tool, a colleague, the CLI): every few seconds and on focus."""
    timer = QTimer(app.window)
    timer.setInterval(RELOAD_POLL_MS)
    app.timers["reload"] = timer
    timer.timeout.connect(lambda: reload_notes(app))
    app.window.activated.connect(lambda: reload_notes(app))
    timer.start()


def reload_notes(app: App) -> None:
    """Re-read the open document's notes files in a worker if they changed (views refresh on the change)."""
    notes = app.session.notes
    if notes is None or app.jobs.get("reload"):
        return
    problems = len(notes.problems)
    job = reload_job(notes, app.guard.lock)
    app.jobs["reload"] = job.request_id

    def ended(_rid: int) -> None:
        app.jobs.pop("reload", None)
        if len(notes.problems) > problems:
            app.window.show_error(notes.problems[-1].message())
        elif job.result:
            app.window.show_message(tr("Notes changed outside this window were loaded."))
            _update_read_only(app)

    def failed(_rid: int, message: str) -> None:
        app.jobs.pop("reload", None)
        app.window.show_error(message)

    job.signals.finished.connect(ended)
    job.signals.failed.connect(failed)
    job.signals.cancelled.connect(lambda _rid: app.jobs.pop("reload", None))
    app.runner.start(job)


def connect_lifecycle(app: App) -> None:
    """Save layout, position and notes when the window closes; quit action."""
    window = app.window
    window.action("quit").triggered.connect(window.close)
    window.closing.connect(lambda: shutdown(app))


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
    _save_position(app)
    app.window.save_state(app.settings)
    _flush_notes(app)
    app.store.close()
    app.search.engine.close()
    app.settings.sync()
    app.language.uninstall()


# ---------------------------------------------------------------- entry point
def run(args: argparse.Namespace) -> int:
    """Start the GUI on ``args.library`` (or the default library); returns the exit status."""
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("Briefing Reader")
    qapp.setOrganizationName("briefing-reader")
    load_bundled_fonts()
    library = Library.open(getattr(args, "library", None))
    app = build(library)
    start(app)
    status = qapp.exec()
    shutdown(app)
    return int(status)
