"""Plain data of annotations: anchors, notes, bookmarks, tombstones.

Everything here is Qt-free and free of I/O.  Timestamps are ISO 8601 strings
in UTC with microseconds (``2024-05-01T09:30:00.123456+00:00``) so files stay
readable and comparisons are exact; :func:`parse_time` turns them back into
datetimes.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, TypeVar, cast

COLOURS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "purple", "orange", "red", "grey")
"""Named highlight colours; ``#rrggbb`` is accepted as well."""

DEFAULT_COLOUR = "yellow"

SUGGESTED_TAGS: tuple[str, ...] = ("support", "oppose", "question", "amend")
"""Tags offered first in the UI; any other tag is allowed."""

CONTEXT_CHARS = 32
"""Code points of prefix and suffix stored around a quote."""

HISTORY_LIMIT = 5
"""How many earlier anchors a note keeps for the record."""


class AnchorStatus(StrEnum):
    """How an anchor was placed on its revision (values are written to YAML)."""

    EXACT = "exact"
    """Created here, or the quote found at the same place in the same block."""
    CONTEXT = "context"
    """The quote with its prefix and suffix found elsewhere (e.g. renumbered paragraph)."""
    FUZZY = "fuzzy"
    """Similar text found; ``confidence`` says how similar."""
    ORPHAN = "orphan"
    """Could not be placed on the current revision; old fields kept as they were."""


_last_now: datetime | None = None


def now_iso() -> str:
    """The current UTC time as an ISO 8601 string with microseconds, strictly increasing per process.

    Strictly increasing so that an undo right after an edit is always "newer"
    than the edit, whatever the clock's resolution.
    """
    global _last_now
    now = datetime.now(UTC)
    if _last_now is not None and now <= _last_now:
        now = _last_now + timedelta(microseconds=1)
    _last_now = now
    return now.isoformat(timespec="microseconds")


def parse_time(value: str) -> datetime:
    """Parse an ISO timestamp written by :func:`now_iso` (or by hand); naive means UTC."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def new_id() -> str:
    """A fresh random id for a note or bookmark."""
    return str(uuid.uuid4())


def normalise_tags(tags: list[str] | tuple[str, ...]) -> list[str]:
    """Strip, drop empties and duplicates, keep first-seen order."""
    out: list[str] = []
    for tag in tags:
        clean = " ".join(str(tag).split())
        if clean and clean not in out:
            out.append(clean)
    return out


def is_valid_colour(colour: str) -> bool:
    """Whether ``colour`` is a named colour or ``#rrggbb``."""
    if colour in COLOURS:
        return True
    if len(colour) == 7 and colour.startswith("#"):
        try:
            int(colour[1:], 16)
        except ValueError:
            return False
        return True
    return False


@dataclass(slots=True)
class PreviousAnchor:
    """Where a note used to be, kept after it moved to a new revision."""

    revision: str
    block: str
    start: int
    end: int
    quote: str
    paragraph: str | None = None


@dataclass(slots=True)
class Anchor:
    """Where a note or bookmark points, recorded several ways at once.

    Attributes:
        revision: ``Document.source_hash`` of the revision the fields below refer to.
        block: Block id on that revision (``p37``, ``h2.1``...).
        start: Code-point offset of the quote in the block's text.
        end: Code-point offset one past the quote.
        quote: The exact text ``block.text[start:end]``.
        prefix: Up to :data:`CONTEXT_CHARS` code points before the quote, within the block.
        suffix: Up to :data:`CONTEXT_CHARS` code points after the quote, within the block.
        paragraph: The block's official number (``"37"``), if it has one.
        status: How the anchor was placed on ``revision``.
        confidence: 1.0 for exact; lower for context and fuzzy placements; 0.0 for orphans.
        checked: For orphans, the revision re-anchoring last failed on (so it is not retried
            on every load).
        previous: Earlier anchors, oldest first (at most :data:`HISTORY_LIMIT`).
    """

    revision: str
    block: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    paragraph: str | None = None
    status: AnchorStatus = AnchorStatus.EXACT
    confidence: float = 1.0
    checked: str | None = None
    previous: list[PreviousAnchor] = field(default_factory=list)

    @property
    def is_orphan(self) -> bool:
        """True when the anchor could not be placed on the current revision."""
        return self.status is AnchorStatus.ORPHAN

    def needs_reanchor(self, current: str) -> bool:
        """Whether this anchor must be moved to revision ``current``."""
        if not current:
            return False
        if self.is_orphan:
            return self.checked != current
        return self.revision != current

    def remember(self) -> PreviousAnchor:
        """This anchor's location as a history entry."""
        return PreviousAnchor(self.revision, self.block, self.start, self.end, self.quote, self.paragraph)


@dataclass(slots=True)
class Note:
    """A highlight with optional colour, tags and text, by one author.

    Attributes:
        id: Random UUID string; stable across edits, merges and revisions.
        anchor: Where the note points.
        text: The note body (may be empty: a plain highlight).
        colour: A name from :data:`COLOURS` or ``#rrggbb``.
        tags: Free tags, e.g. ``support``, ``oppose``, ``question``, ``amend``.
        author: Display name of who wrote it.
        created: ISO timestamp.
        modified: ISO timestamp of the last change; newer wins in merges.
        extra: Fields from a file this version does not know, kept on save.
    """

    id: str
    anchor: Anchor
    author: str
    created: str
    modified: str
    text: str = ""
    colour: str = DEFAULT_COLOUR
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Note:
        """A deep copy (commands keep snapshots)."""
        return clone(self)


@dataclass(slots=True)
class Bookmark:
    """A named place in a document."""

    id: str
    anchor: Anchor
    author: str
    created: str
    modified: str
    name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def copy(self) -> Bookmark:
        """A deep copy (commands keep snapshots)."""
        return clone(self)


@dataclass(frozen=True, slots=True)
class Tombstone:
    """Marks a deleted note or bookmark so merges carry the deletion."""

    id: str
    deleted_at: str


@dataclass(slots=True)
class DocumentInfo:
    """Who the file is about, written for humans reading the YAML."""

    id: str
    symbol: str | None = None
    title: str = ""


@dataclass(slots=True)
class AnnotationSet:
    """The content of one annotation file: one author's notes on one document."""

    document: DocumentInfo
    author: str
    notes: dict[str, Note] = field(default_factory=dict)
    bookmarks: dict[str, Bookmark] = field(default_factory=dict)
    tombstones: dict[str, Tombstone] = field(default_factory=dict)

    def copy(self) -> AnnotationSet:
        """A deep copy."""
        return clone(self)

    def is_empty(self) -> bool:
        """True when there is nothing worth writing."""
        return not (self.notes or self.bookmarks or self.tombstones)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something the user should be told about an annotation file.

    Attributes:
        path: The file concerned.
        reason: One clear line: what is wrong.
        moved_to: Where the file was moved aside, if it was.
        restored_from: The backup whose content was loaded instead, if any.
    """

    path: str
    reason: str
    moved_to: str | None = None
    restored_from: str | None = None

    def message(self) -> str:
        """A one-paragraph message for a dialog or the CLI."""
        parts = [f"{self.path}: {self.reason}"]
        if self.moved_to:
            parts.append(f"the file was kept as {self.moved_to}")
        if self.restored_from:
            parts.append(f"notes were restored from the backup {self.restored_from}")
        return "; ".join(parts)


class NoteText(NamedTuple):
    """One note's searchable text (what ``in:notes`` searches)."""

    doc_id: str
    note_id: str
    block_id: str
    text: str


_T = TypeVar("_T")


def clone(obj: _T) -> _T:
    """Deep-copy a dataclass tree of this module (faster than ``copy.deepcopy``)."""
    return cast(_T, _clone(obj))


def _clone(obj: object) -> object:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if type(obj).__dataclass_params__.frozen:  # type: ignore[attr-defined]
            return obj
        return type(obj)(**{f.name: _clone(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init})
    if isinstance(obj, list):
        return [_clone(x) for x in obj]
    if isinstance(obj, dict):
        return {k: _clone(v) for k, v in obj.items()}
    return obj
