"""Table model of the library's documents: title, symbol, import date, note count, languages.

One row per document: its language versions (reader.core.versions) share the
row of the version imported first, and the Languages column lists them all.
"""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from reader.core import versions
from reader.core.library import DocumentRecord
from reader.qt.i18n import tr
from reader.qt.text import plain_tooltip

ModelIndex = QModelIndex | QPersistentModelIndex
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
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
        self._haystacks: dict[str, str] = {}

    def set_records(self, records: list[DocumentRecord]) -> None:
        """Replace the list of documents (a row per document, shown by its Chinese version if any)."""
        self.beginResetModel()
        groups = versions.grouped(records)
        shown = [_shown(g) for g in groups]
        self._ids = [r.id for r in shown]
        self._records = {r.id: r for r in shown}
        self._members = {r.id: g for r, g in zip(shown, groups, strict=True)}
        self._row_of_version = {m.id: row for row, g in enumerate(groups) for m in g}
        self._haystacks = {}
        self.endResetModel()

    def haystack(self, row: int) -> str:
        """What the filter looks in: every version's title, symbol, language code and name, folded."""
        doc_id = self._ids[row]
        text = self._haystacks.get(doc_id)
        if text is None:
            parts = []
            for m in self._members.get(doc_id, [self._records[doc_id]]):
                parts += [m.title, m.symbol or "", m.language, versions.language_name(m.language)]
            text = self._haystacks[doc_id] = fold("\n".join(parts))
        return text

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
        """The id of the version ``row`` shows and opens (its Chinese one, else the first imported)."""
        return self._ids[row]

    def row_of(self, doc_id: str) -> int:
        """Row of a document or of any of its language versions (-1 when absent)."""
        return self._row_of_version.get(doc_id, -1)

    def all_records(self) -> list[DocumentRecord]:
        """Every document shown, each language version included (as the last listing read them)."""
        return [m for doc_id in self._ids for m in self._members.get(doc_id, [self._records[doc_id]])]

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
        if role == SORT_ROLE:
            if col == 3:
                return self._note_counts.get(doc_id, 0)
            members = self._members.get(doc_id, [rec])
            keys = (rec.title, rec.symbol or "", rec.imported_at, "", " ".join(m.language for m in members))
            # The title breaks ties, so that equal symbols or dates list in a stable order.
            return f"{keys[col]}\x00{rec.title}\x00{doc_id}"
        if role == Qt.ItemDataRole.TextAlignmentRole and col == 3:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Selectable, not editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


PREFERRED_LANGUAGES = ("zh-Hans", "zh-Hant")
"""A document's row shows (and opens) its version in the first of these it has: Chinese first."""


def _shown(group: list[DocumentRecord]) -> DocumentRecord:
    for language in PREFERRED_LANGUAGES:
        for member in group:
            if member.language == language:
                return member
    return group[0]


def fold(text: str) -> str:
    """Text as the filter compares it: full-width forms as ASCII, case and spacing ignored."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class LibraryFilter(QSortFilterProxyModel):
    """The Library pane's rows that match what is typed in its filter box, sortable by any column.

    Every word typed must appear (in any order) in one version's title, symbol
    or language; ``a/75`` finds ``A/75/563``, ``ＵＤＨＲ`` finds ``udhr``.
    """

    def __init__(self, source: LibraryModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = source
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # Titles in the reader's own collation (pinyin order under a Chinese locale).
        self.setSortLocaleAware(True)
        self._words: list[str] = []

    def set_filter(self, text: str) -> None:
        """Show only the documents matching ``text`` (all of them when it is blank)."""
        words = [fold(w) for w in unicodedata.normalize("NFKC", text).split()]
        words = [w for w in words if w]
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+: invalidateRowsFilter is deprecated there
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateRowsFilter()

    def filtering(self) -> bool:
        """True while some text narrows the list."""
        return bool(self._words)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        """A row whose versions hold every word typed."""
        if not self._words:
            return True
        hay = self.library.haystack(source_row)
        return all(w in hay for w in self._words)

    def source_row(self, row: int) -> int:
        """The library model's row shown on the view's ``row``."""
        return self.mapToSource(self.index(row, 0)).row()

    def view_row(self, source_row: int) -> int:
        """The view's row of the model's ``source_row`` (-1 when filtered out)."""
        if source_row < 0:
            return -1
        return self.mapFromSource(self.library.index(source_row, 0)).row()
