"""The Contents dock: the chapter tree, following the reading position."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from reader.models.contents import BLOCK_ID_ROLE, ContentsModel
from reader.qt.i18n import tr
from reader.qt.text import plain_label


class ContentsPanel(QWidget):
    """Chapter tree with paragraph ranges and, during a search, hit counts.

    Signals:
        block_requested(str): the user picked a heading (click, Enter); its block id.
        block_browsed(str): the arrow keys moved onto a heading (the view follows, history does not).
    """

    block_requested = Signal(str)
    block_browsed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ContentsModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("contents_tree")
        self.tree.setHeaderHidden(True)
        # Long titles lose their middle, not the paragraph range and hit count at the end.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.clicked.connect(self._picked)
        self.tree.activated.connect(self._picked)
        self._following = False
        # Arrow keys move the reading view too, not only Enter (the tree follows the view silently).
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        # A letter or a statement has no headings: say so, rather than show an empty pane.
        self.empty = plain_label(QLabel(self))
        self.empty.setObjectName("contents_empty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.empty.setContentsMargins(8, 12, 8, 8)
        self.empty.setEnabled(False)  # drawn in the style's muted colour
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree)
        self.model.modelReset.connect(self.tree.expandAll)
        self.model.modelReset.connect(self._show_empty)
        self.retranslate()
        self._show_empty()

    def _show_empty(self) -> None:
        bare = self.model.document is not None and self.model.rowCount() == 0
        self.empty.setVisible(bare)
        self.tree.setVisible(not bare)

    def _picked(self, index: QModelIndex) -> None:
        block = index.data(BLOCK_ID_ROLE)
        if isinstance(block, str):
            self.block_requested.emit(block)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._following and self.tree.hasFocus() and current.isValid():
            block = current.data(BLOCK_ID_ROLE)
            if isinstance(block, str):
                self.block_browsed.emit(block)

    def follow(self, block_id: str) -> None:
        """Select the heading containing ``block_id`` without asking to move the view."""
        index = self.model.index_for_block(block_id)
        if index.isValid() and index != self.tree.currentIndex():
            self._following = True
            try:
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
            finally:
                self._following = False

    def retranslate(self) -> None:
        """The note shown for a document without headings (the tree is the document's own text)."""
        self.empty.setText(
            tr("This document has no chapters or sections. Ctrl+G goes to a paragraph by its number.")
        )
