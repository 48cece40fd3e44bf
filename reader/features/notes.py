"""Notes: add (Ctrl+E), colour, tag, edit, delete and undo; shown in the Notes pane and the view; saved."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from reader.core.annotations import (
    AddNote,
    Change,
    Command,
    DeleteNote,
    EditNote,
    ReadOnlyError,
    RecolourNote,
    RetagNote,
)
from reader.core.model import BlockKind, Document
from reader.features import read_only
from reader.features.base import App
from reader.qt.i18n import tr
from reader.ui.readingview import Highlight
from reader.ui.undo import CoreUndo


def connect(app: App) -> None:
    """Add (Ctrl+E), colour, tag, edit, delete and undo notes; show them in the pane and the view."""
    _connect_undo(app)
    _connect_session(app)
    panel = app.window.notes
    do = partial(push, app)
    app.window.action("add_note").triggered.connect(lambda: add_note(app))
    panel.note_requested.connect(lambda note_id: jump_to_note(app, note_id))
    panel.edit_requested.connect(
        lambda note_id, text: do(EditNote(app.session.notes, note_id, text)) if app.session.notes else None
    )
    panel.colour_requested.connect(
        lambda note_id, colour: (
            do(RecolourNote(app.session.notes, note_id, colour)) if app.session.notes else None
        )
    )
    panel.tag_requested.connect(lambda note_id, tag: _toggle_tag(app, note_id, tag))
    panel.delete_requested.connect(lambda note_id: delete(app, note_id))


def _connect_undo(app: App) -> None:
    window = app.window
    undo_action = app.undo.createUndoAction(window, tr("&Undo"))
    redo_action = app.undo.createRedoAction(window, tr("&Redo"))
    window.action("undo").triggered.connect(lambda: app.guard.run(app.undo.undo))
    window.action("redo").triggered.connect(lambda: app.guard.run(app.undo.redo))
    app.undo.canUndoChanged.connect(window.action("undo").setEnabled)
    app.undo.canRedoChanged.connect(window.action("redo").setEnabled)
    window.action("undo").setEnabled(False)
    window.action("redo").setEnabled(False)
    del undo_action, redo_action


def _connect_session(app: App) -> None:
    """Views refresh when the open notes change or another document opens; edits save after a pause."""

    def listener(change: Change) -> None:
        app.session.notes_changed.emit(change.kind)

    app.session_listener = listener  # type: ignore[attr-defined]

    def changed(_kind: str) -> None:
        refresh(app)
        app.save_timer.start()

    app.session.notes_changed.connect(changed)
    app.session.document_opened.connect(lambda _doc: refresh(app))
    app.save_timer.timeout.connect(lambda: flush(app))


def add_note(app: App) -> None:
    """Add a note on the selection (or the current paragraph), then show it ready to be written."""
    window, view, panel = app.window, app.window.view, app.window.notes
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

    push(app, AddNote(notes, note), added)


def delete(app: App, note_id: str) -> None:
    """Delete a note, saying so with an Undo button beside the message."""
    notes = app.session.notes
    if notes is not None:
        push(app, DeleteNote(notes, note_id), lambda: app.window.offer_undo(tr("Note deleted.")))


def _toggle_tag(app: App, note_id: str, tag: str) -> None:
    notes = app.session.notes
    if notes is None:
        return
    current = list(notes.note(note_id).tags)
    tags = [t for t in current if t != tag] if tag in current else [*current, tag]
    push(app, RetagNote(notes, note_id, tags))


def push(app: App, command: Command, then: Callable[[], None] | None = None) -> bool:
    """Push a notes command once no job holds the notes, then call ``then``; False if read-only."""
    reason = read_only.reason(app)
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


def jump_to_note(app: App, note_id: str) -> None:
    """Show a note's passage in the reading view (the Notes pane, the Notes review list)."""
    notes = app.session.notes
    if notes is None:
        return
    try:
        note = notes.note(note_id)
    except KeyError:
        return
    if note.anchor.is_orphan:
        # Its block id may name another passage of this revision: say so rather than land there.
        text = tr("This note's passage is not in this revision; its quote is kept in the note.")
        app.window.show_message(text)
        return
    app.window.view.scroll_to_offset(note.anchor.block, note.anchor.start)


def refresh(app: App) -> None:
    """Redraw the Notes and Bookmarks panes and the highlights once no job holds the notes."""
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
    refresh_highlights(app)
    app.window.library.model.set_note_count(document.id, len(notes.notes()))


def refresh_highlights(app: App) -> None:
    """Paint the open document's anchored notes in the reading view."""
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


def flush(app: App) -> None:
    """Save the open document's unsaved notes (once no job holds them); say so if that fails."""
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
