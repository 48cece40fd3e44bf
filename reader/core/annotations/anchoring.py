"""Create anchors on a document and move them to a new revision.

Moving an anchor tries, in order:

1. **exact** — the quote at its old offsets in the block with the same id, its
   context still around it (confidence 1.0);
2. **context** — the quote found verbatim anywhere, chosen by how well the
   stored prefix and suffix match (a renumbered paragraph lands here);
3. **fuzzy** — the most similar passage (``difflib``) in the blocks sharing
   most character pairs with the quote, accepted only above a similarity
   threshold; confidence is the similarity;
4. otherwise **orphan** — the anchor keeps its old fields (quote, old
   paragraph number) and is flagged; it is never attached to other text.

Offsets are code points within ``Block.text``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from reader.core.annotations.model import (
    CONTEXT_CHARS,
    HISTORY_LIMIT,
    Anchor,
    AnchorStatus,
)
from reader.core.model import Block, Document

FUZZY_THRESHOLD = 0.75
"""Minimum similarity for a fuzzy placement; below it a note becomes an orphan."""

MIN_FUZZY_QUOTE = 6
"""Quotes shorter than this are too weak to place by similarity alone."""

UNIQUE_QUOTE_MIN = 8
"""A quote at least this long that occurs once in the document is placed there even if its context changed."""

_CANDIDATE_BLOCKS = 6


def make_anchor(
    document: Document,
    block_id: str,
    start: int | None = None,
    end: int | None = None,
    *,
    quote: str | None = None,
) -> Anchor:
    """Anchor a span of a block, given by offsets, by a quote, or the whole block.

    Args:
        document: The document the anchor refers to (its ``source_hash`` is recorded).
        block_id: Id of the block.
        start: Code-point offset within the block text; with ``end``.
        end: Code-point offset one past the span.
        quote: Text to find in the block when no offsets are given (first occurrence);
            when offsets are given too, it must equal the text at those offsets.

    Raises:
        KeyError: The block does not exist.
        ValueError: Offsets out of range or empty, or the quote is not in the block.
    """
    block = document.block(block_id)
    text = block.text
    if start is None and end is None:
        if quote:
            found = text.find(quote)
            if found < 0:
                raise ValueError(f"the quote is not in block {block_id}: {_short(quote)}")
            start, end = found, found + len(quote)
        else:
            start, end = 0, len(text)
    elif start is None or end is None:
        raise ValueError("give both start and end, or neither")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets {start}..{end} are outside block {block_id} (length {len(text)})")
    if quote and text[start:end] != quote:
        raise ValueError(f"the text at {start}..{end} of block {block_id} is not the quote {_short(quote)}")
    return _anchor_at(document, block, start, end)


def anchor_text(document: Document, anchor: Anchor) -> str | None:
    """The text an anchor covers on ``document``, or ``None`` if it does not fit there."""
    block = document.get_block(anchor.block)
    if block is None or anchor.revision != document.source_hash or anchor.is_orphan:
        return None
    if not 0 <= anchor.start <= anchor.end <= len(block.text):
        return None
    return block.text[anchor.start : anchor.end]


def _anchor_at(
    document: Document,
    block: Block,
    start: int,
    end: int,
    status: AnchorStatus = AnchorStatus.EXACT,
    confidence: float = 1.0,
) -> Anchor:
    text = block.text
    return Anchor(
        revision=document.source_hash,
        block=block.id,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        paragraph=block.number if block.kind.value == "paragraph" else None,
        status=status,
        confidence=round(confidence, 3),
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True, slots=True)
class _Candidate:
    block: Block
    start: int
    end: int
    context: float


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context_score(text: str, start: int, end: int, anchor: Anchor) -> float:
    """How well the stored prefix/suffix match the text around ``[start, end)`` (0..1).

    A side that was empty (the quote touched the block edge) and still is tells
    nothing either way, so it is left out rather than counted as a match: a short
    quote at the start of a deleted paragraph must not win at the start of another.
    """
    scores = []
    for old, new, at_edge in (
        (anchor.prefix, text[max(0, start - len(anchor.prefix)) : start], start == 0),
        (anchor.suffix, text[end : end + len(anchor.suffix)], end == len(text)),
    ):
        if not old:
            if not at_edge:
                scores.append(0.3)
        elif not new:
            scores.append(0.2)
        else:
            scores.append(_similarity(old, new))
    return sum(scores) / len(scores) if scores else 1.0


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


class Reanchorer:
    """Moves anchors onto one document revision (caches per-document work)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._blocks = [b for b in document.blocks if b.text]
        self._bigrams: dict[str, set[str]] | None = None

    def place(self, anchor: Anchor) -> Anchor:
        """The anchor moved to this document; ``anchor`` itself is not changed.

        Returns an anchor whose ``status`` says how it was placed (``exact``,
        ``context``, ``fuzzy``) with a ``confidence``, or an ``orphan`` that keeps
        the old block, paragraph number and quote.  The old location is appended to
        ``previous``.  An anchor already on this revision is returned unchanged.
        """
        if anchor.revision == self.document.source_hash and not anchor.is_orphan:
            return anchor
        placed = self._place(anchor)
        if placed is None:
            return Anchor(
                revision=anchor.revision,
                block=anchor.block,
                start=anchor.start,
                end=anchor.end,
                quote=anchor.quote,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                paragraph=anchor.paragraph,
                status=AnchorStatus.ORPHAN,
                confidence=0.0,
                checked=self.document.source_hash,
                previous=[*anchor.previous],
            )
        placed.previous = [*anchor.previous, anchor.remember()][-HISTORY_LIMIT:]
        return placed

    def _place(self, anchor: Anchor) -> Anchor | None:
        quote = anchor.quote
        if not quote:
            return None
        same = self.document.get_block(anchor.block)
        if same is not None and same.text[anchor.start : anchor.end] == quote:
            context = _context_score(same.text, anchor.start, anchor.end, anchor)
            if context >= 0.5 or len(quote) >= 24:
                return _anchor_at(self.document, same, anchor.start, anchor.end)
        found = self._verbatim(anchor)
        if found is not None:
            return found
        return self._fuzzy(anchor)

    def _verbatim(self, anchor: Anchor) -> Anchor | None:
        quote = anchor.quote
        candidates: list[_Candidate] = []
        for block in self._blocks:
            at = block.text.find(quote)
            while at >= 0:
                end = at + len(quote)
                candidates.append(_Candidate(block, at, end, _context_score(block.text, at, end, anchor)))
                at = block.text.find(quote, at + 1)
        if not candidates:
            return None
        old_number = _as_int(anchor.paragraph)

        def rank(c: _Candidate) -> tuple[float, int, float]:
            distance = abs(_as_int(c.block.number) - old_number) if old_number >= 0 else 0
            return (round(c.context, 3), int(c.block.id == anchor.block), -distance)

        candidates.sort(key=rank, reverse=True)
        best = candidates[0]
        if best.context >= 0.6:
            return _anchor_at(
                self.document,
                best.block,
                best.start,
                best.end,
                AnchorStatus.CONTEXT,
                0.8 + 0.2 * best.context,
            )
        if len(candidates) == 1 and len(quote) >= UNIQUE_QUOTE_MIN:
            return _anchor_at(
                self.document,
                best.block,
                best.start,
                best.end,
                AnchorStatus.CONTEXT,
                0.6 + 0.3 * best.context,
            )
        return None

    def _candidate_blocks(self, anchor: Anchor) -> list[Block]:
        if self._bigrams is None:
            self._bigrams = {b.id: _bigrams(b.text) for b in self._blocks}
        wanted = _bigrams(anchor.quote)
        scored: list[tuple[float, Block]] = []
        for block in self._blocks:
            overlap = len(wanted & self._bigrams[block.id]) / len(wanted)
            if overlap >= 0.4:
                scored.append((overlap, block))
        scored.sort(key=lambda item: item[0], reverse=True)
        return [block for _, block in scored[:_CANDIDATE_BLOCKS]]

    def _fuzzy(self, anchor: Anchor) -> Anchor | None:
        quote = anchor.quote
        if len(quote) < MIN_FUZZY_QUOTE:
            return None
        whole_block = not anchor.prefix and not anchor.suffix
        best: tuple[float, Block, int, int] | None = None
        for block in self._candidate_blocks(anchor):
            if whole_block:
                similarity = _similarity(quote, block.text)
                start, end = 0, len(block.text)
                score = similarity
            else:
                start, end, similarity = _best_window(block.text, quote)
                # The shorter the quote, the more its surroundings must vouch for the place:
                # a short phrase recurs across a report, a long sentence hardly ever.
                weight = min(0.85, 0.4 + len(quote) / 80)
                score = weight * similarity + (1 - weight) * _context_score(block.text, start, end, anchor)
            if similarity < FUZZY_THRESHOLD or score < FUZZY_THRESHOLD:
                continue
            if best is None or score > best[0]:
                best = (score, block, start, end)
        if best is None:
            return None
        score, block, start, end = best
        return _anchor_at(self.document, block, start, end, AnchorStatus.FUZZY, min(score, 0.95))


def _as_int(number: str | None) -> int:
    if number is None:
        return -1
    try:
        return int(number)
    except ValueError:
        return -1


def _best_window(text: str, quote: str) -> tuple[int, int, float]:
    """The span of ``text`` most similar to ``quote``: ``(start, end, similarity)``."""
    m = len(quote)
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    seeds = sorted(matcher.get_matching_blocks()[:-1], key=lambda mb: mb.size, reverse=True)[:3]
    best = (0, 0, 0.0)
    for seed in seeds:
        start = max(0, seed.a - seed.b)
        end = min(len(text), start + m)
        start, end, score = _refine(text, quote, start, end)
        if score > best[2]:
            best = (start, end, score)
    return best


def _refine(text: str, quote: str, start: int, end: int) -> tuple[int, int, float]:
    """Coordinate descent on the window edges, with shrinking steps."""
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)

    def score(s: int, e: int) -> float:
        if not 0 <= s < e <= len(text):
            return -1.0
        matcher.set_seq1(text[s:e])
        return matcher.ratio()

    current = score(start, end)
    step = max(1, len(quote) // 4)
    while step >= 1:
        improved = True
        while improved:
            improved = False
            for ds, de in ((-step, 0), (step, 0), (0, -step), (0, step), (-step, -step), (step, step)):
                candidate = score(start + ds, end + de)
                if candidate > current:
                    start, end, current = start + ds, end + de, candidate
                    improved = True
        step //= 2
    return start, end, max(current, 0.0)
