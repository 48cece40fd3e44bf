r"""The document model: a tree of headings over an ordered list of blocks.

A :class:`Document` is built by the parser from decoded source text and is
immutable in spirit: every consumer (search index, annotation anchoring, the
reading view, exporters) reads it; nothing edits it in place.

Offsets are Python code points into ``Document.source`` (the decoded text with
line ends normalised to ``\n``).  Qt counts UTF-16 units; converting is the UI
layer's job.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field


class BlockKind(enum.StrEnum):
    """Kinds of block; the string values are part of the CLI contract."""

    FRONT_MATTER = "front_matter"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    FOOTNOTE = "footnote"
    FIGURE = "figure"
    TABLE = "table"
    TEXT = "text"


Span = tuple[int, int]
"""A half-open ``[start, end)`` range of code points in ``Document.source``."""


@dataclass(slots=True)
class Block:
    """One unit of reading: a heading, a paragraph, a footnote, a caption...

    Attributes:
        id: Stable identifier, unique within the document (``p37``, ``h3.2``,
            ``fn1``, ``fig2``, ``fm3``, ``t12``, ``tbl1``).
        kind: What the block is.
        text: Display text: numbering prefix removed for paragraphs and
            footnotes, link markup reduced to its visible text, page-break
            splits joined.  This is what is shown, searched and quoted.
        spans: Where the block's characters come from in the source, in order.
            Together the spans of all blocks cover every non-whitespace
            character of the source exactly once.
        number: Official number as written (``"37"`` for paragraph 37, the
            marker for a footnote, ``"1"`` for 图一).
        label: For headings, the numbering as written (``"一"``, ``"A"``,
            ``"1"``, ``"第一章"``, ``"（一）"``); ``None`` when unnumbered.
        title: For headings, the title without its label (the heading's
            ``text`` is the whole line as written, label included).
        level: For headings, depth in the tree (1 = top).
        parent: Id of the innermost heading that contains this block.
        footnotes: For text blocks, ids of footnotes referenced from them.
        referenced_by: For footnotes, ids of blocks that reference them.
        cells: For tables, rows of cell texts.
    """

    id: str
    kind: BlockKind
    text: str
    spans: tuple[Span, ...] = ()
    number: str | None = None
    label: str | None = None
    level: int | None = None
    parent: str | None = None
    footnotes: list[str] = field(default_factory=list)
    referenced_by: list[str] = field(default_factory=list)
    title: str | None = None
    cells: list[list[str]] | None = None


@dataclass(slots=True)
class Heading:
    """A node of the chapter tree, pointing at its heading block."""

    block: str
    label: str | None
    title: str
    level: int
    children: list[Heading] = field(default_factory=list)
    parent: Heading | None = field(default=None, repr=False, compare=False)
    written: str = ""  # the heading line as written, markup removed (``一. 战略背景``)

    def walk(self) -> Iterator[Heading]:
        """Yield this node and all descendants in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def display(self) -> str:
        """Label and title as written (``一. 战略背景``, ``（一）指导思想``)."""
        if self.written:
            return self.written
        if self.label and self.title:
            return f"{self.label}. {self.title}" if self.label.isascii() else f"{self.label} {self.title}"
        return self.title or self.label or ""


@dataclass(slots=True)
class Document:
    """A parsed document: metadata, source, blocks and the chapter tree."""

    id: str
    title: str
    source: str
    blocks: list[Block]
    tree: list[Heading]
    symbol: str | None = None
    language: str = "zh-Hans"
    source_hash: str = ""
    source_name: str = ""
    _by_id: dict[str, Block] = field(default_factory=dict, init=False, repr=False, compare=False)
    _heading_nodes: dict[str, Heading] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Index blocks and heading nodes by id."""
        self._by_id = {b.id: b for b in self.blocks}
        self._heading_nodes = {h.block: h for root in self.tree for h in root.walk()}

    def block(self, block_id: str) -> Block:
        """Return the block with this id (``KeyError`` if there is none)."""
        return self._by_id[block_id]

    def get_block(self, block_id: str) -> Block | None:
        """Return the block with this id, or ``None``."""
        return self._by_id.get(block_id)

    def index_of(self, block_id: str) -> int:
        """Position of a block in ``blocks``."""
        return self.blocks.index(self._by_id[block_id])

    def heading_node(self, block_id: str) -> Heading | None:
        """The tree node for a heading block."""
        return self._heading_nodes.get(block_id)

    def headings(self) -> Iterator[Heading]:
        """All heading nodes in document order."""
        for root in self.tree:
            yield from root.walk()

    def path(self, block_id: str) -> list[str]:
        """Heading titles from the top down to the block's innermost heading.

        For a heading block the path ends with the heading itself.
        """
        block = self._by_id[block_id]
        start = block.id if block.kind is BlockKind.HEADING else block.parent
        node = self._heading_nodes.get(start) if start else None
        out: list[str] = []
        while node is not None:
            out.append(node.title)
            node = node.parent
        out.reverse()
        return out

    def label_path(self, block_id: str) -> list[Heading]:
        """Heading nodes from the top down to the block's innermost heading."""
        block = self._by_id[block_id]
        start = block.id if block.kind is BlockKind.HEADING else block.parent
        node = self._heading_nodes.get(start) if start else None
        out: list[Heading] = []
        while node is not None:
            out.append(node)
            node = node.parent
        out.reverse()
        return out

    def raw(self, block: Block) -> str:
        """The block's source characters (its spans joined), markup and all."""
        return "".join(self.source[s:e] for s, e in block.spans)

    def paragraphs(self) -> list[Block]:
        """Numbered and unnumbered paragraphs in order."""
        return [b for b in self.blocks if b.kind is BlockKind.PARAGRAPH]

    def paragraph(self, number: str) -> Block | None:
        """The paragraph with this official number, if any."""
        for b in self.blocks:
            if b.kind is BlockKind.PARAGRAPH and b.number == number:
                return b
        return None

    def blocks_under(self, heading_block: str) -> list[Block]:
        """Blocks from a heading up to (not including) the next heading at its level or above."""
        node = self._heading_nodes[heading_block]
        start = self.index_of(heading_block)
        out = [self.blocks[start]]
        for b in self.blocks[start + 1 :]:
            if b.kind is BlockKind.HEADING and (b.level or 0) <= node.level:
                break
            out.append(b)
        return out


@dataclass(frozen=True, slots=True)
class LineHint:
    r"""What a structured importer (.docx, .pdf) knows about one source line.

    Importers that read formats with real structure synthesise plain text (one
    paragraph a line, blank lines between) and pass, keyed by line index in
    ``text.split("\n")``, what the format told them.  The parser trusts a hint
    over its own guess.

    Attributes:
        heading_level: Outline level from a heading style (1 = top).
        kind: A block kind the format is sure of (footnote, table, figure).
        number: A paragraph or list number recovered from numbering definitions.
        cells: For tables, the rows of cell texts.
    """

    heading_level: int | None = None
    kind: BlockKind | None = None
    number: str | None = None
    cells: tuple[tuple[str, ...], ...] | None = None
