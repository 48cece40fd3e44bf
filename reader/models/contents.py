"""Item model of a document's chapter tree, with paragraph ranges and search-hit counts."""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from reader.core.model import BlockKind, Document, Heading
from reader.qt.i18n import tr
from reader.qt.text import plain_tooltip

ModelIndex = QModelIndex | QPersistentModelIndex
BLOCK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HITS_ROLE = Qt.ItemDataRole.UserRole + 2
ROOT = -1


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
"""Hebrew and Arabic letters: a heading written right to left."""
_LTR_ISOLATE, _POP_ISOLATE = "\u2066", "\u2069"


def paragraph_range(doc: Document, heading_block: str) -> str:
    """``¶53–55`` for the numbered paragraphs under a heading ("" when it has none)."""
    numbers = [
        b.number for b in doc.blocks_under(heading_block) if b.kind is BlockKind.PARAGRAPH and b.number
    ]
    if not numbers:
        return ""
    if numbers[0] == numbers[-1]:
        return f"¶{numbers[0]}"
    return f"¶{numbers[0]}–{numbers[-1]}"


class ContentsModel(QAbstractItemModel):
    """The heading tree of one document; each node is identified by its heading block id.

    Rows are addressed by an integer per heading (its position in document
    order), so indexes carry plain ids rather than Python object pointers.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._doc: Document | None = None
        self._nodes: list[Heading] = []
        self._ids: dict[str, int] = {}
        self._parents: list[int] = []
        self._children: dict[int, list[int]] = {}
        self._ranges: dict[int, str] = {}
        self._hits: dict[int, int] = {}
        self._changed: set[int] = set()

    def set_document(self, doc: Document | None) -> None:
        """Show the tree of ``doc`` (or nothing)."""
        self.beginResetModel()
        self._doc = doc
        self._nodes = list(doc.headings()) if doc else []
        self._ids = {node.block: i for i, node in enumerate(self._nodes)}
        self._parents = [self._ids[n.parent.block] if n.parent is not None else ROOT for n in self._nodes]
        self._children = {ROOT: []}
        for i, p in enumerate(self._parents):
            self._children.setdefault(p, []).append(i)
        self._ranges = {}
        self._hits = {}
        self._changed = set()
        self.endResetModel()

    @property
    def document(self) -> Document | None:
        """The document whose tree is shown."""
        return self._doc

    def set_hit_counts(self, per_block: dict[str, int]) -> None:
        """Show search-hit counts: ``per_block`` maps block ids to hits, summed up the tree."""
        hits: dict[int, int] = {}
        if self._doc is not None:
            for block_id, count in per_block.items():
                block = self._doc.get_block(block_id)
                if block is None:
                    continue
                start = block.id if block.kind is BlockKind.HEADING else block.parent
                node = self._ids.get(start) if start else None
                while node is not None and node != ROOT:
                    hits[node] = hits.get(node, 0) + count
                    node = self._parents[node]
        self._hits = hits
        if self._nodes:
            self._emit_all_changed()

    def set_changed(self, heading_blocks: set[str]) -> None:
        """Mark the chapters that changed since the compared revision (``Δ`` before the title)."""
        self._changed = {self._ids[b] for b in heading_blocks if b in self._ids}
        if self._nodes:
            self._emit_all_changed()

    def changed_blocks(self) -> set[str]:
        """Heading block ids currently marked as changed."""
        return {self._nodes[i].block for i in self._changed}

    def clear_hit_counts(self) -> None:
        """Stop showing hit counts."""
        self.set_hit_counts({})

    def _emit_all_changed(self) -> None:
        for parent, kids in self._children.items():
            if kids:
                parent_index = QModelIndex() if parent == ROOT else self._index_of(parent)
                self.dataChanged.emit(
                    self.index(0, 0, parent_index), self.index(len(kids) - 1, 0, parent_index)
                )

    def _index_of(self, node: int) -> QModelIndex:
        siblings = self._children[self._parents[node]]
        return self.createIndex(siblings.index(node), 0, node)

    def index_for_block(self, block_id: str) -> QModelIndex:
        """The index of a heading, or of the innermost heading containing a block."""
        if self._doc is None:
            return QModelIndex()
        block = self._doc.get_block(block_id)
        if block is None:
            return QModelIndex()
        start = block.id if block.kind is BlockKind.HEADING else block.parent
        node = self._ids.get(start) if start else None
        return QModelIndex() if node is None else self._index_of(node)

    # ---------------------------------------------------------------- Qt API
    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Index of ``row`` under ``parent``."""
        if column != 0 or row < 0:
            return QModelIndex()
        key = parent.internalId() if parent.isValid() else ROOT
        kids = self._children.get(key, [])
        if row >= len(kids):
            return QModelIndex()
        return self.createIndex(row, 0, kids[row])

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Parent of ``child`` (invalid for top-level chapters)."""
        if not child.isValid():
            return QModelIndex()
        p = self._parents[child.internalId()]
        return QModelIndex() if p == ROOT else self._index_of(p)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """Number of sub-headings."""
        if parent.isValid() and parent.column() != 0:
            return 0
        key = parent.internalId() if parent.isValid() else ROOT
        return len(self._children.get(key, []))

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        """One column: label, title, range and hits."""
        return 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Text, tooltip, block id or hit count for a heading."""
        if not index.isValid() or self._doc is None:
            return None
        node_id = index.internalId()
        node = self._nodes[node_id]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if node_id not in self._ranges:
                self._ranges[node_id] = paragraph_range(self._doc, node.block)
            text = node.display
            span = self._ranges[node_id]
            hits = self._hits.get(node_id)
            rtl = _RTL.search(text) is not None
            if span:
                # In an Arabic heading the bidi algorithm reads ¶1–2 as 2–1¶: isolate it as LTR.
                text = f"{text}  {_LTR_ISOLATE}{span}{_POP_ISOLATE}" if rtl else f"{text}  {span}"
            if hits:
                text = f"{text}  {_LTR_ISOLATE}({hits}){_POP_ISOLATE}" if rtl else f"{text}  ({hits})"
            if node_id in self._changed:
                # A sign, not only a colour: the mark survives printing and colour blindness.
                text = "Δ " + text
                if role == Qt.ItemDataRole.ToolTipRole:
                    text += "\n" + tr("Changed since the compared revision")
            return text if role == Qt.ItemDataRole.DisplayRole else plain_tooltip(text)
        if role == BLOCK_ID_ROLE:
            return node.block
        if role == HITS_ROLE:
            return self._hits.get(node_id, 0)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Headings are selectable, not editable."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
