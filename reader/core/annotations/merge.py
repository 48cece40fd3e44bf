"""Merging annotation sets: a colleague's file, or our file changed on disk.

Rules (idempotent: merging the same input twice changes nothing the second time):

* items (notes, bookmarks) are matched by id; the one with the newer
  ``modified`` wins; on an exact tie ours is kept;
* tombstones are united, keeping the latest ``deleted_at`` per id;
* a tombstone removes an item modified at or before the deletion; an item
  modified after it (restored by undo, edited again) survives and the
  tombstone is dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from reader.core.annotations.model import AnnotationSet, Tombstone, clone, parse_time


class _Item(Protocol):
    id: str
    modified: str


_I = TypeVar("_I", bound=_Item)


@dataclass(slots=True)
class MergeReport:
    """What a merge changed (counts over notes and bookmarks together)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    tombstones: list[str] = field(default_factory=list)
    """Ids whose tombstone was added or moved later (the file changes even if no item did)."""

    @property
    def changed(self) -> bool:
        """True if anything was added, updated or deleted, or a tombstone recorded."""
        return bool(self.added or self.updated or self.deleted or self.tombstones)

    def extend(self, other: MergeReport) -> None:
        """Add another report's ids to this one."""
        self.added += other.added
        self.updated += other.updated
        self.deleted += other.deleted
        self.tombstones += other.tombstones

    def summary(self) -> str:
        """One line for the CLI or a status bar."""
        return f"{len(self.added)} added, {len(self.updated)} updated, {len(self.deleted)} deleted"


def newer(a: str, b: str) -> bool:
    """Whether ISO timestamp ``a`` is strictly later than ``b``."""
    return parse_time(a) > parse_time(b)


def merge_into(ours: AnnotationSet, theirs: AnnotationSet) -> MergeReport:
    """Merge ``theirs`` into ``ours`` in place; ``theirs`` is not changed."""
    report = MergeReport()
    for stone in theirs.tombstones.values():
        mine = ours.tombstones.get(stone.id)
        if mine is None or newer(stone.deleted_at, mine.deleted_at):
            ours.tombstones[stone.id] = stone
            report.tombstones.append(stone.id)
    _merge_items(ours.notes, theirs.notes, report)
    _merge_items(ours.bookmarks, theirs.bookmarks, report)
    apply_tombstones(ours, report)
    return report


def _merge_items(ours: dict[str, _I], theirs: dict[str, _I], report: MergeReport) -> None:
    for item_id, item in theirs.items():
        mine = ours.get(item_id)
        if mine is None:
            ours[item_id] = clone(item)
            report.added.append(item_id)
        elif newer(item.modified, mine.modified):
            ours[item_id] = clone(item)
            report.updated.append(item_id)


def apply_tombstones(data: AnnotationSet, report: MergeReport | None = None) -> None:
    """Remove items deleted at or after their last change; drop tombstones outlived by an item."""
    for stone in list(data.tombstones.values()):
        for items in (data.notes, data.bookmarks):
            item = items.get(stone.id)
            if item is None:
                continue
            if newer(item.modified, stone.deleted_at):
                del data.tombstones[stone.id]
            else:
                del items[stone.id]
                if report is not None:
                    if stone.id in report.added:
                        report.added.remove(stone.id)
                    else:
                        report.deleted.append(stone.id)
                    if stone.id in report.updated:
                        report.updated.remove(stone.id)


def tombstone(item_id: str, when: str) -> Tombstone:
    """A tombstone for ``item_id`` deleted at ``when``."""
    return Tombstone(item_id, when)
