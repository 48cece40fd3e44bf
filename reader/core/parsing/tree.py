"""Tree building: open headings at the level their scheme nests at, assign ids and parents."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.model import Block, BlockKind, Heading, Span
from reader.core.parsing.schemes import LEAF_FAMILIES, _Cand
from reader.core.parsing.text import _MD_HEADING, _strip_md, clean_inline

_STRUCTURAL = frozenset(
    {
        "legal-编",
        "legal-編",
        "legal-部分",
        "legal-分编",
        "legal-分編",
        "legal-章",
        "legal-节",
        "legal-節",
        "cn-dot",
        "cn-dun",
        "roman",
        "annex",
        "legal-group",
        "md1",
        "md2",
        # Parts, chapters and sections named by a word in the UN languages (schemes._word_label).
        *(f"en-{w}" for w in ("part", "parte", "partie", "часть", "الجزء", "الباب")),
        *(f"en-{w}" for w in ("chapter", "capítulo", "chapitre", "глава", "الفصل")),
        *(f"en-{w}" for w in ("section", "sección", "раздел", "الفرع")),
    }
)


@dataclass(slots=True)
class _Open:
    node: Heading
    rank: int
    family: str
    value: int | None


@dataclass
class _Builder:
    source: str
    blocks: list[Block] = field(default_factory=list)
    roots: list[Heading] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    used_ids: set[str] = field(default_factory=set)
    child_counts: dict[str, int] = field(default_factory=dict)
    leaf_items: set[str] = field(default_factory=set)  # schemes numbering items in the open leaf

    def next_id(self, prefix: str) -> str:
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return self.unique(f"{prefix}{n}")

    def unique(self, base: str) -> str:
        cand, k = base, 1
        while cand in self.used_ids:
            k += 1
            cand = f"{base}-{k}"
        self.used_ids.add(cand)
        return cand

    @property
    def parent_id(self) -> str | None:
        return self.stack[-1].node.block if self.stack else None

    def add(self, block: Block) -> Block:
        if block.kind is not BlockKind.HEADING:
            block.parent = self.parent_id
        self.blocks.append(block)
        return block

    def open_heading(self, cand: _Cand, text: str, spans: list[Span]) -> Block:
        self.leaf_items = set()
        while self.stack and self.stack[-1].rank >= cand.rank:
            self.stack.pop()
        closing = ("special", "preamble") if cand.family in _STRUCTURAL else ("preamble",)
        if cand.family in _STRUCTURAL or cand.family in LEAF_FAMILIES:
            # 序言/前言/Preamble hold their own text, not the chapters or articles that follow them.
            for k, o in enumerate(self.stack):
                if o.family in closing:
                    del self.stack[k:]
                    break
        parent = self.stack[-1].node if self.stack else None
        key = parent.block if parent else ""
        n = self.child_counts.get(key, 0) + 1
        self.child_counts[key] = n
        bid = self.unique(f"{parent.block}.{n}" if parent else f"h{n}")
        level = len(self.stack) + 1
        title = clean_inline(cand.title)
        written = _strip_md(clean_inline(text))
        md = _MD_HEADING.match(written)
        if md:
            written = md.group(2)
        written = " ".join(written.split()).rstrip("。．")
        node = Heading(block=bid, label=cand.label, title=title, level=level, parent=parent, written=written)
        (parent.children if parent else self.roots).append(node)
        block = Block(
            id=bid,
            kind=BlockKind.HEADING,
            text=_strip_md(clean_inline(text)),
            spans=tuple(spans),
            label=cand.label,
            title=title,
            level=level,
            parent=parent.block if parent else None,
            # An article's number as an integer (第一条, Article premier, المادة 1 → "1"): the key
            # parallel reading aligns languages on.
            number=str(cand.value) if cand.family == "article" and cand.value is not None else None,
        )
        self.blocks.append(block)
        self.stack.append(_Open(node, cand.rank, cand.family, cand.value))
        return block

    def in_article(self) -> bool:
        return bool(self.stack) and self.stack[-1].family in LEAF_FAMILIES

    def last_value(self, family: str) -> int | None:
        """Numbering value of the last open heading of this family under the current parent."""
        for o in reversed(self.stack):
            if o.family == family:
                return o.value
        return None
