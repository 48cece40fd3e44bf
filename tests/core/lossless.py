"""The strict lossless property: every non-whitespace input character is in exactly one block.

Spans alone are not enough (a number stripped from a paragraph's text and not stored anywhere
still has its span).  :func:`assert_accounted` checks that each block's own characters — its
``number`` (for paragraphs and notes) followed by its ``text`` — are its source characters in
order, missing only the punctuation that writes a number or markup (``1.`` → ``1``, ``（一）``,
``## ``, ``**``, ``[^1]:``, a link's target).  Comparison is after NFKC (``１．`` is read as ``1``) with
whitespace removed.
"""

from __future__ import annotations

import re
import unicodedata

from reader.core.model import Block, BlockKind, Document

# Characters a block may drop from its source: separators after a number, Markdown markup.
SEPARATORS = frozenset(".．、:：()（）[]#*_=-^")
_LINK_TARGET = re.compile(r"\]\([^()\s]*\)")


def _fold(s: str) -> str:
    # Character by character: NFKC of a whole string would reorder combining marks.
    folded = "".join(unicodedata.normalize("NFKC", ch) for ch in s)
    return "".join(folded.split())


def accounted(block: Block) -> str:
    """What the block keeps of its source: number (paragraphs, notes) then text, as stored."""
    number = block.number if block.kind in (BlockKind.PARAGRAPH, BlockKind.FOOTNOTE) else None
    return (number or "") + block.text


def unaccounted(doc: Document, block: Block) -> str:
    """Source characters of ``block`` found neither in its text nor its number ('' when none)."""
    raw = _fold(_LINK_TARGET.sub("]", doc.raw(block)))
    kept = _fold(_LINK_TARGET.sub("]", accounted(block)))
    lost: list[str] = []
    j = 0
    for ch in raw:
        if j < len(kept) and ch == kept[j]:
            j += 1
        elif ch not in SEPARATORS:
            lost.append(ch)
    if j < len(kept):
        return f"text not from the source: {kept[j : j + 20]!r}"
    return "".join(lost)


def assert_accounted(doc: Document) -> None:
    """Every block keeps all of its source characters in its text or number, in order."""
    bad = [(b.id, lost[:40]) for b in doc.blocks if (lost := unaccounted(doc, b))]
    assert not bad, f"characters lost (block, characters): {bad[:5]}"
