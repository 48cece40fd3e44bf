"""The Library dock: one row per document with its languages, title, symbol, date, notes; drop to import."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from reader.core.versions import language_name
from reader.models.library import DOC_ID_ROLE, LibraryFilter, LibraryModel
from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.ui.wording import plural

IMPORTABLE = (".txt", ".md", ".docx", ".pdf")


def filter_box(parent: QWidget, name: str) -> QLineEdit:
    """The line a list of documents is filtered with (its placeholder is set by the caller)."""
    box = QLineEdit(parent)
    box.setObjectName(name)
    box.setClearButtonEnabled(True)
    return box


def document_table(parent: QWidget, proxy: LibraryFilter, name: str) -> QTableView:
    """A table of documents (one row each, whole rows selected, any column sorts), as the pane shows them."""
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's order (by title) until asked
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setShowGrid(False)
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for col in range(1, proxy.columnCount()):
        header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
    return table


class LibraryPanel(QWidget):
    """A filter box, the document table (sortable by any column) and an import progress bar.

    Typing in the filter narrows the table to the documents whose title, symbol
    or language holds every word typed; Enter opens the first, Down moves into
    the table, Escape clears it.

    Signals:
        document_requested(str): open the document (or language version) with this id.
        parallel_requested(str): read this document's language versions side by side.
        import_requested(list): paths (``list[str]``) dropped on the panel.
        import_cancel_requested(): stop the running import.
    """

    document_requested = Signal(str)
    parallel_requested = Signal(str)
    import_requested = Signal(list)
    import_cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.model = LibraryModel(self)
        self.proxy = LibraryFilter(self.model, self)
        self.model.modelReset.connect(self._show_count)
        self.filter = filter_box(self, "library_filter")
        self.filter.textChanged.connect(self._filter_changed)
        self.filter.returnPressed.connect(self._open_first)
        self.filter.installEventFilter(self)
        self.count = plain_label(QLabel(self))
        self.count.setObjectName("library_count")
        self.count.hide()
        self.table = document_table(self, self.proxy, "library_table")
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
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
        layout.addWidget(self.filter)
        layout.addWidget(self.count)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.set_importing(False)
        self.retranslate()

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_filter(text)
        self._show_count()

    def _show_count(self) -> None:
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if not self.proxy.filtering():
            self.count.hide()
            return
        if shown:
            text = plural(total, "%1 of %n document", "%1 of %n documents")
            self.count.setText(text.replace("%1", str(shown)))
        else:
            self.count.setText(tr("No document matches “%1”.").replace("%1", self.filter.text().strip()))
        self.count.show()

    def _open_first(self) -> None:
        index = self.proxy.index(0, 0)
        if index.isValid():
            self._picked(index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Escape clears the filter; Down moves from it into the table."""
        if watched is self.filter and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Escape and self.filter.text():
                self.filter.clear()
                return True
            if event.key() == Qt.Key.Key_Down and self.proxy.rowCount():
                self.table.setFocus()
                current = self.table.currentIndex()
                if not current.isValid() or self.table.selectionModel().selectedRows() == []:
                    self.table.selectRow(0)
                return True
        return super().eventFilter(watched, event)

    def _picked(self, index: QModelIndex) -> None:
        doc = index.data(DOC_ID_ROLE)
        if isinstance(doc, str):
            self.document_requested.emit(doc)

    def version_menu(self, row: int) -> QMenu:
        """The row's menu: open each language version, or read them side by side."""
        menu = QMenu(self)
        members = self.model.versions_of(row)
        for rec in members:
            act = menu.addAction(
                tr("Open %1").replace("%1", f"{language_name(rec.language)} ({rec.language})")
            )
            act.triggered.connect(lambda _c=False, d=rec.id: self.document_requested.emit(d))
        menu.addSeparator()
        side = menu.addAction(tr("Read side by side"))
        side.setEnabled(len(members) > 1)
        side.triggered.connect(lambda _c=False, d=members[0].id: self.parallel_requested.emit(d))
        return menu

    def _menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            row = self.proxy.mapToSource(index).row()
            self.version_menu(row).popup(self.table.viewport().mapToGlobal(pos))

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
        row = self.proxy.view_row(self.model.row_of(doc_id))
        if row >= 0:
            self.table.selectRow(row)
        self._show_count()

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
        self.filter.setPlaceholderText(tr("Filter by title, symbol or language"))
        self._show_count()
        self.table.setToolTip(tr("Double-click to open. Drop files here to import them."))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)
