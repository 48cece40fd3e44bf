"""The set of n-gram segments of an index folder: writing, opening, merging, reading rows back.

Each batch of documents written becomes one segment file (``segments/<id>.seg``,
see :mod:`index.grams`); a replaced or removed document leaves dead rows in its
old segment.  Small segments (single imports, the tail of a sync) and segments
that are mostly dead are merged into one when there are too many of them, from
their own texts (no store file is read).  Segments are immutable: a search
holding an old snapshot keeps reading its open files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import time
from collections.abc import Callable, Iterable
from itertools import repeat
from pathlib import Path

from index.grams import PLAIN, Segment, SegmentCorrupt, encode_segment
from index.store import KIND_CODES, OTHER_KIND, DocEntry, StoredDoc, write_bytes_atomic

SEGMENT_CHARS = 4_000_000
"""Characters per segment written by a bulk job (bounds the memory of building one, ~40 B per char)."""
_SMALL = SEGMENT_CHARS // 4
_MAX_SMALL = 8
"""More small (or mostly dead) segments than this are merged into one."""

Members = list[tuple[str, int]]
"""A segment's documents in row order: ``(doc_id, rows)``."""


class SegmentSet:
    """The open segments and the documents each holds."""

    def __init__(self, folder: Path, plain: Callable[[str], bool] | None = None) -> None:
        self.folder = folder
        self.open: dict[str, tuple[Segment, Members]] = {}
        self.plain = plain
        """Tells a plain original text (flagged per row, so its snippet offsets need no folding)."""

    def path(self, seg_id: str) -> Path:
        """A segment's file."""
        return self.folder / f"{seg_id}.seg"

    def load(self, listed: dict[str, Members], problems: list[str]) -> set[str]:
        """Open the segments a manifest lists; return the ids that could not be opened."""
        self.open = {}
        bad: set[str] = set()
        for seg_id, members in listed.items():
            try:
                seg = Segment.open(self.path(seg_id))
                if seg.rows != sum(r for _, r in members):
                    raise SegmentCorrupt("segment rows disagree with the manifest")
            except (OSError, SegmentCorrupt) as exc:
                problems.append(f"segment {seg_id} unusable: {exc}")
                bad.add(seg_id)
                continue
            self.open[seg_id] = (seg, members)
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.suffix != ".seg" or path.stem not in self.open:
                    # A merged-away segment that could not be deleted while open
                    # (Windows), or a crash's leftover: housekeeping, not damage.
                    with contextlib.suppress(OSError):
                        path.unlink()
        return bad

    def manifest(self) -> dict[str, Members]:
        """The manifest's view of the segments."""
        return {sid: [(d, r) for d, r in members] for sid, (_, members) in self.open.items()}

    def write(self, docs: list[StoredDoc]) -> tuple[str, dict[str, int]]:
        """Write one segment holding ``docs``; return its id and each document's first row there."""
        rows = _Rows()
        for d in docs:
            rows.norms.extend(d.norms)
            rows.kinds.extend(map(KIND_CODES.get, d.kinds, repeat(OTHER_KIND)))  # kind_code, in C
            rows.origs.extend(d.origs)
            rows.metas.extend(row_metas(d.block_ids, d.numbers, d.paths, d.kinds))
            if d.plains is not None:
                rows.flags.extend([PLAIN if p else 0 for p in d.plains])
            elif self.plain is not None:
                rows.flags.extend(PLAIN if self.plain(t) else 0 for t in d.origs)
            else:
                rows.flags.extend([0] * len(d.origs))
            rows.members.append((d.doc_id, len(d.norms)))
        return self._write(rows)

    def _write(self, rows: _Rows) -> tuple[str, dict[str, int]]:
        seg_id = f"{time.time_ns():x}-{os.getpid()}"
        data = encode_segment(rows.norms, rows.kinds, rows.origs, rows.metas, rows.flags)
        write_bytes_atomic(self.path(seg_id), data)
        members = rows.members
        self.open[seg_id] = (Segment.open(self.path(seg_id)), members)
        return seg_id, members_first(members)

    def norms(self, entry: DocEntry) -> list[str]:
        """A document's normalised rows, read back from its segment."""
        seg = self.open[entry.segment][0]
        return _rows_text(seg, entry.first, entry.rows)

    def kinds(self, entry: DocEntry) -> list[int]:
        """A document's kind codes, read back from its segment."""
        seg = self.open[entry.segment][0]
        return [int(k) for k in seg.kinds[entry.first : entry.first + entry.rows]]

    def drop_dead(self, docs: dict[str, DocEntry]) -> list[str]:
        """Close the segments holding no live document; return their ids (for :meth:`unlink`)."""
        dead = [s for s in self.open if not self._live(s, docs)]
        for seg_id in dead:
            self.open.pop(seg_id)
        return dead

    def unlink(self, seg_ids: Iterable[str]) -> None:
        """Delete closed segments' files (after the manifest that no longer lists them is written)."""
        for seg_id in seg_ids:
            with contextlib.suppress(OSError):
                self.path(seg_id).unlink()

    def compact(self, docs: dict[str, DocEntry]) -> list[str]:
        """Merge small or mostly dead segments when there are too many; return the ids closed.

        ``docs`` entries of moved documents are replaced.  The caller writes the
        manifest, then unlinks the closed ones (:meth:`unlink`).
        """
        gone = self.drop_dead(docs)
        weak = []
        for seg_id, (seg, _members) in self.open.items():
            live = sum(docs[d].rows for d in self._live(seg_id, docs))
            if int(seg.lens.sum()) < _SMALL or live * 2 < seg.rows:
                weak.append(seg_id)
        if len(weak) <= _MAX_SMALL:
            return gone
        rows = _Rows()
        for seg_id in weak:
            seg = self.open[seg_id][0]
            for doc_id in self._live(seg_id, docs):
                e = docs[doc_id]
                rows.norms.extend(_rows_text(seg, e.first, e.rows))
                rows.kinds.extend(int(k) for k in seg.kinds[e.first : e.first + e.rows])
                rows.origs.extend(_rows_text(seg, e.first, e.rows, "orig"))
                rows.metas.extend(_rows_text(seg, e.first, e.rows, "meta"))
                rows.flags.extend(int(f) for f in seg.flags[e.first : e.first + e.rows])
                rows.members.append((doc_id, e.rows))
        new_id, firsts = self._write(rows)
        for doc_id, first in firsts.items():
            # New entries: a search may still read the old ones through its snapshot.
            docs[doc_id] = dataclasses.replace(docs[doc_id], segment=new_id, first=first)
        for seg_id in weak:
            self.open.pop(seg_id)
        return gone + weak

    def _live(self, seg_id: str, docs: dict[str, DocEntry]) -> list[str]:
        members = self.open[seg_id][1]
        return [d for d, _ in members if d in docs and docs[d].segment == seg_id]

    def verify(self) -> Iterable[tuple[str, str]]:
        """Read every segment whole; yield ``(segment id, problem)`` for each damaged one."""
        for seg_id, (seg, _members) in list(self.open.items()):
            try:
                seg.verify()
            except SegmentCorrupt as exc:
                yield seg_id, str(exc)

    def members(self, seg_id: str) -> Members:
        """The documents a segment holds."""
        return self.open[seg_id][1]

    def forget(self, seg_id: str) -> None:
        """Drop a damaged segment (its documents are indexed again by the next sync)."""
        self.open.pop(seg_id, None)
        self.unlink([seg_id])


def _rows_text(seg: Segment, first: int, rows: int, area: str = "text") -> list[str]:
    return seg.texts(area, first, rows)


@dataclasses.dataclass
class _Rows:
    """Rows being gathered into a new segment."""

    norms: list[str] = dataclasses.field(default_factory=list)
    kinds: list[int] = dataclasses.field(default_factory=list)
    origs: list[str] = dataclasses.field(default_factory=list)
    metas: list[str] = dataclasses.field(default_factory=list)
    flags: list[int] = dataclasses.field(default_factory=list)
    members: Members = dataclasses.field(default_factory=list)


def row_meta(block_id: str, number: str | None, path: tuple[str, ...], kind: str) -> str:
    """What a hit shows of its row besides the text, as the JSON a segment keeps per row."""
    return json.dumps([block_id, number, list(path), kind], ensure_ascii=False, separators=(",", ":"))


def row_metas(
    block_ids: list[str], numbers: list[str | None], paths: list[tuple[str, ...]], kinds: list[str]
) -> list[str]:
    """:func:`row_meta` of every row, put together from each string's JSON (paths and kinds repeat)."""
    enc = _encode_string
    texts: dict[object, str] = {}
    out = []
    for block_id, number, path, kind in zip(block_ids, numbers, paths, kinds, strict=True):
        if type(block_id) is not str or (number is not None and type(number) is not str):
            out.append(row_meta(block_id, number, path, kind))  # what json makes of other types
            continue
        try:
            tail = texts.get((path, kind))
        except TypeError:  # unhashable, so not a tuple of strings
            tail = None
        if tail is None:
            if type(path) is not tuple or type(kind) is not str or not all(type(p) is str for p in path):
                out.append(row_meta(block_id, number, path, kind))
                continue
            tail = texts[(path, kind)] = f",[{','.join(map(enc, path))}],{enc(kind)}]"
        out.append(f"[{enc(block_id)},{'null' if number is None else enc(number)}{tail}")
    return out


_encode_string = json.encoder.encode_basestring
"""The string encoder ``json.dumps(..., ensure_ascii=False)`` uses (json's C one where it is built)."""


_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
"""json's own (C) scanner, called directly: ``json.loads`` adds ~3 µs of Python around it per hit."""


def parse_meta(text: str) -> tuple[str, str | None, tuple[str, ...], str]:
    """The inverse of :func:`row_meta`."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        value, end = None, -1
    if end != len(text):
        value = json.loads(text)  # not compact JSON (never written so): the full parser, or its error
    block_id, number, path, kind = value
    return str(block_id), number, tuple(path), str(kind)


def members_first(members: Members) -> dict[str, int]:
    """Each document's first row in a segment."""
    out: dict[str, int] = {}
    pos = 0
    for doc_id, rows in members:
        out[doc_id] = pos
        pos += rows
    return out
