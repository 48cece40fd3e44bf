"""Tree model of search results: document, then chapter, then hits with highlighted snippets."""

from __future__ import annotations

import html
from collections.abc import Callable
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
SORT_RELEVANCE = "relevance"
SORT_ORDER = "order"
ELLIPSIS = "…"


def shown_snippet(hit: SearchHit) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The snippet with "…" in front when it starts inside the block (spans moved to match)."""
    if hit.spans and hit.block_spans:
        offset = hit.block_spans[0][0] - hit.spans[0][0]
        if offset > 0:
            return ELLIPSIS + hit.snippet, tuple((a + 1, b + 1) for a, b in hit.spans)
    return hit.snippet, hit.spans


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
    kind: str  # "goto" | "doc" | "chapter" | "hit"
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
        self._goto: list[int] = []
        self._all_hits: list[SearchHit] = []
        self._goto_rows: list[tuple[str, str, str]] = []
        self._sort = SORT_RELEVANCE
        self._order: Callable[[SearchHit], tuple[int, ...]] | None = None

    def set_hits(self, hits: list[SearchHit]) -> None:
        """Show ``hits`` (best first within each group, groups in first-hit order)."""
        self._all_hits = list(hits)
        self._rebuild()

    def set_goto(self, rows: list[tuple[str, str, str]]) -> None:
        """Rows "Go to ¶37" shown first: ``(label, block id, path)`` for what the query names as a place."""
        self._goto_rows = list(rows)
        self._rebuild()

    def set_sort(self, key: str, order: Callable[[SearchHit], tuple[int, ...]] | None = None) -> None:
        """Relevance (the engine's order) or document order (``order`` gives a hit's position)."""
        self._sort = key
        if order is not None:
            self._order = order
        self._rebuild()

    @property
    def sort_key(self) -> str:
        """``relevance`` or ``order``."""
        return self._sort

    def goto_count(self) -> int:
        """Number of "Go to" rows."""
        return len(self._goto)

    def goto_block(self, n: int = 0) -> str:
        """Block id of the ``n``-th "Go to" row ("" when none)."""
        return self._nodes[self._goto[n]].block_id if 0 <= n < len(self._goto) else ""

    def hits(self) -> list[SearchHit]:
        """The hits in display order."""
        return [h for n in self._hits if (h := self._nodes[n].hit) is not None]

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._nodes = []
        self._roots = []
        self._hits = []
        self._goto = []
        for label, block, path in self._goto_rows:
            text = tr("Go to %1").replace("%1", label) + (f"  — {path}" if path else "")
            self._goto.append(self._add(_Node("goto", text, "", block), ROOT))
        hits = self._all_hits
        if self._sort == SORT_ORDER and self._order is not None:
            order = self._order
            first = {h.doc_id: i for i, h in reversed(list(enumerate(hits)))}
            hits = sorted(hits, key=lambda h: (first[h.doc_id], *order(h)))
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
            snippet, _spans = shown_snippet(hit)
            node = self._add(_Node("hit", number + snippet, hit.doc_id, hit.block_id, hit=hit), chapter)
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
            return f"{node.label}  ({node.count})" if node.kind not in ("hit", "goto") else node.label
        if role == HTML_ROLE:
            if node.kind == "goto":
                return f"<b>→ {html.escape(node.label)}</b>"
            if node.hit is None:
                return f"<b>{html.escape(node.label)}</b>  ({node.count})"
            # The delegate colours class "num" to suit the row (plain or selected).
            number = (
                f"<span class='num'>¶{html.escape(node.hit.number)}</span>&nbsp; " if node.hit.number else ""
            )
            return number + snippet_html(*shown_snippet(node.hit))
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
