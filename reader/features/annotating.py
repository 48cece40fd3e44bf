"""Acting on the text: the reading view's context menu, margin marks, the note editor, undoable deletes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.annotations import AddNote, EditNote
from reader.features import bookmarks, notes
from reader.features.base import App
from reader.qt.i18n import tr

if TYPE_CHECKING:
    from reader.ui.note_editor import NoteEditor
from reader.ui.readingview import Mark


def connect(app: App) -> None:
    """Context menu requests, margin marks that open what they mark, the note editor, delete with Undo."""
    window, view = app.window, app.window.view
    view.highlight_requested.connect(lambda colour: highlight(app, colour))
    view.note_requested.connect(lambda: notes.add_note(app))
    view.bookmark_requested.connect(lambda block: bookmarks.toggle(app, block))
    view.search_requested.connect(lambda text: _search_for(app, text))
    view.copied.connect(lambda _text: window.show_message(tr("Copied.")))
    view.mark_requested.connect(lambda kind, mark: _open_mark(app, kind, mark))
    window.notes.editor_requested.connect(lambda note: open_editor(app, note))
    app.session.notes_changed.connect(lambda _kind: refresh_marks(app))
    app.session.document_opened.connect(lambda _doc: refresh_marks(app))


def refresh_marks(app: App) -> None:
    """Bookmarks and notes of the open document as marks in the reading view's margin."""
    current = app.session.notes
    if current is None:
        app.window.view.set_marks([])
        return
    marks = [Mark(b.anchor.block, "bookmark", b.id) for b in current.bookmarks() if not b.anchor.is_orphan]
    marks += [Mark(n.anchor.block, "note", n.id, n.colour) for n in current.notes(include_orphans=False)]
    app.window.view.set_marks(marks)


def highlight(app: App, colour: str) -> None:
    """Highlight the selection in ``colour``: a note without text yet."""
    current, view = app.session.notes, app.window.view
    spans = view.selected_spans()
    if current is None or not spans:
        return
    span = spans[0]
    try:
        note = current.make_note(span.block_id, span.start, span.end, colour=colour)
    except (KeyError, ValueError) as exc:
        app.window.show_error(str(exc))
        return
    notes.push(app, AddNote(current, note), lambda: app.window.show_message(tr("Highlighted.")))


def _search_for(app: App, text: str) -> None:
    panel = app.window.search
    app.window.docks["search"].show()
    app.window.docks["search"].raise_()
    panel.box.setText(text)
    panel.flush()


def _open_mark(app: App, kind: str, mark_id: str) -> None:
    window = app.window
    if kind == "note":
        window.docks["notes"].show()
        window.docks["notes"].raise_()
        window.notes.select_note(mark_id)
        open_editor(app, mark_id)
        return
    current = app.session.notes
    if current is None:
        return
    for mark in current.bookmarks():
        if mark.id == mark_id:
            window.view.scroll_to_block(mark.anchor.block)
            window.docks["bookmarks"].show()
            window.docks["bookmarks"].raise_()


def open_editor(app: App, note_id: str) -> NoteEditor | None:
    """The note editor on one note, showing its quote and citation; Save edits, Delete deletes (undoable)."""
    from reader.ui.note_editor import NoteEditor  # loads when first opened, not at start-up

    current, document = app.session.notes, app.session.document
    if current is None or document is None:
        return None
    try:
        note = current.note(note_id)
    except KeyError:
        return None
    from reader.core.citation import cite  # loads with the first note editor, not at start-up

    place = "" if note.anchor.is_orphan else cite(document, note.anchor.block)
    editor = NoteEditor(note.id, note.anchor.quote, place, note.text, app.window)
    editor.text_chosen.connect(
        lambda nid, text: notes.push(app, EditNote(current, nid, text)) if text != note.text else None
    )
    editor.delete_requested.connect(lambda nid: notes.delete(app, nid))
    editor.finished.connect(lambda _r: editor.deleteLater())
    editor.open()
    return editor
