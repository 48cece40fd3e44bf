"""The comparison of two documents as one object: changes, counts, JSON, changed chapters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reader.core.compare.align import Status, UnitChange, align, summary, summary_line
from reader.core.compare.units import ARTICLE, Unit, units_of
from reader.core.model import Document


@dataclass(slots=True)
class Comparison:
    """Two documents and what changed from ``old`` to ``new``."""

    old: Document
    new: Document
    old_units: list[Unit]
    new_units: list[Unit]
    changes: list[UnitChange]
    _by_old_block: dict[str, UnitChange] = field(default_factory=dict, init=False, repr=False)
    _by_new_block: dict[str, UnitChange] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        """Index changes by every block of their old and new unit."""
        for change in self.changes:
            for unit, index in ((change.old, self._by_old_block), (change.new, self._by_new_block)):
                if unit is None:
                    continue
                index[unit.block] = change
                for part in unit.parts:
                    index[part.block] = change

    def summary(self) -> dict[str, int]:
        """Units per status (every status, zeros included)."""
        return summary(self.changes)

    def summary_line(self) -> str:
        """``12 articles changed, 3 inserted, 1 deleted, 40 renumbered``."""
        return summary_line(self.changes)

    def for_old_block(self, block_id: str) -> UnitChange | None:
        """The change of the unit an old block belongs to."""
        return self._by_old_block.get(block_id)

    def for_new_block(self, block_id: str) -> UnitChange | None:
        """The change of the unit a new block belongs to."""
        return self._by_new_block.get(block_id)

    def changed_chapters(self) -> set[str]:
        """Ids of the new document's headings whose content changed (every level up the tree).

        A changed, inserted or moved article is marked itself (its heading is a node
        of the Contents tree) as well as its chapters.  A deleted unit counts for the
        new chapter it stood in (the chapter of the unit before it in the list).
        """
        marked: set[str] = set()
        current: str | None = None
        for change in self.changes:
            if change.new is not None:
                current = change.new.chapter
            if change.status in (Status.UNCHANGED, Status.RENUMBERED):
                continue
            chapter = change.new.chapter if change.new is not None else current
            if change.new is not None and change.new.kind in ("heading", ARTICLE):
                chapter = change.new.block
            while chapter is not None and chapter not in marked:
                marked.add(chapter)
                block = self.new.get_block(chapter)
                chapter = block.parent if block is not None else None
        return marked

    def to_json(self) -> dict[str, Any]:
        """The CLI's JSON contract (docs/COMPARE.md); a document outside the library is named by its file."""
        return {
            "a": self.old.id or self.old.source_name,
            "b": self.new.id or self.new.source_name,
            "summary": self.summary(),
            "units": [
                {
                    "status": c.status.value,
                    "old": c.old.to_json() if c.old is not None else None,
                    "new": c.new.to_json() if c.new is not None else None,
                    "ops": [[op, text] for op, text in c.ops],
                }
                for c in self.changes
            ],
        }


def compare_documents(old: Document, new: Document) -> Comparison:
    """Compare two parsed documents (any two: revisions of one, or two the user picked)."""
    old_units = units_of(old)
    new_units = units_of(new)
    return Comparison(old, new, old_units, new_units, align(old_units, new_units))
