"""The Contents dock: the chapter tree, following the reading position."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QVBoxLayout, QWidget

from reader.models.contents import BLOCK_ID_ROLE, ContentsModel


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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self.model.modelReset.connect(self.tree.expandAll)

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
        """Nothing to translate beyond the document's own headings."""
