"""List models of one document's notes (filtered, sorted, inline-editable) and bookmarks."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from reader.core.annotations.model import Bookmark, Note
from reader.qt.i18n import tr
from reader.qt.text import plain_tooltip
from reader.qt.theme import LIGHT, Theme

ModelIndex = QModelIndex | QPersistentModelIndex
NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
BLOCK_ID_ROLE = Qt.ItemDataRole.UserRole + 2
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 3
SORT_POSITION, SORT_TIME = "position", "time"


class NotesModel(QAbstractListModel):
    """The notes of the open document, as ids; text and colour are looked up when drawn.

    Editing a row does not change the note: it emits ``edit_requested`` so the
    change goes through the undoable command stack like every other edit.

    Signals:
        edit_requested(str, str): note id and the new note text.
    """

    edit_requested = Signal(str, str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._notes: dict[str, Note] = {}
        self._ids: list[str] = []
        self._order: Callable[[str], int] = lambda _block: 0
        self._text = ""
        self._tag = ""
        self._colour = ""
        self._sort = SORT_POSITION
        self._theme = LIGHT
        self._editable = True

    def set_notes(self, notes: list[Note], block_order: Callable[[str], int]) -> None:
        """Replace the notes; ``block_order`` gives a block's position for sorting."""
        self.beginResetModel()
        self._notes = {n.id: n for n in notes}
        self._order = block_order
        self._ids = self._visible()
        self.endResetModel()

    def set_editable(self, editable: bool) -> None:
        """Whether rows may be edited in place (not while the notes are read-only)."""
        self._editable = editable

    def set_theme(self, theme: Theme) -> None:
        """Colour swatches follow the theme."""
        self._theme = theme
        if self._ids:
            self.dataChanged.emit(self.index(0), self.index(len(self._ids) - 1))

    def set_filter(self, text: str = "", tag: str = "", colour: str = "") -> None:
        """Show only notes whose quote or text contains ``text`` and that carry ``tag``/``colour``."""
        self._text, self._tag, self._colour = text.casefold().strip(), tag, colour
        self._refilter()

    def set_sort(self, key: str) -> None:
        """Order by position in the document or by time (newest first)."""
        self._sort = key
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._ids = self._visible()
        self.endResetModel()

    def _visible(self) -> list[str]:
        keep = [n for n in self._notes.values() if self._accepts(n)]
        if self._sort == SORT_TIME:
            keep.sort(key=lambda n: n.modified, reverse=True)
        else:
            keep.sort(key=lambda n: (self._order(n.anchor.block), n.anchor.start))
        return [n.id for n in keep]

    def _accepts(self, note: Note) -> bool:
        if self._tag and self._tag not in note.tags:
            return False
        if self._colour and note.colour != self._colour:
            return False
        if self._text:
            hay = f"{note.anchor.quote}\n{note.text}\n{' '.join(note.tags)}".casefold()
            return self._text in hay
        return True

    def _several_authors(self) -> bool:
        return len({n.author for n in self._notes.values()}) > 1

    def tags(self) -> list[str]:
        """Every tag used by the document's notes, sorted."""
        return sorted({t for n in self._notes.values() for t in n.tags})

    def note(self, note_id: str) -> Note | None:
        """The note with this id, if shown or filtered out."""
        return self._notes.get(note_id)

    def note_id(self, row: int) -> str:
        """Id of the note on ``row``."""
        return self._ids[row]

    def row_of(self, note_id: str) -> int:
        """Row of a note (-1 when hidden or absent)."""
        try:
            return self._ids.index(note_id)
        except ValueError:
            return -1

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of notes shown."""
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Quote and text, edit text, colour swatch, ids."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        note = self._notes[self._ids[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            where = f"¶{note.anchor.paragraph}  " if note.anchor.paragraph else ""
            tags = "  " + " ".join(f"#{t}" for t in note.tags) if note.tags else ""
            body = f"\n{note.text}" if note.text else ""
            orphan = tr("[not found in this revision] ") if note.anchor.is_orphan else ""
            # After a merge the list mixes people: say whose each note is.
            author = f"{note.author}: " if self._several_authors() and note.author else ""
            return f"{orphan}{author}{where}“{note.anchor.quote}”{tags}{body}"
        if role == Qt.ItemDataRole.EditRole:
            return note.text
        if role == Qt.ItemDataRole.DecorationRole:
            return (
                self._theme.note_colour(note.colour)
                if not note.colour.startswith("#")
                else QColor(note.colour)
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{note.author} · {note.modified[:19].replace('T', ' ')}"
        if role == NOTE_ID_ROLE:
            return note.id
        if role == BLOCK_ID_ROLE:
            return note.anchor.block
        if role == COLOUR_ROLE:
            return note.colour
        return None

    def setData(self, index: ModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Ask for the note's text to change (the store answers by refreshing the model)."""
        if (
            role != Qt.ItemDataRole.EditRole
            or not self._editable
            or not index.isValid()
            or not isinstance(value, str)
        ):
            return False
        note_id = self._ids[index.row()]
        if value != self._notes[note_id].text:
            self.edit_requested.emit(note_id, value)
        return True

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Notes are editable in place unless read-only."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if self._editable else flags


BOOKMARK_SWATCH = "#1f5fa8"
"""The bookmarks' swatch: the colour of their ribbon in the reading view's margin."""


class BookmarksModel(QAbstractListModel):
    """The bookmarks of the open document, in document order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._marks: dict[str, Bookmark] = {}
        self._ids: list[str] = []
        self._label: Callable[[str], str] = lambda block: block

    def set_bookmarks(
        self, marks: list[Bookmark], block_order: Callable[[str], int], label: Callable[[str], str]
    ) -> None:
        """Replace the bookmarks; ``label`` names a block (``¶37 Title``) for display."""
        self.beginResetModel()
        self._marks = {m.id: m for m in marks}
        self._ids = [m.id for m in sorted(marks, key=lambda m: (block_order(m.anchor.block), m.anchor.start))]
        self._label = label
        self.endResetModel()

    def bookmark_id(self, row: int) -> str:
        """Id of the bookmark on ``row``."""
        return self._ids[row]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of bookmarks."""
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Label and ids of a bookmark."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        mark = self._marks[self._ids[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            several = len({m.author for m in self._marks.values()}) > 1
            author = f"{mark.author}: " if several and mark.author else ""
            return author + (mark.name or self._label(mark.anchor.block))
        if role == Qt.ItemDataRole.DecorationRole:
            return QColor(BOOKMARK_SWATCH)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{mark.author} · {mark.anchor.quote}")
        if role == NOTE_ID_ROLE:
            return mark.id
        if role == BLOCK_ID_ROLE:
            return mark.anchor.block
        return None
