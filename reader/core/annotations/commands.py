"""Undoable edits of notes and bookmarks, for the UI's ``QUndoStack``.

Each command is a plain object with ``do()``, ``undo()`` and a ``text`` for
the Edit menu.  The UI wraps one in a ``QUndoCommand`` whose ``redo()`` calls
``do()`` and whose ``undo()`` calls ``undo()``; :meth:`Command.absorb` backs
``mergeWith`` so typing into a note collapses into one undo step::

    class CoreUndo(QUndoCommand):
        def __init__(self, command: Command) -> None:
            super().__init__(command.text)
            self.command = command
        def redo(self) -> None: self.command.do()
        def undo(self) -> None: self.command.undo()
        def id(self) -> int: return self.command.merge_id
        def mergeWith(self, other) -> bool: return self.command.absorb(other.command)

    stack.push(CoreUndo(AddNote(notes, notes.make_note("p37", 4, 12))))

Commands tolerate a world that changed under them (a colleague's merge
deleted the note): an edit of a note that no longer exists does nothing.
Every step is saved as a new change (fresh ``modified``), so an undo
propagates through merges like any other edit.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.annotations.model import Anchor, Bookmark, Note
from reader.core.annotations.store import DocumentNotes

_NO_MERGE = -1
_EDIT_TEXT_MERGE = 4001


class Command:
    """Base of undoable commands: ``do()``, ``undo()``, ``text``."""

    text = ""
    merge_id = _NO_MERGE
    """``QUndoCommand.id()``: commands with the same non-negative id may merge."""

    def __init__(self, notes: DocumentNotes) -> None:
        self.notes = notes

    def do(self) -> None:
        """Apply (or re-apply) the change."""
        raise NotImplementedError

    def undo(self) -> None:
        """Revert the change."""
        raise NotImplementedError

    def absorb(self, other: Command) -> bool:
        """Fold a following command into this one (``mergeWith``); False if not possible."""
        return False


class AddNote(Command):
    """Add a note (undo deletes it, leaving a tombstone)."""

    text = "Add note"

    def __init__(self, notes: DocumentNotes, note: Note) -> None:
        super().__init__(notes)
        self.note = note.copy()
        self._added = False

    def do(self) -> None:
        """Add the note (on redo: again, newer than the tombstone its undo left)."""
        try:
            self.notes.note(self.note.id)
        except KeyError:
            if self._added:
                self.notes.restore_item(self.note)
            else:
                self.notes.add_note(self.note.copy())
            self._added = True

    def undo(self) -> None:
        """Delete the note."""
        try:
            self.note = self.notes.note(self.note.id).copy()
        except KeyError:
            return
        self.notes.delete_note(self.note.id)


class DeleteNote(Command):
    """Delete a note (undo puts it back as it was)."""

    text = "Delete note"

    def __init__(self, notes: DocumentNotes, note_id: str) -> None:
        super().__init__(notes)
        self.note_id = note_id
        self.snapshot: Note | None = None

    def do(self) -> None:
        """Delete the note, remembering it."""
        try:
            self.snapshot = self.notes.delete_note(self.note_id)
        except KeyError:
            self.snapshot = None

    def undo(self) -> None:
        """Restore the remembered note."""
        if self.snapshot is not None:
            self.notes.restore_item(self.snapshot)


class _UpdateNote(Command):
    """Change some fields of a note; undo restores the previous values of those fields."""

    def __init__(
        self,
        notes: DocumentNotes,
        note_id: str,
        *,
        text: str | None = None,
        colour: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> None:
        super().__init__(notes)
        self.note_id = note_id
        self.new_text, self.new_colour = text, colour
        self.new_tags = list(tags) if tags is not None else None
        self.before: Note | None = None

    def do(self) -> None:
        """Apply the new values."""
        try:
            before = self.notes.update_note(
                self.note_id, text=self.new_text, colour=self.new_colour, tags=self.new_tags
            )
        except KeyError:
            return
        if self.before is None:
            self.before = before

    def undo(self) -> None:
        """Put back the old values of the fields this command changed."""
        if self.before is None:
            return
        try:
            self.notes.update_note(
                self.note_id,
                text=self.before.text if self.new_text is not None else None,
                colour=self.before.colour if self.new_colour is not None else None,
                tags=self.before.tags if self.new_tags is not None else None,
            )
        except KeyError:
            return


class EditNote(_UpdateNote):
    """Change a note's text (consecutive edits of one note merge into one undo step)."""

    text = "Edit note"
    merge_id = _EDIT_TEXT_MERGE

    def __init__(self, notes: DocumentNotes, note_id: str, text: str) -> None:
        super().__init__(notes, note_id, text=text)

    def absorb(self, other: Command) -> bool:
        """Merge a following text edit of the same note."""
        if not isinstance(other, EditNote) or other.note_id != self.note_id:
            return False
        self.new_text = other.new_text
        return True


class RecolourNote(_UpdateNote):
    """Change a note's colour."""

    text = "Change colour"

    def __init__(self, notes: DocumentNotes, note_id: str, colour: str) -> None:
        super().__init__(notes, note_id, colour=colour)


class RetagNote(_UpdateNote):
    """Replace a note's tags."""

    text = "Change tags"

    def __init__(self, notes: DocumentNotes, note_id: str, tags: Sequence[str]) -> None:
        super().__init__(notes, note_id, tags=tags)


class AddBookmark(Command):
    """Add a bookmark (undo removes it)."""

    text = "Add bookmark"

    def __init__(self, notes: DocumentNotes, bookmark: Bookmark) -> None:
        super().__init__(notes)
        self.bookmark = bookmark.copy()
        self._added = False

    def do(self) -> None:
        """Add the bookmark (on redo: again, newer than its tombstone)."""
        try:
            self.notes.bookmark(self.bookmark.id)
        except KeyError:
            if self._added:
                self.notes.restore_item(self.bookmark)
            else:
                self.notes.add_bookmark(self.bookmark.copy())
            self._added = True

    def undo(self) -> None:
        """Remove the bookmark."""
        try:
            self.bookmark = self.notes.bookmark(self.bookmark.id).copy()
        except KeyError:
            return
        self.notes.remove_bookmark(self.bookmark.id)


class RemoveBookmark(Command):
    """Remove a bookmark (undo puts it back)."""

    text = "Remove bookmark"

    def __init__(self, notes: DocumentNotes, bookmark_id: str) -> None:
        super().__init__(notes)
        self.bookmark_id = bookmark_id
        self.snapshot: Bookmark | None = None

    def do(self) -> None:
        """Remove the bookmark, remembering it."""
        try:
            self.snapshot = self.notes.remove_bookmark(self.bookmark_id)
        except KeyError:
            self.snapshot = None

    def undo(self) -> None:
        """Restore the remembered bookmark."""
        if self.snapshot is not None:
            self.notes.restore_item(self.snapshot)


class RenameBookmark(Command):
    """Rename a bookmark."""

    text = "Rename bookmark"

    def __init__(self, notes: DocumentNotes, bookmark_id: str, name: str) -> None:
        super().__init__(notes)
        self.bookmark_id = bookmark_id
        self.name = name
        self.old_name: str | None = None

    def do(self) -> None:
        """Apply the new name."""
        try:
            old = self.notes.rename_bookmark(self.bookmark_id, self.name)
        except KeyError:
            return
        if self.old_name is None:
            self.old_name = old

    def undo(self) -> None:
        """Put back the old name."""
        if self.old_name is None:
            return
        try:
            self.notes.rename_bookmark(self.bookmark_id, self.old_name)
        except KeyError:
            return


class MoveNote(Command):
    """Re-attach a note to another place (undo puts it back where it was).

    ``reviewed`` (a revision hash) also marks the note as reviewed there, so a
    note re-attached from the Notes review leaves the list; undo restores both.
    """

    text = "Re-attach note"

    def __init__(
        self, notes: DocumentNotes, note_id: str, anchor: Anchor, reviewed: str | None = None
    ) -> None:
        super().__init__(notes)
        self.note_id = note_id
        self.anchor = anchor
        self.reviewed = reviewed
        self.before: Anchor | None = None
        self.before_reviewed: str | None = None

    def do(self) -> None:
        """Move the note, remembering its old anchor (and review mark)."""
        try:
            if self.reviewed is not None:
                self.before_reviewed = self.notes.set_reviewed(self.note_id, self.reviewed)
            self.before = self.notes.move_note(self.note_id, self.anchor)
        except KeyError:
            self.before = None

    def undo(self) -> None:
        """Move the note back."""
        if self.before is None:
            return
        try:
            self.notes.move_note(self.note_id, self.before, keep_history=False)
            if self.reviewed is not None:
                self.notes.set_reviewed(self.note_id, self.before_reviewed)
        except KeyError:
            return


class AcceptPlacement(Command):
    """Accept where a note landed on a new revision (undo asks again)."""

    text = "Accept note's place"

    def __init__(self, notes: DocumentNotes, note_id: str, revision: str) -> None:
        super().__init__(notes)
        self.note_id = note_id
        self.revision = revision
        self.before: str | None = None

    def do(self) -> None:
        """Mark the note reviewed on the revision."""
        try:
            self.before = self.notes.set_reviewed(self.note_id, self.revision)
        except KeyError:
            return

    def undo(self) -> None:
        """Restore the previous review mark."""
        try:
            self.notes.set_reviewed(self.note_id, self.before)
        except KeyError:
            return
