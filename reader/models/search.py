"""Tree model of search results: document, then chapter, then hits with highlighted snippets."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from index.types import SearchHit
from reader.qt.i18n import tr
from reader.qt.text import plain_tooltip

ModelIndex = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 1
DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 2
BLOCK_ID_ROLE = Qt.ItemDataRole.UserRole + 3
KIND_ROLE = Qt.ItemDataRole.UserRole + 4
NOTE_ID_ROLE = Qt.ItemDataRole.UserRole + 5
ROOT = -1


def snippet_html(snippet: str, spans: tuple[tuple[int, int], ...]) -> str:
    """The snippet as escaped HTML with the hit spans in bold (nothing in it is markup)."""
    out: list[str] = []
    at = 0
    for start, end in sorted(spans):
        if start < at:
            continue
        out.append(html.escape(snippet[at:start]))
        out.append("<b>" + html.escape(snippet[start:end]) + "</b>")
        at = end
    out.append(html.escape(snippet[at:]))
    return "".join(out)


@dataclass(slots=True)
class _Node:
    kind: str  # "doc" | "chapter" | "hit"
    label: str
    doc_id: str
    block_id: str = ""
    parent: int = ROOT
    children: list[int] = field(default_factory=list)
    hit: SearchHit | None = None
    count: int = 0


class SearchResultsModel(QAbstractItemModel):
    """Results of one search, grouped by document and chapter; nodes are addressed by integer ids."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._nodes: list[_Node] = []
        self._roots: list[int] = []
        self._hits: list[int] = []

    def set_hits(self, hits: list[SearchHit]) -> None:
        """Show ``hits`` (best first within each group, groups in first-hit order)."""
        self.beginResetModel()
        self._nodes = []
        self._roots = []
        self._hits = []
        docs: dict[str, int] = {}
        chapters: dict[tuple[str, str], int] = {}
        for hit in hits:
            doc = docs.get(hit.doc_id)
            if doc is None:
                label = hit.doc_title or hit.doc_id
                if hit.symbol:
                    label = f"{hit.symbol}  {label}"
                doc = self._add(_Node("doc", label, hit.doc_id), ROOT)
                docs[hit.doc_id] = doc
            chapter_title = hit.path[0] if hit.path else ""
            key = (hit.doc_id, chapter_title)
            chapter = chapters.get(key)
            if chapter is None:
                chapter = self._add(
                    _Node("chapter", chapter_title or tr("(before the first chapter)"), hit.doc_id), doc
                )
                chapters[key] = chapter
            number = f"¶{hit.number}  " if hit.number else ""
            node = self._add(_Node("hit", number + hit.snippet, hit.doc_id, hit.block_id, hit=hit), chapter)
            self._hits.append(node)
            self._nodes[chapter].count += 1
            self._nodes[doc].count += 1
        self.endResetModel()

    def _add(self, node: _Node, parent: int) -> int:
        node.parent = parent
        self._nodes.append(node)
        nid = len(self._nodes) - 1
        (self._roots if parent == ROOT else self._nodes[parent].children).append(nid)
        return nid

    def hit_count(self) -> int:
        """Number of hit rows."""
        return len(self._hits)

    def hit_index(self, n: int) -> QModelIndex:
        """Index of the ``n``-th hit in display order (invalid if out of range)."""
        if not 0 <= n < len(self._hits):
            return QModelIndex()
        return self._index_of(self._hits[n])

    def hit_number(self, index: ModelIndex) -> int:
        """Position of a hit row among all hits (-1 for group rows)."""
        if not index.isValid():
            return -1
        try:
            return self._hits.index(index.internalId())
        except ValueError:
            return -1

    def hit_at(self, index: ModelIndex) -> SearchHit | None:
        """The hit of a hit row."""
        if not index.isValid():
            return None
        return self._nodes[index.internalId()].hit

    def _siblings(self, parent: int) -> list[int]:
        return self._roots if parent == ROOT else self._nodes[parent].children

    def _index_of(self, nid: int) -> QModelIndex:
        return self.createIndex(self._siblings(self._nodes[nid].parent).index(nid), 0, nid)

    # ---------------------------------------------------------------- Qt API
    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Index of ``row`` under ``parent``."""
        if column != 0 or row < 0:
            return QModelIndex()
        kids = self._siblings(parent.internalId() if parent.isValid() else ROOT)
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, kids[row])

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Group row above ``child``."""
        if not child.isValid():
            return QModelIndex()
        p = self._nodes[child.internalId()].parent
        return QModelIndex() if p == ROOT else self._index_of(p)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Children of a group (hits have none)."""
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._siblings(parent.internalId() if parent.isValid() else ROOT))

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """One column."""
        return 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Plain label, highlighted HTML, ids and kind of a row."""
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{node.label}  ({node.count})" if node.kind != "hit" else node.label
        if role == HTML_ROLE:
            if node.hit is None:
                return f"<b>{html.escape(node.label)}</b>  ({node.count})"
            # The delegate colours class "num" to suit the row (plain or selected).
            number = (
                f"<span class='num'>¶{html.escape(node.hit.number)}</span>&nbsp; " if node.hit.number else ""
            )
            return number + snippet_html(node.hit.snippet, node.hit.spans)
        if role == Qt.ItemDataRole.ToolTipRole and node.hit is not None:
            return plain_tooltip(" › ".join(node.hit.path))
        if role == DOC_ID_ROLE:
            return node.doc_id
        if role == BLOCK_ID_ROLE:
            return node.block_id
        if role == KIND_ROLE:
            return node.kind
        if role == NOTE_ID_ROLE:
            return node.hit.note_id if node.hit is not None else None
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Rows are selectable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
