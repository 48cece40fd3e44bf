"""Choose one library document: the Library pane's table and filter box in a dialog.

A drop-down of titles serves ten documents; a mission's library holds
thousands, so "compare with" and "link a language version" ask with this.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from reader.core.library import DocumentRecord
from reader.models.library import DOC_ID_ROLE, LibraryFilter, LibraryModel
from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.ui.library_panel import document_table, filter_box


class DocumentPicker(QDialog):
    """A filterable, sortable table of documents; OK (or Enter, or a double click) picks the current one."""

    def __init__(
        self, records: list[DocumentRecord], title: str, prompt: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("document_picker")
        self.model = LibraryModel(self)
        self.model.set_records(records)
        self.proxy = LibraryFilter(self.model, self)
        self.prompt = plain_label(QLabel(prompt, self))
        self.filter = filter_box(self, "picker_filter")
        self.filter.setPlaceholderText(tr("Filter by title, symbol or language"))
        self.filter.textChanged.connect(self._filtered)
        self.filter.installEventFilter(self)
        self.table = document_table(self, self.proxy, "picker_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.hideColumn(3)  # note counts are not counted here
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 480)
        self._filtered()
        self.filter.setFocus()

    def _filtered(self) -> None:
        self.proxy.set_filter(self.filter.text())
        if self.proxy.rowCount() and not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the filter box move through the table, so the hands stay on the keys."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.proxy.rowCount():
                rows = self.table.selectionModel().selectedRows()
                row = rows[0].row() + step if rows else 0
                self.table.selectRow(max(0, min(row, self.proxy.rowCount() - 1)))
                return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        """The id of the document picked (the primary of its language versions), if any."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = QModelIndex(rows[0]).data(DOC_ID_ROLE)
        return value if isinstance(value, str) else None


def pick_document(
    records: list[DocumentRecord], title: str, prompt: str, parent: QWidget | None = None
) -> str | None:
    """Ask for one of ``records`` (a row per document, language versions together); its id or ``None``."""
    dialog = DocumentPicker(records, title, prompt, parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
