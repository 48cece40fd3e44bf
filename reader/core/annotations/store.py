"""The annotation store: every author's notes and bookmarks on the library's documents.

Layout: ``library.doc_dir(doc_id) / "notes" / "<author>.yaml"``, one file per
document and per author (so colleagues' files never conflict in a sync tool),
with rotated backups in ``notes/.backup/``.

Typical use (the UI keeps one :class:`AnnotationStore` for the app's lifetime)::

    store = AnnotationStore(library)            # takes the library's notes lock
    notes = store.open_document(doc_id)         # loads all authors, re-anchors lazily
    note = notes.make_note("p37", 4, 12, text="ask about this", tags=["question"])
    AddNote(notes, note).do()                   # or push onto a QUndoStack
    ...
    store.close()                               # saves and releases the lock

A second instance on the same library gets ``store.read_only`` with a
``read_only_reason``; every mutation then raises :class:`ReadOnlyError`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import getpass
import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from reader.core.annotations.anchoring import Reanchorer, make_anchor
from reader.core.annotations.files import BACKUP_DIR, DEFAULT_BACKUPS, AnnotationFile
from reader.core.annotations.merge import MergeReport, apply_tombstones, merge_into
from reader.core.annotations.model import (
    DEFAULT_COLOUR,
    HISTORY_LIMIT,
    Anchor,
    AnchorStatus,
    AnnotationSet,
    Bookmark,
    DocumentInfo,
    Note,
    NoteText,
    Problem,
    Tombstone,
    is_valid_colour,
    new_id,
    normalise_tags,
    now_iso,
)
from reader.core.errors import ImportFailed
from reader.core.library import Library
from reader.core.locking import LockFile
from reader.core.model import Document

if TYPE_CHECKING:
    from reader.core.compare import BlockMap

AUTHOR_ENV = "BRIEFING_READER_AUTHOR"
"""Environment variable naming the author of new notes (default: the OS user name)."""

REVIEWED_KEY = "reviewed"
"""Note field holding the revision on which the user accepted the note's new place."""

NOTES_DIR = "notes"
RECOVERED_DIR = "recovered"  # unsaved edits kept when the store turned read-only
LOCK_NAME = "notes.lock"


class ReadOnlyError(Exception):
    """A change was attempted on a read-only store; the message says why."""


def default_author() -> str:
    """Author of new notes: ``$BRIEFING_READER_AUTHOR``, else the OS user name."""
    name = os.environ.get(AUTHOR_ENV, "").strip()
    if name:
        return name
    try:
        return getpass.getuser() or "user"
    except (OSError, KeyError):
        return "user"


_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(1, 10)),
    *(f"lpt{i}" for i in range(1, 10)),
}


def author_filename(author: str) -> str:
    """A safe file name stem for an author (letters, digits, ``._-``; Unicode letters kept)."""
    stem = re.sub(r"[^\w.\-]+", "_", author.strip(), flags=re.UNICODE).strip("._") or "user"
    stem = stem[:64]
    if stem.lower() in _RESERVED:
        stem += "_"
    return stem


@dataclass(frozen=True, slots=True)
class Change:
    """A fact reported to listeners: ``kind`` is ``note``, ``bookmark`` or ``all``.

    ``action`` is ``added``, ``changed``, ``removed`` or ``reloaded`` (``all``:
    anything may have changed, refresh everything).
    """

    kind: str
    action: str
    ids: tuple[str, ...] = ()


@dataclass(slots=True)
class ReanchorReport:
    """Result of moving notes and bookmarks to a new revision."""

    revision: str
    placed: dict[str, AnchorStatus] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)

    def count(self, status: AnchorStatus) -> int:
        """How many items ended with ``status``."""
        return sum(1 for s in self.placed.values() if s is status)

    def summary(self) -> str:
        """``3 exact, 1 context, 1 fuzzy, 1 orphaned``."""
        return (
            f"{self.count(AnchorStatus.EXACT)} exact, {self.count(AnchorStatus.CONTEXT)} context, "
            f"{self.count(AnchorStatus.FUZZY)} fuzzy, {self.count(AnchorStatus.ORPHAN)} orphaned"
        )


def _items(data: AnnotationSet) -> list[Note | Bookmark]:
    return [*data.notes.values(), *data.bookmarks.values()]


@dataclass(slots=True)
class _Slot:
    """One author's file of a document and its loaded content."""

    file: AnnotationFile
    data: AnnotationSet
    writable: bool = True
    dirty: bool = False


class DocumentNotes:
    """All authors' notes and bookmarks on one document, current author's edits saved.

    Obtain it from :meth:`AnnotationStore.open_document`.  Mutations save at
    once when ``autosave`` is on (the default); otherwise call :meth:`save`
    (the UI debounces).  Listeners get a :class:`Change` after each mutation
    and after a reload.
    """

    def __init__(
        self,
        store: AnnotationStore,
        document: Document,
        info: DocumentInfo,
        folder: Path,
    ) -> None:
        self.store = store
        self.document = document
        self.info = info
        self.folder = folder
        self.problems: list[Problem] = []
        self.last_reanchor: ReanchorReport | None = None
        self._slots: dict[str, _Slot] = {}
        self._listeners: list[Callable[[Change], None]] = []
        self._order: dict[str, int] = {b.id: i for i, b in enumerate(document.blocks)}
        self._block_maps: dict[str, BlockMap | None] = {}
        self._load_all()

    # ------------------------------------------------------------ properties

    @property
    def doc_id(self) -> str:
        """The document id."""
        return self.info.id

    @property
    def author(self) -> str:
        """Author of new notes."""
        return self.store.author

    @property
    def read_only(self) -> bool:
        """True when changes cannot be saved (another instance, or a newer file format)."""
        return bool(self.read_only_reason)

    @property
    def read_only_reason(self) -> str:
        """Why the notes are read-only, or ``""``."""
        if self.store.read_only:
            return self.store.read_only_reason
        own = self._slots.get(author_filename(self.author))
        if own is not None and not own.writable:
            why = next((p.reason for p in self.problems if p.path == str(own.file.path)), "see problems")
            return f"{own.file.path}: {why}; changes are refused"
        return ""

    @property
    def dirty(self) -> bool:
        """True when there are unsaved changes."""
        return any(slot.dirty for slot in self._slots.values())

    @property
    def paths(self) -> list[Path]:
        """The annotation files in use."""
        return [slot.file.path for slot in self._slots.values()]

    # ------------------------------------------------------------ listeners

    def add_listener(self, callback: Callable[[Change], None]) -> None:
        """Call ``callback(change)`` after every change (the UI turns it into a signal)."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[Change], None]) -> None:
        """Stop calling ``callback``."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(callback)

    def _emit(self, change: Change) -> None:
        for callback in list(self._listeners):
            callback(change)

    # ------------------------------------------------------------ loading

    def _file_for(self, stem: str) -> AnnotationFile:
        return AnnotationFile(self.folder / f"{stem}.yaml", backups=self.store.backups)

    def _load_all(self) -> None:
        if self.store.lock is not None:
            self._clean_temp_files()
        stems = (
            sorted(p.stem for p in self.folder.glob("*.yaml") if not p.name.startswith("."))
            if (self.folder.is_dir())
            else []
        )
        for stem in stems:
            self._load_slot(stem)
        self._reanchor()

    def _clean_temp_files(self) -> None:
        # Left by a writer killed between writing its temp file and renaming it.  We hold the
        # notes lock, so no other process writes here; in this process writes hold the store mutex.
        for folder in (self.folder, self.folder / BACKUP_DIR, self.folder / RECOVERED_DIR):
            if not folder.is_dir():
                continue
            for tmp in folder.glob(".*.yaml*.tmp"):
                if tmp.is_file() and not tmp.is_symlink():
                    with contextlib.suppress(OSError):
                        tmp.unlink()

    def _load_slot(self, stem: str) -> _Slot:
        file = self._file_for(stem)
        result = file.read(quarantine=not self.store.read_only)
        self.problems.extend(result.problems)
        self.store.problems.extend(result.problems)
        data = result.data or AnnotationSet(document=self._info_copy(), author=stem)
        slot = _Slot(file, data, writable=result.writable)
        if result.from_backup:
            slot.dirty = True
        self._slots[stem] = slot
        return slot

    def _info_copy(self) -> DocumentInfo:
        return DocumentInfo(self.info.id, self.info.symbol, self.info.title)

    def _slot_for_author(self, author: str) -> _Slot:
        stem = author_filename(author)
        slot = self._slots.get(stem)
        if slot is None:
            slot = _Slot(self._file_for(stem), AnnotationSet(document=self._info_copy(), author=author))
            self._slots[stem] = slot
        return slot

    def needs_reanchor(self) -> bool:
        """Whether some note or bookmark is anchored to another revision than the current one."""
        current = self.document.source_hash
        return any(
            item.anchor.needs_reanchor(current) for slot in self._slots.values() for item in _items(slot.data)
        )

    def _reanchor(self) -> None:
        current = self.document.source_hash
        if not self.needs_reanchor():
            return
        mover = Reanchorer(self.document)
        report = ReanchorReport(current)
        for slot in self._slots.values():
            for item in _items(slot.data):
                if item.anchor.needs_reanchor(current):
                    item.anchor = self._follow(item.anchor) or mover.place(item.anchor)
                    report.placed[item.id] = item.anchor.status
                    report.confidence[item.id] = item.anchor.confidence
                    slot.dirty = True
        self.last_reanchor = report
        if not self.store.read_only and self.store.autosave:
            self.save()

    def _follow(self, anchor: Anchor) -> Anchor | None:
        """The anchor carried across the comparison with the revision it was made on, if that is stored.

        The comparison knows which old article became which new one, so a quote
        that occurs in several places lands in the right one; anything it cannot
        place is left to the re-anchoring heuristics.
        """
        if anchor.is_orphan or anchor.revision == self.document.source_hash:
            return None
        if anchor.revision not in self._block_maps:
            self._block_maps[anchor.revision] = self._block_map_from(anchor.revision)
        block_map = self._block_maps[anchor.revision]
        if block_map is None:
            return None
        placed = block_map.place(anchor)
        if placed is None:
            return None
        placed.anchor.previous = [*anchor.previous, anchor.remember()][-HISTORY_LIMIT:]
        return placed.anchor

    def _block_map_from(self, revision: str) -> BlockMap | None:
        # Imported lazily: the comparison package builds on the annotation model.
        from reader.core.compare import BlockMap, compare_documents

        try:
            old = self.store.library.load(self.info.id, revision)
        except (KeyError, OSError, ValueError, ImportFailed):
            return None
        if old.source_hash != revision:
            return None
        return BlockMap(compare_documents(old, self.document))

    # ------------------------------------------------------------ queries

    def _position(self, anchor_block: str, start: int, orphan: bool) -> tuple[int, int, int]:
        if orphan:
            return (1, 0, 0)
        return (0, self._order.get(anchor_block, len(self._order)), start)

    def notes(self, *, include_orphans: bool = True) -> list[Note]:
        """Every author's notes in reading order (orphans last)."""
        found = [n for slot in self._slots.values() for n in slot.data.notes.values()]
        if not include_orphans:
            found = [n for n in found if not n.anchor.is_orphan]
        found.sort(
            key=lambda n: (*self._position(n.anchor.block, n.anchor.start, n.anchor.is_orphan), n.created)
        )
        return found

    def orphans(self) -> list[Note]:
        """Notes that could not be placed on the current revision."""
        return [n for n in self.notes() if n.anchor.is_orphan]

    def notes_in_block(self, block_id: str) -> list[Note]:
        """Placed notes on one block, by start offset (for painting highlights)."""
        return [n for n in self.notes(include_orphans=False) if n.anchor.block == block_id]

    def note(self, note_id: str) -> Note:
        """The note with this id (``KeyError`` if none)."""
        return self._find_note(note_id)[1]

    def bookmarks(self) -> list[Bookmark]:
        """Every author's bookmarks in reading order (orphans last)."""
        found = [b for slot in self._slots.values() for b in slot.data.bookmarks.values()]
        found.sort(
            key=lambda b: (*self._position(b.anchor.block, b.anchor.start, b.anchor.is_orphan), b.created)
        )
        return found

    def bookmark(self, bookmark_id: str) -> Bookmark:
        """The bookmark with this id (``KeyError`` if none)."""
        return self._find_bookmark(bookmark_id)[1]

    def tags(self) -> list[str]:
        """All tags in use on this document, most used first."""
        counts: dict[str, int] = {}
        for note in self.notes():
            for tag in note.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t))

    def _find_note(self, note_id: str) -> tuple[_Slot, Note]:
        for slot in self._slots.values():
            note = slot.data.notes.get(note_id)
            if note is not None:
                return slot, note
        raise KeyError(note_id)

    def _find_bookmark(self, bookmark_id: str) -> tuple[_Slot, Bookmark]:
        for slot in self._slots.values():
            mark = slot.data.bookmarks.get(bookmark_id)
            if mark is not None:
                return slot, mark
        raise KeyError(bookmark_id)

    # ------------------------------------------------------------ factories

    def make_note(
        self,
        block_id: str,
        start: int | None = None,
        end: int | None = None,
        *,
        quote: str | None = None,
        text: str = "",
        colour: str = DEFAULT_COLOUR,
        tags: Sequence[str] = (),
    ) -> Note:
        """A new note by the current author (not added yet: pass it to :class:`AddNote`).

        Offsets are code points in the block text (convert Qt positions with
        :mod:`reader.core.annotations.offsets`); without offsets the quote is
        looked up, without either the whole block is anchored.

        Raises:
            KeyError: No such block.
            ValueError: Bad offsets, quote not found, or unknown colour.
        """
        if not is_valid_colour(colour):
            raise ValueError(f"unknown colour {colour!r}")
        stamp = now_iso()
        return Note(
            id=new_id(),
            anchor=make_anchor(self.document, block_id, start, end, quote=quote),
            author=self.author,
            created=stamp,
            modified=stamp,
            text=text,
            colour=colour,
            tags=normalise_tags(list(tags)),
        )

    def make_bookmark(self, block_id: str, name: str = "") -> Bookmark:
        """A new bookmark on a whole block (not added yet: pass it to :class:`AddBookmark`)."""
        stamp = now_iso()
        return Bookmark(
            id=new_id(),
            anchor=make_anchor(self.document, block_id),
            author=self.author,
            created=stamp,
            modified=stamp,
            name=name.strip(),
        )

    # ------------------------------------------------------------ mutations

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason)

    def _check_slot(self, slot: _Slot) -> None:
        # Another author's file written by a newer version is shown, never rewritten.
        if not slot.writable:
            raise ReadOnlyError(f"{slot.file.path} is read-only here (see problems); the change was not made")

    def _changed(self, slot: _Slot, change: Change) -> None:
        slot.dirty = True
        if self.store.autosave:
            self.save()
        self._emit(change)

    def add_note(self, note: Note) -> None:
        """Add (or put back) a note; it is saved in its author's file."""
        self._check_writable()
        slot = self._slot_for_author(note.author)
        self._check_slot(slot)
        slot.data.tombstones.pop(note.id, None)
        slot.data.notes[note.id] = note
        self._changed(slot, Change("note", "added", (note.id,)))

    def update_note(
        self,
        note_id: str,
        *,
        text: str | None = None,
        colour: str | None = None,
        tags: Sequence[str] | None = None,
    ) -> Note:
        """Change a note's text, colour and/or tags; returns the note as it was before."""
        self._check_writable()
        if colour is not None and not is_valid_colour(colour):
            raise ValueError(f"unknown colour {colour!r}")
        slot, note = self._find_note(note_id)
        self._check_slot(slot)
        before = note.copy()
        if text is not None:
            note.text = text
        if colour is not None:
            note.colour = colour
        if tags is not None:
            note.tags = normalise_tags(list(tags))
        note.modified = now_iso()
        self._changed(slot, Change("note", "changed", (note_id,)))
        return before

    def replace_note(self, note: Note) -> None:
        """Put back a note's earlier state (undo), stamped as a new change so merges keep it."""
        self._check_writable()
        try:
            slot, _ = self._find_note(note.id)
        except KeyError:
            slot = self._slot_for_author(note.author)
        restored = note.copy()
        restored.modified = now_iso()
        slot.data.tombstones.pop(note.id, None)
        slot.data.notes[note.id] = restored
        self._changed(slot, Change("note", "changed", (note.id,)))

    def delete_note(self, note_id: str) -> Note:
        """Delete a note (leaving a tombstone); returns it for undo."""
        self._check_writable()
        slot, note = self._find_note(note_id)
        self._check_slot(slot)
        del slot.data.notes[note_id]
        slot.data.tombstones[note_id] = Tombstone(note_id, now_iso())
        self._changed(slot, Change("note", "removed", (note_id,)))
        return note

    def move_note(self, note_id: str, anchor: Anchor, *, keep_history: bool = True) -> Anchor:
        """Put a note on another place (re-attach after a revision); returns the old anchor.

        With ``keep_history`` the old place is appended to the new anchor's
        ``previous`` (an undo passes False to put the old anchor back as it was).
        """
        self._check_writable()
        slot, note = self._find_note(note_id)
        old = note.anchor
        if keep_history:
            anchor = dataclasses.replace(anchor, previous=[*old.previous, old.remember()][-HISTORY_LIMIT:])
        note.anchor = anchor
        note.modified = now_iso()
        self._changed(slot, Change("note", "changed", (note_id,)))
        return old

    def set_reviewed(self, note_id: str, revision: str | None) -> str | None:
        """Record that the user accepted where a note landed on ``revision`` (``None`` clears it).

        Kept in the note's file as ``reviewed: <revision hash>`` so the review list
        does not ask again; returns the previous value.
        """
        self._check_writable()
        slot, note = self._find_note(note_id)
        old = note.extra.get(REVIEWED_KEY)
        if revision is None:
            note.extra.pop(REVIEWED_KEY, None)
        else:
            note.extra[REVIEWED_KEY] = revision
        note.modified = now_iso()
        self._changed(slot, Change("note", "changed", (note_id,)))
        return str(old) if old is not None else None

    def add_bookmark(self, bookmark: Bookmark) -> None:
        """Add (or put back) a bookmark."""
        self._check_writable()
        slot = self._slot_for_author(bookmark.author)
        self._check_slot(slot)
        slot.data.tombstones.pop(bookmark.id, None)
        slot.data.bookmarks[bookmark.id] = bookmark
        self._changed(slot, Change("bookmark", "added", (bookmark.id,)))

    def rename_bookmark(self, bookmark_id: str, name: str) -> str:
        """Rename a bookmark; returns the old name."""
        self._check_writable()
        slot, mark = self._find_bookmark(bookmark_id)
        self._check_slot(slot)
        old = mark.name
        mark.name = name.strip()
        mark.modified = now_iso()
        self._changed(slot, Change("bookmark", "changed", (bookmark_id,)))
        return old

    def remove_bookmark(self, bookmark_id: str) -> Bookmark:
        """Remove a bookmark (leaving a tombstone); returns it for undo."""
        self._check_writable()
        slot, mark = self._find_bookmark(bookmark_id)
        self._check_slot(slot)
        del slot.data.bookmarks[bookmark_id]
        slot.data.tombstones[bookmark_id] = Tombstone(bookmark_id, now_iso())
        self._changed(slot, Change("bookmark", "removed", (bookmark_id,)))
        return mark

    def restore_item(self, item: Note | Bookmark) -> None:
        """Put back a deleted note or bookmark (undo of a delete), newer than its tombstone."""
        self._check_writable()
        restored = item.copy()
        restored.modified = now_iso()
        if isinstance(restored, Note):
            self.add_note(restored)
        else:
            self.add_bookmark(restored)

    # ------------------------------------------------------------ merging and saving

    def merge(self, theirs: AnnotationSet) -> MergeReport:
        """Merge a colleague's (or another copy's) annotations; items keep their author.

        Each incoming item goes to the file of its author (existing ids are merged
        where they already live); tombstones delete wherever the item lives.
        """
        self._check_writable()
        report = MergeReport()
        for stone in theirs.tombstones.values():
            holders = [s for s in self._slots.values() if self._holds(s, stone.id)]
            for slot in holders or [self._slot_for_author(theirs.author)]:
                part = AnnotationSet(
                    document=theirs.document, author=theirs.author, tombstones={stone.id: stone}
                )
                sub = merge_into(slot.data, part)
                report.extend(sub)
                slot.dirty = slot.dirty or sub.changed
        items: list[Note | Bookmark] = [*theirs.notes.values(), *theirs.bookmarks.values()]
        for item in items:
            holder = (
                self._holder(item.id)
                or next((s for s in self._slots.values() if item.id in s.data.tombstones), None)
                or self._slot_for_author(item.author)
            )
            part = AnnotationSet(document=theirs.document, author=theirs.author)
            if isinstance(item, Note):
                part.notes[item.id] = item
            else:
                part.bookmarks[item.id] = item
            sub = merge_into(holder.data, part)
            report.extend(sub)
            holder.dirty = holder.dirty or sub.changed
        if report.changed:
            self._reanchor()
            if self.store.autosave:
                self.save()
            self._emit(Change("all", "reloaded"))
        return report

    @staticmethod
    def _holds(slot: _Slot, item_id: str) -> bool:
        return item_id in slot.data.notes or item_id in slot.data.bookmarks

    def _holder(self, item_id: str) -> _Slot | None:
        return next((s for s in self._slots.values() if self._holds(s, item_id)), None)

    def save(self) -> None:
        """Write every changed file, first merging in changes made on disk since we read it.

        Raises:
            ReadOnlyError: The store is read-only.  Edits made before it became
                read-only (the lock was taken over) are first written to a
                recovery file, named in the message, that can be merged back.
        """
        if self.store.read_only:
            kept = self.save_recovery()
            reason = self.store.read_only_reason
            if kept:
                reason += f"; unsaved notes were kept in {kept[0]} (merge it back to restore them)"
            raise ReadOnlyError(reason)
        for slot in self._slots.values():
            if not slot.dirty or not slot.writable:
                continue
            if slot.file.changed_on_disk():
                self._absorb_disk(slot)
            if slot.data.is_empty() and not slot.file.path.exists():
                slot.dirty = False
                continue
            slot.file.write(slot.data)
            slot.dirty = False

    def save_recovery(self) -> list[Path]:
        """Write unsaved edits to ``notes/recovered/`` without touching the live files.

        Each recovery file is an ordinary annotation file (same schema), so
        merging it back with :meth:`AnnotationStore.merge_file` restores the
        notes.  Returns the files written.
        """
        written: list[Path] = []
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        for slot in self._slots.values():
            if not slot.dirty:
                continue
            target = slot.file.path.parent / RECOVERED_DIR / f"{slot.file.path.stem}-{stamp}.yaml"
            AnnotationFile(target, backups=0).write(slot.data)
            slot.dirty = False
            written.append(target)
        return written

    def _absorb_disk(self, slot: _Slot) -> bool:
        result = slot.file.read(quarantine=not self.store.read_only)
        self.problems.extend(result.problems)
        self.store.problems.extend(result.problems)
        if result.data is None:
            if not result.writable:
                slot.writable = False
            return False
        report = merge_into(slot.data, result.data)
        # Theirs may hold items we deleted before they were written; apply our tombstones.
        apply_tombstones(slot.data)
        if result.from_backup:
            slot.dirty = True
        if report.changed:
            slot.dirty = True
        return report.changed

    def reload_if_changed(self) -> bool:
        """Re-read files changed on disk (and new authors' files); True if anything changed.

        Changes are merged with unsaved edits, never discarded.  Poll this from the UI
        (e.g. every few seconds, and when the window regains focus).
        """
        changed = False
        for slot in list(self._slots.values()):
            if slot.file.changed_on_disk():
                if not slot.file.path.exists():
                    # Someone deleted the file: keep what we hold and write it back.
                    slot.file.state = None
                    slot.dirty = bool(not slot.data.is_empty())
                    continue
                changed |= self._absorb_disk(slot)
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.yaml")):
                if not path.name.startswith(".") and path.stem not in self._slots:
                    self._load_slot(path.stem)
                    changed = True
        if changed:
            self._reanchor()
            if self.dirty and self.store.autosave and not self.store.read_only:
                self.save()
            self._emit(Change("all", "reloaded"))
        return changed

    def iter_note_texts(self) -> Iterator[NoteText]:
        """``(doc_id, note_id, block_id, text)`` for every note with text."""
        for note in self.notes():
            if note.text:
                yield NoteText(self.doc_id, note.id, note.anchor.block, note.text)


class AnnotationStore:
    """Entry point: the annotations of one library, for one author.

    Args:
        library: The library (``reader.core.library.Library``).
        author: Author of new notes; default :func:`default_author`.
        lock: Take the library's notes lock; if another live process holds it
            the store opens read-only with a clear ``read_only_reason``.
        autosave: Save after every change (the CLI); the UI may pass False and
            call :meth:`DocumentNotes.save` on a debounce timer and on quit.
        backups: How many previous versions of each file to keep.
        read_only: Open for reading only (CLI listings, search): no lock, no writes,
            no file moved aside.
        wait: Seconds to wait for another process to release the notes lock
            (the CLI waits a little; the window opens read-only at once).
    """

    def __init__(
        self,
        library: Library,
        *,
        author: str | None = None,
        lock: bool = True,
        autosave: bool = True,
        backups: int = DEFAULT_BACKUPS,
        read_only: bool = False,
        wait: float = 0.0,
    ) -> None:
        self.library = library
        self.author = (author or default_author()).strip() or "user"
        self.autosave = autosave
        self.backups = backups
        self.problems: list[Problem] = []
        self.read_only_reason = ""
        self.lock: LockFile | None = None
        self._open: dict[str, DocumentNotes] = {}
        # open_document may run in a worker while the GUI thread saves: one at a time.
        self._mutex = threading.RLock()
        if read_only:
            self.read_only_reason = "opened read-only"
        elif lock:
            self.lock = LockFile(Path(library.root) / LOCK_NAME)
            if not self.lock.acquire(wait):
                owner = self.lock.owner()
                who = owner.describe() if owner else "another process"
                waited = f"; waited {wait:.0f} s" if wait else ""
                in_use = f"the library is open in another Briefing Reader ({who}){waited}"
                self.read_only_reason = f"{in_use}; notes are read-only here"
                self.lock = None

    @property
    def read_only(self) -> bool:
        """True when another instance holds the library; see :attr:`read_only_reason`."""
        return bool(self.read_only_reason)

    def refresh_lock(self) -> bool:
        """Show other machines the lock is alive (call every minute or so); False if it was lost.

        Losing it (another machine took over an apparently abandoned lock) turns
        the store read-only with a reason, so nothing is written behind its back.
        """
        if self.lock is None:
            return not self.read_only
        if self.lock.refresh():
            return True
        self.lock = None
        self.read_only_reason = "another Briefing Reader took over the library; notes are read-only here"
        return False

    def notes_dir(self, doc_id: str) -> Path:
        """Folder of a document's annotation files."""
        return Path(self.library.doc_dir(doc_id)) / NOTES_DIR

    def path_for(self, doc_id: str, author: str | None = None) -> Path:
        """The annotation file of ``author`` (default: ours) on a document."""
        return self.notes_dir(doc_id) / f"{author_filename(author or self.author)}.yaml"

    def open_document(self, doc_id: str, document: Document | None = None) -> DocumentNotes:
        """The notes of a document, loaded (and re-anchored to the current revision) once.

        Pass ``document`` when the caller already holds the current revision.  If
        re-anchoring is needed this may take a while: call it from a worker.
        """
        with self._mutex:
            return self._open_document(doc_id, document)

    def _open_document(self, doc_id: str, document: Document | None) -> DocumentNotes:
        record = self.library.record(doc_id)
        if document is None or document.source_hash != record.current:
            document = self.library.load(record.id)
        cached = self._open.get(record.id)
        if cached is not None and cached.document.source_hash == document.source_hash:
            return cached
        if cached is not None and cached.dirty and not self.read_only:
            cached.save()
        notes = DocumentNotes(
            self,
            document,
            DocumentInfo(record.id, record.symbol, record.title),
            self.notes_dir(record.id),
        )
        self._open[record.id] = notes
        return notes

    def merge_file(self, path: Path) -> tuple[str, MergeReport]:
        """Merge a colleague's annotation file into the library; returns ``(doc_id, report)``.

        The file is matched to a document by id, then by symbol.  The file itself
        is only read.

        Raises:
            ValueError: The file is unreadable or invalid, or names no document in the library.
            ReadOnlyError: Another instance holds the library.
        """
        if self.read_only:
            raise ReadOnlyError(self.read_only_reason)
        source = AnnotationFile(Path(path), backups=0)
        if not source.path.is_file():
            raise ValueError(f"{path}: no such file")
        result = source.read(quarantine=False)
        if result.problems or result.data is None:
            reason = result.problems[0].reason if result.problems else "nothing to merge"
            raise ValueError(f"{path}: {reason}")
        theirs = result.data
        doc_id = self._resolve(theirs.document)
        with self._mutex:
            notes = self.open_document(doc_id)
            return doc_id, notes.merge(theirs)

    def _resolve(self, info: DocumentInfo) -> str:
        for ref in (info.id, info.symbol):
            if not ref:
                continue
            try:
                return self.library.record(ref).id
            except KeyError:
                continue
        name = info.symbol or info.title or info.id
        raise ValueError(f"the file is about {name!r}, which is not in the library; import it first")

    def iter_note_texts(self) -> Iterator[NoteText]:
        """``(doc_id, note_id, block_id, text)`` for every note in the library (for ``in:notes``).

        Reads files without re-anchoring or moving anything (safe from a worker
        thread while the UI edits); block ids are as last saved.
        """
        for record in self.library.documents():
            folder = self.notes_dir(record.id)
            if not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yaml")):
                if path.name.startswith("."):
                    continue
                data = AnnotationFile(path, backups=0).read(quarantine=False).data
                if data is None:
                    continue
                for note in data.notes.values():
                    if note.text:
                        yield NoteText(record.id, note.id, note.anchor.block, note.text)

    def save_all(self) -> None:
        """Save every open document's changes."""
        if self.read_only:
            return
        with self._mutex:
            for notes in self._open.values():
                if notes.dirty:
                    notes.save()

    def close(self) -> None:
        """Save everything and release the lock."""
        try:
            self.save_all()
        finally:
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
