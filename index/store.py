"""Per-document store files, the light entry each document has in memory, and the searchable snapshot.

On disk each document is one ``.blk`` file: a JSON header line (block ids,
kinds, numbers, paths, text lengths, a CRC of the body) followed by the
original texts and then the normalised texts, concatenated.  It is read only
for what a page shows (snippets, block ids) and when the document's words or
a segment are (re)built; exact matching reads the n-gram segments
(:mod:`index.grams`).  A :class:`Snapshot` joins the segments' live rows into
one row numbering, in document-id order, with the per-row arrays ranking needs.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import numpy as np
import numpy.typing as npt

from index.grams import Counts, Rows, Segment, distinct
from index.normalize import SEPARATOR, Normalizer
from index.types import TITLE_BLOCK, IndexDoc

STORE_FORMAT = 1

BM25_K1 = 1.2
BM25_B = 0.75

KIND_WEIGHT = {
    "title": 3.0,
    "heading": 2.0,
    "front_matter": 1.2,
    "paragraph": 1.0,
    "table": 1.0,
    "figure": 0.9,
    "text": 0.9,
    "footnote": 0.8,
}


KIND_CODES = {k: i for i, k in enumerate((*KIND_WEIGHT, "list_item", "quote", "note", "caption"))}
"""Block kind → the byte a segment stores per row (any other kind: :data:`OTHER_KIND`)."""
OTHER_KIND = 255
_WEIGHT_BY_CODE = np.ones(256, dtype=np.float64)
_HEAD_BY_CODE = np.zeros(256, dtype=bool)
for _kind, _code in KIND_CODES.items():
    _WEIGHT_BY_CODE[_code] = KIND_WEIGHT.get(_kind, 1.0)
    _HEAD_BY_CODE[_code] = _kind in ("title", "heading")


def kind_code(kind: str) -> int:
    """The byte stored for a block kind (its weight and heading flag are read from it)."""
    return KIND_CODES.get(kind, OTHER_KIND)


class StoreCorrupt(Exception):
    """A store file failed its checks (truncated, bad header, CRC mismatch)."""


@dataclass(slots=True)
class StoredDoc:
    """One document's rows.  Row 0 is the title pseudo-block (kind ``title``)."""

    doc_id: str
    title: str
    symbol: str | None
    revision: str
    block_ids: list[str]
    kinds: list[str]
    numbers: list[str | None]
    paths: list[tuple[str, ...]]
    origs: list[str]
    norms: list[str]
    plains: list[bool] | None = None
    """Per row, whether its original is plain (:meth:`Normalizer.plain`); ``None`` when not known."""

    @classmethod
    def from_index_doc(cls, doc: IndexDoc, normalizer: Normalizer) -> StoredDoc:
        """Normalise a document's blocks (and its title) into rows."""
        blocks = doc.blocks
        origs = [doc.title, *[b.text for b in blocks]]
        if SEPARATOR in "".join(origs):  # rare: clean each text only then
            origs = [_clean(t) for t in origs]
        norms, plains = normalizer.normalize_plain_all(origs)
        return cls(
            doc_id=doc.doc_id,
            title=doc.title,
            symbol=doc.symbol,
            revision=doc.revision,
            block_ids=[TITLE_BLOCK, *[b.block_id for b in blocks]],
            kinds=["title", *[b.kind for b in blocks]],
            numbers=[None, *[b.number for b in blocks]],
            paths=[(), *[tuple(b.path) for b in blocks]],
            origs=origs,
            norms=norms,
            plains=plains,
        )

    def encode(self) -> bytes:
        """The on-disk form."""
        body = "".join([*self.origs, *self.norms]).encode("utf-8")
        header = {
            "format": STORE_FORMAT,
            "doc_id": self.doc_id,
            "title": self.title,
            "symbol": self.symbol,
            "revision": self.revision,
            "ids": self.block_ids,
            "kinds": self.kinds,
            "numbers": self.numbers,
            "paths": self.paths,  # tuples: json writes them as the lists they are read back as
            "olen": list(map(len, self.origs)),
            "nlen": list(map(len, self.norms)),
            "bytes": len(body),
            "crc": zlib.crc32(body),
        }
        return json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" + body

    @classmethod
    def decode(cls, data: bytes) -> StoredDoc:
        """Parse the on-disk form; raises :class:`StoreCorrupt` on any inconsistency."""
        try:
            nl = data.index(b"\n")
            header = json.loads(data[:nl])
            body = data[nl + 1 :]
            if header["format"] != STORE_FORMAT or len(body) != header["bytes"]:
                raise StoreCorrupt("truncated or foreign store file")
            if zlib.crc32(body) != header["crc"]:
                raise StoreCorrupt("store file checksum mismatch")
            text = body.decode("utf-8")
            olen: list[int] = header["olen"]
            nlen: list[int] = header["nlen"]
            origs, pos = _slices(text, olen, 0)
            norms, pos = _slices(text, nlen, pos)
            ids: list[str] = header["ids"]
            if pos != len(text) or not (len(ids) == len(olen) == len(nlen) == len(header["kinds"])):
                raise StoreCorrupt("store file lengths disagree")
            return cls(
                doc_id=header["doc_id"],
                title=header["title"],
                symbol=header["symbol"],
                revision=header["revision"],
                block_ids=ids,
                kinds=header["kinds"],
                numbers=header["numbers"],
                paths=[tuple(p) for p in header["paths"]],
                origs=origs,
                norms=norms,
            )
        except StoreCorrupt:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise StoreCorrupt(f"unreadable store file ({type(exc).__name__})") from exc


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temp file, fsync and replace."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _slices(text: str, lengths: list[int], pos: int) -> tuple[list[str], int]:
    out = []
    for n in lengths:
        out.append(text[pos : pos + n])
        pos += n
    return out, pos


def _clean(text: str) -> str:
    """Original text as shown; the separator must never occur in it."""
    return text.replace(SEPARATOR, " ") if SEPARATOR in text else text


@functools.lru_cache(maxsize=1 << 14)
def store_file_name(doc_id: str) -> str:
    """File name of a document's store file (ids may hold characters unsafe in names)."""
    return hashlib.sha1(doc_id.encode("utf-8")).hexdigest()[:20] + ".blk"


def write_store_file(folder: Path, doc: StoredDoc) -> Path:
    """Write a document's store file atomically; return its path."""
    path = folder / store_file_name(doc.doc_id)
    write_bytes_atomic(path, doc.encode())
    return path


def read_store_file(path: Path) -> StoredDoc:
    """Read one store file (raises :class:`StoreCorrupt` or ``OSError``)."""
    return StoredDoc.decode(path.read_bytes())


@dataclass(slots=True)
class DocEntry:
    """What the index keeps in memory of a document (the rest is read from its files when needed).

    Attributes:
        doc_id: Document id.
        title: Title, for display.
        symbol: Symbol (``A/75/563``) or ``None``.
        revision: The indexed revision.
        rows: Number of rows (blocks plus the title row).
        segment: Id of the segment holding its rows.
        first: Its first row in that segment.
        chars: Normalised characters in all its rows.
    """

    doc_id: str
    title: str
    symbol: str | None
    revision: str
    rows: int
    segment: str
    first: int = 0
    chars: int = 0


def _sorted_order(spans: list[tuple[int, int, bool]]) -> list[int] | None:
    """An order of segments (each ``(first, last live row, rows rising)``) joining their rows sorted."""
    if not all(rising for _, _, rising in spans):
        return None
    order = sorted((i for i, sp in enumerate(spans) if sp[0] >= 0), key=lambda i: spans[i][0])
    for a, b in pairwise(order):
        if spans[a][1] >= spans[b][0]:
            return None
    return order


class LazyNorms(Sequence[str]):
    """Normalised text per row, read from the segment files on demand (never held as one string)."""

    def __init__(self, snap: Snapshot) -> None:
        self._snap = snap

    def __len__(self) -> int:
        return self._snap.rows

    def __getitem__(self, row: int) -> str:  # type: ignore[override]
        seg, srow = self._snap.where(row)
        return seg.text(srow)


@dataclass(slots=True, eq=False)
class Snapshot:
    """An immutable view of all live rows, rebuilt after each change; searches read one snapshot.

    Rows are numbered in document-id order, then block order (ties in ranking
    follow this order).  A segment whose documents are all live and consecutive
    in that order (what a bulk write makes) is one block of rows, ``bases[i]``
    onward, and needs no per-row map; per-row arrays are a few bytes a row.

    Attributes:
        docs: Documents in row order.
        doc_start: First row of each document, plus a final entry = row count.
        by_id: Document id → index in ``docs``.
        segments: The open segments.
        bases: Per segment, the global row of its row 0 when it is one block of rows, else ``-1``.
        gmaps: Per segment not one block, each of its rows' global row (``-1``: a replaced or
            removed document); ``None`` for a block.
        seg_of / srow: Per global row, its segment index and row there; ``None`` when every
            segment is one block (:meth:`where` finds them from ``bases`` then).
        lens: Normalised length per row.
        kinds: Kind code per row (its weight and heading flag are read from it).
        body: Per row, true unless the row is a document title (plain searches skip titles).
        avg_len: Mean normalised row length.
        load: Reads a document's full store record (block ids, original texts).
    """

    docs: list[DocEntry] = field(default_factory=list)
    doc_start: list[int] = field(default_factory=lambda: [0])
    by_id: dict[str, int] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    bases: list[int] = field(default_factory=list)
    gmaps: list[Rows | None] = field(default_factory=list)
    seg_of: npt.NDArray[np.int32] | None = None
    srow: npt.NDArray[np.int64] | None = None
    lens: npt.NDArray[np.uint32] = field(default_factory=lambda: np.zeros(0, np.uint32))
    kinds: npt.NDArray[np.uint8] = field(default_factory=lambda: np.zeros(0, np.uint8))
    body: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, bool))
    avg_len: float = 1.0
    load: Callable[[DocEntry], StoredDoc] | None = None
    dn: npt.NDArray[np.float64] | None = None
    """Per row, BM25's length normalisation (made by the second query that needs it)."""
    dn_asked: bool = False
    order: list[int] | None = None
    """Segment indexes whose live rows, joined in this order, are already sorted (else ``None``)."""
    norms: LazyNorms = field(init=False)
    _block_lo: list[int] = field(default_factory=list)
    _block_seg: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.norms = LazyNorms(self)

    @classmethod
    def build(
        cls,
        docs: list[DocEntry],
        segments: Sequence[tuple[str, Segment, list[tuple[str, int]]]],
        load: Callable[[DocEntry], StoredDoc],
    ) -> Snapshot:
        """Join the live rows of ``segments`` (each ``(id, segment, [(doc_id, rows)…])``) for ``docs``."""
        snap = cls(docs=sorted(docs, key=lambda d: d.doc_id), load=load)
        for i, d in enumerate(snap.docs):
            snap.by_id[d.doc_id] = i
            snap.doc_start.append(snap.doc_start[-1] + d.rows)
        n = snap.doc_start[-1]
        snap.lens = np.zeros(n, dtype=np.uint32)
        snap.kinds = np.zeros(n, dtype=np.uint8)
        plans = [snap._plan(seg_id, seg, members) for seg_id, seg, members in segments]
        if any(gmap is not None for _, gmap in plans):
            snap.seg_of = np.full(n, -1, dtype=np.int32)
            snap.srow = np.zeros(n, dtype=np.int64)
        spans: list[tuple[int, int, bool]] = []
        covered = 0
        for (_seg_id, seg, _members), (base, gmap) in zip(segments, plans, strict=True):
            i = len(snap.segments)
            if gmap is None:
                lo, hi = base, base + seg.rows
                snap.lens[lo:hi] = seg.lens
                snap.kinds[lo:hi] = seg.kinds
                if snap.seg_of is not None and snap.srow is not None:
                    snap.seg_of[lo:hi] = i
                    snap.srow[lo:hi] = np.arange(seg.rows, dtype=np.int64)
                spans.append((lo, hi - 1, True))
                covered += seg.rows
            else:
                live_rows = np.flatnonzero(gmap >= 0)
                g = gmap[live_rows]
                assert snap.seg_of is not None
                assert snap.srow is not None
                snap.seg_of[g] = i
                snap.srow[g] = live_rows
                snap.lens[g] = seg.lens[live_rows]
                snap.kinds[g] = seg.kinds[live_rows]
                rising = bool(np.all(g[1:] > g[:-1]))
                spans.append((int(g[0]), int(g[-1]), rising) if len(g) else (-1, -1, True))
                covered += len(g)
            snap.segments.append(seg)
            snap.bases.append(base)
            snap.gmaps.append(gmap)
        if covered != n or (snap.seg_of is not None and n and int((snap.seg_of < 0).sum())):
            raise ValueError("a document's rows are in no open segment")
        snap.body = np.ones(n, dtype=bool)
        starts = np.asarray(snap.doc_start[:-1], dtype=np.int64)
        snap.body[starts[starts < n]] = False
        snap.avg_len = int(snap.lens.sum()) / n if n else 1.0
        snap.order = _sorted_order(spans)
        blocks = sorted((b, i) for i, b in enumerate(snap.bases) if b >= 0 and snap.segments[i].rows)
        snap._block_lo = [b for b, _ in blocks]
        snap._block_seg = [i for _, i in blocks]
        return snap

    def _plan(self, seg_id: str, seg: Segment, members: list[tuple[str, int]]) -> tuple[int, Rows | None]:
        """``(first global row, None)`` for a segment that is one block of live rows, else ``(-1, gmap)``."""
        bases = []
        for doc_id, rows in members:
            di = self.by_id.get(doc_id)
            live = di is not None and self.docs[di].segment == seg_id and self.docs[di].rows == rows
            bases.append(self.doc_start[di] if live and di is not None else -1)
        counts = np.fromiter((r for _, r in members), dtype=np.int64, count=len(members))
        seg_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
        base = np.asarray(bases, dtype=np.int64)
        shift = base - seg_start
        if seg.rows and len(base) and base[0] >= 0 and bool((shift == shift[0]).all()):
            # Every document live and in row order (a bulk-written segment): one block of rows.
            return int(base[0]), None
        gmap = np.repeat(np.where(base >= 0, shift, -1), counts)
        local = np.arange(seg.rows, dtype=np.int64)
        return -1, np.where(np.repeat(base >= 0, counts), gmap + local, -1)

    @property
    def rows(self) -> int:
        """Number of rows."""
        return self.doc_start[-1]

    def where(self, row: int) -> tuple[Segment, int]:
        """The segment holding a global row and the row's index there."""
        if self.seg_of is not None and self.srow is not None:
            return self.segments[int(self.seg_of[row])], int(self.srow[row])
        k = bisect_right(self._block_lo, row) - 1
        return self.segments[self._block_seg[k]], row - self._block_lo[k]

    def locate(self, row: int) -> tuple[DocEntry, int]:
        """The document of a row and the row's index within it."""
        d = bisect_right(self.doc_start, row) - 1
        return self.docs[d], row - self.doc_start[d]

    def stored(self, entry: DocEntry) -> StoredDoc:
        """A document's full store record (block ids, numbers, paths, original texts)."""
        assert self.load is not None
        return self.load(entry)

    def doc_rows(self, doc_index: int) -> range:
        """Rows of one document."""
        return range(self.doc_start[doc_index], self.doc_start[doc_index + 1])

    def iter_docs(self) -> Iterator[tuple[int, DocEntry]]:
        """Documents with their index."""
        return enumerate(self.docs)

    def weights(self, rows: Rows) -> npt.NDArray[np.float64]:
        """Per row of ``rows``, its kind's weight."""
        # ``take`` gathers about twice as fast as indexing with an array here.
        return _WEIGHT_BY_CODE.take(self.kinds.take(rows))

    def heads(self, rows: Rows) -> npt.NDArray[np.bool_]:
        """Per row of ``rows``, whether it is a title or a heading (``in:title`` searches)."""
        return _HEAD_BY_CODE.take(self.kinds.take(rows))

    def term(self, term: str) -> tuple[Rows, Counts]:
        """Rows (sorted) whose normalised text contains ``term``, and its count in each."""
        if not term:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        rows: list[Rows] = []
        counts: list[Counts] = []
        for i in self.order if self.order is not None else range(len(self.segments)):
            found, tf = self.segments[i].find(term)
            if not len(found):
                continue
            gmap = self.gmaps[i]
            if gmap is None:
                g = found.astype(np.int64)
                g += self.bases[i]
                rows.append(g)
                counts.append(tf)
                continue
            g = gmap.take(found)
            live = g >= 0
            if live.all():
                rows.append(g)
                counts.append(tf)
            else:
                rows.append(g[live])
                counts.append(tf[live])
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        if len(rows) == 1:
            all_rows, all_counts = rows[0], counts[0]
        else:
            all_rows, all_counts = np.concatenate(rows), np.concatenate(counts)
        if self.order is not None:
            return all_rows, all_counts
        order = np.argsort(all_rows, kind="stable")
        return all_rows[order], all_counts[order]

    def find_rows(self, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
        """Rows in ``[lo, hi)`` whose normalised text contains ``needle``, in order."""
        rows, _ = self.term(needle)
        hi = self.rows if hi is None else hi
        a, b = np.searchsorted(rows, [lo, hi])
        return [int(r) for r in rows[a:b]]

    def denom(self, rows: Rows) -> npt.NDArray[np.float64]:
        """Per row, BM25's length normalisation ``k1·(1−b+b·len/avg_len)`` (as Python would compute it)."""
        # Element-wise, so each row's value is the one the formula gives it alone: computed for a
        # few rows, or for all rows once (kept), the values are the same.
        if self.dn is None:
            if not self.dn_asked and len(rows) * 8 < len(self.lens):
                # A cold start's first query: only its rows (the table of all rows comes next time).
                self.dn_asked = True
                return _denom(self.lens.take(rows), self.avg_len)
            self.dn = _denom(self.lens, self.avg_len)
        return self.dn.take(rows)

    def titles_in(self, rows: Rows) -> npt.NDArray[np.intp]:
        """Indexes into ``rows`` (sorted) of the document titles among them."""
        starts = np.asarray(self.doc_start[:-1], dtype=np.int64)
        if not len(rows) or not len(starts):
            return np.zeros(0, dtype=np.intp)
        at = np.minimum(np.searchsorted(rows, starts), len(rows) - 1)
        found: npt.NDArray[np.intp] = distinct(at[rows[at] == starts])
        return found


def _denom(lens: npt.NDArray[np.uint32], avg_len: float) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = BM25_K1 * ((1 - BM25_B) + (BM25_B * lens.astype(np.float64)) / avg_len)
    return out
