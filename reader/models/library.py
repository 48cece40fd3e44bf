"""Table model of the library's documents: title, symbol, import date, note count, languages.

One row per document: its language versions (reader.core.versions) share the
row of the version imported first, and the Languages column lists them all.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from reader.core import versions
from reader.core.library import DocumentRecord
from reader.qt.i18n import tr
from reader.qt.text import plain_tooltip

ModelIndex = QModelIndex | QPersistentModelIndex
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Title", "Symbol", "Imported", "Notes", "Languages")


class LibraryModel(QAbstractTableModel):
    """One row per document id; record fields are looked up when a cell is drawn."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._records: dict[str, DocumentRecord] = {}
        self._members: dict[str, list[DocumentRecord]] = {}
        self._row_of_version: dict[str, int] = {}
        self._note_counts: dict[str, int] = {}
        self._current = ""

    def set_records(self, records: list[DocumentRecord]) -> None:
        """Replace the list of documents."""
        self.beginResetModel()
        groups = versions.grouped(records)
        self._ids = [g[0].id for g in groups]
        self._records = {g[0].id: g[0] for g in groups}
        self._members = {g[0].id: g for g in groups}
        self._row_of_version = {m.id: row for row, g in enumerate(groups) for m in g}
        self.endResetModel()

    def set_note_counts(self, counts: dict[str, int]) -> None:
        """Update the notes column."""
        self._note_counts = dict(counts)
        if self._ids:
            self.dataChanged.emit(self.index(0, 3), self.index(len(self._ids) - 1, 3))

    def set_note_count(self, doc_id: str, count: int) -> None:
        """Update one document's note count."""
        self._note_counts[doc_id] = count
        row = self.row_of(doc_id)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 3), self.index(row, 3))

    def set_current(self, doc_id: str) -> None:
        """Mark the open document (shown in bold)."""
        self._current = doc_id
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))

    def doc_id(self, row: int) -> str:
        """The document id on ``row``."""
        return self._ids[row]

    def row_of(self, doc_id: str) -> int:
        """Row of a document or of any of its language versions (-1 when absent)."""
        return self._row_of_version.get(doc_id, -1)

    def versions_of(self, row: int) -> list[DocumentRecord]:
        """The language versions on ``row``, primary first."""
        return list(self._members.get(self._ids[row], []))

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of documents."""
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Title, symbol, date, notes, languages."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        """Translated column titles."""
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return tr(COLUMNS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Cell text, tooltip, id or font weight."""
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        doc_id = self._ids[index.row()]
        rec = self._records[doc_id]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return rec.title
            if col == 1:
                return rec.symbol or ""
            if col == 2:
                return rec.imported_at[:10]
            if col == 3:
                return str(self._note_counts.get(doc_id, 0))
            if col == 4:
                return " · ".join(m.language for m in self._members.get(doc_id, [rec]))
        if role == Qt.ItemDataRole.ToolTipRole:
            langs = ", ".join(versions.language_name(m.language) for m in self._members.get(doc_id, [rec]))
            return plain_tooltip(f"{rec.title}\n{rec.symbol or ''}\n{langs}".replace("\n\n", "\n").strip())
        if role == DOC_ID_ROLE:
            return doc_id
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Selectable, not editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
