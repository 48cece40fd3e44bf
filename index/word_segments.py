"""Whoosh segments written from pre-segmented rows, without Whoosh's per-posting writer.

Whoosh's ``SegmentWriter`` analyses every row again, puts every posting in a
sorting pool as a tuple, and at commit feeds them one by one to the codec,
reading each posting's field length back from the file it has just written:
~5 µs of Python per posting, ~80% of the word index's build time.  Here the
rows arrive as word lists; the postings of a batch are counted and sorted by
numpy (term, then document), and Whoosh's own codec objects are given one
*block* (up to 128 postings) at a time.  The files are Whoosh's own format
written by Whoosh's own code, with the same postings, weights, lengths and
statistics as ``SegmentWriter`` produces for the same rows (a test compares
both indexes term by term and score by score), so Whoosh's BM25F is unchanged.

Only the field types of our schema are handled: ``TEXT`` with the
``Frequency`` format (``phrase=False``), ``ID`` (``Existence``) and stored
fields; anything else raises :class:`ValueError`.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import sub as _sub
from pickle import dumps

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC as _MAGIC
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.system import pack_int as _pack_int
from whoosh.system import pack_long as _pack_long
from whoosh.system import pack_ushort as _pack_ushort
from whoosh.util.numeric import length_to_byte as _len_byte

from index.words import WORD_SEP, Whoosh

_TERM_PACK = W3TermInfo._struct.pack


@dataclass(frozen=True)
class WordRow:
    """One row of the word index: its Whoosh key, its document and its joined words per text field."""

    key: str
    doc: str
    fields: dict[str, str]
    """Text field name → the row's words joined with :data:`~index.words.WORD_SEP`."""


_COMPRESSION = 3
"""zlib level of Whoosh's postings blocks (its codec's default)."""
_RAW_BELOW = 16
"""Blocks of fewer postings are stored uncompressed (zlib's set-up, ~15 µs, dwarfs them)."""


def write_segment(ix: Whoosh, rows: Sequence[WordRow], *, small_raw: bool = True) -> Whoosh:
    """Write ``rows`` as a new segment in ``ix``'s storage and return it (not yet in the index's TOC).

    The caller adds the segment to the index under Whoosh's write lock
    (:func:`commit_segments`).  Documents are numbered in the order given.
    With ``small_raw`` false the files are byte for byte those of Whoosh's
    ``SegmentWriter``; with it, blocks of a few postings are not compressed
    (each block records its compression, so Whoosh reads both alike).
    """
    from whoosh import formats
    from whoosh.codec import default_codec

    schema = ix.schema
    codec = default_codec()
    seg = codec.new_segment(ix.storage, ix.indexname)
    names = sorted(schema.names())
    texts = {}
    for name in names:
        field = schema[name]
        if field.indexed and isinstance(field.format, formats.Frequency):
            if field.vector or field.separate_spelling() or field.column_type:
                raise ValueError(f"field {name!r}: vectors, spelling and columns are not supported")
            texts[name] = field
        elif field.indexed and not isinstance(field.format, formats.Existence):
            raise ValueError(f"field {name!r}: format {type(field.format).__name__} not supported")
    counted = {name: _Counted.of(r.fields.get(name, "") for r in rows) for name in texts}
    _write_per_doc(codec, ix, seg, schema, names, rows, counted, small_raw)
    fw = codec.field_writer(ix.storage, seg)
    try:
        for name in names:
            field = schema[name]
            if not field.indexed:
                continue
            if name in counted:
                _write_text_field(fw, name, field, counted[name], small_raw)
            else:
                values = [r.key if name == "key" else r.doc for r in rows] if name in ("key", "doc") else None
                if values is None:
                    raise ValueError(f"field {name!r} has no value in a word row")
                _write_id_field(fw, name, field, values, small_raw)
    finally:
        fw.close()
    seg.set_doc_count(len(rows))
    return seg


class _Counted:
    """A text field's postings over a batch: terms sorted by UTF-8 bytes, each with docs and frequencies."""

    def __init__(
        self, terms: list[str], starts: list[int], docs: list[int], freqs: list[int], lengths: list[int]
    ) -> None:
        self.terms, self.starts, self.docs, self.freqs, self.lengths = terms, starts, docs, freqs, lengths

    @classmethod
    def of(cls, joined: Iterable[str]) -> _Counted:
        """Count each row's words (joined with ``WORD_SEP``; empty words dropped, as the analyzer does)."""
        # A new word is numbered by the vocabulary's size, all in C (``map`` over a defaultdict).
        vocab: defaultdict[str, int] = defaultdict()
        vocab.default_factory = vocab.__len__
        number = vocab.__getitem__
        ids = array("i")
        lengths: list[int] = []
        for text in joined:
            ws = text.split(WORD_SEP) if text else []
            if "" in ws:
                ws = [w for w in ws if w]
            lengths.append(len(ws))
            ids.extend(map(number, ws))
        if not vocab:
            return cls([], [0], [], [], lengths)
        first_seen = list(vocab)
        # Code-point order is UTF-8 byte order, the order of Whoosh's term table.
        order = sorted(range(len(first_seen)), key=first_seen.__getitem__)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64)
        n = len(lengths)
        docnum = np.repeat(np.arange(n, dtype=np.int64), lengths)
        pairs, freqs = np.unique(rank[np.frombuffer(ids, dtype=np.int32)] * n + docnum, return_counts=True)
        starts = np.searchsorted(pairs // n, np.arange(len(order) + 1)).tolist()
        terms = [first_seen[i] for i in order]
        return cls(terms, starts, (pairs % n).tolist(), freqs.tolist(), lengths)


def _write_per_doc(
    codec: Whoosh, ix: Whoosh, seg: Whoosh, schema: Whoosh, names: list[str],
    rows: Sequence[WordRow], counted: dict[str, _Counted], small_raw: bool,
) -> None:  # fmt: skip
    """Stored fields and field lengths: the column files ``SegmentWriter.add_document`` gives, in bulk.

    Whoosh's per-document writer takes each row's fields one call at a time
    (and zlib-compresses each row's stored fields alone); here each column's
    bytes are made at once and handed to Whoosh's column writers, which
    finish and save them as their own.  With ``small_raw`` a row's stored
    fields are a zlib stream of one *stored* block (each is ~30 bytes, which
    deflate cannot shrink; zlib reads both alike).
    """
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
    from whoosh.util.numeric import length_to_byte

    pdw = codec.per_document_writer(ix.storage, seg)
    n = len(rows)
    stored = [name for name in names if schema[name].stored]
    for name in stored:
        if name not in counted and name not in ("key", "doc"):
            raise ValueError(f"field {name!r} has no value in a word row")
    if stored == ["key"]:
        pickles = [dumps({"key": r.key}, 2) for r in rows]
    else:
        pickles = [dumps({m: _stored_value(r, m, m in counted) for m in stored}, 2) for r in rows]
    column = pdw._colwriters["_stored"]._child  # PickleColumn → CompressedBytesColumn writer
    if small_raw:
        values = list(map(_zlib_stored, pickles))
    else:
        compress, level = column._compress, column._level
        values = [compress(p, level) for p in pickles]
    lengths = list(map(len, values))
    column._dbfile.write(b"".join(values))
    column._lengths.array = _smallest_array(lengths)
    column._offsets.array = _smallest_array(list(accumulate(lengths, initial=0))[:-1])
    column._offset_base = sum(lengths)
    column._count = n
    for name in names:
        if name not in counted or not schema[name].scorable:
            continue
        lens = counted[name].lengths
        top = max(lens, default=0)
        to_byte = [length_to_byte(k) for k in range(top + 1)]
        # A row of no words adds no byte: the column ends at the last row that has some.
        data = bytes(map(to_byte.__getitem__, lens)).rstrip(b"\0")
        if data:
            pdw._create_column(_lenfield(name), LENGTHS_COLUMN)
            writer = pdw._colwriters[_lenfield(name)]
            writer._dbfile.write(data)
            writer._count = len(data)
            pdw._fieldlengths[name] += sum(lens)
    pdw._doccount = n
    pdw.close()


def _stored_value(row: WordRow, name: str, text: bool) -> str:
    return "" if text else row.key if name == "key" else row.doc


def _smallest_array(values: list[int]) -> array[int]:
    """``values`` as Whoosh's ``GrowableArray`` ends up holding them (the smallest type, from bytes up)."""
    top = max(values, default=0)
    code = "B" if top < 2**8 else "H" if top < 2**16 else "i" if top < 2**31 else "I"
    return array(code, values)


def _zlib_stored(data: bytes) -> bytes:
    """A zlib stream holding ``data`` in one stored (uncompressed) deflate block (if under 64 KiB)."""
    n = len(data)
    if n > 0xFFFF:
        return zlib.compress(data, 1)
    return b"\x78\x01\x01" + _STORED_HEAD(n, n ^ 0xFFFF) + data + _ADLER(zlib.adler32(data))


_STORED_HEAD = struct.Struct("<HH").pack
_ADLER = struct.Struct(">I").pack


def _blocks(fw: Whoosh, btext: bytes, ids: list[int], weights: list[float], values: bytes | None,
            lengths: list[int] | None, small_raw: bool) -> None:  # fmt: skip
    """One term's postings, written as Whoosh's postings writer writes them, a block at a time."""
    limit = fw._codec._blocklimit
    if len(ids) <= limit:
        _one_block(fw, btext, ids, weights, values, lengths, small_raw)
        return
    postfile = fw._postfile.file
    start = postfile.tell()
    info = W3TermInfo()
    n = len(ids)
    out = [_MAGIC]
    for at in range(0, n, limit):
        end = min(at + limit, n)
        blk = _Block(ids[at:end], weights[at:end], lengths[at:end] if lengths is not None else None)
        info.add_block(blk)
        data = dumps(
            (blk.deltas(), blk.mini_weights(), values[at * 4 : end * 4] if values is not None else None), 2
        )
        comp = 0 if small_raw and end - at < _RAW_BELOW else _COMPRESSION
        if comp:
            data = zlib.compress(data, comp)
        head = dumps(
            (end - at, blk.ids[-1], blk.maxweight, comp, _len_byte(blk.minlength), _len_byte(blk.maxlength)),
            2,
        )
        size = len(head) + len(data)
        out += (_pack_int(-size if end == n else size), head, data)
    postfile.write(b"".join(out))
    info.set_extent(start, postfile.tell() - start)
    fw._tindex.add(_pack_ushort(fw._fieldid) + btext, info.to_bytes())


class _Block:
    """One block of a posting list with the statistics ``W3TermInfo.add_block`` reads from Whoosh's writer."""

    def __init__(self, ids: list[int], weights: list[float], lengths: list[int] | None) -> None:
        self.ids = ids
        self._weights = array("f", weights)
        self.maxweight = max(0, max(weights))
        # Whoosh skips zero lengths; with no lengths (an ID field) its minimum stays None.
        self.minlength = min(lengths) if lengths is not None else None
        self.maxlength = max(lengths) if lengths is not None else 0

    def __len__(self) -> int:
        return len(self.ids)

    def deltas(self) -> tuple[int, ...]:
        ids = self.ids
        return (ids[0], *map(_sub, ids[1:], ids))

    def mini_weights(self) -> object:
        w = self._weights
        if all(x == 1.0 for x in w):
            return None
        return w[0] if w.count(w[0]) == len(w) else tuple(w)

    def min_id(self) -> int:
        return self.ids[0]

    def max_id(self) -> int:
        return self.ids[-1]

    def min_length(self) -> int | None:
        return self.minlength

    def max_length(self) -> int:
        return self.maxlength

    def max_weight(self) -> float:
        return self.maxweight


def _one_block(fw: Whoosh, btext: bytes, ids: list[int], weights: list[float], values: bytes | None,
               lengths: list[int] | None, small_raw: bool) -> None:  # fmt: skip
    """A term of one block: the bytes ``start_term``/``add``/``finish_term`` write, without their calls.

    Mirrors ``W3PostingsWriter._write_block(last=True)`` and ``W3TermInfo.to_bytes``
    step by step (a test checks the files are byte-identical to Whoosh's).
    """
    postfile = fw._postfile.file  # the raw file under Whoosh's StructFile wrapper
    start = postfile.tell()
    n = len(ids)
    if n == 1:
        deltas: tuple[int, ...] = (ids[0],)
        w = weights[0]
        mini_w: object = None if w == 1.0 else float(w)
        wsum = w
    else:
        deltas = (ids[0], *map(_sub, ids[1:], ids))
        w32 = array("f", weights)
        w0 = w32[0]
        mini_w = (None if w0 == 1.0 else w0) if w32.count(w0) == n else tuple(w32)
        wsum = sum(w32)
    maxweight = max(0, max(weights))
    data = dumps((deltas, mini_w, values), 2)
    comp = 0 if small_raw and n < _RAW_BELOW else _COMPRESSION
    if comp:
        data = zlib.compress(data, comp)
    if lengths is None:
        minb = maxb = 0
    else:
        minb, maxb = _len_byte(min(lengths)), _len_byte(max(lengths))
    info = dumps((n, ids[-1], maxweight, comp, minb, maxb), 2)
    postfile.write(b"".join((_MAGIC, _pack_int(-(len(info) + len(data))), info, data)))
    term = _TERM_PACK(False, 0 + wsum, n, minb, maxb, maxweight, ids[0], ids[-1])
    extent = _pack_long(start) + _pack_int(postfile.tell() - start)
    fw._tindex.add(_pack_ushort(fw._fieldid) + btext, term + extent)


def _write_text_field(fw: Whoosh, name: str, field: Whoosh, c: _Counted, small_raw: bool) -> None:
    from whoosh.util.numeric import byte_to_length, length_to_byte

    if not c.terms:
        return
    fb = field.format.field_boost
    # The codec is given each posting's length as read back from the length byte (lossy above 10).
    decoded = [byte_to_length(length_to_byte(n)) if n else 0 for n in c.lengths]
    weights = [f * fb for f in c.freqs]
    values = struct.pack(f">{len(c.freqs)}I", *c.freqs)
    doc_lengths = [decoded[d] for d in c.docs]
    fw.start_field(name, field)
    _write_terms(fw, [t.encode("utf-8") for t in c.terms], c.starts, c.docs, weights, values, doc_lengths,
                 small_raw)  # fmt: skip
    fw.finish_field()


def _write_terms(
    fw: Whoosh, btexts: list[bytes], starts: list[int], docs: list[int], weights: list[float],
    values: bytes, lengths: list[int], small_raw: bool,
) -> None:  # fmt: skip
    """A text field's terms (``btexts[k]`` has the postings ``starts[k]:starts[k + 1]``), in order.

    A term of one block (nearly all of them) is made as :func:`_one_block`
    makes it, but the postings and term-table records of many terms go to
    their files in one write each (:func:`_add_terms`); a longer term is
    written by :func:`_blocks`.
    """
    limit = fw._codec._blocklimit
    post = fw._postfile.file  # the raw file under Whoosh's StructFile wrapper
    prefix = _pack_ushort(fw._fieldid)
    raw_below = _RAW_BELOW if small_raw else 0
    chunks: list[bytes] = []
    keys: list[bytes] = []
    infos: list[bytes] = []
    pos = post.tell()
    for k, btext in enumerate(btexts):
        s, e = starts[k], starts[k + 1]
        n = e - s
        if n > limit:
            post.write(b"".join(chunks))
            _add_terms(fw._tindex, keys, infos)
            chunks, keys, infos = [], [], []
            _blocks(fw, btext, docs[s:e], weights[s:e], values[s * 4 : e * 4], lengths[s:e], small_raw)
            pos = post.tell()
            continue
        if n == 1:
            first = last = docs[s]
            deltas: tuple[int, ...] = (first,)
            w = weights[s]
            mini_w: object = None if w == 1.0 else float(w)
            wsum = maxweight = w
            if maxweight < 0:
                maxweight = 0
            minb = maxb = _len_byte(lengths[s])
        else:
            ids = docs[s:e]
            first, last = ids[0], ids[-1]
            deltas = (first, *map(_sub, ids[1:], ids))
            ws = weights[s:e]
            w32 = array("f", ws)
            w0 = w32[0]
            mini_w = (None if w0 == 1.0 else w0) if w32.count(w0) == n else tuple(w32)
            wsum = sum(w32)
            maxweight = max(0, max(ws))
            ls = lengths[s:e]
            minb, maxb = _len_byte(min(ls)), _len_byte(max(ls))
        data = dumps((deltas, mini_w, values[s * 4 : e * 4]), 2)
        comp = 0 if n < raw_below else _COMPRESSION
        if comp:
            data = zlib.compress(data, comp)
        info = dumps((n, last, maxweight, comp, minb, maxb), 2)
        block = b"".join((_MAGIC, _pack_int(-(len(info) + len(data))), info, data))
        chunks.append(block)
        keys.append(prefix + btext)
        infos.append(_TERM_PACK(False, 0 + wsum, n, minb, maxb, maxweight, first, last)
                     + _pack_long(pos) + _pack_int(len(block)))  # fmt: skip
        pos += len(block)
    post.write(b"".join(chunks))
    _add_terms(fw._tindex, keys, infos)


def _add_terms(tindex: Whoosh, keys: list[bytes], values: list[bytes]) -> None:
    """``OrderedHashWriter.add`` of each key and value in order, their records written at once."""
    if not keys:
        return
    from hashlib import md5

    from whoosh.filedb.filetables import _lengths

    dbfile = tindex.dbfile
    pos = dbfile.tell()
    hashfn = tindex.hashfn if tindex.hashtype != 0 else None
    buckets = tindex.buckets
    index = tindex.index
    pack = _lengths.pack
    last = tindex.lastkey
    out: list[bytes] = []
    for key, value in zip(keys, values, strict=True):
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        index.append(pos)
        record = pack(len(key), len(value)) + key + value
        out.append(record)
        # Whoosh's md5_hash: the digest's low 32 bits.
        h = int.from_bytes(md5(key, usedforsecurity=False).digest()[12:]) if hashfn is None else hashfn(key)
        buckets[h & 255].append((h, pos))
        pos += len(record)
        last = key
    dbfile.write(b"".join(out))
    tindex.lastkey = last


def _write_id_field(fw: Whoosh, name: str, field: Whoosh, values: list[str], small_raw: bool) -> None:
    if not values:
        return
    fb = field.format.field_boost
    by_term: dict[str, list[int]] = {}
    for docnum, v in enumerate(values):
        by_term.setdefault(v, []).append(docnum)
    fw.start_field(name, field)
    for term in sorted(by_term):
        ids = by_term[term]
        _blocks(fw, term.encode("utf-8"), ids, [fb] * len(ids), None, None, small_raw)
    fw.finish_field()


SMALL_SEGMENT_ROWS = 5_000
"""A Whoosh segment of fewer rows is small (an added document's, a short commit's)."""
MAX_SMALL_SEGMENTS = 8
"""More small segments than this are merged into one by the next commit (each is a set of open files)."""


def _merge_small(writer: Whoosh, segments: list[Whoosh]) -> list[Whoosh]:
    """Whoosh merge policy: fold the small segments into the writer's own when there are too many."""
    from whoosh.reading import SegmentReader

    small = [seg for seg in segments if seg.doc_count_all() < SMALL_SEGMENT_ROWS]
    if len(small) <= MAX_SMALL_SEGMENTS:
        return segments
    for seg in small:
        # Whoosh's own merge (per posting, fine for small segments); deleted rows are dropped.
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return [seg for seg in segments if seg not in small]


def commit_segments(
    ix: Whoosh, segments: list[Whoosh], delete_docs: Sequence[str] = (), timeout: float = 10.0
) -> None:
    """Add written segments to the index and delete the rows of ``delete_docs``, in one TOC commit.

    Uses Whoosh's own writer (its lock, deletions, merging and TOC), as its
    ``commit`` does, plus the new segments; the only merge is of small
    segments once there are more than :data:`MAX_SMALL_SEGMENTS`.
    """
    writer = ix.writer(timeout=timeout, compound=False)
    try:
        for doc_id in delete_docs:
            writer.delete_by_term("doc", doc_id)
        final = writer._merge_segments(_merge_small, False, False)
        if writer._added:
            final.append(writer._finalize_segment())
        else:
            writer._close_segment()
        writer._commit_toc(final + list(segments))
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
