r"""The exact-match index: immutable segments of unigram + bigram postings over normalised rows.

A segment holds a batch of rows: their normalised texts (UTF-8, ``\x00``
after each row), per-row lengths and kind codes, for every character and
every pair of adjacent characters the sorted rows holding it with its count
there, and for every pair its sorted positions in the segment's character
stream (the rows joined, a ``\x00`` after each).  A term of one or two
(distinct) characters is answered by its posting list alone (the count is
its term frequency).  A longer term is answered from positions: its bigrams
at offsets 0, 2, 4 … and ``len − 2`` cover every character, so it occurs at
``p`` exactly when each of those bigrams occurs at ``p + offset`` (rarest
list first, ``searchsorted`` membership in the others; a pair never spans
two rows).  Positions become rows and counts by ``searchsorted`` over the
rows' first characters, with no text read; only a row where two matches
overlap (``哈哈哈`` twice in ``哈哈哈哈``) is recounted from its bytes, because
``str.count`` counts non-overlapping matches.  The cost follows the matches,
not the corpus.

One file per segment: a JSON header line padded to 64 bytes, then the arrays
(8-byte aligned) and the text.  Opening reads only the per-row arrays and a
sample of the keys (a few bytes per row); a look-up reads, with ``pread``,
one page of keys, the key's offsets and its postings, and a hit reads its
row's texts, so memory does not grow with the library and a cold start reads
no text.  Keys are code points (unigram:
``cp``; bigram: ``cp1 << 21 | cp2``, always ≥ 2²¹), built on
:meth:`index.normalize.Normalizer.normalize`'s output, so every folding rule
stays in one place.
"""

from __future__ import annotations

import json
import os
import struct
import sys
import threading
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise, repeat
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from index.normalize import SEPARATOR

SEGMENT_FORMAT = 4
"""4: positions of every bigram (``bpos``), each row's first character (``cst``), offsets per key
(``kofs``: into the rows and into the positions, interleaved, so one read gets both), row flags."""
_ROW_BITS = 22
MAX_ROWS = 1 << _ROW_BITS
"""Rows per segment (a key and a row share one 64-bit sort key while building)."""
_TF_CAP = 255
"""Counts are stored in a byte; a capped count is recounted from the text."""
_ALIGN = 64

Rows = npt.NDArray[np.int64]
Counts = npt.NDArray[np.int64]

_ARRAYS = (("off", "<u8"), ("lens", "<u4"), ("kinds", "u1"), ("keys", "<u8"), ("kofs", "<u8"),
           ("prow", "<u4"), ("ptf", "u1"), ("ooff", "<u8"), ("moff", "<u8"), ("ksam", "<u8"),
           ("bpos", "<u4"), ("cst", "<u4"), ("flags", "u1"))  # fmt: skip
_IN_MEMORY = ("lens", "kinds", "ksam", "cst", "flags")
_TEXT_OFFSETS = ("off", "ooff", "moff")
"""Read when the segment's first hit or recount needs them (a cold start reads ~2/3 less)."""
PLAIN = 1
"""Row flag: its original text is plain (:meth:`index.normalize.Normalizer.plain`)."""
"""Arrays read whole when a segment opens (per row, and the key sample); the rest is read per look-up."""
_SAMPLE = 512
"""Every this many keys one is kept in a small sample, so a look-up touches two pages of the keys."""
_TEXTS = ("text", "orig", "meta")
_PREAD = hasattr(os, "pread")
_NO_ROWS = np.zeros(0, dtype=np.uint32)
_KOFS = struct.Struct("<4Q")
_PAIR = struct.Struct("<2Q")
_PEEKS = 40
"""Hits of a segment whose text offsets are read 16 bytes at a time before the arrays are read whole."""
_VERIFY_RATIO = 64
"""A row read and counted costs about as much as this many positions read and merged."""
_LITTLE = sys.byteorder == "little"
"""The keys are little-endian ``uint64``: read in place through a ``memoryview`` on such a machine."""


class SegmentCorrupt(Exception):
    """A segment file failed its checks (truncated, bad header, checksum)."""


def gram_keys(term: str) -> list[int]:
    """The posting keys whose rows can hold ``term``: its character, or its distinct bigrams."""
    cps = [ord(c) for c in term]
    if len(cps) == 1:
        return cps
    return sorted({(a << 21) | b for a, b in pairwise(cps)})


def _postings(norms: list[str]) -> dict[str, np.ndarray]:
    """The posting arrays of a segment's rows (vectorised; see :func:`encode_segment`)."""
    joined = SEPARATOR.join([*norms, ""])  # a NUL after each row (one copy of the text, not two)
    cps = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4")
    if len(cps) >= 1 << 32:
        raise ValueError("a segment holds fewer than 2**32 characters")
    lens = np.fromiter(map(len, norms), dtype=np.int64, count=len(norms))
    # Narrow rows make the gather of each bigram's row below faster (it reads at random).
    narrow = np.uint16 if len(norms) <= 0xFFFF else np.uint32
    row_of = np.repeat(np.arange(len(norms), dtype=narrow), lens + 1)
    is_char = cps != 0
    cst = np.zeros(len(norms) + 1, dtype=np.uint32)
    cst[1:] = np.cumsum(lens + 1)
    present = np.zeros(0x110000, dtype=bool)
    present[cps] = True
    present[0] = False
    chars = np.flatnonzero(present).astype(np.uint64)  # the segment's distinct characters, in order
    del present
    if not len(chars):
        empty = np.zeros(0, np.uint64)
        return {"keys": empty, "gofs": np.zeros(1, np.uint64), "prow": np.zeros(0, np.uint32),
                "ptf": np.zeros(0, np.uint8), "pofs": np.zeros(1, np.uint64),
                "bpos": np.zeros(0, np.uint32), "cst": cst}  # fmt: skip
    ids = np.zeros(0x110000, dtype=np.uint32)
    ids[chars] = np.arange(len(chars), dtype=np.uint32)
    dense = np.take(ids, cps)  # each character's rank among them (order kept)
    del ids
    # Each part's (key, row) runs and its keys' runs; unigram keys (< 2**21) all sort before every
    # bigram key, so the parts join sorted, and a bigram key's positions start where its rows do.
    ustarts, ucounts, urows, ukstarts = _unigram_runs(dense, row_of, is_char, len(chars), len(norms))
    order, bpos, key_of = _sorted_bigrams(cps, dense, is_char[:-1] & is_char[1:], chars)
    del dense
    del is_char
    brow: npt.NDArray[np.unsignedinteger[Any]] = np.take(row_of, bpos)
    del row_of
    with_row = order << np.uint64(_ROW_BITS)
    with_row |= brow
    bstarts, bcounts = _runs(with_row)
    del with_row
    bkstarts, _ = _runs(np.take(order, bstarts))
    nu, nb = len(ustarts), len(bstarts)
    return {
        "keys": np.concatenate([chars, key_of(bstarts[bkstarts])]),
        "gofs": np.concatenate([ukstarts, bkstarts + nu, [nu + nb]]).astype(np.uint64),
        "prow": np.concatenate([urows, np.take(brow, bstarts)], dtype=np.uint32),
        "ptf": np.concatenate(
            [np.minimum(c, _TF_CAP, out=c) for c in (ucounts, bcounts)], dtype=np.uint8, casting="unsafe"
        ),
        "pofs": np.concatenate([np.zeros(len(ukstarts), np.intp), bstarts[bkstarts], [len(bpos)]]).astype(
            np.uint64
        ),
        "bpos": bpos,
        "cst": cst,
    }


def _unigram_runs(
    dense: npt.NDArray[np.uint32], row_of: np.ndarray, is_char: npt.NDArray[np.bool_], n: int, rows: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.uint32], npt.NDArray[np.intp]]:
    """The (character, row) runs of the characters: starts, lengths, rows, and where each character's start.

    Sorted as (rank, row) packed in 32 bits where they fit (most segments: a few thousand
    characters, some ten thousand rows), else in 64.
    """
    row_bits = max(rows - 1, 1).bit_length()
    wide = (n - 1).bit_length() + row_bits > 32
    uni: npt.NDArray[np.unsignedinteger[Any]] = dense[is_char].astype(np.uint64 if wide else np.uint32)
    uni <<= row_bits
    uni |= row_of[is_char]
    uni.sort()
    ustarts, ucounts = _runs(uni)
    uni = np.take(uni, ustarts)
    urows = (uni & ((1 << row_bits) - 1)).astype(np.uint32)
    uni >>= row_bits
    ukstarts, _ = _runs(uni)
    return ustarts, ucounts, urows, ukstarts


def _runs(values: np.ndarray) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Where each run of equal values of a sorted array starts, and its length."""
    if not len(values):
        return np.zeros(0, np.intp), np.zeros(0, np.intp)
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    counts = np.empty(len(starts), dtype=np.intp)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1])
    counts[-1] = len(values) - starts[-1]
    return starts, counts


def _sorted_bigrams(
    cps: np.ndarray, dense: npt.NDArray[np.uint32], at: npt.NDArray[np.bool_], chars: npt.NDArray[np.uint64]
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint32], Callable[[np.ndarray], np.ndarray]]:
    """The bigrams at each ``i`` where ``at[i]`` sorted by key, then position.

    Returns their sort keys, their positions and a function giving the real keys at given
    indexes.  Sort keys are the keys themselves or dense pair ids in the same order (under
    2**32); the real keys are made only for the indexes asked (a key's first position, not
    every one).  ``chars`` are the distinct characters of ``cps`` bar the NUL, in order, and
    ``dense`` each character's index among them.
    """
    n = len(chars)
    if n * n >= 1 << 32:
        # Too many distinct characters to pack a dense pair id beside a position: sort stably.
        pos = np.flatnonzero(at).astype(np.uint32)
        real = (cps[pos].astype(np.uint64) << np.uint64(21)) | cps[pos + 1]
        order = np.argsort(real, kind="stable")
        real = real[order]
        return real, pos[order], real.take
    # Dense ids keep code-point order, so sorting (pair id, position) sorts by key, then position.
    # The pair at every position, then those of the bigrams: a mask reads faster than indexes.
    pairs = dense[:-1].astype(np.uint64)
    pairs *= np.uint64(n)
    pairs += dense[1:]
    packed = pairs[at]
    del pairs
    packed <<= np.uint64(32)
    where = np.flatnonzero(at)
    packed |= where.view(np.uint64) if where.dtype.itemsize == 8 else where.astype(np.uint64)
    packed.sort()
    sorted_pos = packed.astype(np.uint32)  # the low 32 bits
    packed >>= np.uint64(32)

    def key_of(at: np.ndarray) -> np.ndarray:
        pid = packed[at]
        out: np.ndarray = (chars[pid // np.uint64(n)] << np.uint64(21)) | chars[pid % np.uint64(n)]
        return out

    return packed, sorted_pos, key_of


def _joined(texts: list[str]) -> tuple[bytes, np.ndarray]:
    """Texts as UTF-8, each followed by a NUL byte, and the byte offset of each (plus the end)."""
    sep = SEPARATOR.encode()
    data = SEPARATOR.join([*texts, ""]).encode("utf-8") if texts else b""
    off = np.zeros(len(texts) + 1, dtype=np.uint64)
    # A text never holds a NUL (normalised and original texts lose it, JSON escapes it): each
    # NUL byte ends a text.  Should one hold it all the same, count each text's bytes instead.
    ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 0)
    if len(ends) == len(texts):
        off[1:] = ends + 1
        return data, off
    parts = [t.encode("utf-8") for t in texts]
    np.cumsum(np.fromiter((len(b) + 1 for b in parts), dtype=np.uint64, count=len(parts)), out=off[1:])
    return sep.join(parts) + sep, off


def encode_segment(
    norms: list[str], kinds: list[int], origs: list[str], metas: list[str], flags: list[int] | None = None
) -> bytes:
    """The on-disk form of a segment of rows.

    Args:
        norms: Normalised text per row (what is matched).
        kinds: Kind code per row (see :mod:`index.store`).
        origs: Original text per row (what snippets show).
        metas: Per row, a JSON text of what a hit shows besides (see :mod:`index.segstore`).
        flags: Per row, :data:`PLAIN` or 0 (default: 0 for every row).
    """
    if len(norms) >= MAX_ROWS:
        raise ValueError(f"a segment holds fewer than {MAX_ROWS} rows")
    text, off = _joined(norms)
    orig, ooff = _joined(origs)
    meta, moff = _joined(metas)
    post = _postings(norms)
    arrays: dict[str, np.ndarray] = {
        **post,
        "kofs": np.column_stack([post["gofs"], post["pofs"]]).ravel(),
        "off": off,
        "lens": np.fromiter(map(len, norms), dtype=np.uint32, count=len(norms)),
        "kinds": np.asarray(kinds, dtype=np.uint8),
        "flags": np.asarray(flags if flags is not None else [0] * len(norms), dtype=np.uint8),
        "ooff": ooff,
        "moff": moff,
        "ksam": post["keys"][::_SAMPLE],
    }
    chunks: list[bytes | memoryview] = []
    layout: dict[str, list[int]] = {}
    pos = 0
    for name, dtype in _ARRAYS:
        # Each array's own bytes (no copy), then the file joined once.
        data = np.ascontiguousarray(arrays[name], dtype=dtype).view(np.uint8).data
        layout[name] = [pos, len(arrays[name])]
        pad = -len(data) % 8
        chunks.extend((data, b"\0" * pad))
        pos += len(data) + pad
    for name, text_area in zip(_TEXTS, (text, orig, meta), strict=True):
        layout[name] = [pos, len(text_area)]
        chunks.append(text_area)
        pos += len(text_area)
    crc = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
    header = json.dumps(
        {"format": SEGMENT_FORMAT, "rows": len(norms), "layout": layout, "bytes": pos, "crc": crc}
    ).encode()
    head_len = -(-(len(header) + 1) // _ALIGN) * _ALIGN
    return b"".join([header, b"\n", b" " * (head_len - len(header) - 1), *chunks])


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a sorted array, as ``np.unique`` gives them.

    ``np.unique`` sorts again, and its first call imports ``numpy.ma`` (~30 ms of a cold start).
    """
    if len(values) < 2:
        return values.copy()
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    out: np.ndarray = values[keep]
    return out


def _members(values: npt.NDArray[np.uint32], sorted_list: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """The values (sorted, distinct) that occur in ``sorted_list`` (sorted, distinct)."""
    if len(values) * 8 < len(sorted_list):
        idx = np.minimum(np.searchsorted(sorted_list, values), len(sorted_list) - 1)
        found: npt.NDArray[np.uint32] = values[sorted_list[idx] == values]
        return found
    # Of similar sizes: one merge of the two sorted runs (timsort) finds the common values.
    both = np.concatenate([values, sorted_list])
    both.sort(kind="stable")
    common: npt.NDArray[np.uint32] = both[1:][both[1:] == both[:-1]]
    return common


def _header_line(fh: BinaryIO) -> bytes:
    """The file's first line (at most 64 KB), read in one or two calls.

    ``readline`` on an unbuffered file reads a byte per system call (~1 000 for a header).
    """
    data = b""
    for size in (4096, 1 << 16):
        fh.seek(0)
        data = fh.read(size)
        nl = data.find(b"\n")
        if nl >= 0:
            return data[: nl + 1]
        if len(data) < size:
            break
    return data


@dataclass(slots=True, eq=False)
class Segment:
    """An open segment file, read with ``pread`` (never memory-mapped; see :meth:`open`)."""

    path: Path
    rows: int
    nkeys: int
    at: dict[str, int]
    """File offset of every array and text area."""
    lens: npt.NDArray[np.uint32]
    kinds: npt.NDArray[np.uint8]
    ksam: npt.NDArray[np.uint64]
    cst: npt.NDArray[np.uint32]
    flags: npt.NDArray[np.uint8]
    crc: int
    size: int
    base: int
    fh: BinaryIO
    lock: threading.Lock
    peeks: int = 0
    """Hits whose text offsets were read one by one (see :data:`_PEEKS`)."""
    sample: list[int] | None = None
    """:attr:`ksam` as a list (made on the first look-up)."""
    offsets: tuple[npt.NDArray[np.uint64], ...] | None = None
    """Byte offsets of every row in the text, original and meta areas (see :attr:`off`)."""

    @classmethod
    def open(cls, path: Path) -> Segment:
        """Open a segment file; checks its header and sizes, not its checksum (see :meth:`verify`).

        Only the per-row arrays and the key sample are read now (a few bytes per row).  Postings
        are read per look-up: mapping the file would cost resident memory far beyond what is
        read, because the page cache hands out large folios (a touched byte maps up to 2 MB).
        """
        fh = open(path, "rb", buffering=0)  # noqa: SIM115 - owned by the segment, closed in close()
        try:
            head = _header_line(fh)
            header = json.loads(head)
            base = -(-len(head) // _ALIGN) * _ALIGN
            size = os.fstat(fh.fileno()).st_size
            if header["format"] != SEGMENT_FORMAT or size != base + header["bytes"] or size == 0:
                raise SegmentCorrupt("truncated or foreign segment file")
            layout: dict[str, list[int]] = header["layout"]
            at = {name: base + int(layout[name][0]) for name in (*(n for n, _ in _ARRAYS), *_TEXTS)}
            seg = cls(path=path, rows=int(header["rows"]), nkeys=int(layout["keys"][1]), at=at,
                      crc=int(header["crc"]), size=int(header["bytes"]), base=base, fh=fh,
                      lock=threading.Lock(), **dict.fromkeys(_IN_MEMORY, _NO_ROWS))  # type: ignore[arg-type]  # fmt: skip
            dtypes = dict(_ARRAYS)
            for name in _IN_MEMORY:
                setattr(seg, name, seg._array(dtypes[name], at[name], int(layout[name][1])))
            for name in _TEXT_OFFSETS:
                end = at[name] + np.dtype(dtypes[name]).itemsize * int(layout[name][1])
                if int(layout[name][1]) != seg.rows + 1 or end > size:
                    raise SegmentCorrupt("segment arrays disagree")
        except (ValueError, KeyError, TypeError) as exc:
            fh.close()
            raise SegmentCorrupt(f"unreadable segment file ({type(exc).__name__})") from exc
        except BaseException:
            fh.close()
            raise
        rows = seg.rows
        if len(seg.cst) != rows + 1:
            seg.close()
            raise SegmentCorrupt("segment arrays disagree")
        if int(layout["kofs"][1]) != 2 * (seg.nkeys + 1) or len(seg.lens) != rows or len(seg.flags) != rows:
            seg.close()
            raise SegmentCorrupt("segment arrays disagree")
        return seg

    def _offsets(self) -> tuple[npt.NDArray[np.uint64], ...]:
        offsets = self.offsets
        if offsets is None:
            # Two threads may both read them: the same arrays, assigned at once.
            offsets = tuple(self._array("<u8", self.at[n], self.rows + 1) for n in _TEXT_OFFSETS)
            self.offsets = offsets
        return offsets

    @property
    def off(self) -> npt.NDArray[np.uint64]:
        """Byte offset of every row in the normalised text area (plus the end)."""
        return self._offsets()[0]

    @property
    def ooff(self) -> npt.NDArray[np.uint64]:
        """Byte offset of every row in the original text area (plus the end)."""
        return self._offsets()[1]

    @property
    def moff(self) -> npt.NDArray[np.uint64]:
        """Byte offset of every row in the meta area (plus the end)."""
        return self._offsets()[2]

    def read(self, at: int, n: int) -> bytes:
        """``n`` bytes of the file from offset ``at`` (short only if the file shrank)."""
        if n <= 0:
            return b""
        if _PREAD:
            return os.pread(self.fh.fileno(), n, at)
        with self.lock:
            self.fh.seek(at)
            return self.fh.read(n)

    def _array(self, dtype: str, at: int, count: int) -> np.ndarray:
        item = np.dtype(dtype).itemsize
        data = self.read(at, count * item)
        if len(data) != count * item:
            raise SegmentCorrupt("segment file truncated")
        return np.frombuffer(data, dtype=dtype)

    def verify(self) -> None:
        """Read the whole file and check its checksum (``index check``)."""
        crc, pos, end = 0, self.base, self.base + self.size
        while pos < end:
            chunk = self.read(pos, min(1 << 22, end - pos))
            if not chunk:
                break
            crc = zlib.crc32(chunk, crc)
            pos += len(chunk)
        if pos != end or crc != self.crc:
            raise SegmentCorrupt("segment checksum mismatch")

    def _area(self, area: str, offs: npt.NDArray[np.uint64], first: int, last: int) -> str:
        """Rows ``first``…``last - 1`` of a text area, each followed by the separator."""
        a = int(offs[first])
        return self.read(self.at[area] + a, int(offs[last]) - a).decode("utf-8")

    def text(self, row: int) -> str:
        """One row's normalised text."""
        return self._area("text", self.off, row, row + 1)[:-1]

    def orig(self, row: int) -> str:
        """One row's original text."""
        return self._area("orig", self.ooff, row, row + 1)[:-1]

    def meta(self, row: int) -> str:
        """One row's JSON text of what a hit shows besides its text."""
        return self._area("meta", self.moff, row, row + 1)[:-1]

    def _pair(self, at: int) -> tuple[int, int]:
        data = self.read(at, 16)
        if len(data) != 16:
            raise SegmentCorrupt("segment file truncated")
        pair: tuple[int, int] = _PAIR.unpack(data)
        return pair

    def hit_texts(self, row: int) -> tuple[str, str, str]:
        """One row's normalised text, original text and meta (what a hit shows), with few calls."""
        at = self.at
        if self.offsets is None and self.peeks < _PEEKS:
            # The segment's first hits (a cold start's page): 16 bytes of each offset array, not all.
            self.peeks += 1
            a, b, c, d, e, f = (x for name in _TEXT_OFFSETS for x in self._pair(at[name] + 8 * row))
        else:
            off, ooff, moff = self._offsets()
            a, b = off[row : row + 2].tolist()
            c, d = ooff[row : row + 2].tolist()
            e, f = moff[row : row + 2].tolist()
        if _PREAD:
            fd = self.fh.fileno()
            text = os.pread(fd, b - a - 1, at["text"] + a) if b - a > 1 else b""
            orig = os.pread(fd, d - c - 1, at["orig"] + c) if d - c > 1 else b""
            meta = os.pread(fd, f - e - 1, at["meta"] + e)
        else:
            text = self.read(at["text"] + a, b - a - 1)
            orig = self.read(at["orig"] + c, d - c - 1)
            meta = self.read(at["meta"] + e, f - e - 1)
        return text.decode("utf-8"), orig.decode("utf-8"), meta.decode("utf-8")

    def texts(self, area: str, first: int, rows: int) -> list[str]:
        """Consecutive rows of an area (``text``, ``orig`` or ``meta``), read at once."""
        if rows <= 0:
            return []
        offs = {"text": self.off, "orig": self.ooff, "meta": self.moff}[area]
        return self._area(area, offs, first, first + rows).split(SEPARATOR)[:-1]

    def _index(self, key: int) -> int:
        """The index of ``key`` among the keys, or ``-1``."""
        sample = self.sample
        if sample is None:
            sample = self.sample = self.ksam.tolist()
        # Python's bisect over a list and a memoryview: a look-up is a few µs of numpy calls less.
        lo = max(0, bisect_right(sample, key) - 1) * _SAMPLE
        count = min(_SAMPLE, self.nkeys - lo)
        if count <= 0:
            return -1
        page = self.read(self.at["keys"] + 8 * lo, 8 * count)
        if len(page) != 8 * count:
            raise SegmentCorrupt("segment file truncated")
        keys = memoryview(page).cast("Q") if _LITTLE else np.frombuffer(page, "<u8").tolist()
        i = bisect_left(keys, key)
        return lo + i if i < count and keys[i] == key else -1

    def _ranges(self, key: int) -> tuple[int, int, int, int]:
        """A key's slices ``[a, b)`` of the row postings and ``[c, d)`` of the positions (empty if absent)."""
        i = self._index(key)
        if i < 0:
            return 0, 0, 0, 0
        data = self.read(self.at["kofs"] + 16 * i, 32)
        if len(data) != 32:
            raise SegmentCorrupt("segment file truncated")
        a, c, b, d = _KOFS.unpack(data)
        return a, b, c, d

    def _posting(self, key: int) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.uint8]]:
        a, b, _c, _d = self._ranges(key)
        rows = self._array("<u4", self.at["prow"] + 4 * a, b - a)
        return rows, self._array("u1", self.at["ptf"] + a, b - a)

    def _positions(self, key: int) -> npt.NDArray[np.uint32]:
        """Sorted positions of a bigram in the segment's character stream (rows joined, a NUL after each)."""
        _a, _b, c, d = self._ranges(key)
        return self._array("<u4", self.at["bpos"] + 4 * c, d - c)

    def _counts(self, rows: npt.NDArray[np.uint32], needle: bytes) -> Counts:
        """How often ``needle`` occurs in each row (non-overlapping, as ``str.count``)."""
        starts = (self.off[rows] + np.uint64(self.at["text"])).tolist()
        sizes = (self.off[rows + 1] - self.off[rows] - np.uint64(1)).tolist()
        texts = map(self.read, starts, sizes)
        return np.fromiter(map(bytes.count, texts, repeat(needle)), dtype=np.int64, count=len(rows))

    def find(self, term: str) -> tuple[npt.NDArray[np.uint32], Counts]:
        """Rows (sorted) containing ``term`` and its count in each (non-overlapping, as ``str.count``)."""
        if len(term) == 1 or (len(term) == 2 and term[0] != term[1]):
            rows, tf = self._posting(gram_keys(term)[0])
            counts = tf.astype(np.int64)
            capped = np.flatnonzero(tf == _TF_CAP)
            if len(capped):
                counts[capped] = self._counts(rows[capped], term.encode("utf-8"))
            return rows, counts
        return self._find_positional(term)

    def _find_positional(self, term: str) -> tuple[npt.NDArray[np.uint32], Counts]:
        """A term of two equal or of three or more characters, from its bigrams' positions."""
        n = len(term)
        cps = [ord(c) for c in term]
        # Bigrams at 0, 2, 4 … and the last one cover every character of the term.  The set of
        # starts found does not depend on the order the lists are met in: rarest first, and a
        # list is read only once the ones before it leave candidates.
        lists = []
        for o in sorted({*range(0, n - 1, 2), n - 2}):
            _a, _b, c, d = self._ranges((cps[o] << 21) | cps[o + 1])
            if d == c:
                return _NO_ROWS, np.zeros(0, np.int64)
            lists.append((d - c, c, o))
        lists.sort()
        size, c, o0 = lists[0]
        first = self._array("<u4", self.at["bpos"] + 4 * c, size)
        starts = first[first >= o0] - np.uint32(o0) if o0 else first
        for k, (size, c, o) in enumerate(lists[1:], 1):
            if not len(starts):
                return _NO_ROWS, np.zeros(0, np.int64)
            if len(starts) * _VERIFY_RATIO < sum(s for s, _c, _o in lists[k:]):
                # Few candidates left against long lists: reading the candidates' rows is cheaper.
                return self._verified(starts, term.encode("utf-8"))
            other = self._array("<u4", self.at["bpos"] + 4 * c, size)
            starts = _members(starts + np.uint32(o) if o else starts, other) - np.uint32(o)
        if not len(starts):
            return _NO_ROWS, np.zeros(0, np.int64)
        row_of = (np.searchsorted(self.cst, starts, side="right") - 1).astype(np.uint32)
        new_row = np.empty(len(row_of), dtype=bool)
        new_row[0] = True
        np.not_equal(row_of[1:], row_of[:-1], out=new_row[1:])
        firsts = np.flatnonzero(new_row)
        rows = row_of[firsts]
        counts = np.diff(np.append(firsts, len(row_of))).astype(np.int64)
        # Positions count overlapping matches (哈哈 twice in 哈哈哈); str.count does not.  Two
        # matches closer than the term's length overlap, hence share a row (rows end with a NUL).
        close = np.flatnonzero(np.diff(starts) < n)
        if len(close):
            redo = np.searchsorted(rows, distinct(row_of[close]))
            counts[redo] = self._counts(rows[redo], term.encode("utf-8"))
        return rows, counts

    def _verified(
        self, starts: npt.NDArray[np.uint32], needle: bytes
    ) -> tuple[npt.NDArray[np.uint32], Counts]:
        """The rows of candidate starts that contain ``needle``, and its count in each (from the text)."""
        rows = distinct(np.searchsorted(self.cst, starts, side="right") - 1).astype(np.uint32)
        counts = self._counts(rows, needle)
        keep = counts > 0
        return rows[keep], counts[keep]

    def close(self) -> None:
        """Close the file (a search still holding this segment then fails its reads)."""
        self.fh.close()
