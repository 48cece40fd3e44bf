"""The Bookmarks dock: bookmarked paragraphs of the open document."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout, QWidget

from reader.models.notes import BLOCK_ID_ROLE, NOTE_ID_ROLE, BookmarksModel
from reader.qt.i18n import tr
from reader.qt.text import plain_label


class BookmarksPanel(QWidget):
    """List of bookmarks; Enter or a click jumps, Delete removes.

    Signals:
        block_requested(str): jump to this block id.
        delete_requested(str): remove the bookmark with this id.
    """

    block_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = BookmarksModel(self)
        self.list = QListView(self)
        self.list.setObjectName("bookmarks_list")
        self.list.setModel(self.model)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.clicked.connect(self._picked)
        self.list.activated.connect(self._picked)
        self.list.installEventFilter(self)
        self._read_only = False
        self.hint = plain_label(QLabel(self))
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list)
        layout.addWidget(self.hint)
        self.retranslate()

    def _picked(self, index: QModelIndex) -> None:
        block = index.data(BLOCK_ID_ROLE)
        if isinstance(block, str):
            self.block_requested.emit(block)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Delete removes the selected bookmark."""
        if (
            watched is self.list
            and not self._read_only
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        ):
            mark = self.list.currentIndex().data(NOTE_ID_ROLE)
            if isinstance(mark, str):
                self.delete_requested.emit(mark)
                return True
        return super().eventFilter(watched, event)

    def set_read_only(self, read_only: bool) -> None:
        """Ignore Delete while bookmarks cannot be changed."""
        self._read_only = read_only

    def retranslate(self) -> None:
        """Re-read strings after a language switch."""
        self.hint.setText(tr("Ctrl+D bookmarks the current paragraph."))
