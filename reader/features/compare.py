"""Compare revisions: the Compare dock, changed chapters in Contents, and the notes review.

* **Compare with previous revision** (Ctrl+Shift+R) compares the open document's
  previous revision with the one shown; **Compare with another document…** takes
  any document of the library as the older side.  The comparison runs in a worker.
* Opening a document whose notes were carried over from an older revision lists
  them in the **Notes review** dock — stayed (old → new place), text changed
  (with the unit's diff) or orphaned — with accept, re-attach to the selection
  and delete, all on the undo stack.  Nothing leaves the list unless the user
  acts on it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from reader.core import versions
from reader.core.annotations import (
    AcceptPlacement,
    DeleteNote,
    DocumentNotes,
    MoveNote,
    make_anchor,
)
from reader.core.model import Document
from reader.features import notes as notes_feature
from reader.features.base import App
from reader.qt.i18n import tr
from reader.qt.theme import DARK, LIGHT
from reader.ui.compare_render import summary_text
from reader.workers.jobs import Job, JobContext

if TYPE_CHECKING:
    # The compare core loads with the first comparison (in its worker), not with the window.
    from reader.core.compare import Comparison


@dataclass
class CompareState:
    """What the compare feature holds between events."""

    shown: Comparison | None = None
    """The comparison in the Compare dock."""
    review: Comparison | None = None
    """Old revision → open document, behind the Notes review list."""
    request: int = 0


def connect(app: App) -> None:
    """Compare actions, the Compare dock, Contents marks and the Notes review list."""
    state = CompareState()
    window = app.window
    view, panel = window.compare_view, window.review
    window.action("compare").triggered.connect(lambda: compare_previous(app, state))
    window.action("compare_with").triggered.connect(lambda: compare_with_other(app, state))
    view.unit_requested.connect(lambda block: _jump(app, state, block))
    view.export_requested.connect(lambda fmt: export(app, state, fmt))
    window.action("dark").toggled.connect(lambda _on: _apply_theme(app))
    _apply_theme(app)
    app.session.document_opened.connect(lambda _doc: _opened(app, state))
    app.session.notes_changed.connect(lambda _kind: _notes_changed(app, state))
    panel.note_requested.connect(lambda note_id: notes_feature.jump_to_note(app, note_id))
    panel.accept_requested.connect(lambda note_id: _accept(app, note_id))
    panel.delete_requested.connect(lambda note_id: _delete(app, note_id))
    panel.reattach_requested.connect(lambda note_id: _reattach(app, note_id))


def _apply_theme(app: App) -> None:
    """Paint the compare and review panes like the window (the Dark theme action says which)."""
    theme = DARK if app.window.action("dark").isChecked() else LIGHT
    app.window.compare_view.set_theme(theme)
    app.window.review.set_theme(theme)


# ------------------------------------------------------------ comparing


def compare_previous(app: App, state: CompareState) -> None:
    """Compare the open document's previous revision with the one shown."""
    document = app.session.document
    if document is None:
        app.window.show_error(tr("Open a document first."))
        return
    record = app.library.record(document.id)
    older = [r for r in record.revisions if r.sha256 != document.source_hash]
    if not older:
        app.window.show_message(
            tr("This document has one revision. Use “Compare with another document…” to pick the older text.")
        )
        return
    position = next((k for k, r in enumerate(record.revisions) if r.sha256 == document.source_hash), None)
    before = [r for k, r in enumerate(record.revisions) if position is None or k < position]
    revision = (before or older)[-1]
    shown = record.revision(document.source_hash) or record.current_revision
    names = (revision.original_name, shown.original_name)

    def load(_ctx: JobContext) -> Comparison:
        from reader.core.compare import compare_documents

        return compare_documents(app.library.load(document.id, revision.sha256), document)

    _run(app, state, load, names)


def compare_with_other(app: App, state: CompareState) -> None:
    """Ask for another library document (the older text) and compare it with the open one."""
    document = app.session.document
    if document is None:
        app.window.show_error(tr("Open a document first."))
        return
    others = [r for r in app.library.documents() if r.id != document.id]
    if not others:
        app.window.show_message(tr("The library holds no other document to compare with."))
        return
    from reader.ui.document_picker import pick_document

    picked = pick_document(others, tr("Compare with"), tr("Older version to compare with:"), app.window)
    if picked is None:
        return
    # A row stands for all language versions of a document: compare with the one in this language.
    group = next(g for g in versions.grouped(others) if any(m.id == picked for m in g))
    record = next((r for r in group if r.language == document.language), group[0])
    names = (
        record.current_revision.original_name,
        app.library.record(document.id).current_revision.original_name,
    )

    def load(_ctx: JobContext) -> Comparison:
        from reader.core.compare import compare_documents

        return compare_documents(app.library.load(record.id), document)

    _run(app, state, load, names)


def _run(
    app: App, state: CompareState, load: Callable[[JobContext], Comparison], names: tuple[str, str]
) -> None:
    state.request += 1
    request = state.request
    job: Job[Comparison] = Job(load, name="compare")
    app.window.show_message(tr("Comparing…"))

    def done(_rid: int) -> None:
        if request != state.request or job.result is None:
            return  # a newer comparison was asked for
        if app.session.document is not job.result.new:
            return  # another document was opened meanwhile
        show_comparison(app, state, job.result, names)

    job.signals.finished.connect(done)
    job.signals.failed.connect(
        lambda _rid, msg: app.window.show_error(tr("Could not compare: %1").replace("%1", msg))
    )
    app.runner.start(job)


def show_comparison(app: App, state: CompareState, comparison: Comparison, names: tuple[str, str]) -> None:
    """Put a comparison in the Compare dock and mark the changed chapters in Contents."""
    state.shown = comparison
    window = app.window
    window.compare_view.set_comparison(comparison, _annotated(app.session.notes, comparison), names)
    window.contents.model.set_changed(comparison.changed_chapters())
    dock = window.docks["compare"]
    dock.show()
    dock.raise_()
    window.show_message(summary_text(comparison))


def _annotated(notes: DocumentNotes | None, comparison: Comparison) -> set[str]:
    """Blocks carrying notes: where they are now, and where they were on the old side."""
    if notes is None:
        return set()
    out: set[str] = set()
    for note in notes.notes():
        anchor = note.anchor
        if anchor.revision == comparison.new.source_hash and not anchor.is_orphan:
            out.add(anchor.block)
        if anchor.revision == comparison.old.source_hash:
            out.add(anchor.block)
        out.update(p.block for p in anchor.previous if p.revision == comparison.old.source_hash)
    return out


def _jump(app: App, state: CompareState, block: str) -> None:
    if state.shown is not None and app.session.document is state.shown.new:
        app.window.view.scroll_to_offset(block, 0)


def export(app: App, state: CompareState, fmt: str) -> None:
    """Ask for a file and export the shown comparison to Word or Markdown (in a worker)."""
    comparison = state.shown
    if comparison is None:
        app.window.show_error(tr("Compare two versions first."))
        return
    suffix = ".docx" if fmt == "docx" else ".md"
    kind = tr("Word documents (*.docx)") if fmt == "docx" else tr("Markdown (*.md)")
    stem = (comparison.new.symbol or comparison.new.title or "comparison").replace("/", "_")[:60]
    path, _filter = QFileDialog.getSaveFileName(
        app.window, tr("Export comparison"), str(Path.home() / f"{stem}-compare{suffix}"), kind
    )
    if not path:
        return
    target = Path(path) if path.endswith(suffix) else Path(path + suffix)
    from reader.core.compare import export_docx, export_markdown

    writer = export_docx if fmt == "docx" else export_markdown

    def write(_ctx: JobContext) -> int:
        return writer(comparison, target)

    job: Job[int] = Job(write, name="export-compare")
    job.signals.finished.connect(
        lambda _rid: app.window.show_message(
            tr("Exported %1 units to %2").replace("%1", str(job.result)).replace("%2", str(target))
        )
    )
    job.signals.failed.connect(
        lambda _rid, msg: app.window.show_error(tr("Export failed: %1").replace("%1", msg))
    )
    app.runner.start(job)


# ------------------------------------------------------------ notes review


def _came_from(notes: DocumentNotes, document: Document) -> str | None:
    """The older revision most of the carried-over notes came from, if any."""
    current = document.source_hash
    origins: Counter[str] = Counter()
    for note in notes.notes():
        anchor = note.anchor
        if anchor.is_orphan and anchor.revision != current:
            origins[anchor.revision] += 1
        elif (
            anchor.revision == current
            and anchor.previous
            and anchor.previous[-1].revision != current
            and note.extra.get("reviewed") != current
        ):
            origins[anchor.previous[-1].revision] += 1
    return origins.most_common(1)[0][0] if origins else None


def _opened(app: App, state: CompareState) -> None:
    """A document opened: clear old marks; if notes came from an older revision, prepare their review."""
    state.review = None
    state.shown = None
    app.window.review.set_items([])
    app.window.compare_view.set_comparison(None)
    document, notes = app.session.document, app.session.notes
    if document is None or notes is None:
        return
    origin = _came_from(notes, document)
    if origin is None:
        return
    try:
        record = app.library.record(document.id)
    except KeyError:
        return
    revision = record.revision(origin)
    if revision is None:
        return
    names = (revision.original_name, record.current_revision.original_name)

    def load(_ctx: JobContext) -> Comparison:
        from reader.core.compare import compare_documents

        return compare_documents(app.library.load(document.id, revision.sha256), document)

    job: Job[Comparison] = Job(load, name="review")

    def done(_rid: int) -> None:
        comparison = job.result
        if comparison is None or app.session.document is not comparison.new:
            return
        state.review = comparison
        _refresh_review(app, state)
        items = app.window.review.items
        if items:
            dock = app.window.docks["review"]
            dock.show()
            dock.raise_()
            app.window.show_message(
                tr("%1 notes came from the previous revision: see Notes review.").replace(
                    "%1", str(len(items))
                )
            )
        app.window.compare_view.set_comparison(comparison, _annotated(notes, comparison), names)
        state.shown = comparison
        app.window.contents.model.set_changed(comparison.changed_chapters())

    job.signals.finished.connect(done)
    job.signals.failed.connect(lambda _rid, msg: app.window.show_error(msg))
    app.runner.start(job)


def _refresh_review(app: App, state: CompareState) -> None:
    notes = app.session.notes
    if state.review is None or notes is None or app.session.document is not state.review.new:
        return
    from reader.core.compare import review

    app.window.review.set_items(review(state.review, notes.notes()))


def _notes_changed(app: App, state: CompareState) -> None:
    _refresh_review(app, state)
    if state.shown is not None:
        app.window.compare_view.set_annotated(_annotated(app.session.notes, state.shown))


def _accept(app: App, note_id: str) -> None:
    notes, document = app.session.notes, app.session.document
    if notes is not None and document is not None:
        notes_feature.push(app, AcceptPlacement(notes, note_id, document.source_hash))


def _delete(app: App, note_id: str) -> None:
    notes = app.session.notes
    if notes is not None:
        notes_feature.push(app, DeleteNote(notes, note_id))


def _reattach(app: App, note_id: str) -> None:
    notes, document = app.session.notes, app.session.document
    if notes is None or document is None:
        return
    spans = app.window.view.selected_spans()
    if not spans:
        app.window.show_error(tr("Select the text the note belongs to in the reading view, then re-attach."))
        return
    span = spans[0]
    try:
        anchor = make_anchor(document, span.block_id, span.start, span.end)
    except (KeyError, ValueError) as exc:
        app.window.show_error(str(exc))
        return
    notes_feature.push(app, MoveNote(notes, note_id, anchor, reviewed=document.source_hash))
