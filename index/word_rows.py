"""Per-word postings of rows, written beside each Whoosh word segment: loose matching without reading words.

For every jieba word of a batch of rows, the rows holding it as a whole word
(a token of the row's joined words, :data:`~index.words.WORD_SEP`-separated)
are kept as sorted ``uint32`` numbers *local to the file*: a file lists its
documents (id, revision, rows) and numbers their rows in that order, so
Whoosh's merges of small segments and the snapshot's row shifts never touch
it.  A query maps a file's local rows to the snapshot's rows with one
``searchsorted`` over the file's document starts.

One file, ``words/rows-<seq>.wrw`` (``seq`` rising; for a document the
highest file holding it wins)::

    JSON header line   format, Whoosh segment id, documents, removed ids, bucket count, section offsets
    bucket table       per bucket (crc32(word) mod buckets): start, length, crc32 of its records
    records            per word: uint32 UTF-8 length, the word, postings offset, count, crc32
    postings           uint32 local rows, ascending, per word

A lookup is three ``pread`` calls (table entry, bucket, postings), each checked
(CRC), so nothing grows in memory with the library but the headers (a few
hundred bytes per document).  A file's rows are those of the Whoosh segment
written with it, in the same order, so its header also gives that segment's
docnum → (document, row) map without reading Whoosh's stored keys.

Words are numbered as :func:`encode_rows` has always numbered them (as each
row's *set* of words first yields them), so a file's bytes depend only on
its rows.  A writer that has counted the rows' words for their Whoosh
segment passes them on (``counted=``, a :class:`RowWords` from
:meth:`index.word_segments.RowCounts.row_words`) instead of having them
split and counted again; the file is the same.
"""

from __future__ import annotations

import contextlib
import json
import os
import struct
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np
import numpy.typing as npt

from index.store import StoreCorrupt, write_bytes_atomic
from index.words import WORD_SEP

ROWS_FORMAT = 1
PREFIX = "rows-"
SUFFIX = ".wrw"
"""Files ``rows-<seq>.wrw``, in the Whoosh word index's folder (wiped with it; Whoosh ignores them)."""
SMALL_FILE_ROWS = 5_000
"""A file of fewer rows is small (an added document's); more than :data:`MAX_SMALL_FILES` are merged."""
MAX_SMALL_FILES = 8

_ENTRY = struct.Struct("<QII")
"""A bucket table entry (records start, length, crc32) and a record's tail (postings offset, count, crc32)."""
_LEN = struct.Struct("<I")
_PREAD = hasattr(os, "pread")


class RowLike(Protocol):
    """What a segment writer has per row (:class:`index.word_segments.WordRow`)."""

    @property
    def doc(self) -> str:
        """The row's document id."""
        ...

    @property
    def fields(self) -> dict[str, str]:
        """Field name → the row's joined words."""
        ...


def rows_dir(words_dir: Path) -> Path:
    """The folder of a word index's row postings (the word index's own)."""
    return Path(words_dir)


def _seq_of(name: str) -> int | None:
    """The sequence number in a rows file's name, or ``None`` for any other file."""
    core = name[len(PREFIX) : -len(SUFFIX)]
    ok = name.startswith(PREFIX) and name.endswith(SUFFIX) and core.isdigit()
    return int(core) if ok else None


def _file_name(seq: int) -> str:
    return f"{PREFIX}{seq:08d}{SUFFIX}"


# ------------------------------------------------------------------ writing
def write_word_rows(
    words_dir: Path,
    rows: Sequence[RowLike],
    revisions: Mapping[str, str],
    segment_id: str | None = None,
    removed: Iterable[str] = (),
    *,
    counted: RowWords | None = None,
) -> None:
    """Write the postings of ``rows`` (one batch, documents' rows consecutive) as a new file.

    ``revisions`` gives each document's revision; ``removed`` documents lose
    the rows older files hold of them; ``segment_id`` names the Whoosh segment
    written from the same rows in the same order.  Small files are then merged.
    ``counted`` is the rows' words already counted (``RowCounts.row_words`` of
    :mod:`index.word_segments`); the file is the same either way.
    """
    folder = rows_dir(words_dir)
    folder.mkdir(parents=True, exist_ok=True)
    docs, joined = _batch(rows, revisions)
    gone = sorted(set(removed) - {d for d, _, _ in docs})
    if not docs and not gone:
        return
    if counted is None:
        data = encode_rows(docs, joined, gone, segment_id)
    else:
        data = encode_row_words(docs, counted, gone, segment_id)
    write_bytes_atomic(folder / _file_name(_next_seq(folder)), data)
    compact(words_dir)


def _staged_name(segment_id: str) -> str:
    # Not "<segment id>.<kind>": those files are the segment's own, moved into words/ as they are.
    return f"staged-rows-{segment_id}{SUFFIX}"


def _batch(
    rows: Sequence[RowLike], revisions: Mapping[str, str]
) -> tuple[list[tuple[str, str, int]], Iterator[str]]:
    """A batch's documents ``(id, revision, rows)`` (their rows consecutive) and each row's joined words."""
    docs: list[tuple[str, str, int]] = []
    for r in rows:
        if docs and docs[-1][0] == r.doc:
            docs[-1] = (r.doc, docs[-1][1], docs[-1][2] + 1)
        else:
            docs.append((r.doc, revisions[r.doc], 1))
    return docs, (WORD_SEP.join(v for v in r.fields.values() if v) for r in rows)


def stage_word_rows(
    incoming: Path,
    rows: Sequence[RowLike],
    revisions: Mapping[str, str],
    segment_id: str,
    *,
    counted: RowWords | None = None,
) -> None:
    """A worker's batch: its row postings written beside its staged segment, installed at its commit.

    ``counted``: as for :func:`write_word_rows`.
    """
    docs, joined = _batch(rows, revisions)
    if counted is None:
        data = encode_rows(docs, joined, [], segment_id)
    else:
        data = encode_row_words(docs, counted, [], segment_id)
    write_bytes_atomic(Path(incoming) / _staged_name(segment_id), data)


def install_staged_rows(incoming: Path, words_dir: Path, segment_id: str) -> None:
    """Move a staged batch's row postings in as the newest rows file (before its segment's commit)."""
    staged = Path(incoming) / _staged_name(segment_id)
    if not staged.is_file():
        return
    folder = rows_dir(words_dir)
    folder.mkdir(parents=True, exist_ok=True)
    os.replace(staged, folder / _file_name(_next_seq(folder)))


@dataclass(frozen=True)
class RowWords:
    """A batch's words numbered as in its rows file, and its (word, row) pairs (:func:`encode_rows`)."""

    words: list[str]
    """The words in file order: as each row's set of words first yields them."""
    keys: npt.NDArray[np.int64]
    """``word number * max(1, rows) + row`` of every (word, row) pair, ascending."""
    rows: int


def encode_rows(
    docs: list[tuple[str, str, int]], joined: Iterable[str], gone: list[str], segment_id: str | None
) -> bytes:
    """The on-disk form of a batch: documents ``(id, revision, rows)`` and each row's joined words."""
    return encode_row_words(docs, count_row_words(joined), gone, segment_id)


def count_row_words(joined: Iterable[str]) -> RowWords:
    """Each row's joined words counted: words numbered as each row's set of words first yields them."""
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__
    number = vocab.__getitem__
    ids = array("i")
    per_row: list[int] = []
    for text in joined:
        ws = set(text.split(WORD_SEP)) if text else set()
        ws.discard("")
        per_row.append(len(ws))
        ids.extend(map(number, ws))
    n = max(1, len(per_row))
    row_of = np.repeat(np.arange(len(per_row), dtype=np.int64), per_row)
    key = np.frombuffer(ids, dtype=np.int32).astype(np.int64) * n + row_of
    key.sort()
    return RowWords(list(vocab), key, len(per_row))


def encode_row_words(
    docs: list[tuple[str, str, int]], counted: RowWords, gone: list[str], segment_id: str | None
) -> bytes:
    """The on-disk form of a batch from its counted words (:func:`encode_rows` once they are counted)."""
    n_rows = sum(r for _, _, r in docs)
    if counted.rows != n_rows:
        raise ValueError("rows disagree with their documents")
    n = max(1, n_rows)
    key = counted.keys
    words = counted.words
    word_of = key // n
    postings = (key - word_of * n).astype("<u4").tobytes()
    starts = np.searchsorted(word_of, np.arange(len(words) + 1))
    buckets = 1 << max(0, (len(words) // 4).bit_length())
    encoded = [w.encode("utf-8") for w in words]
    bucket_of = np.fromiter(map(zlib.crc32, encoded), dtype=np.int64, count=len(encoded)) & (buckets - 1)
    header_probe: dict[str, object] = {
        "format": ROWS_FORMAT,
        "segment": segment_id,
        "docs": docs,
        "gone": gone,
        "buckets": buckets,
    }
    # Offsets are absolute, so the header (which holds them) is sized first with wide placeholders.
    head_len = len(_header(header_probe, 10**15, 10**15, 10**15, 10**15))
    table_at = head_len
    records_at = table_at + buckets * _ENTRY.size
    lens = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
    postings_at = records_at + int((lens + (_LEN.size + _ENTRY.size)).sum())
    records, table = _records(encoded, lens, bucket_of, buckets, starts, postings, records_at, postings_at)
    size = postings_at + len(postings)
    head = _header(header_probe, table_at, records_at, postings_at, size, head_len)
    assert len(head) == head_len
    return head + table + records + postings


def _records(
    encoded: list[bytes], lens: npt.NDArray[np.int64], bucket_of: npt.NDArray[np.int64], buckets: int,
    starts: npt.NDArray[np.int64], postings: bytes, records_at: int, postings_at: int,
) -> tuple[bytes, bytes]:  # fmt: skip
    """The records section (per bucket, its words in number order) and the bucket table, built at once."""
    v = len(encoded)
    order = np.argsort(bucket_of, kind="stable")
    rec_len = lens + (_LEN.size + _ENTRY.size)
    at = np.zeros(v, dtype=np.int64)  # each record's offset in the section
    at[order] = np.concatenate(([0], np.cumsum(rec_len[order])[:-1])).astype(np.int64)
    view = memoryview(postings)
    bounds = (4 * starts).tolist()
    crcs = [zlib.crc32(view[a:b]) for a, b in pairwise(bounds)]
    entries = np.zeros(v, dtype=[("len", "<u4"), ("at", "<u8"), ("n", "<u4"), ("crc", "<u4")])
    entries["len"] = lens
    entries["at"] = postings_at + 4 * starts[:-1]
    entries["n"] = np.diff(starts)
    entries["crc"] = np.asarray(crcs, dtype=np.uint32)
    raw = entries.view(np.uint8).reshape(v, 20)
    total = int(rec_len.sum())
    buf = np.zeros(total, dtype=np.uint8)
    buf[at[:, None] + np.arange(4)] = raw[:, :4]
    word_bytes = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    word_starts = np.concatenate(([0], np.cumsum(lens)[:-1])).astype(np.int64)
    buf[np.repeat(at + 4 - word_starts, lens) + np.arange(len(word_bytes))] = word_bytes
    buf[(at + 4 + lens)[:, None] + np.arange(16)] = raw[:, 4:]
    records = buf.tobytes()
    cuts = np.searchsorted(bucket_of[order], np.arange(buckets + 1))
    offs = np.append(at[order], total)[cuts].tolist()
    view = memoryview(records)
    table = np.zeros(buckets, dtype=[("at", "<u8"), ("len", "<u4"), ("crc", "<u4")])
    table["at"] = records_at + np.asarray(offs[:-1], dtype=np.int64)
    table["len"] = np.diff(offs)
    table["crc"] = np.asarray([zlib.crc32(view[a:b]) for a, b in pairwise(offs)], dtype=np.uint32)
    return records, table.tobytes()


def _header(
    probe: dict[str, object], table: int, records: int, postings: int, size: int, width: int = 0
) -> bytes:
    """The JSON header line (padded with spaces to ``width`` bytes, newline included)."""
    body = dict(probe, table=table, records=records, postings=postings, size=size)
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return text + b" " * max(0, width - len(text) - 1) + b"\n"


def _next_seq(folder: Path) -> int:
    seqs = [_seq_of(name) for name in os.listdir(folder)]
    return max((q for q in seqs if q is not None), default=0) + 1


# ------------------------------------------------------------------ reading
@dataclass
class RowsFile:
    """One file's header: its documents and where its sections are."""

    path: Path
    seq: int
    segment: str | None
    docs: list[tuple[str, str, int]]
    gone: list[str]
    buckets: int
    table: int
    records: int
    postings: int
    size: int
    starts: npt.NDArray[np.int64] = field(init=False)
    """Each document's first local row, plus the file's row count."""

    def __post_init__(self) -> None:
        counts = np.fromiter((r for _, _, r in self.docs), dtype=np.int64, count=len(self.docs))
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)

    @property
    def rows(self) -> int:
        """Rows in the file."""
        return int(self.starts[-1])

    @classmethod
    def open(cls, path: Path) -> RowsFile:
        """Read and check a file's header (raises :class:`StoreCorrupt` or ``OSError``)."""
        with open(path, "rb") as fh:
            line = fh.readline(1 << 26)
            size = os.fstat(fh.fileno()).st_size
        try:
            h = json.loads(line)
            docs = [(str(d), str(r), int(n)) for d, r, n in h["docs"]]
            seq = _seq_of(path.name)
            if seq is None:
                raise ValueError(path.name)
            nums = [int(h[k]) for k in ("buckets", "table", "records", "postings", "size")]
            f = cls(path, seq, h["segment"], docs, [str(g) for g in h["gone"]], *nums)
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreCorrupt(f"unreadable word rows file ({type(exc).__name__})") from exc
        if h["format"] != ROWS_FORMAT or f.size != size or f.table != len(line) or f.buckets < 1:
            raise StoreCorrupt("word rows file truncated or foreign")
        if f.records != f.table + f.buckets * _ENTRY.size or not f.records <= f.postings <= f.size:
            raise StoreCorrupt("word rows file sections disagree")
        if (f.size - f.postings) % 4 or min((n for _, _, n in docs), default=1) < 1:
            raise StoreCorrupt("word rows file sections disagree")
        return f

    def lookup(self, fh: BinaryIO, words: list[bytes]) -> list[npt.NDArray[np.uint32]]:
        """Per word (UTF-8), its local rows; raises :class:`StoreCorrupt` when a checked part disagrees."""
        out = []
        for w in words:
            b = zlib.crc32(w) & (self.buckets - 1)
            entry = _read(fh, _ENTRY.size, self.table + b * _ENTRY.size)
            if len(entry) != _ENTRY.size:
                raise StoreCorrupt("word rows file truncated")
            at, n, crc = _ENTRY.unpack(entry)
            rec = _read(fh, n, at) if n else b""
            if (
                len(rec) != n
                or zlib.crc32(rec) != crc
                or not (self.records <= at and at + n <= self.postings)
            ):
                raise StoreCorrupt("word rows bucket damaged")
            try:
                out.append(self._postings(fh, rec, w))
            except struct.error as exc:
                raise StoreCorrupt("word rows bucket damaged") from exc
        return out

    def _postings(self, fh: BinaryIO, rec: bytes, word: bytes) -> npt.NDArray[np.uint32]:
        pos = 0
        while pos < len(rec):
            (k,) = _LEN.unpack_from(rec, pos)
            pos += _LEN.size
            here = rec[pos : pos + k]
            pos += k
            at, n, crc = _ENTRY.unpack_from(rec, pos)
            pos += _ENTRY.size
            if here != word:
                continue
            blob = _read(fh, 4 * n, at)
            if len(blob) != 4 * n or zlib.crc32(blob) != crc:
                raise StoreCorrupt("word rows postings damaged")
            rows = np.frombuffer(blob, dtype="<u4")
            if n and (int(rows[-1]) >= self.rows or (n > 1 and not bool((rows[1:] > rows[:-1]).all()))):
                raise StoreCorrupt("word rows postings disagree")
            return rows
        if pos != len(rec):
            raise StoreCorrupt("word rows bucket damaged")
        return np.zeros(0, dtype="<u4")

    def verify(self) -> None:
        """Read the whole file and check every bucket and postings list (raises :class:`StoreCorrupt`)."""
        data = self.path.read_bytes()
        if len(data) != self.size:
            raise StoreCorrupt("word rows file truncated")
        for b in range(self.buckets):
            at, n, crc = _ENTRY.unpack_from(data, self.table + b * _ENTRY.size)
            rec = data[at : at + n]
            if zlib.crc32(rec) != crc:
                raise StoreCorrupt("word rows bucket damaged")
            pos = 0
            while pos < len(rec):
                (k,) = _LEN.unpack_from(rec, pos)
                pos += _LEN.size + k
                p, c, pc = _ENTRY.unpack_from(rec, pos)
                pos += _ENTRY.size
                if zlib.crc32(data[p : p + 4 * c]) != pc:
                    raise StoreCorrupt("word rows postings damaged")


def _read(fh: BinaryIO, n: int, at: int) -> bytes:
    """``n`` bytes at ``at`` (``pread`` where there is one; the file object is this thread's own)."""
    if _PREAD:
        return os.pread(fh.fileno(), n, at)
    fh.seek(at)
    return fh.read(n)


def list_files(folder: Path, problems: list[str] | None = None) -> list[RowsFile]:
    """The folder's files in ``seq`` order; unreadable ones are set aside (renamed ``.bad``) and reported."""
    out = []
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    for name in names:
        if _seq_of(name) is None:
            continue
        path = folder / name
        try:
            out.append(RowsFile.open(path))
        except FileNotFoundError:
            continue  # merged away meanwhile
        except (OSError, StoreCorrupt) as exc:
            set_aside(path)
            if problems is not None:
                problems.append(f"word rows file {name} unusable: {exc}")
    out.sort(key=lambda f: f.seq)
    return out


def set_aside(path: Path) -> None:
    """Rename a damaged file so it is never read again (kept for inspection)."""
    with contextlib.suppress(OSError):
        os.replace(path, path.with_name(path.name + ".bad"))


def newest(files: list[RowsFile]) -> dict[str, tuple[int, int]]:
    """Per document, the (file index, document index there) of the newest file naming it (``-1``: removed)."""
    out: dict[str, tuple[int, int]] = {}
    for i, f in enumerate(files):
        for k, (doc, _, _) in enumerate(f.docs):
            out[doc] = (i, k)
        for doc in f.gone:
            out[doc] = (i, -1)
    return out


def compact(words_dir: Path) -> None:
    """Delete files holding nothing newest; merge the small ones when there are more than a few."""
    folder = rows_dir(words_dir)
    files = list_files(folder)
    latest = newest(files)
    named: dict[str, list[int]] = {}
    for i, f in enumerate(files):
        for doc, _, _ in f.docs:
            named.setdefault(doc, []).append(i)
    kept: list[tuple[RowsFile, set[int], list[str]]] = []
    for i, f in enumerate(files):
        live = {k for k, (doc, _, _) in enumerate(f.docs) if latest[doc] == (i, k)}
        # A removal matters while an older file still holds rows of that document.
        gone = [g for g in f.gone if latest[g] == (i, -1) and min(named.get(g, [i])) < i]
        if live or gone:
            kept.append((f, live, gone))
        else:
            _unlink(f.path)
    small = [item for item in kept if item[0].rows < SMALL_FILE_ROWS]
    if len(small) <= MAX_SMALL_FILES:
        return
    docs: list[tuple[str, str, int]] = []
    joined: list[str] = []
    removed: list[str] = []
    for f, live, gone in small:
        words = _file_words(f, live)
        for k in sorted(live):
            docs.append(f.docs[k])
            joined.extend(words[k])
        removed.extend(gone)
    # Written before the small files go: a crash between leaves duplicates, and the newest file wins.
    write_bytes_atomic(
        folder / _file_name(_next_seq(folder)), encode_rows(docs, joined, sorted(set(removed)), None)
    )
    for f, _, _ in small:
        _unlink(f.path)


def _file_words(f: RowsFile, keep: set[int]) -> dict[int, list[str]]:
    """The joined words of some documents' rows of a file, rebuilt from its postings (small files only)."""
    data = f.path.read_bytes()
    tokens: list[list[str]] = [[] for _ in range(f.rows)]
    pos = f.records
    while pos < f.postings:
        (k,) = _LEN.unpack_from(data, pos)
        word = data[pos + _LEN.size : pos + _LEN.size + k].decode("utf-8")
        pos += _LEN.size + k
        at, n, _ = _ENTRY.unpack_from(data, pos)
        pos += _ENTRY.size
        for r in np.frombuffer(data[at : at + 4 * n], dtype="<u4").tolist():
            tokens[r].append(word)
    out = {}
    for k in keep:
        a, b = int(f.starts[k]), int(f.starts[k + 1])
        # Postings hold each row's set of words, which is all a whole-word test reads.
        out[k] = [WORD_SEP.join(sorted(t)) for t in tokens[a:b]]
    return out


def _unlink(path: Path) -> None:
    # On Windows a reader may hold it open: a later compaction removes it.
    with contextlib.suppress(OSError):
        path.unlink()
