"""The exact-match store: every block's original and normalised text, in memory and on disk.

Exact containment is the recall guarantee, so it is answered by scanning
normalised text, not by an inverted index.  All normalised blocks of the
library are joined into one string with a separator that normalisation never
produces; ``str.find`` runs over it at C speed and a bisect maps each hit back
to its block.

On disk each document is one file: a JSON header line (block ids, kinds,
numbers, paths, text lengths, a CRC of the body) followed by the original texts
and then the normalised texts, concatenated.  A cold start decodes these files
instead of normalising the library again.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import compress, repeat
from pathlib import Path

from index.normalize import SEPARATOR, Normalizer
from index.types import TITLE_BLOCK, IndexDoc
from index.words import WORD_SEP

STORE_FORMAT = 1

BM25_K1 = 1.2
BM25_B = 0.75

_DENSE_PROBE = 256
"""After this many hits, a term hitting more than one row in ``_DENSE_RATIO`` switches to a per-row scan."""
_DENSE_RATIO = 6

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
    words: list[str] | None = None
    """Per row, its words as :func:`wrap_words` gives them; ``None`` until loaded."""

    @classmethod
    def from_index_doc(cls, doc: IndexDoc, normalizer: Normalizer) -> StoredDoc:
        """Normalise a document's blocks (and its title) into rows."""
        blocks = doc.blocks
        origs = [_clean(doc.title), *(_clean(b.text) for b in blocks)]
        return cls(
            doc_id=doc.doc_id,
            title=doc.title,
            symbol=doc.symbol,
            revision=doc.revision,
            block_ids=[TITLE_BLOCK, *(b.block_id for b in blocks)],
            kinds=["title", *(b.kind for b in blocks)],
            numbers=[None, *(b.number for b in blocks)],
            paths=[(), *(tuple(b.path) for b in blocks)],
            origs=origs,
            norms=[normalizer.normalize(t) for t in origs],
        )

    def encode(self) -> bytes:
        """The on-disk form."""
        body = ("".join(self.origs) + "".join(self.norms)).encode("utf-8")
        header = {
            "format": STORE_FORMAT,
            "doc_id": self.doc_id,
            "title": self.title,
            "symbol": self.symbol,
            "revision": self.revision,
            "ids": self.block_ids,
            "kinds": self.kinds,
            "numbers": self.numbers,
            "paths": [list(p) for p in self.paths],
            "olen": [len(t) for t in self.origs],
            "nlen": [len(t) for t in self.norms],
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


WORDS_FORMAT = 1


def words_file_name(doc_id: str) -> str:
    """File name of a document's words file (beside its store file)."""
    return store_file_name(doc_id)[: -len(".blk")] + ".wds"


def wrap_words(joined: str) -> str:
    """A row's joined words with the separator at both ends, so ``SEP+w+SEP in row`` tests a whole word."""
    return WORD_SEP + joined + WORD_SEP


def encode_words(doc: StoredDoc, joined: list[str]) -> bytes:
    """The on-disk form of a document's rows' words (each as :func:`index.words.joined_words`)."""
    body = "".join(joined).encode("utf-8")
    header = {
        "format": WORDS_FORMAT,
        "doc_id": doc.doc_id,
        "revision": doc.revision,
        "lens": [len(t) for t in joined],
        "bytes": len(body),
        "crc": zlib.crc32(body),
    }
    return json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n" + body


def read_words_file(path: Path, doc: StoredDoc) -> list[str]:
    """A document's wrapped row words from disk; raises :class:`StoreCorrupt` or ``OSError``."""
    data = path.read_bytes()
    try:
        nl = data.index(b"\n")
        header = json.loads(data[:nl])
        body = data[nl + 1 :]
        if header["format"] != WORDS_FORMAT or len(body) != header["bytes"]:
            raise StoreCorrupt("words file truncated or foreign")
        if zlib.crc32(body) != header["crc"]:
            raise StoreCorrupt("words file truncated or damaged")
        if header["doc_id"] != doc.doc_id or header["revision"] != doc.revision:
            raise StoreCorrupt("words file belongs to another document or revision")
        text = body.decode("utf-8")
        lens: list[int] = header["lens"]
        rows, pos = _slices(text, lens, 0)
        if pos != len(text) or len(rows) != len(doc.norms):
            raise StoreCorrupt("words file lengths disagree")
    except StoreCorrupt:
        raise
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise StoreCorrupt(f"unreadable words file ({type(exc).__name__})") from exc
    return [wrap_words(r) for r in rows]


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
class Snapshot:
    """An immutable view of all rows, rebuilt after each change; searches read one snapshot.

    Attributes:
        docs: Documents in row order.
        doc_start: First row of each document, plus a final entry = row count.
        norms: Normalised text per row.
        big: All normalised rows joined with the separator.
        starts: Offset of each row in ``big``.
        lens: Normalised length per row.
        weights: Kind weight per row.
        avg_len: Mean normalised row length.
        denom: Per row, BM25's length normalisation ``k1·(1−b+b·len/avg_len)``.
        body: Per row, 1 unless the row is a document title (plain searches skip titles).
        head: Per row, 1 for titles and headings (``in:title`` searches).
    """

    docs: list[StoredDoc] = field(default_factory=list)
    doc_start: list[int] = field(default_factory=lambda: [0])
    norms: list[str] = field(default_factory=list)
    big: str = ""
    starts: array[int] = field(default_factory=lambda: array("q"))
    lens: array[int] = field(default_factory=lambda: array("l"))
    weights: list[float] = field(default_factory=list)
    avg_len: float = 1.0
    by_id: dict[str, int] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    keys: dict[str, int] | None = None
    words: list[str] | None = None
    denom: list[float] = field(default_factory=list)
    body: bytearray = field(default_factory=bytearray)
    head: bytearray = field(default_factory=bytearray)

    @classmethod
    def build(cls, docs: Iterable[StoredDoc]) -> Snapshot:
        """Join the documents' rows."""
        snap = cls()
        snap.docs = list(docs)
        norms: list[str] = []
        kinds: list[str] = []
        for i, d in enumerate(snap.docs):
            snap.by_id[d.doc_id] = i
            norms.extend(d.norms)
            kinds.extend(d.kinds)
            snap.doc_start.append(len(norms))
        snap.norms = norms
        snap.kinds = kinds
        snap.big = SEPARATOR.join(norms)
        lens = array("l", map(len, norms))
        starts = array("q", [0]) * len(norms)
        pos = 0
        for i, n in enumerate(lens):
            starts[i] = pos
            pos += n + 1
        snap.starts = starts
        snap.lens = lens
        snap.weights = [KIND_WEIGHT.get(k, 1.0) for k in kinds]
        snap.avg_len = avg = (sum(lens) / len(lens)) if lens else 1.0
        # Per-query ranking reads these by row instead of recomputing them per hit.
        k1, b = BM25_K1, BM25_B
        snap.denom = [k1 * (1 - b + b * n / avg) for n in lens]
        snap.body = bytearray([1]) * len(norms)
        for start in snap.doc_start[:-1]:
            if start < len(norms):
                snap.body[start] = 0
        snap.head = bytearray(k in ("title", "heading") for k in kinds)
        return snap

    @property
    def rows(self) -> int:
        """Number of rows."""
        return len(self.norms)

    def locate(self, row: int) -> tuple[StoredDoc, int]:
        """The document of a row and the row's index within it."""
        d = bisect_right(self.doc_start, row) - 1
        return self.docs[d], row - self.doc_start[d]

    def doc_rows(self, doc_index: int) -> range:
        """Rows of one document."""
        return range(self.doc_start[doc_index], self.doc_start[doc_index + 1])

    def find_rows(self, needle: str, lo: int = 0, hi: int | None = None) -> list[int]:
        """Rows in ``[lo, hi)`` whose normalised text contains ``needle``, in order.

        ``str.find`` over the joined text costs one Python step per matching
        row; when a term turns out to hit a large share of the rows (``的``),
        the rest of the range is scanned row by row with ``in`` mapped in C,
        which costs less per row than a Python step per hit.
        """
        if hi is None:
            hi = self.rows
        if lo >= hi or not needle:
            return []
        big, starts, find = self.big, self.starts, self.big.find
        begin = starts[lo]
        end = starts[hi - 1] + self.lens[hi - 1]
        out: list[int] = []
        append = out.append
        pos = find(needle, begin, end)
        while pos != -1:
            row = bisect_right(starts, pos, lo, hi) - 1
            append(row)
            if row + 1 >= hi:
                break
            if len(out) == _DENSE_PROBE and (row + 1 - lo) < _DENSE_PROBE * _DENSE_RATIO:
                rest = self.norms[row + 1 : hi]
                out.extend(compress(range(row + 1, hi), map(str.__contains__, rest, repeat(needle))))
                break
            pos = find(needle, starts[row + 1], end)
        del big
        return out

    def iter_docs(self) -> Iterator[tuple[int, StoredDoc]]:
        """Documents with their index."""
        return enumerate(self.docs)
