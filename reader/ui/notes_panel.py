"""The Notes dock: the open document's notes, filtered and sorted, edited in place."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from reader.models.notes import NOTE_ID_ROLE, SORT_POSITION, SORT_TIME, NotesModel
from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.qt.theme import NOTE_COLOURS

TAG_KEYS = ("support", "oppose", "question", "amend")


class NotesPanel(QWidget):
    """Notes list with filters; keyboard: 1–8 colour, Ctrl+1–4 tag, F2 edit, Delete remove.

    Signals:
        note_requested(str): jump to the note with this id.
        colour_requested(str, str): note id, colour name.
        tag_requested(str, str): note id, tag to toggle.
        delete_requested(str): note id to delete (undoable).
        edit_requested(str, str): note id, new text.
        editor_requested(str): open the note editor (F2, double-click) on this note.
    """

    note_requested = Signal(str)
    colour_requested = Signal(str, str)
    tag_requested = Signal(str, str)
    delete_requested = Signal(str)
    edit_requested = Signal(str, str)
    editor_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NotesModel(self)
        self.model.edit_requested.connect(self.edit_requested)
        self.filter = QLineEdit(self)
        self.filter.setObjectName("notes_filter")
        self.filter.setClearButtonEnabled(True)
        self.colour = QComboBox(self)
        self.colour.addItem("", "")
        for name in NOTE_COLOURS:
            self.colour.addItem("", name)
        self.tag = QComboBox(self)
        self.tag.addItem("", "")
        self.sort = QComboBox(self)
        self.sort.addItem("", SORT_POSITION)
        self.sort.addItem("", SORT_TIME)
        self.list = QListView(self)
        self.list.setObjectName("notes_list")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        # Long quotes wrap and elide; the list never scrolls sideways.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        # F2 and double-click open the note editor, which shows the quote.
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.doubleClicked.connect(self._edit)
        self.list.clicked.connect(self._picked)
        self.list.activated.connect(self._picked)
        self.list.installEventFilter(self)
        self.hint = plain_label(QLabel(self))
        self.hint.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.colour)
        row.addWidget(self.tag)
        row.addWidget(self.sort)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.filter)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.filter.textChanged.connect(lambda _t: self._apply_filter())
        self.colour.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.tag.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.sort.currentIndexChanged.connect(lambda _i: self.model.set_sort(str(self.sort.currentData())))
        self.model.modelReset.connect(self._refresh_tags)
        self._keep = ""
        self._read_only = False
        self.model.modelAboutToBeReset.connect(self._remember_current)
        self.model.modelReset.connect(lambda: self.select_note(self._keep))
        self.retranslate()

    def _apply_filter(self) -> None:
        self.model.set_filter(
            self.filter.text(), str(self.tag.currentData() or ""), str(self.colour.currentData() or "")
        )

    def filter_choice(self) -> tuple[str, str]:
        """The tag and colour the list is filtered by (``""`` when not filtered)."""
        return str(self.tag.currentData() or ""), str(self.colour.currentData() or "")

    def set_read_only(self, read_only: bool) -> None:
        """Refuse in-place editing and the colour/tag/delete keys (notes can still be read and jumped to)."""
        self._read_only = read_only
        self.model.set_editable(not read_only)

    def _refresh_tags(self) -> None:
        current = str(self.tag.currentData() or "")
        wanted = ["", *self.model.tags()]
        have = [str(self.tag.itemData(i) or "") for i in range(self.tag.count())]
        if have == wanted:
            return
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem(tr("All tags"), "")
        for t in wanted[1:]:
            self.tag.addItem(f"#{t}", t)
        self.tag.setCurrentIndex(max(0, self.tag.findData(current)))
        self.tag.blockSignals(False)

    def _remember_current(self) -> None:
        # Every store change resets the model; keep the user's place in the list.
        self._keep = self.current_note()

    def _edit(self, index: QModelIndex) -> None:
        note = index.data(NOTE_ID_ROLE)
        if isinstance(note, str) and not self._read_only:
            self.editor_requested.emit(note)

    def _picked(self, index: QModelIndex) -> None:
        note = index.data(NOTE_ID_ROLE)
        if isinstance(note, str):
            self.note_requested.emit(note)

    def select_note(self, note_id: str) -> None:
        """Make a note the current row (after it was added or jumped to)."""
        row = self.model.row_of(note_id)
        if row >= 0:
            self.list.setCurrentIndex(self.model.index(row))

    def current_note(self) -> str:
        """Id of the selected note ("" when none)."""
        note = self.list.currentIndex().data(NOTE_ID_ROLE)
        return note if isinstance(note, str) else ""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keyboard colour, tag and delete on the selected note."""
        if watched is self.list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            note = self.current_note()
            if note and not self._read_only and self._key(note, event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, note: str, event: QKeyEvent) -> bool:
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9:
            n = key - Qt.Key.Key_1
            if ctrl and n < len(TAG_KEYS):
                self.tag_requested.emit(note, TAG_KEYS[n])
                return True
            if not ctrl and n < len(NOTE_COLOURS):
                self.colour_requested.emit(note, NOTE_COLOURS[n])
                return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_requested.emit(note)
            return True
        if key == Qt.Key.Key_F2:
            self.editor_requested.emit(note)
            return True
        return False

    def retranslate(self) -> None:
        """Re-read strings after a language switch."""
        self.filter.setPlaceholderText(tr("Filter notes"))
        self.colour.setItemText(0, tr("All colours"))
        for i, name in enumerate(NOTE_COLOURS, start=1):
            self.colour.setItemText(i, tr(name))
        if self.tag.count():
            self.tag.setItemText(0, tr("All tags"))
        self.sort.setItemText(0, tr("By position"))
        self.sort.setItemText(1, tr("Newest first"))
        self.hint.setText(
            tr("Ctrl+E adds a note. On a note: 1–8 colour, Ctrl+1–4 tag, F2 edit, Delete, Ctrl+Z undo.")
        )
