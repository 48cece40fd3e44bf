"""Whoosh segments written from pre-segmented rows, without Whoosh's per-posting writer.

Whoosh's ``SegmentWriter`` analyses every row again, puts every posting in a
sorting pool as a tuple, and at commit feeds them one by one to the codec,
reading each posting's field length back from the file it has just written:
~5 µs of Python per posting, ~80% of the word index's build time.  Here the
rows arrive as word lists; a batch's words are counted once (:func:`count_rows`:
one pass over the rows, one numpy sort per field) and the rest is computed
from the counts with numpy: per block and per term the statistics Whoosh's
writer keeps, the deltas, the term-table records in ``W3TermInfo``'s layout,
their hash-table entries and tables, and the pickles of every block of fewer
than 16 postings (CPython's protocol-2 bytes).  Only a longer block's data
pickle and zlib remain per block.  The files are Whoosh's own format, byte for
byte what Whoosh's ``SegmentWriter`` writes for the same rows (tests compare
the files' digests, and both indexes term by term and score by score), so
Whoosh reads them as its own and its BM25F is unchanged.

Only the field types of our schema are handled: ``TEXT`` with the
``Frequency`` format (``phrase=False``), ``ID`` (``Existence``) and stored
fields; anything else raises :class:`ValueError`.

The same counts give the batch's row postings (:mod:`index.word_rows`), so a
worker writing both calls::

    write_segment_and_rows(target, rows, revisions, stage_in=folder) -> segment

which writes the segment's files into ``target.storage`` and the staged row
postings ``folder/staged-rows-<segment id>.wrw``, byte for byte what
``write_segment(target, rows)`` then ``stage_word_rows(folder, rows,
revisions, segment.segment_id())`` write, and returns the segment (not yet
committed).  A caller writing the rows file itself (``write_word_rows``)
counts once, ``counts = count_rows(ix.schema, rows)``, and passes
``write_segment(ix, rows, counts=counts)`` and ``write_word_rows(...,
counted=counts.row_words(rows))``.
"""

from __future__ import annotations

import struct
import zlib
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import sub as _sub
from pathlib import Path
from pickle import dumps
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC as _MAGIC
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.system import pack_int as _pack_int
from whoosh.system import pack_long as _pack_long
from whoosh.system import pack_ushort as _pack_ushort
from whoosh.util.numeric import length_to_byte as _len_byte

from index.words import WORD_SEP, Whoosh

if TYPE_CHECKING:
    from index.word_rows import RowWords

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


def write_segment(
    ix: Whoosh, rows: Sequence[WordRow], *, small_raw: bool = True, counts: RowCounts | None = None
) -> Whoosh:
    """Write ``rows`` as a new segment in ``ix``'s storage and return it (not yet in the index's TOC).

    The caller adds the segment to the index under Whoosh's write lock
    (:func:`commit_segments`).  Documents are numbered in the order given.
    With ``small_raw`` false the files are byte for byte those of Whoosh's
    ``SegmentWriter``; with it, blocks of a few postings are not compressed
    (each block records its compression, so Whoosh reads both alike).
    ``counts`` is :func:`count_rows` of the same rows (counted here if not given).
    """
    from whoosh.codec import default_codec

    schema = ix.schema
    codec = default_codec()
    names = sorted(schema.names())
    texts = _text_fields(schema)
    if counts is None:
        counts = count_rows(schema, rows)
    elif counts.n_rows != len(rows) or set(counts.fields) != set(texts):
        raise ValueError("counts are not of these rows and this schema")
    seg = codec.new_segment(ix.storage, ix.indexname)
    counted = counts.fields
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
    except BaseException:
        fw.close()
        raise
    _close_fields(fw)
    seg.set_doc_count(len(rows))
    return seg


def write_segment_and_rows(
    target: Whoosh, rows: Sequence[WordRow], revisions: Mapping[str, str], *, stage_in: Path,
    small_raw: bool = True,
) -> Whoosh:  # fmt: skip
    """:func:`write_segment` then :func:`~index.word_rows.stage_word_rows` of the same rows, counted once.

    Writes the segment's files into ``target.storage`` and the staged row
    postings ``stage_in/staged-rows-<segment id>.wrw``; returns the segment
    (not yet committed).  The files are byte for byte those the two calls write.
    """
    from index.word_rows import stage_word_rows

    counts = count_rows(target.schema, rows)
    segment = write_segment(target, rows, small_raw=small_raw, counts=counts)
    stage_word_rows(stage_in, rows, revisions, segment.segment_id(), counted=counts.row_words(rows))
    return segment


def _text_fields(schema: Whoosh) -> dict[str, Whoosh]:
    """The schema's indexed text fields, by name; raises :class:`ValueError` for a field type not handled."""
    from whoosh import formats

    texts = {}
    for name in sorted(schema.names()):
        field = schema[name]
        if field.indexed and isinstance(field.format, formats.Frequency):
            if field.vector or field.separate_spelling() or field.column_type:
                raise ValueError(f"field {name!r}: vectors, spelling and columns are not supported")
            if not field.format.field_boost > 0:
                raise ValueError(f"field {name!r}: the field boost must be positive")
            texts[name] = field
        elif field.indexed and not isinstance(field.format, formats.Existence):
            raise ValueError(f"field {name!r}: format {type(field.format).__name__} not supported")
    return texts


@dataclass
class _Counted:
    """A text field's postings over a batch: terms sorted by UTF-8 bytes, each with docs and frequencies."""

    terms: list[str]
    ranks: npt.NDArray[np.int64]
    """Each term's place in the batch's sorted vocabulary (all fields')."""
    starts: npt.NDArray[np.int64]
    """Term ``k`` has the postings ``starts[k]:starts[k + 1]``."""
    docs: npt.NDArray[np.int64]
    freqs: npt.NDArray[np.int64]
    lengths: list[int]
    """Words per row (empty words dropped, as the analyzer does)."""


@dataclass
class RowCounts:
    """One counting of a batch's words (:func:`count_rows`): each text field's postings, the rows' words."""

    fields: dict[str, _Counted]
    n_rows: int
    _words: list[str]
    """The batch's words, numbered as first seen (row by row, each row's fields in order)."""
    _order: list[int]
    """Those numbers in the words' code-point order."""
    _flagged: list[tuple[int, int, int]]
    """Rows bringing two or more new words: (row, first new number, end)."""
    _joinable: bool
    """No row has a field other than the text fields."""
    _single: bool
    """No row has more than one field."""

    def row_words(self, rows: Sequence[WordRow]) -> RowWords | None:
        """The rows' words as :func:`~index.word_rows.encode_rows` numbers them (``None``: not derivable).

        ``encode_rows`` numbers words as each row's *set* of words first
        yields them; a row's words seen before keep their number, so only
        rows bringing two or more new words need their set built again.
        ``None`` when a row has a field that is not a text field.
        """
        from index.word_rows import RowWords

        if not self._joinable:
            return None
        words = self._words
        perm = list(range(len(words)))  # file order → first-seen number
        number = {w: k for k, w in enumerate(words)}.__getitem__
        for i, first, end in self._flagged:
            # The very set encode_rows builds (the same words inserted in the same order), so the same order.
            joined = WORD_SEP.join(v for v in rows[i].fields.values() if v)
            new = set(words[first:end]).__contains__
            perm[first:end] = map(number, filter(new, set(joined.split(WORD_SEP))))
        n = max(1, self.n_rows)
        at_of = np.empty(len(words), dtype=np.int64)
        at_of[np.asarray(perm, dtype=np.int64)] = np.arange(len(words), dtype=np.int64)
        at_of_rank = at_of[np.asarray(self._order, dtype=np.int64)]
        parts = [at_of_rank[np.repeat(c.ranks, np.diff(c.starts))] * n + c.docs for c in self.fields.values()]
        keys = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        # Each row is in one field, so its words' postings are disjoint across fields.
        keys = np.sort(keys) if self._single else np.unique(keys)
        return RowWords([words[g] for g in perm], keys, self.n_rows)


def count_rows(schema: Whoosh, rows: Sequence[WordRow]) -> RowCounts:
    """Count the words of ``rows`` once, for :func:`write_segment` and the row postings of the same rows."""
    names = list(_text_fields(schema))
    n = len(rows)
    # A new word is numbered by the vocabulary's size, all in C (``map`` over a defaultdict).
    vocab: defaultdict[str, int] = defaultdict()
    vocab.default_factory = vocab.__len__
    number = vocab.__getitem__
    ids = {name: array("i") for name in names}
    lens = {name: [0] * n for name in names}
    flagged: list[tuple[int, int, int]] = []  # rows bringing 2+ new words: (row, first new number, end)
    joinable = single = True
    before = 0
    for i, r in enumerate(rows):
        fields = r.fields
        for name, text in fields.items():
            if not text:
                continue
            into = ids.get(name)
            if into is None:
                joinable = False
                continue
            ws = text.split(WORD_SEP)
            if "" in ws:
                ws = [w for w in ws if w]
            lens[name][i] = len(ws)
            into.extend(map(number, ws))
        if len(fields) > 1:
            single = False
        now = len(vocab)
        if now - before > 1:
            flagged.append((i, before, now))
        before = now
    words = list(vocab)
    # Code-point order is UTF-8 byte order, the order of Whoosh's term table.
    order = sorted(range(len(words)), key=words.__getitem__)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    sorted_words = [words[g] for g in order]
    counted = {name: _count_field(ids[name], lens[name], rank, sorted_words) for name in names}
    return RowCounts(counted, n, words, order, flagged, joinable, single)


def _count_field(
    ids: array[int], lengths: list[int], rank: npt.NDArray[np.int64], words: list[str]
) -> _Counted:
    """A field's (term, document) postings from its words' numbers, row by row (``lengths`` words each)."""
    n = len(lengths)
    if not ids:
        empty = np.zeros(0, dtype=np.int64)
        return _Counted([], empty, np.zeros(1, dtype=np.int64), empty, empty, lengths)
    docnum = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs, freqs = np.unique(rank[np.frombuffer(ids, dtype=np.int32)] * n + docnum, return_counts=True)
    of_pair = pairs // n
    heads = np.flatnonzero(np.concatenate(([True], of_pair[1:] != of_pair[:-1])))
    starts = np.append(heads, len(pairs)).astype(np.int64)
    ranks = of_pair[heads]
    return _Counted([words[k] for k in ranks.tolist()], ranks, starts, pairs - of_pair * n,
                    freqs.astype(np.int64), lengths)  # fmt: skip


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
    if not c.terms:
        return
    fw.start_field(name, field)
    limit = fw._codec._blocklimit
    blocks = _Blocks.of(c, field.format.field_boost, limit, _RAW_BELOW if small_raw else 0)
    starts, lens = _write_blocks(fw._postfile.file, blocks, c.freqs.astype(">u4").tobytes())
    prefix = _pack_ushort(fw._fieldid)
    _add_terms(fw._tindex, [prefix + t.encode("utf-8") for t in c.terms], blocks.term_infos(starts, lens))
    fw.finish_field()


_TERM_INFO = np.dtype(
    [("flags", "u1"), ("weight", ">f4"), ("df", ">u4"), ("minb", "u1"), ("maxb", "u1"), ("maxweight", ">f4"),
     ("minid", ">u4"), ("maxid", ">u4"), ("offset", ">i8"), ("length", ">i4")]
)  # fmt: skip
"""``W3TermInfo.to_bytes`` of a term not inlined: its struct (``!BfIBBfII``), ``!q`` offset, ``!i`` length."""
assert _TERM_INFO.itemsize == W3TermInfo._struct.size + 12


@dataclass
class _Blocks:
    """A text field's postings cut into Whoosh's blocks, with the statistics its writer keeps, all at once.

    Weights are frequencies times the field boost: small integers times 1.0
    or 2.0, exact in ``float32`` and in any order of summing, so numpy's
    reductions give the very numbers Whoosh's per-posting sums give.
    """

    c: _Counted
    starts: npt.NDArray[np.int64]
    """Each block's first posting; block ``b`` ends where block ``b + 1`` starts (or the field ends)."""
    ends: npt.NDArray[np.int64]
    first_block: npt.NDArray[np.int64]
    """Each term's first block."""
    w: npt.NDArray[np.float64]
    w32: npt.NDArray[np.float32]
    lbytes: npt.NDArray[np.int64]
    """Per posting, its row's length byte."""
    comp: npt.NDArray[np.int64]

    @classmethod
    def of(cls, c: _Counted, boost: float, limit: int, raw_below: int) -> _Blocks:
        """Cut each term's postings into blocks of ``limit``; blocks under ``raw_below`` stay uncompressed."""
        from whoosh.util.numeric import byte_to_length, length_to_byte

        per_term = np.diff(c.starts)
        nb = (per_term + limit - 1) // limit
        first_block = np.concatenate(([0], np.cumsum(nb)[:-1])).astype(np.int64)
        block_term = np.repeat(np.arange(len(per_term), dtype=np.int64), nb)
        within = np.arange(len(block_term), dtype=np.int64) - first_block[block_term]
        starts = c.starts[:-1][block_term] + within * limit
        ends = np.minimum(starts + limit, c.starts[1:][block_term])
        # The codec is given each posting's length as read back from the length byte (lossy above 10).
        by_length = {k: length_to_byte(byte_to_length(length_to_byte(k))) for k in set(c.lengths)}
        row_bytes = np.fromiter(map(by_length.__getitem__, c.lengths), dtype=np.int64, count=len(c.lengths))
        w = (c.freqs * float(boost)).astype(np.float64)
        comp = np.where(ends - starts < raw_below, 0, _COMPRESSION)
        return cls(c, starts, ends, first_block, w, w.astype(np.float32), row_bytes[c.docs], comp)

    def kinds(self) -> npt.NDArray[np.int64]:
        """Per block, Whoosh's ``_mini_weights``: 0 all are 1 (``None``), 1 all equal (the one), 2 each."""
        s, w32 = self.starts, self.w32
        same = np.maximum.reduceat(w32, s) == np.minimum.reduceat(w32, s)
        return np.where(same, np.where(w32[s] == 1.0, 0, 1), 2).astype(np.int64)

    def deltas(self) -> npt.NDArray[np.int64]:
        """Each posting's document minus the one before it in its block (the block's first: its own)."""
        docs = self.c.docs
        d = docs.copy()
        d[1:] -= docs[:-1]
        d[self.starts] = docs[self.starts]
        return d

    def term_infos(self, offsets: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]) -> bytes:
        """Each term's ``W3TermInfo`` bytes, one after the other (``_TERM_INFO.itemsize`` each)."""
        c = self.c
        heads, tails = c.starts[:-1], c.starts[1:] - 1
        out = np.zeros(len(heads), dtype=_TERM_INFO)
        out["weight"] = np.add.reduceat(self.w32.astype(np.float64), heads)
        out["df"] = np.diff(c.starts)
        out["minb"] = np.minimum.reduceat(self.lbytes, heads)
        out["maxb"] = np.maximum.reduceat(self.lbytes, heads)
        out["maxweight"] = np.maximum.reduceat(self.w, heads)
        out["minid"] = c.docs[heads]
        out["maxid"] = c.docs[tails]
        out["offset"] = offsets
        out["length"] = lengths
        return out.tobytes()


_PICKLED_BELOW = 16
"""Blocks of fewer postings are pickled all at once with numpy (:func:`_data_pickles`); for longer ones
``pickle.dumps``'s own speed per byte beats numpy's passes over every byte."""


def _write_blocks(
    post: Whoosh, blocks: _Blocks, values: bytes
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Write a field's postings as ``W3PostingsWriter`` writes them; return each term's offset and length.

    Per block, the bytes of ``_write_block``: a length (negative for a term's
    last block), the pickled block info, the pickled (and maybe compressed)
    deltas, weights and values; each term's first block after Whoosh's magic.
    Terms of one uncompressed block of few postings are made whole at once
    (:func:`_whole_terms`); the other blocks one by one, here.
    """
    at = post.tell()
    count = len(blocks.starts)
    heads = np.zeros(count, dtype=bool)
    heads[blocks.first_block] = True
    tails = np.zeros(count, dtype=bool)
    tails[np.append(blocks.first_block[1:], count) - 1] = True
    few = blocks.ends - blocks.starts < _PICKLED_BELOW
    alone = few & (blocks.comp == 0) & heads & tails
    whole, rest = np.flatnonzero(alone), np.flatnonzero(~alone)
    frames, frame_at, sizes = _whole_terms(blocks, values, whole)
    data, data_at = _data_pickles(blocks, values, rest[few[rest]])
    info, info_at = _info_pickles(blocks, rest)
    deltas, w32 = blocks.deltas(), blocks.w32
    kinds, firsts = blocks.kinds().tolist(), w32[blocks.starts].tolist()
    chunks: list[bytes] = []
    rest_sizes: list[int] = []
    add = chunks.append
    compress = zlib.compress
    done = k = 0  # whole terms written; blocks pickled at once taken
    rows = zip(rest.tolist(), np.searchsorted(whole, rest).tolist(), blocks.starts[rest].tolist(),
               blocks.ends[rest].tolist(), few[rest].tolist(), blocks.comp[rest].tolist(),
               heads[rest].tolist(), tails[rest].tolist(), strict=True)  # fmt: skip
    for j, (b, before, s, e, at_once, comp, head, tail) in enumerate(rows):
        if before > done:  # the whole terms between the last block written and this one
            add(frames[frame_at[done] : frame_at[before]])
            done = before
        if at_once:
            chunk = data[data_at[k] : data_at[k + 1]]
            k += 1
        else:
            kind = kinds[b]
            mini = None if kind == 0 else firsts[b] if kind == 1 else tuple(w32[s:e].tolist())
            chunk = dumps((tuple(deltas[s:e].tolist()), mini, values[s * 4 : e * 4]), 2)
        if comp:
            chunk = compress(chunk, comp)
        size = info_at[j + 1] - info_at[j] + len(chunk)
        if head:
            add(_MAGIC)
        add(_pack_int(-size if tail else size))
        add(info[info_at[j] : info_at[j + 1]])
        add(chunk)
        rest_sizes.append(size)
    add(frames[frame_at[done] :])
    post.write(b"".join(chunks))
    per_block = np.empty(count, dtype=np.int64)
    per_block[whole] = sizes + 4
    per_block[rest] = np.asarray(rest_sizes, dtype=np.int64) + 4
    lengths = np.add.reduceat(per_block, blocks.first_block) + len(_MAGIC)
    offsets = at + np.concatenate(([0], np.cumsum(lengths)[:-1])).astype(np.int64)
    return offsets, lengths


def _whole_terms(
    blocks: _Blocks, values: bytes, which: npt.NDArray[np.int64]
) -> tuple[bytes, list[int], npt.NDArray[np.int64]]:
    """The postings of the terms of one uncompressed block ``which``: magic, -size, info, data; the sizes."""
    info, data = _info_pieces(blocks, which), _data_pieces(blocks, values, which)
    sizes = _lengths(len(which), info) + _lengths(len(which), data)
    head = np.empty((len(which), 8), dtype=np.uint8)
    head[:, :4] = np.frombuffer(_MAGIC, dtype=np.uint8)
    head[:, 4:] = (-sizes).astype(">i4").view(np.uint8).reshape(-1, 4)
    frames, frame_at = _concat(len(which), [_fixed(head, np.full(len(which), 8)), *info, *data])
    return frames, frame_at, sizes


# Pickle protocol 2 as CPython's pickler writes the tuples of Whoosh's blocks (checked against
# ``pickle.dumps`` by the tests, and through them against Whoosh's own files).
_OP = {
    name: ord(c)
    for name, c in (
        ("mark", "("), ("tuple", "t"), ("put", "q"), ("none", "N"), ("float", "G"), ("int1", "K"),
        ("int2", "M"), ("int4", "J"), ("tuple1", "\x85"), ("tuple2", "\x86"), ("tuple3", "\x87"),
    )
}  # fmt: skip
_ENCODE = b"c_codecs\nencode\n"
"""Protocol 2 has no opcode for bytes: they are ``_codecs.encode(their latin-1 text, "latin1")``."""

_Piece = tuple[
    "npt.NDArray[np.int64] | None", "npt.NDArray[np.uint8]", "npt.NDArray[np.bool_]", "npt.NDArray[np.int64]"
]
"""One part of each item's bytes: entries' items (``None``: one entry per item), bytes, which bytes count."""


def _per_item(
    n_items: int, pieces: list[_Piece]
) -> tuple[list[npt.NDArray[np.int64]], list[npt.NDArray[np.int64]]]:
    """Per piece, each entry's byte count and each item's."""
    counts = [c for _, _, _, c in pieces]
    per_item = [
        c if owner is None else np.bincount(owner, weights=c, minlength=n_items).astype(np.int64)
        for (owner, _, _, _), c in zip(pieces, counts, strict=True)
    ]
    return counts, per_item


def _lengths(n_items: int, pieces: list[_Piece]) -> npt.NDArray[np.int64]:
    """Each item's byte count over ``pieces``."""
    total = np.zeros(n_items, dtype=np.int64)
    for size in _per_item(n_items, pieces)[1]:
        total += size
    return total


def _concat(n_items: int, pieces: list[_Piece]) -> tuple[bytes, list[int]]:
    """Per item, its entries' bytes of each piece, piece after piece; the bytes and where each item starts."""
    per_item = _per_item(n_items, pieces)[1]
    starts = np.concatenate(([0], np.cumsum(np.sum(per_item, axis=0)))).astype(np.int64)
    buf = np.empty(int(starts[-1]), dtype=np.uint8)
    at = starts[:-1].copy()  # where each item's next piece goes
    for (owner, mat, mask, c), size in zip(pieces, per_item, strict=True):
        before = np.concatenate(([0], np.cumsum(c)[:-1])).astype(np.int64)
        if owner is None:
            base = at
        else:
            first = np.append(before, 0)[np.searchsorted(owner, np.arange(n_items))]
            base = at[owner] + before - first[owner]
        dest = np.repeat(base - before, c) + np.arange(int(c.sum()), dtype=np.int64)
        buf[dest] = mat[mask]
        at += size
    return buf.tobytes(), starts.tolist()


def _fixed(rows: npt.NDArray[np.uint8], lengths: npt.NDArray[np.int64]) -> _Piece:
    """One entry per item: the first ``lengths`` bytes of its row."""
    return None, rows, np.arange(rows.shape[1]) < lengths[:, None], lengths


def _ints(v: npt.NDArray[np.int64], owner: npt.NDArray[np.int64] | None = None) -> _Piece:
    """``BININT1``, ``BININT2`` or ``BININT`` of each (non-negative, below 2**31) int."""
    if len(v) and (int(v.min()) < 0 or int(v.max()) >= 2**31):
        raise ValueError("an id out of Whoosh's range")
    mat = np.empty((len(v), 5), dtype=np.uint8)
    mat[:, 1:] = v.astype("<u4").view(np.uint8).reshape(-1, 4)
    small, mid = v < 256, v < 65536
    mat[:, 0] = np.where(small, _OP["int1"], np.where(mid, _OP["int2"], _OP["int4"]))
    counts = np.where(small, 2, np.where(mid, 3, 5))
    return owner, mat, np.arange(5) < counts[:, None], counts


def _floats(v: npt.NDArray[np.float64], owner: npt.NDArray[np.int64] | None = None) -> _Piece:
    """``BINFLOAT`` of each float (a big-endian double)."""
    mat = np.empty((len(v), 9), dtype=np.uint8)
    mat[:, 0] = _OP["float"]
    mat[:, 1:] = v.astype(">f8").view(np.uint8).reshape(-1, 8)
    return owner, mat, np.ones(mat.shape, dtype=bool), np.full(len(v), 9)


def _closer(n: npt.NDArray[np.int64]) -> npt.NDArray[np.uint8]:
    """The opcode ending a tuple of ``n`` items (``TUPLE1..3``, else ``TUPLE`` after a ``MARK``)."""
    small = np.where(n == 1, _OP["tuple1"], np.where(n == 2, _OP["tuple2"], _OP["tuple3"]))
    return np.where(n > 3, _OP["tuple"], small).astype(np.uint8)


def _data_pickles(blocks: _Blocks, values: bytes, which: npt.NDArray[np.int64]) -> tuple[bytes, list[int]]:
    """``dumps((deltas, mini weights, values), 2)`` of the blocks ``which``, as ``_write_block`` pickles."""
    return _concat(len(which), _data_pieces(blocks, values, which))


def _data_pieces(blocks: _Blocks, values: bytes, which: npt.NDArray[np.int64]) -> list[_Piece]:
    """The pieces of :func:`_data_pickles`."""
    s, n = blocks.starts[which], blocks.ends[which] - blocks.starts[which]
    count = len(s)
    kind = blocks.kinds()[which]
    owner = np.repeat(np.arange(count, dtype=np.int64), n)  # each posting's block
    # The postings of those blocks, in order.
    at = np.repeat(s - np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.int64), n) + np.arange(len(owner))
    w32 = blocks.w32[at]
    many = n > 3
    # PROTO 2, MARK before more than three deltas; the deltas; the tuple's end and memo 0.
    start = np.tile(np.array([0x80, 2, _OP["mark"]], dtype=np.uint8), (count, 1))
    pieces = [_fixed(start, np.where(many, 3, 2)), _ints(blocks.deltas()[at], owner)]
    # The weights: None, the one weight, or each weight (memo 1), MARK before more than three.
    mid = np.empty((count, 12), dtype=np.uint8)
    mid[:, 0], mid[:, 1], mid[:, 2] = _closer(n), _OP["put"], 0
    mid[:, 3] = np.where(kind == 0, _OP["none"], np.where(kind == 1, _OP["float"], _OP["mark"]))
    mid[:, 4:] = blocks.w32[s].astype(">f8").view(np.uint8).reshape(-1, 8)
    pieces.append(_fixed(mid, np.where(kind == 0, 4, np.where(kind == 1, 12, np.where(many, 4, 3)))))
    each = np.repeat(kind == 2, n)
    pieces.append(_floats(w32[each].astype(np.float64), owner[each]))
    # The values (bytes): _codecs.encode (memo a), its latin-1 text as UTF-8 (memo a + 1), "latin1" ...
    text, text_mask = _latin1_as_utf8(np.frombuffer(values, dtype=np.uint8).reshape(-1, 4)[at])
    text_count = text_mask.sum(axis=1)
    text_len = np.bincount(owner, weights=text_count, minlength=count).astype(np.int64)
    memo = np.where(kind == 2, 2, 1).astype(np.uint8)
    enc = np.empty((count, 26), dtype=np.uint8)
    enc[:, 0], enc[:, 1], enc[:, 2] = _closer(n), _OP["put"], 1
    enc[:, 3:19] = np.frombuffer(_ENCODE, dtype=np.uint8)
    enc[:, 19], enc[:, 20], enc[:, 21] = _OP["put"], memo, ord("X")
    enc[:, 22:] = text_len.astype("<u4").view(np.uint8).reshape(-1, 4)
    enc_mask = np.ones(enc.shape, dtype=bool)
    enc_mask[:, :3] = (kind == 2)[:, None]
    pieces += [(None, enc, enc_mask, np.where(kind == 2, 26, 23)), (owner, text, text_mask, text_count)]
    end = np.tile(np.frombuffer(b"q\0X\x06\0\0\0latin1q\0\x86q\0Rq\0\x87q\0.", dtype=np.uint8), (count, 1))
    for k, col in enumerate((1, 14, 17, 20, 23)):
        end[:, col] = memo + 1 + k
    pieces.append(_fixed(end, np.full(count, end.shape[1])))
    return pieces


def _latin1_as_utf8(raw: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_]]:
    """Per 4-byte value, its bytes read as latin-1 and written as UTF-8 (two bytes from 0x80): bytes, mask."""
    high = raw >= 0x80
    out = np.empty((len(raw), 4, 2), dtype=np.uint8)
    out[:, :, 0] = np.where(high, 0xC0 | (raw >> 6), raw)
    out[:, :, 1] = 0x80 | (raw & 0x3F)
    mask = np.stack([np.ones_like(high), high], axis=2)
    return out.reshape(-1, 8), mask.reshape(-1, 8)


def _info_pickles(blocks: _Blocks, which: npt.NDArray[np.int64] | None = None) -> tuple[bytes, list[int]]:
    """``dumps((count, last id, max weight, compression, min length byte, max length byte), 2)`` per block."""
    which = np.arange(len(blocks.starts), dtype=np.int64) if which is None else which
    return _concat(len(which), _info_pieces(blocks, which))


def _info_pieces(blocks: _Blocks, which: npt.NDArray[np.int64]) -> list[_Piece]:
    """The pieces of :func:`_info_pickles` of the blocks ``which``."""
    s, e = blocks.starts, blocks.ends
    count = len(which)
    start = np.tile(np.array([0x80, 2, _OP["mark"]], dtype=np.uint8), (count, 1))
    end = np.tile(np.array([_OP["tuple"], _OP["put"], 0, ord(".")], dtype=np.uint8), (count, 1))
    return [
        _fixed(start, np.full(count, 3)),
        _ints((e - s)[which]),
        _ints(blocks.c.docs[e - 1][which]),
        _floats(np.maximum.reduceat(blocks.w, s)[which]),
        _ints(blocks.comp[which]),
        _ints(np.minimum.reduceat(blocks.lbytes, s)[which]),
        _ints(np.maximum.reduceat(blocks.lbytes, s)[which]),
        _fixed(end, np.full(count, 4)),
    ]


def _add_terms(tindex: Whoosh, keys: list[bytes], infos: bytes) -> None:
    """``OrderedHashWriter.add`` of each key (in order) with its ``_TERM_INFO`` value, written at once."""
    if not keys:
        return
    from hashlib import md5

    if tindex.hashtype != 0:
        raise ValueError("only Whoosh's md5 term table is supported")
    # Terms come sorted and distinct from the counting: only the first can meet the table's last key.
    if keys[0] <= tindex.lastkey:
        raise ValueError(f"Keys must increase: {tindex.lastkey!r}..{keys[0]!r}")
    size = _TERM_INFO.itemsize
    n = len(keys)
    key_lens = np.fromiter(map(len, keys), dtype=np.int64, count=n)
    rec_lens = key_lens + (8 + size)
    pos = tindex.dbfile.tell() + np.concatenate(([0], np.cumsum(rec_lens)[:-1])).astype(np.int64)
    # Each record: ``_lengths`` ("!ii": key and value lengths), the key, the value.
    buf = np.zeros(int(rec_lens.sum()), dtype=np.uint8)
    at = pos - pos[0]
    heads = np.empty(n, dtype=[("k", ">i4"), ("v", ">i4")])
    heads["k"], heads["v"] = key_lens, size
    buf[at[:, None] + np.arange(8)] = heads.view(np.uint8).reshape(n, 8)
    key_bytes = np.frombuffer(b"".join(keys), dtype=np.uint8)
    key_starts = np.concatenate(([0], np.cumsum(key_lens)[:-1]))
    buf[np.repeat(at + 8 - key_starts, key_lens) + np.arange(len(key_bytes))] = key_bytes
    buf[(at + 8 + key_lens)[:, None] + np.arange(size)] = np.frombuffer(infos, dtype=np.uint8).reshape(
        n, size
    )
    tindex.dbfile.write(buf.tobytes())
    # Whoosh's md5_hash: the digest's low 32 bits; a key goes to bucket ``hash & 255``.
    digests = b"".join([md5(k, usedforsecurity=False).digest() for k in keys])
    hashes = np.frombuffer(digests, dtype=">u4").reshape(n, 4)[:, 3].astype(np.int64)
    by_bucket = np.argsort(hashes & 255, kind="stable")
    cuts = np.searchsorted((hashes & 255)[by_bucket], np.arange(257)).tolist()
    hs, ps = hashes[by_bucket].tolist(), pos[by_bucket].tolist()
    for b in range(256):
        if cuts[b] < cuts[b + 1]:
            tindex.buckets[b].extend(zip(hs[cuts[b] : cuts[b + 1]], ps[cuts[b] : cuts[b + 1]], strict=True))
    _extend_index(tindex.index, pos.tolist())
    tindex.lastkey = keys[-1]


def _extend_index(index: Whoosh, positions: list[int]) -> None:
    """``GrowableArray.append`` of each position (positions rise, so the widest type is the last's)."""
    had = len(index.array)
    try:
        index.array.extend(positions)
    except OverflowError:
        del index.array[had:]  # the items before the one too big went in
        for p in positions:
            index.append(p)


def _close_fields(fw: Whoosh) -> None:
    """``W3FieldWriter.close``, the term table's 256 hash tables packed at once (Whoosh packs slot by slot).

    The steps of ``HashWriter.close``: each bucket's table of twice its
    entries' slots filled by linear probing in the order the keys came, the
    directory, the extras and their length; then the postings file.
    """
    tindex = fw._tindex
    dbfile = tindex.dbfile
    at = dbfile.tell()
    hashes: list[int] = []
    places: list[int] = []
    for entries in tindex.buckets:
        slots = 2 * len(entries)
        tindex.directory.append((at + 12 * len(places), slots))
        hs, ps = [0] * slots, [0] * slots
        for h, pos in entries:
            slot = (h >> 8) % slots
            while ps[slot]:  # taken (no key is at position 0: the file's header is)
                slot = (slot + 1) % slots
            hs[slot], ps[slot] = h, pos
        hashes += hs
        places += ps
    table = np.empty(len(places), dtype=[("hash", ">u4"), ("pos", ">i8")])  # Whoosh's _pointer, "!Iq"
    table["hash"], table["pos"] = hashes, places
    dbfile.write(table.tobytes())
    tindex._write_directory()
    extras_at = dbfile.tell()
    tindex._write_extras()
    dbfile.write_int(dbfile.tell() - extras_at)
    dbfile.close()
    fw._postfile.close()
    fw.is_closed = True


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
