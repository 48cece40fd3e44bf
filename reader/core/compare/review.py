"""What happened to each note when a new revision arrived: the review list's content.

For every note that was on the old revision, one :class:`ReviewItem` says
whether it *stayed* (and where: old article/¶ → new), whether the *text under it
changed* (with that unit's diff), or whether it is *orphaned* (with its quote
and old place).  Nothing is left out: a note the comparison cannot explain is
listed as orphaned rather than skipped.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.annotations.model import AnchorStatus, Note
from reader.core.compare.align import Status, UnitChange
from reader.core.compare.comparison import Comparison

REVIEWED_KEY = "reviewed"  # same key as reader.core.annotations.store.REVIEWED_KEY


class Outcome(enum.StrEnum):
    """What happened to a note."""

    STAYED = "stayed"
    TEXT_CHANGED = "text_changed"
    ORPHANED = "orphaned"


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One note's fate on the new revision.

    Attributes:
        note: The note as it is now (placed on the new revision, or orphaned).
        outcome: Stayed, text changed, or orphaned.
        old_place: Citation of the unit it was on (``第五条``, ``¶ 37``).
        new_place: Citation of the unit it is on now; ``None`` for orphans.
        quote: The text the note was made on.
        change: The comparison line of the note's unit (for the diff), if known.
        confidence: Placement confidence (1.0 when the text under it is the same).
    """

    note: Note
    outcome: Outcome
    old_place: str
    new_place: str | None
    quote: str
    change: UnitChange | None
    confidence: float

    @property
    def moved(self) -> bool:
        """Whether the note's unit has another citation now (renumbered or moved)."""
        return self.new_place is not None and self.new_place != self.old_place

    def describe(self) -> str:
        """One line: ``stayed: 第五条 → 第六条``, ``text changed: 第七条``, ``orphaned: was 第九条``."""
        if self.outcome is Outcome.ORPHANED:
            return f"orphaned: was {self.old_place}"
        where = f"{self.old_place} → {self.new_place}" if self.moved else self.old_place
        return f"{'stayed' if self.outcome is Outcome.STAYED else 'text changed'}: {where}"


def review(
    comparison: Comparison, notes: Iterable[Note], *, include_reviewed: bool = False
) -> list[ReviewItem]:
    """Review items for the notes that came from ``comparison.old`` onto ``comparison.new``.

    A note counts when it is orphaned from the old revision, or placed on the
    new one with its last previous place on the old one.  Notes the user already
    accepted on this revision are left out unless ``include_reviewed``.
    """
    old_hash, new_hash = comparison.old.source_hash, comparison.new.source_hash
    out: list[ReviewItem] = []
    for note in notes:
        anchor = note.anchor
        if not include_reviewed and note.extra.get(REVIEWED_KEY) == new_hash:
            continue
        if anchor.is_orphan:
            if anchor.revision != old_hash:
                continue
            out.append(_orphan(comparison, note, anchor.block, anchor.quote))
            continue
        if anchor.revision != new_hash or not anchor.previous or anchor.previous[-1].revision != old_hash:
            continue
        before = anchor.previous[-1]
        old_change = comparison.for_old_block(before.block)
        new_change = comparison.for_new_block(anchor.block)
        old_place = _place(old_change, "old", before.paragraph, before.block)
        new_place = _place(new_change, "new", anchor.paragraph, anchor.block)
        intact = (
            anchor.quote == before.quote
            and anchor.status is not AnchorStatus.FUZZY
            and (
                new_change is None
                or new_change.status is not Status.CHANGED
                or _quote_intact(new_change, anchor.quote)
            )
        )
        out.append(
            ReviewItem(
                note=note,
                outcome=Outcome.STAYED if intact else Outcome.TEXT_CHANGED,
                old_place=old_place,
                new_place=new_place,
                quote=before.quote,
                change=new_change if new_change is not None else old_change,
                confidence=anchor.confidence,
            )
        )
    return out


def _quote_intact(change: UnitChange, quote: str) -> bool:
    """Whether the quote survives inside one stretch of unchanged text of the unit."""
    return any(op == "=" and quote in text for op, text in change.ops)


def _orphan(comparison: Comparison, note: Note, block: str, quote: str) -> ReviewItem:
    change = comparison.for_old_block(block)
    return ReviewItem(
        note=note,
        outcome=Outcome.ORPHANED,
        old_place=_place(change, "old", note.anchor.paragraph, block),
        new_place=None,
        quote=quote,
        change=change,
        confidence=0.0,
    )


def _place(change: UnitChange | None, side: str, paragraph: str | None, block: str) -> str:
    unit = None if change is None else (change.old if side == "old" else change.new)
    if unit is not None:
        return unit.citation
    return f"¶ {paragraph}" if paragraph else block
