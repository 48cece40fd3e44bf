"""Whoosh segments written by :mod:`index.word_segments` are those Whoosh's own writer makes."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema

from index.analysis import word_analyzer
from index.lifecycle import KEY_SEP, IndexLifecycle
from index.word_segments import WordRow, commit_segments, write_segment
from index.words import WORD_SEP, Whoosh, joined_words

LAWS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "laws"


def _rows() -> list[WordRow]:
    """Rows of four real laws: their lines, headings (``#``) in ``head``, the rest in ``body``."""
    rows = []
    for path in sorted(LAWS.glob("*.md"))[:4]:
        doc = path.stem
        for j, line in enumerate(t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()):
            field = "head" if line.startswith("#") else "body"
            rows.append(WordRow(doc + KEY_SEP + str(j), doc, {field: joined_words(line.lstrip("# "))}))
    return rows


def _old_schema() -> Whoosh:
    """The schema of indexes written before the key became stored-only (still opened as they are)."""
    return Schema(
        key=ID(stored=True, unique=True),
        doc=ID(),
        body=TEXT(analyzer=word_analyzer(), phrase=False),
        head=TEXT(analyzer=word_analyzer(), phrase=False, field_boost=2.0),
    )


def _by_whoosh(path: Path, schema: Whoosh, rows: list[WordRow]) -> Whoosh:
    path.mkdir()
    ix = windex.create_in(str(path), schema)
    writer = ix.writer(compound=False)
    for r in rows:
        writer.add_document(
            key=r.key, doc=r.doc, body=r.fields.get("body", ""), head=r.fields.get("head", "")
        )
    writer.commit()
    return ix


def _by_us(path: Path, schema: Whoosh, rows: list[WordRow], small_raw: bool) -> Whoosh:
    path.mkdir()
    ix = windex.create_in(str(path), schema)
    commit_segments(ix, [write_segment(ix, rows, small_raw=small_raw)])
    return ix


def _segment_files(path: Path) -> dict[str, str]:
    """Digest of each segment file, by its extension (segment names are random)."""
    out = {}
    for f in path.iterdir():
        if f.suffix in (".pst", ".trm", ".col"):
            out[f.name.split(".", 1)[1]] = hashlib.sha256(f.read_bytes()).hexdigest()  # MAIN_<segid>.<kind>
    return out


@pytest.mark.parametrize(
    "schema", [IndexLifecycle._schema(), _old_schema()], ids=["stored-key", "indexed-key"]
)
def test_files_are_byte_identical_to_whoosh_writers(tmp_path: Path, schema: Whoosh) -> None:
    rows = _rows()
    assert len(rows) > 500
    assert any("head" in r.fields for r in rows)
    # Posting lists of several 128-posting blocks, in the ID and in the text fields.
    assert max(Counter(r.doc for r in rows).values()) > 200
    rows_with = Counter(w for r in rows for t in r.fields.values() for w in set(t.split(WORD_SEP)))
    assert max(rows_with.values()) > 300
    _by_whoosh(tmp_path / "whoosh", schema, rows)
    _by_us(tmp_path / "ours", schema, rows, small_raw=False)
    theirs, ours = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "ours")
    assert set(theirs) == {"pst", "trm", "_body_len.col", "_head_len.col", "_stored.col"}
    assert ours == theirs


def _postings(ix: Whoosh) -> dict[tuple[str, bytes], object]:
    out: dict[tuple[str, bytes], object] = {}
    with ix.reader() as r:
        for fieldname, btext in r.all_terms():
            info = r.term_info(fieldname, btext)
            m = r.postings(fieldname, btext)
            stats = (
                info.weight(),
                info.doc_frequency(),
                info.min_length(),
                info.max_length(),
                info.max_weight(),
            )
            items = []
            while m.is_active():
                items.append((m.id(), m.weight(), m.value()))
                m.next()
            out[(fieldname, btext)] = (stats, tuple(items))
    return out


def test_small_blocks_uncompressed_keep_postings_and_scores(tmp_path: Path) -> None:
    rows = _rows()
    schema = IndexLifecycle._schema()
    theirs = _by_whoosh(tmp_path / "whoosh", schema, rows)
    ours = _by_us(tmp_path / "ours", schema, rows, small_raw=True)
    assert _postings(ours) == _postings(theirs)
    words = {w for r in rows[:200] for t in r.fields.values() for w in t.split(WORD_SEP) if w}
    queries = [wq.Or([wq.Term("body", w), wq.Term("head", w)]) for w in sorted(words)[:150]]
    with theirs.searcher() as a, ours.searcher() as b:
        assert a.doc_count() == b.doc_count() == len(rows)
        for q in queries:
            ha = [(a.stored_fields(h.docnum)["key"], h.score) for h in a.search(q, limit=None)]
            hb = [(b.stored_fields(h.docnum)["key"], h.score) for h in b.search(q, limit=None)]
            assert ha, q
            assert ha == hb, q


def test_commit_deletes_replaced_documents_and_adds_segments(tmp_path: Path) -> None:
    rows = _rows()
    first, second = rows[: len(rows) // 2], rows[len(rows) // 2 :]
    ix = _by_us(tmp_path / "ours", IndexLifecycle._schema(), first, small_raw=True)
    gone = first[0].doc
    commit_segments(ix, [write_segment(ix, second)], delete_docs=[gone])
    with ix.searcher() as s:
        keys = {f["key"] for f in s.all_stored_fields()}
    assert keys == {r.key for r in rows if r.doc != gone}
    assert len(ix._segments()) == 2


def test_unsupported_field_types_are_refused(tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    ix = windex.create_in(str(tmp_path), Schema(key=ID(stored=True), doc=ID(), body=TEXT()))
    with pytest.raises(ValueError, match="body"):
        write_segment(ix, [WordRow("a\x1f0", "a", {"body": "维和"})])


def test_small_segments_are_merged_once_there_are_too_many(tmp_path: Path) -> None:
    from index.word_segments import MAX_SMALL_SEGMENTS

    rows = _rows()
    schema = IndexLifecycle._schema()
    ix = _by_us(tmp_path / "ours", schema, rows[:50], small_raw=True)
    step = 20
    added = rows[50 : 50 + step * (MAX_SMALL_SEGMENTS + 1)]
    for at in range(0, len(added), step):
        commit_segments(ix, [write_segment(ix, added[at : at + step])], delete_docs=[])
    # One more segment than allowed: the small ones became one; the newest stays apart.
    assert len(ix._segments()) <= 2
    theirs = _by_whoosh(tmp_path / "whoosh", schema, rows[: 50 + len(added)])
    with ix.searcher() as s:
        assert {f["key"] for f in s.all_stored_fields()} == {r.key for r in rows[: 50 + len(added)]}
    # Every word still finds the same rows.  (Scores move a little, as in any Whoosh merge: the merged
    # segment's field lengths are the byte-rounded ones Whoosh reads back, see docs/SEARCH.md.)
    words = sorted({w for r in added for t in r.fields.values() for w in t.split(WORD_SEP) if w})[:60]
    with theirs.searcher() as a, ix.searcher() as b:
        for w in words:
            q = wq.Or([wq.Term("body", w), wq.Term("head", w)])
            ka = {a.stored_fields(h.docnum)["key"] for h in a.search(q, limit=None)}
            kb = {b.stored_fields(h.docnum)["key"] for h in b.search(q, limit=None)}
            assert ka, w
            assert ka == kb, w


def _by_whoosh_small_raw(
    path: Path, schema: Whoosh, rows: list[WordRow], monkeypatch: pytest.MonkeyPatch
) -> Whoosh:
    """Whoosh's own writer, told to leave blocks under ``_RAW_BELOW`` postings and stored fields uncompressed.

    Whoosh records each block's compression in the block, and a row's stored
    fields as a zlib stream: level 0 is one stored deflate block, as ``small_raw``.
    """
    from whoosh.codec.whoosh3 import W3PostingsWriter
    from whoosh.columns import CompressedBytesColumn

    from index.word_segments import _RAW_BELOW

    write_block = W3PostingsWriter._write_block
    add_stored = CompressedBytesColumn.Writer.add

    def small_raw_block(self: Whoosh, last: bool = False) -> None:
        self._compression = 0 if len(self._ids) < _RAW_BELOW else 3
        write_block(self, last)

    def raw_stored(self: Whoosh, docnum: int, v: bytes) -> None:
        self._level = 0
        add_stored(self, docnum, v)

    with monkeypatch.context() as m:
        m.setattr(W3PostingsWriter, "_write_block", small_raw_block)
        m.setattr(CompressedBytesColumn.Writer, "add", raw_stored)
        return _by_whoosh(path, schema, rows)


def _edge_rows() -> list[WordRow]:
    """Real rows, and rows with both fields, no field, empty words and a long word."""
    rows = _rows()
    doc = "edge"
    extra = [
        {"head": joined_words("维和行动"), "body": joined_words("维和行动需要改革和伙伴关系")},
        {},
        {"body": ""},
        {"body": WORD_SEP + "改革" + WORD_SEP + WORD_SEP + "推进" + WORD_SEP},
        {"head": "x1" * 300 + WORD_SEP + "改革"},
    ]
    return rows + [WordRow(f"{doc}{KEY_SEP}{j}", doc, fields) for j, fields in enumerate(extra)]


@pytest.mark.parametrize(
    "schema", [IndexLifecycle._schema(), _old_schema()], ids=["stored-key", "indexed-key"]
)
def test_small_raw_files_are_whoosh_writers_with_small_blocks_uncompressed(
    tmp_path: Path, schema: Whoosh, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = _edge_rows()
    rows_with = Counter(w for r in rows for t in r.fields.values() for w in set(t.split(WORD_SEP)) if w)
    # Blocks both sides of the threshold: words of one row, of a few, of dozens, of hundreds.
    counts = set(rows_with.values())
    assert 1 in counts
    assert counts & {14, 15}
    assert counts & {16, 17}
    assert max(counts) > 300
    _by_whoosh_small_raw(tmp_path / "whoosh", schema, rows, monkeypatch)
    _by_us(tmp_path / "ours", schema, rows, small_raw=True)
    theirs, ours = _segment_files(tmp_path / "whoosh"), _segment_files(tmp_path / "ours")
    assert set(theirs) == {"pst", "trm", "_body_len.col", "_head_len.col", "_stored.col"}
    assert ours == theirs


def test_rows_of_both_fields_and_empty_words_are_whoosh_writers_files(tmp_path: Path) -> None:
    schema = IndexLifecycle._schema()
    _by_whoosh(tmp_path / "whoosh", schema, _edge_rows())
    _by_us(tmp_path / "ours", schema, _edge_rows(), small_raw=False)
    assert _segment_files(tmp_path / "ours") == _segment_files(tmp_path / "whoosh")


@pytest.mark.parametrize("foreign", [False, True], ids=["text-fields", "other-field"])
def test_one_counting_writes_the_segment_and_the_rows_file_the_two_writers_write(
    tmp_path: Path, foreign: bool
) -> None:
    from index.segworker import StagingTarget
    from index.word_rows import stage_word_rows
    from index.word_segments import write_segment_and_rows
    from tests.index.test_word_rows import encode_rows_a768e3e

    rows = _edge_rows()
    if foreign:  # a field the schema does not index: its words are in the rows file only
        rows.append(WordRow(f"edge{KEY_SEP}9", "edge", {"body": "改革", "note": joined_words("维和行动")}))
    revisions = {r.doc: "rev-" + r.doc for r in rows}
    schema = IndexLifecycle._schema()
    one, two = tmp_path / "one", tmp_path / "two"
    seg = write_segment_and_rows(StagingTarget(one, schema), rows, revisions, stage_in=one)
    ref = write_segment(StagingTarget(two, schema), rows)
    stage_word_rows(two, rows, revisions, ref.segment_id())
    staged = (one / f"staged-rows-{seg.segment_id()}.wrw").read_bytes()
    assert _segment_files(one) == _segment_files(two)
    docs: list[tuple[str, str, int]] = []
    for r in rows:
        if docs and docs[-1][0] == r.doc:
            docs[-1] = (r.doc, docs[-1][1], docs[-1][2] + 1)
        else:
            docs.append((r.doc, revisions[r.doc], 1))
    joined = [WORD_SEP.join(v for v in r.fields.values() if v) for r in rows]
    assert staged == encode_rows_a768e3e(docs, joined, [], seg.segment_id())


def test_block_pickles_made_at_once_are_pickle_dumps_of_whooshs_block_tuples() -> None:
    """Ids past 2**8, 2**16 and 2**24, frequencies past 127 and 255, weight tuples of up to 3 and more."""
    import pickle
    import random
    from itertools import pairwise

    import numpy as np

    from index.word_segments import _Blocks, _Counted, _data_pickles, _info_pickles

    rng = random.Random(5)
    docs: list[int] = []
    freqs: list[int] = []
    starts = [0]
    for _ in range(400):
        n = rng.choice([1, 1, 2, 3, 4, 7, 15, 16, 40, 129, 300])
        top = rng.choice([400, 60_000, 5_000_000, 2**31 - 1])
        docs += sorted(rng.sample(range(top), n))
        same = rng.random() < 0.4
        f0 = rng.choice([1, 2, 127, 128, 255, 256, 70_000])
        freqs += [f0 if same else rng.choice([1, 2, 3, 130, 300, 65_537]) for _ in range(n)]
        starts.append(len(docs))
    lengths = [rng.randint(1, 120_000) for _ in range(2**12)]
    real = np.asarray(docs, dtype=np.int64)
    c = _Counted(
        [f"t{k}" for k in range(400)], np.arange(400, dtype=np.int64), np.asarray(starts, dtype=np.int64),
        real % len(lengths), np.asarray(freqs, dtype=np.int64), lengths,
    )  # fmt: skip
    for boost in (1.0, 2.0):
        c.docs = real % len(lengths)  # the rows' length bytes are those of some row of ``lengths``
        blocks = _Blocks.of(c, boost, 128, 16)
        c.docs = real
        values = c.freqs.astype(">u4").tobytes()
        everyone = np.arange(len(blocks.starts), dtype=np.int64)
        data, data_at = _data_pickles(blocks, values, everyone)
        info, info_at = _info_pickles(blocks)
        d, w = c.docs.tolist(), (c.freqs * boost).astype(np.float32).tolist()
        lbytes = blocks.lbytes.tolist()
        for b, (s, e) in enumerate(zip(blocks.starts.tolist(), blocks.ends.tolist(), strict=True)):
            ids, ws = d[s:e], w[s:e]
            mini = None if all(x == 1.0 for x in ws) else ws[0] if all(x == ws[0] for x in ws) else tuple(ws)
            deltas = (ids[0], *(y - x for x, y in pairwise(ids)))
            expected = pickle.dumps((deltas, mini, values[4 * s : 4 * e]), 2)
            assert data[data_at[b] : data_at[b + 1]] == expected, (b, e - s)
            comp = 0 if e - s < 16 else 3
            head = (e - s, ids[-1], max(ws), comp, min(lbytes[s:e]), max(lbytes[s:e]))
            assert info[info_at[b] : info_at[b + 1]] == pickle.dumps(head, 2), b
