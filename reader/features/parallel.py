"""Parallel reading: the language versions of the open document side by side, and linking versions.

Loading the versions and aligning them runs in a worker (a 100-page pair takes
~0.2 s); the window then keeps the columns in step, marks notes across
versions, and shows a search hit of any version with its counterparts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QInputDialog, QVBoxLayout, QWidget

from reader.core import versions
from reader.core.errors import LibraryError
from reader.core.model import Document
from reader.features.base import App
from reader.qt.i18n import tr
from reader.workers.jobs import Job, JobContext

if TYPE_CHECKING:
    # The alignment core and the side-by-side view load when that window first opens, not with
    # the main window (start-up time).
    from reader.core.align import Alignment
    from reader.ui.parallel_view import ColumnState, ParallelView


class ParallelWindow(QWidget):
    """A top-level window holding the side-by-side view."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from reader.ui.parallel_view import ParallelView

        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("parallel_window")
        self.view = ParallelView(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.resize(1280, 820)
        QShortcut(QKeySequence("F3"), self, lambda: self.view.step_find(1))
        QShortcut(QKeySequence("Shift+F3"), self, lambda: self.view.step_find(-1))
        QShortcut(QKeySequence("Ctrl+F"), self, self.view.find_box.setFocus)
        self.closed = False

    def closeEvent(self, event: QCloseEvent) -> None:
        """Remember that the window is gone."""
        self.closed = True
        super().closeEvent(event)


@dataclass(slots=True)
class Loaded:
    """What the worker prepared for the window."""

    states: list[ColumnState]
    choices: list[tuple[str, str]]
    title: str


def connect(app: App) -> None:
    """Menu actions: side by side, link a version by hand, correct a language; search hits beside."""
    window = app.window
    window.action("parallel").triggered.connect(lambda: open_parallel(app))
    window.action("link_version").triggered.connect(lambda: link_by_hand(app))
    window.action("set_language").triggered.connect(lambda: correct_language(app))
    window.search.hit_requested.connect(lambda doc, block: show_hit(app, doc, block))
    window.library.parallel_requested.connect(lambda doc: open_parallel(app, default_versions(app, doc)))
    app.session.notes_changed.connect(lambda _what: refresh_notes(app))


def default_versions(app: App, doc_id: str) -> list[str]:
    """The open version and the one most worth reading beside it (Chinese ↔ English first)."""
    members = versions.members_of(app.library, app.library.record(doc_id))
    others = [m for m in members if m.id != doc_id]
    if not others:
        return [doc_id]
    mine = next(m.language for m in members if m.id == doc_id)
    prefer: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant", "fr", "es", "ru", "ar")
    if mine == "en":
        prefer = ("zh-Hans", "zh-Hant", "fr", "es", "ru", "ar")
    rank = {lang: k for k, lang in enumerate(prefer)}
    others.sort(key=lambda m: rank.get(m.language, len(rank)))
    return [doc_id, others[0].id]


def open_parallel(app: App, ids: list[str] | None = None, position: str | None = None) -> None:
    """Open (or refresh) the side-by-side window on the open document's versions."""
    doc_id = ids[0] if ids else app.session.doc_id
    if not doc_id:
        app.window.show_error(tr("Open a document first."))
        return
    wanted = ids or default_versions(app, doc_id)
    if len(wanted) < 2:
        app.window.show_error(
            tr("This document has no other language version. Import one, or link one with File › Link.")
        )
        return
    if position is None and app.session.doc_id == wanted[0]:
        position = app.window.view.position()
    job: Job[Loaded] = Job(lambda ctx: _load(app, wanted, ctx), name="parallel")
    job.signals.finished.connect(lambda _rid: _show(app, job.result, position))
    job.signals.failed.connect(
        lambda _rid, msg: app.window.show_error(tr("Could not align the versions: %1").replace("%1", msg))
    )
    app.window.show_message(tr("Aligning the language versions…"))
    app.runner.start(job)


def _load(app: App, ids: list[str], ctx: JobContext) -> Loaded:
    """Load the versions, align each with the first, and collect their annotated blocks (worker)."""
    from reader.core.align import align
    from reader.ui.parallel_view import ColumnState

    members = versions.members_of(app.library, app.library.record(ids[0]))
    docs: list[Document] = []
    for k, doc_id in enumerate(ids):
        ctx.check()
        docs.append(app.library.load(doc_id))
        ctx.progress(k + 1, 2 * len(ids))
    states = []
    for k, doc in enumerate(docs):
        ctx.check()
        alignment: Alignment | None = align(docs[0], doc) if k else None
        notes = app.store.open_document(doc.id, doc).notes(include_orphans=False)
        states.append(ColumnState(doc, alignment, {n.anchor.block for n in notes}))
        ctx.progress(len(ids) + k + 1, 2 * len(ids))
    return Loaded(states, [(m.id, m.language) for m in members], members[0].title)


def _show(app: App, loaded: Loaded | None, position: str | None) -> None:
    if loaded is None:
        return
    win = app.parallel if isinstance(app.parallel, ParallelWindow) and not app.parallel.closed else None
    if win is None:
        win = ParallelWindow(app.window)
        win.view.versions_requested.connect(
            lambda ids: open_parallel(app, ids, win.view.columns[0].position())
        )
        app.parallel = win
    win.setWindowTitle(tr("Side by side — %1").replace("%1", loaded.title))
    win.view.show_versions(loaded.states, loaded.choices, position)
    win.show()
    win.raise_()
    low = sum(1 for s in loaded.states if s.alignment for p in s.alignment.pairs if p.low)
    app.window.show_message(
        tr("%1 versions aligned; %2 pairs of low confidence are marked.")
        .replace("%1", str(len(loaded.states)))
        .replace("%2", str(low))
    )


def parallel_view(app: App) -> ParallelView | None:
    """The side-by-side view, if its window is open."""
    win = app.parallel
    if isinstance(win, ParallelWindow) and not win.closed and win.isVisible():
        return win.view
    return None


def show_hit(app: App, doc_id: str, block_id: str) -> None:
    """A search hit in one of the versions shown: show it there with its counterparts beside it."""
    view = parallel_view(app)
    if view is not None:
        view.show_block(doc_id, block_id)


def refresh_notes(app: App) -> None:
    """Re-mark the open document's notes (the other versions' are read when the window opens)."""
    view, notes = parallel_view(app), app.session.notes
    if view is None or notes is None:
        return
    own = {n.anchor.block for n in notes.notes(include_orphans=False)}
    view.set_notes({s.doc.id: own if s.doc.id == app.session.doc_id else s.notes for s in view.states})


def link_by_hand(app: App) -> None:
    """File › Link: make the open document a language version of another (documents without a symbol)."""
    doc_id = app.session.doc_id
    if not doc_id:
        app.window.show_error(tr("Open a document first."))
        return
    mine = versions.group_of(app.library.record(doc_id))
    groups = [g for g in versions.grouped(app.library.documents()) if versions.group_of(g[0]) != mine]
    if not groups:
        app.window.show_error(tr("There is no other document to link to."))
        return
    from reader.ui.document_picker import pick_document

    target = pick_document(
        [m for g in groups for m in g],
        tr("Link a language version"),
        tr("This document is a translation of:"),
        app.window,
    )
    if target is None:
        return
    try:
        members = versions.link(app.library, doc_id, target)
    except LibraryError as exc:
        app.window.show_error(str(exc))
        return
    _refresh_library(app)
    app.window.show_message(tr("Linked: %1 language versions.").replace("%1", str(len(members))))


def correct_language(app: App) -> None:
    """File › Correct the language: when detection got it wrong."""
    doc_id = app.session.doc_id
    if not doc_id:
        app.window.show_error(tr("Open a document first."))
        return
    rec = app.library.record(doc_id)
    tags = list(versions.LANGUAGE_NAMES)
    labels = [f"{versions.language_name(t)} ({t})" for t in tags]
    current = tags.index(rec.language) if rec.language in tags else 0
    choice, ok = QInputDialog.getItem(
        app.window, tr("Language of the document"), tr("This document is written in:"), labels, current, False
    )
    if not ok:
        return
    try:
        versions.set_language(app.library, doc_id, tags[labels.index(choice)])
    except LibraryError as exc:
        app.window.show_error(str(exc))
        return
    if app.session.document is not None:
        app.session.document.language = tags[labels.index(choice)]
    _refresh_library(app)


def _refresh_library(app: App) -> None:
    from reader.features.library import refresh_library

    refresh_library(app)
