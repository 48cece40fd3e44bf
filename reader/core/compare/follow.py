"""Make notes follow the text: move an anchor from an old revision through the comparison.

The re-anchoring heuristics (``reader.core.annotations.anchoring``) see only
the new revision: a quote that occurs twice (two articles ending
``本条例自公布之日起施行``, an item repeated in two articles) may land on the
wrong one.  The comparison knows which old unit became which new unit, so an
anchor is carried across it first: into the aligned unit, at the offset the
diff maps it to.  Only anchors whose unit was deleted, or whose quote was
reworded, are left to the heuristics.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.annotations.model import CONTEXT_CHARS, Anchor, AnchorStatus
from reader.core.compare.align import UnitChange
from reader.core.compare.comparison import Comparison
from reader.core.compare.textdiff import Ops
from reader.core.compare.units import Unit
from reader.core.model import BlockKind


@dataclass(frozen=True, slots=True)
class Placement:
    """An anchor carried to the new revision, and the unit change it went through."""

    anchor: Anchor
    change: UnitChange
    intact: bool
    """True when no character under the quote changed."""


def map_offset(ops: Ops, offset: int, *, end: bool = False) -> tuple[int, bool]:
    """Where an old-text offset lands in the new text, and whether it sat in unchanged text.

    ``end`` maps a span's end: at a boundary it stays before an insertion that
    follows, so a span never swallows inserted text.
    """
    old_at = new_at = 0
    for op, text in ops:
        size = len(text)
        if op == "=":
            if offset < old_at + size or (offset == old_at + size and end):
                return new_at + offset - old_at, True
            old_at += size
            new_at += size
        elif op == "-":
            if offset < old_at + size:
                return new_at, False
            old_at += size
        else:
            if offset == old_at and not end:
                # A span starting right where text was inserted starts after the insertion.
                new_at += size
                continue
            new_at += size
    return new_at, True


def _span_intact(ops: Ops, start: int, end: int) -> bool:
    """Whether old ``[start, end)`` lies wholly in equal text with nothing inserted inside it."""
    old_at = 0
    for op, text in ops:
        size = len(text)
        if op == "+":
            if start < old_at < end:
                return False
            continue
        seg_end = old_at + size
        if op == "-" and seg_end > start and old_at < end:
            return False
        old_at = seg_end
    return True


class BlockMap:
    """Carries anchors of one old revision across a comparison to the new revision."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.old_hash = comparison.old.source_hash

    def place(self, anchor: Anchor) -> Placement | None:
        """The anchor on the new revision, or ``None`` when the comparison cannot say where it went."""
        if anchor.revision != self.old_hash or not anchor.quote:
            return None
        change = self.comparison.for_old_block(anchor.block)
        if change is None or change.old is None or change.new is None:
            return None
        old_unit, new_unit = change.old, change.new
        if anchor.block == old_unit.block and old_unit.part_for(anchor.block) is None:
            return self._place_heading(anchor, change, new_unit)
        part = old_unit.part_for(anchor.block)
        if part is None:
            return None
        start, end = part.start + anchor.start, part.start + anchor.end
        if old_unit.text[start:end] != anchor.quote:
            return None
        intact = _span_intact(change.ops, start, end)
        new_start, _ = map_offset(change.ops, start)
        new_end, _ = map_offset(change.ops, end, end=True)
        if not intact or new_unit.text[new_start:new_end] != anchor.quote:
            found = _nearest(new_unit.text, anchor.quote, new_start)
            if found is None:
                # The quoted words themselves were amended: follow the diff to what replaced them.
                return self._reworded(anchor, change, new_unit, start, end, new_start, new_end)
            new_start, new_end = found, found + len(anchor.quote)
            intact = False
        return self._in_unit(anchor, change, new_unit, new_start, new_end, intact)

    def _reworded(
        self,
        anchor: Anchor,
        change: UnitChange,
        unit: Unit,
        start: int,
        end: int,
        new_start: int,
        new_end: int,
    ) -> Placement | None:
        """Place a note whose quote was reworded on the text that replaced it, if enough of it survives."""
        if new_end <= new_start:
            return None
        kept = _kept_chars(change.ops, start, end)
        similarity = 2 * kept / ((end - start) + (new_end - new_start))
        if similarity < REWORDED_THRESHOLD:
            return None
        placed = self._in_unit(anchor, change, unit, new_start, new_end, False)
        if placed is None:
            return None
        placed.anchor.status = AnchorStatus.FUZZY
        placed.anchor.confidence = round(min(0.95, similarity), 3)
        return placed

    def _in_unit(
        self, anchor: Anchor, change: UnitChange, unit: Unit, start: int, end: int, intact: bool
    ) -> Placement | None:
        for part in unit.parts:
            if part.start <= start and end <= part.end:
                block = self.comparison.new.block(part.block)
                return Placement(
                    _anchor(self.comparison, anchor, block.id, start - part.start, end - part.start),
                    change,
                    intact,
                )
        return None

    def _place_heading(self, anchor: Anchor, change: UnitChange, unit: Unit) -> Placement | None:
        """A mark on a heading (a bookmark on ``第五条``) follows it to its new heading (``第六条``)."""
        block = self.comparison.new.block(unit.block)
        old_block = self.comparison.old.get_block(anchor.block)
        whole = old_block is not None and anchor.start == 0 and anchor.end == len(old_block.text)
        if whole and block.text:
            placed = _anchor(self.comparison, anchor, block.id, 0, len(block.text))
            if block.text != anchor.quote:
                # Same heading under a new number: as sure as the unit's match, but say it moved.
                placed.status = AnchorStatus.CONTEXT
                same_text = change.old is not None and change.old.text == unit.text
                placed.confidence = 1.0 if same_text else 0.9
            return Placement(placed, change, block.text == anchor.quote)
        at = (
            anchor.start
            if block.text.startswith(anchor.quote, anchor.start)
            else block.text.find(anchor.quote)
        )
        if at < 0:
            return None
        placed = _anchor(self.comparison, anchor, block.id, at, at + len(anchor.quote))
        return Placement(placed, change, True)


REWORDED_THRESHOLD = 0.4
"""Share of a reworded quote's characters that must survive for the note to follow the rewording.

Lower than the re-anchoring heuristics' threshold: here the comparison has already
shown which unit the text became and which words replaced the quoted ones.
"""


def _kept_chars(ops: Ops, start: int, end: int) -> int:
    """How many old characters of ``[start, end)`` sit in unchanged text."""
    kept = 0
    old_at = 0
    for op, text in ops:
        if op == "+":
            continue
        seg_end = old_at + len(text)
        if op == "=":
            kept += max(0, min(end, seg_end) - max(start, old_at))
        old_at = seg_end
    return kept


def _nearest(text: str, quote: str, near: int) -> int | None:
    best: int | None = None
    at = text.find(quote)
    while at >= 0:
        if best is None or abs(at - near) < abs(best - near):
            best = at
        at = text.find(quote, at + 1)
    return best


def _anchor(comparison: Comparison, old: Anchor, block_id: str, start: int, end: int) -> Anchor:
    """An anchor on the new revision; confidence 1.0 when the quote's surroundings are as they were."""
    block = comparison.new.block(block_id)
    text = block.text
    prefix = text[max(0, start - CONTEXT_CHARS) : start]
    suffix = text[end : end + CONTEXT_CHARS]
    same_place = block_id == old.block and start == old.start
    context = _context_agreement(old, prefix, suffix)
    if context >= 1.0:
        status, confidence = (AnchorStatus.EXACT if same_place else AnchorStatus.CONTEXT), 1.0
    else:
        status, confidence = AnchorStatus.CONTEXT, round(0.8 + 0.2 * context, 3)
    return Anchor(
        revision=comparison.new.source_hash,
        block=block_id,
        start=start,
        end=end,
        quote=text[start:end],
        prefix=prefix,
        suffix=suffix,
        paragraph=block.number if block.kind is BlockKind.PARAGRAPH else None,
        status=status,
        confidence=confidence,
    )


def _context_agreement(old: Anchor, prefix: str, suffix: str) -> float:
    """Share of the stored context characters found unchanged right beside the new place."""
    total = len(old.prefix) + len(old.suffix)
    if total == 0:
        return 1.0 if not prefix and not suffix else 0.9
    same = _common_suffix(old.prefix, prefix) + _common_prefix(old.suffix, suffix)
    return same / total


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])
