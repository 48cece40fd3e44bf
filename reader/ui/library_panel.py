"""The Library dock: documents with title, symbol, date and note count; drop files to import."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.models.library import DOC_ID_ROLE, LibraryModel
from reader.qt.i18n import tr

IMPORTABLE = (".txt", ".md", ".docx", ".pdf")


class LibraryPanel(QWidget):
    """Document table plus an import progress bar with a cancel button.

    Signals:
        document_requested(str): open the document with this id.
        import_requested(list): paths (``list[str]``) dropped on the panel.
        import_cancel_requested(): stop the running import.
    """

    document_requested = Signal(str)
    import_requested = Signal(list)
    import_cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.model = LibraryModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("library_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._picked)
        self.table.doubleClicked.connect(self._picked)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("import_progress")
        self.cancel = QPushButton(self)
        self.cancel.setObjectName("import_cancel")
        self.cancel.clicked.connect(self.import_cancel_requested)
        row = QHBoxLayout()
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.set_importing(False)
        self.retranslate()

    def _picked(self, index: QModelIndex) -> None:
        doc = index.data(DOC_ID_ROLE)
        if isinstance(doc, str):
            self.document_requested.emit(doc)

    def set_importing(self, active: bool, total: int = 0) -> None:
        """Show or hide the progress row."""
        self.progress.setVisible(active)
        self.cancel.setVisible(active)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(0)

    def set_progress(self, done: int, total: int) -> None:
        """Advance the import bar."""
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def select_document(self, doc_id: str) -> None:
        """Highlight the open document."""
        self.model.set_current(doc_id)
        row = self.model.row_of(doc_id)
        if row >= 0:
            self.table.selectRow(row)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept files that look importable."""
        if any(u.toLocalFile().lower().endswith(IMPORTABLE) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Ask to import the dropped files."""
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.import_requested.emit(files)

    def retranslate(self) -> None:
        """Re-read strings after a language switch."""
        self.cancel.setText(tr("Cancel"))
        self.table.setToolTip(tr("Double-click to open. Drop files here to import them."))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)
