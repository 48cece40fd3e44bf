"""Navigation: go to a paragraph, article or section; back and forward; next and previous chapter.

Every jump (contents, search hit, go to, footnote, note, bookmark, margin mark) is recorded from the
block the reader was settled on; Alt+Left/Right, the mouse's back/forward buttons and the toolbar walk
the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.history import Place
from reader.core.model import BlockKind
from reader.features import reading
from reader.features.base import App

if TYPE_CHECKING:
    from reader.core.goto import Target
    from reader.ui.goto_dialog import GotoDialog


def connect(app: App) -> None:
    """Record jumps; wire back/forward, go to and chapter/section keys."""
    _connect_history(app)
    _connect_goto(app)
    _connect_structure(app)


# ---------------------------------------------------------------- history
def _connect_history(app: App) -> None:
    window, view = app.window, app.window.view

    def settled(block: str) -> None:
        app.settled = block

    view.position_changed.connect(settled)
    app.session.document_opened.connect(lambda _doc: settled(view.position()))
    # Jumps other features make: record them from where the reader was.
    window.contents.block_requested.connect(lambda block: record(app, block))
    window.search.hit_requested.connect(lambda doc, block: record(app, block, doc))
    window.bookmarks.block_requested.connect(lambda block: record(app, block))
    # A footnote reference shows its text and takes the reader there; Back returns.
    view.footnote_shown.connect(lambda fn: jump(app, fn))
    view.mark_requested.connect(lambda _kind, mark: _record_mark(app, _kind, mark))
    window.notes.note_requested.connect(lambda note: _record_note(app, note))
    window.action("back").triggered.connect(lambda: walk(app, -1))
    window.action("forward").triggered.connect(lambda: walk(app, 1))
    window.history_requested.connect(lambda step: walk(app, step))
    update_actions(app)


def _here(app: App) -> Place | None:
    doc = app.session.doc_id
    block = app.settled or app.window.view.position()
    return Place(doc, block) if doc and block else None


def record(app: App, block: str, doc_id: str = "") -> None:
    """Note a jump to ``block`` (of ``doc_id``, default the open document) from where the reader was."""
    doc = doc_id or app.session.doc_id
    if not doc or not block:
        return
    app.history.jump(_here(app), Place(doc, block))
    app.settled = block if doc == app.session.doc_id else app.settled
    update_actions(app)


def _record_note(app: App, note_id: str) -> None:
    notes = app.session.notes
    if notes is None:
        return
    try:
        record(app, notes.note(note_id).anchor.block)
    except KeyError:
        return


def _record_mark(app: App, kind: str, mark_id: str) -> None:
    notes = app.session.notes
    if notes is None:
        return
    if kind == "note":
        _record_note(app, mark_id)
        return
    for mark in notes.bookmarks():
        if mark.id == mark_id:
            record(app, mark.anchor.block)


def jump(app: App, block: str, doc_id: str = "") -> None:
    """Go to ``block`` (of ``doc_id``, default the open document), recording the jump."""
    doc = doc_id or app.session.doc_id
    record(app, block, doc)
    if doc != app.session.doc_id:
        reading.open_document(app, doc, block)
    else:
        app.window.view.scroll_to_block(block)


def walk(app: App, step: int) -> None:
    """Back (-1) or forward (+1) in the history; opens the other document when the place is there."""
    here = _here(app)
    place = app.history.back(here) if step < 0 else app.history.forward(here)
    update_actions(app)
    if place is None:
        return
    app.settled = place.block_id
    if place.doc_id != app.session.doc_id:
        reading.open_document(app, place.doc_id, place.block_id)
    else:
        app.window.view.scroll_to_block(place.block_id)


def update_actions(app: App) -> None:
    """Enable Back and Forward when there is somewhere to go."""
    app.window.action("back").setEnabled(app.history.can_go_back())
    app.window.action("forward").setEnabled(app.history.can_go_forward())


# ---------------------------------------------------------------- go to
def _connect_goto(app: App) -> None:
    window = app.window
    panel = window.search

    def edited(query: str) -> None:
        document = app.session.document
        targets: list[Target] = []
        if document is not None and query.strip():
            # The resolver (and its patterns) loads with the first query, not with the first document.
            from reader.core.goto import resolve

            targets = resolve(document, query, near=app.settled or None)
        panel.set_goto([(t.label, t.block, " › ".join(t.path)) for t in targets[:3]])

    panel.query_edited.connect(edited)
    panel.goto_requested.connect(lambda block: jump(app, block))
    window.action("goto").triggered.connect(lambda: open_goto_dialog(app))
    app.session.document_opened.connect(lambda _doc: edited(panel.query))


def open_goto_dialog(app: App) -> GotoDialog | None:
    """Ctrl+G: ask for a reference in the open document, go there on Enter."""
    from reader.core.goto import resolve
    from reader.ui.goto_dialog import GotoDialog  # loads when first opened, not at start-up

    document = app.session.document
    if document is None:
        return None
    dialog = GotoDialog(lambda text: resolve(document, text, near=app.settled or None), app.window)
    dialog.goto_requested.connect(lambda block: jump(app, block))
    dialog.finished.connect(lambda _r: dialog.deleteLater())
    dialog.open()
    return dialog


# ---------------------------------------------------------------- chapters and sections
def _connect_structure(app: App) -> None:
    window = app.window
    window.action("next_chapter").triggered.connect(lambda: step_heading(app, 1, chapters=True))
    window.action("previous_chapter").triggered.connect(lambda: step_heading(app, -1, chapters=True))
    window.action("next_section").triggered.connect(lambda: step_heading(app, 1, chapters=False))
    window.action("previous_section").triggered.connect(lambda: step_heading(app, -1, chapters=False))


def step_heading(app: App, step: int, *, chapters: bool) -> None:
    """Go to the next (+1) or previous (-1) chapter (top-level heading) or section (any heading)."""
    document = app.session.document
    if document is None:
        return
    here = app.window.view.position()
    at = document.index_of(here) if document.get_block(here) is not None else 0
    top = min((b.level or 1 for b in document.blocks if b.kind is BlockKind.HEADING), default=1)
    headings = [
        i
        for i, b in enumerate(document.blocks)
        if b.kind is BlockKind.HEADING and (not chapters or (b.level or 1) == top)
    ]
    after = [i for i in headings if i > at] if step > 0 else [i for i in headings if i < at]
    if after:
        jump(app, document.blocks[after[0] if step > 0 else after[-1]].id)
