"""Tests of the per-word row postings written beside the word index (index.word_rows)."""

from __future__ import annotations

import json
import struct
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from index import SearchEngine
from index.word_rows import (
    MAX_SMALL_FILES,
    RowsFile,
    encode_row_words,
    encode_rows,
    list_files,
    newest,
)
from index.words import WORD_SEP
from tests.index.conftest import make_doc

ROWS_FORMAT = 1
_ENTRY = struct.Struct("<QII")
_LEN = struct.Struct("<I")
"""The rows file's format as of a768e3e (its header's version, a bucket entry or record tail, a length)."""

QUERIES = ["维和改革", "维持和平 妇女", "保护平民 OR 伙伴关系", "维和 -改革", "和平行动"]
TEXTS = ["维和行动需要改革", "推进维和改革", "维持和平行动中的妇女", "保护平民和伙伴关系", "改革维和"]


def _answers(engine: SearchEngine) -> list[tuple[int, int, set[tuple[str, str, bool]]]]:
    """Totals and the hits found, not their scores.

    Whoosh's statistics count deleted postings, so an index built step by step
    scores its loose hits apart from one built at once.
    """
    out = []
    for q in QUERIES:
        r = engine.search(q, limit=50, words=True)
        out.append((r.total, r.exact_total, {(h.doc_id, h.block_id, h.exact) for h in r.hits}))
    return out


def test_many_small_additions_replacements_and_removals_stay_few_files_with_the_same_answers(
    tmp_path: Path,
) -> None:
    engine = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    final: dict[str, list[str]] = {}
    for k in range(3 * MAX_SMALL_FILES):
        texts = [TEXTS[(k + j) % len(TEXTS)] for j in range(1 + k % 3)]
        engine.add_document(make_doc(f"d{k % 11}", texts))
        final[f"d{k % 11}"] = texts
        if k % 5 == 4:
            gone = f"d{(k + 3) % 11}"
            if gone in final:
                assert engine.remove_document(gone)
                del final[gone]
    files = list_files(engine.words_dir)
    assert len(files) <= MAX_SMALL_FILES + 1
    latest = newest(files)
    assert {d for d, (_, k) in latest.items() if k >= 0} >= set(final)
    fresh = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    for doc_id, texts in sorted(final.items()):
        fresh.add_document(make_doc(doc_id, texts))
    expected = _answers(fresh)
    assert any(total > exact for total, exact, _ in expected)
    assert _answers(engine) == expected
    reopened = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    assert _answers(reopened) == expected
    assert reopened.check(repair=False).ok
    for e in (engine, fresh, reopened):
        e.close()


def test_a_file_is_its_batchs_rows_in_order_and_checks_every_part(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和行动需要改革", "推进维和改革", ""]))
    (path,) = engine.words_dir.glob("rows-*.wrw")
    f = RowsFile.open(path)
    assert f.docs == [("d1", "rev-d1-3", 4)]
    assert f.rows == 4
    f.verify()
    with open(path, "rb") as fh:
        found = f.lookup(fh, ["改革".encode(), "推进".encode(), "不在".encode()])
    assert [r.tolist() for r in found] == [[1, 2], [2], []]
    data = path.read_bytes()
    path.write_bytes(data[:-1])
    problems: list[str] = []
    assert list_files(engine.words_dir, problems) == []
    assert problems
    assert path.with_name(path.name + ".bad").is_file()


def test_a_word_longer_than_64_kb_is_a_whole_word_like_any_other(engine: SearchEngine) -> None:
    run = "x1" * 40_000  # jieba glues a run of Latin letters and digits into one word
    engine.add_document(make_doc("d1", [f"维和{run}的改革", "推进维和改革"]))
    (path,) = engine.words_dir.glob("rows-*.wrw")
    f = RowsFile.open(path)
    with open(path, "rb") as fh:
        (found,) = f.lookup(fh, [run.encode()])
    assert found.tolist() == [1]
    snap = engine.life.snapshot
    assert snap is not None
    # Not through search(): an 80 000-character query term costs the exact layer gigabytes.
    assert engine._words._whole_rows(snap, [run, "改革"])[run].tolist() == [1]


def encode_rows_a768e3e(
    docs: list[tuple[str, str, int]], joined: Iterable[str], gone: list[str], segment_id: str | None
) -> bytes:
    """``encode_rows`` as of commit a768e3e, frozen: one row, one word at a time (the format's reference)."""
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
    n_rows = sum(r for _, _, r in docs)
    if len(per_row) != n_rows:
        raise ValueError("rows disagree with their documents")
    words = list(vocab)
    row_of = np.repeat(np.arange(n_rows, dtype=np.int64), per_row)
    key = np.frombuffer(ids, dtype=np.int32).astype(np.int64) * max(1, n_rows) + row_of
    key.sort()
    word_of = key // max(1, n_rows)
    local = (key % max(1, n_rows)).astype("<u4")
    starts = np.searchsorted(word_of, np.arange(len(words) + 1)).tolist()
    buckets = 1 << max(0, (len(words) // 4).bit_length())
    encoded = [w.encode("utf-8") for w in words]
    bucket_of = [zlib.crc32(b) & (buckets - 1) for b in encoded]
    postings = local.tobytes()
    probe: dict[str, object] = {"format": ROWS_FORMAT, "segment": segment_id, "docs": docs, "gone": gone,
                                "buckets": buckets}  # fmt: skip
    head_len = len(_header(probe, 10**15, 10**15, 10**15, 10**15))
    table_at = head_len
    records_at = table_at + buckets * _ENTRY.size
    by_bucket: list[list[int]] = [[] for _ in range(buckets)]
    for i, b in enumerate(bucket_of):
        by_bucket[b].append(i)
    records: list[bytes] = []
    table: list[bytes] = []
    at = records_at
    postings_at = records_at + sum(_LEN.size + len(b) + _ENTRY.size for b in encoded)
    for members in by_bucket:
        parts = []
        for i in members:
            s, e = starts[i], starts[i + 1]
            blob = postings[4 * s : 4 * e]
            parts.append(
                _LEN.pack(len(encoded[i]))
                + encoded[i]
                + _ENTRY.pack(postings_at + 4 * s, e - s, zlib.crc32(blob))
            )
        rec = b"".join(parts)
        table.append(_ENTRY.pack(at, len(rec), zlib.crc32(rec)))
        records.append(rec)
        at += len(rec)
    size = postings_at + len(postings)
    head = _header(probe, table_at, records_at, postings_at, size, head_len)
    return head + b"".join(table) + b"".join(records) + postings


def _header(
    probe: dict[str, object], table: int, records: int, postings: int, size: int, width: int = 0
) -> bytes:
    body = dict(probe, table=table, records=records, postings=postings, size=size)
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return text + b" " * max(0, width - len(text) - 1) + b"\n"


def _joined_rows() -> tuple[list[tuple[str, str, int]], list[str]]:
    """Four laws' rows joined as a rows file takes them, and rows of no, empty and repeated words."""
    from tests.index.test_word_segments import _edge_rows

    rows = _edge_rows()
    docs: list[tuple[str, str, int]] = []
    for r in rows:
        if docs and docs[-1][0] == r.doc:
            docs[-1] = (r.doc, docs[-1][1], docs[-1][2] + 1)
        else:
            docs.append((r.doc, "rev-" + r.doc, 1))
    return docs, [WORD_SEP.join(v for v in r.fields.values() if v) for r in rows]


def test_encode_rows_writes_the_bytes_it_wrote_one_word_at_a_time() -> None:
    docs, joined = _joined_rows()
    assert len(set(WORD_SEP.join(joined).split(WORD_SEP))) > 1000  # many buckets
    for gone, seg in (([], "s1"), (["old", "x"], None)):
        assert encode_rows(docs, joined, gone, seg) == encode_rows_a768e3e(docs, joined, gone, seg)
    assert encode_rows([], [], ["x"], None) == encode_rows_a768e3e([], [], ["x"], None)
    assert encode_rows([("d", "r", 2)], ["", WORD_SEP], [], None) == encode_rows_a768e3e(
        [("d", "r", 2)], ["", WORD_SEP], [], None
    )


def test_words_counted_with_the_segment_give_encode_rows_file() -> None:
    from index.lifecycle import IndexLifecycle
    from index.word_segments import WordRow, count_rows
    from tests.index.test_word_segments import _edge_rows

    rows = _edge_rows()
    docs, joined = _joined_rows()
    counted = count_rows(IndexLifecycle._schema(), rows).row_words(rows)
    assert counted is not None
    assert encode_row_words(docs, counted, ["gone"], "s") == encode_rows_a768e3e(docs, joined, ["gone"], "s")
    # A field the schema does not index: its words are not counted with the segment's.
    other = [*rows, WordRow("edge\x1f9", "edge", {"note": "改革"})]
    assert count_rows(IndexLifecycle._schema(), other).row_words(other) is None


def test_write_word_rows_from_counted_words_writes_the_same_file(tmp_path: Path) -> None:
    from index.lifecycle import IndexLifecycle
    from index.word_rows import write_word_rows
    from index.word_segments import count_rows
    from tests.index.test_word_segments import _edge_rows

    rows = _edge_rows()
    revisions = {r.doc: "rev-" + r.doc for r in rows}
    counted = count_rows(IndexLifecycle._schema(), rows).row_words(rows)
    write_word_rows(tmp_path / "a", rows, revisions, "seg", ["gone"], counted=counted)
    write_word_rows(tmp_path / "b", rows, revisions, "seg", ["gone"])
    (a,), (b,) = (tmp_path / "a").glob("rows-*.wrw"), (tmp_path / "b").glob("rows-*.wrw")
    assert a.read_bytes() == b.read_bytes()
    none = count_rows(IndexLifecycle._schema(), []).row_words([])
    assert none is not None
    assert encode_row_words([], none, ["x"], None) == encode_rows_a768e3e([], [], ["x"], None)
