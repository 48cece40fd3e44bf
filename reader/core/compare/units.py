"""Units of comparison: the pieces of a document that a reader would say were changed.

A law is compared article by article: an article heading (``第五条``,
``Article 5``) and the blocks under it form one unit whose text is the
article's body.  Everything else — chapter headings, numbered and unnumbered
paragraphs, footnotes, tables, front matter — is a unit of its own block.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from reader.core.model import Block, BlockKind, Document
from reader.core.parser import cn_to_int, roman_to_int

ARTICLE = "article"
"""``Unit.kind`` of an article (heading plus body); other units carry their block's kind."""

_ARTICLE_LABEL = re.compile(
    r"^(?:第\s*(?P<zh>[0-9０-９零〇一二三四五六七八九十百千两]+)\s*[条條]"
    r"(?:\s*之\s*(?P<zhsub>[0-9０-９一二三四五六七八九十]+))?"
    r"|(?:Article|Art\.|Artículo|Статья|المادة)\s*(?P<lat>[0-9]+[a-z]?|[IVXLC]+))$",
    re.IGNORECASE,
)
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
_OTHER_LABEL = re.compile(r"[0-9０-９零〇一二三四五六七八九十百千两]+|[IVXLC]+|[A-Z]")


@dataclass(frozen=True, slots=True)
class Part:
    """Where one block's text sits inside its unit's text: ``text[start:end]``."""

    block: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Unit:
    """One comparable piece of a document.

    Attributes:
        block: Id of the unit's first block (the article heading, or the block itself).
        kind: :data:`ARTICLE`, or the block's kind value (``heading``, ``paragraph``...).
        label: Numbering as written (``第五条``, ``第一章``), ``None`` when unnumbered.
        number: The number the label or paragraph carries, as digits (``"5"``), or ``None``.
        text: What is compared: the article body (its blocks joined by newlines), a
            heading's title, a paragraph's text.
        parts: Where each block's text sits in ``text`` (the article heading itself has none).
        chapter: Id of the innermost non-article heading containing the unit, if any.
        index: Position among the document's units.
    """

    block: str
    kind: str
    label: str | None
    number: str | None
    text: str
    parts: tuple[Part, ...]
    chapter: str | None
    index: int

    def to_json(self) -> dict[str, str | None]:
        """The unit as the CLI contract spells it: ``block``, ``kind``, ``label``, ``number``, ``text``."""
        return {
            "block": self.block,
            "kind": self.kind,
            "label": self.label,
            "number": self.number,
            "text": self.text,
        }

    @property
    def citation(self) -> str:
        """How a delegate cites the unit: ``第五条``, ``¶ 37``, else the opening words of its text."""
        if self.label:
            return self.label
        if self.number:
            return f"¶ {self.number}"
        opening = " ".join(self.text.split())
        return f"“{opening[:15]}…”" if len(opening) > 16 else f"“{opening}”"

    def part_for(self, block_id: str) -> Part | None:
        """The part holding a block's text, if the block is in this unit."""
        for part in self.parts:
            if part.block == block_id:
                return part
        return None


def article_number(label: str | None) -> str | None:
    """``第十二条`` → ``"12"``, ``第十条之一`` → ``"10-1"``, ``Article 5`` → ``"5"``; else ``None``."""
    if not label:
        return None
    m = _ARTICLE_LABEL.match(_squash(label))
    if m is None:
        return None
    if m.group("lat"):
        value = m.group("lat")
        roman = roman_to_int(value.upper())
        return str(roman) if roman is not None and not value.isdigit() else value
    main = cn_to_int(m.group("zh"))
    if main is None:
        return None
    sub = cn_to_int(m.group("zhsub")) if m.group("zhsub") else None
    return f"{main}-{sub}" if sub is not None else str(main)


def label_number(label: str | None) -> str | None:
    """The number inside any heading label (``第三章`` → ``"3"``, ``（二）`` → ``"2"``, ``B`` → ``"B"``)."""
    if not label:
        return None
    found = article_number(label)
    if found is not None:
        return found
    m = _OTHER_LABEL.search(_squash(label))
    if m is None:
        return None
    token = m.group(0)
    value = cn_to_int(token)
    if value is None:
        value = roman_to_int(token) if len(token) > 1 or token in "IVX" else None
    return str(value) if value is not None else token


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def is_article(block: Block) -> bool:
    """Whether a heading block is an article (its label is ``第…条`` or ``Article N``)."""
    return block.kind is BlockKind.HEADING and article_number(block.label) is not None


def units_of(document: Document) -> list[Unit]:
    """The document cut into units, in reading order."""
    out: list[Unit] = []
    blocks = document.blocks
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if is_article(block):
            j = i + 1
            while j < len(blocks) and blocks[j].kind is not BlockKind.HEADING:
                j += 1
            out.append(_article(document, block, blocks[i + 1 : j], len(out)))
            i = j
            continue
        out.append(_single(document, block, len(out)))
        i += 1
    return out


def _chapter_of(document: Document, block: Block) -> str | None:
    parent = block.parent
    while parent is not None:
        head = document.get_block(parent)
        if head is None:
            return None
        if not is_article(head):
            return head.id
        parent = head.parent
    return None


def _article(document: Document, head: Block, body: list[Block], index: int) -> Unit:
    pieces: list[str] = []
    parts: list[Part] = []
    at = 0
    title = (head.title or "").strip()
    if title:
        # A run-in or titled article (``第一条 立法目的``): the title is part of what it says.
        pieces.append(title)
        at = len(title) + 1
    for block in body:
        parts.append(Part(block.id, at, at + len(block.text)))
        pieces.append(block.text)
        at += len(block.text) + 1
    return Unit(
        block=head.id,
        kind=ARTICLE,
        label=_squash(head.label or "") or None,
        number=article_number(head.label),
        text="\n".join(pieces),
        parts=tuple(parts),
        chapter=_chapter_of(document, head),
        index=index,
    )


def _single(document: Document, block: Block, index: int) -> Unit:
    if block.kind is BlockKind.HEADING:
        # Spacing inside a Chinese title is typographic (``总　　则`` is ``总则``): a re-spaced
        # title is the same heading, not a change.
        text = _CJK_GAP.sub("", (block.title or "").strip() or block.text)
        label = _squash(block.label) if block.label else None
        number = label_number(block.label)
        chapter: str | None = block.id
    else:
        text = block.text
        label = None
        number = block.number
        chapter = _chapter_of(document, block)
    return Unit(
        block=block.id,
        kind=block.kind.value,
        label=label,
        number=number,
        text=text,
        parts=(Part(block.id, 0, len(text)),) if block.kind is not BlockKind.HEADING else (),
        chapter=chapter,
        index=index,
    )
