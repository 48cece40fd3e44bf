"""Index integrity under concurrent writers and damaged store files (issue 13's index-side points)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from index import SearchEngine
from index.store import store_file_name
from tests.index.conftest import make_doc

ROOT = Path(__file__).resolve().parents[2]

# Each child opens the index, says so, waits for the go file, then syncs the same documents.
_CHILD = r"""
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from index import SearchEngine, IndexDoc, IndexBlock
index_dir, ready, go = Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])
def block(k, i):
    return IndexBlock(f"b{i}", "paragraph", None, f"维和行动需要改革第{k}号文件第{i}段", ())
docs = [IndexDoc(f"d{k}", f"文件{k}", None, f"r{k}", tuple(block(k, i) for i in range(40))) for k in range(6)]
engine = SearchEngine(index_dir, cache_dir=index_dir.parent / "cache", lock_timeout=60)
engine.indexed()  # both processes see the index as it was before either wrote
ready.touch()
deadline = time.monotonic() + 60
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.01)
engine.sync({d.doc_id: d.revision for d in docs}, {d.doc_id: d for d in docs}.__getitem__)
"""


def test_two_processes_syncing_at_once_leave_no_duplicate_word_postings(tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    go = tmp_path / "go"
    procs = []
    for k in range(2):
        ready = tmp_path / f"ready{k}"
        args = [str(ROOT), str(index_dir), str(ready), str(go)]
        procs.append((ready, subprocess.Popen([sys.executable, "-c", _CHILD, *args])))
    deadline = time.monotonic() + 60
    while not all(r.exists() for r, _ in procs) and time.monotonic() < deadline:
        time.sleep(0.02)
    go.touch()
    for _, p in procs:
        assert p.wait(timeout=120) == 0
    health = SearchEngine(index_dir, cache_dir=tmp_path / "cache").check(repair=False)
    assert health.ok, health.problems
    assert health.blocks == 6 * 41  # 40 paragraphs and the title row per document
    assert health.words_docs == health.blocks


def _loose_only(engine: SearchEngine) -> tuple[int, int]:
    res = engine.search("维和改革", words=True)
    return res.total, res.exact_total


def test_truncated_store_file_is_reported_and_its_words_indexed_again_by_the_next_sync(
    engine: SearchEngine,
) -> None:
    doc = make_doc("d1", ["维和行动需要改革", "推进维和改革"])
    other = make_doc("d2", ["人道主义"])
    engine.add_document(doc)
    engine.add_document(other)
    assert _loose_only(engine) == (2, 1)
    path = engine.store_dir / store_file_name("d1")
    path.write_bytes(path.read_bytes()[:-5])
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    health = fresh.check(repair=False)
    assert not health.ok
    assert any("d1" in p for p in health.problems)
    wanted = {d.doc_id: d.revision for d in (doc, other)}
    fresh.sync(wanted, {"d1": doc, "d2": other}.__getitem__)
    assert _loose_only(fresh) == (2, 1)  # the word-only hit is back in the same process
    after = fresh.check(repair=False)
    assert after.ok, after.problems
    assert after.words_docs == after.blocks


def test_damaged_row_postings_fail_the_check_and_their_words_are_indexed_again_by_the_next_sync(
    engine: SearchEngine,
) -> None:
    from index.word_rows import list_files

    doc = make_doc("d1", ["维和行动需要改革", "推进维和改革"])
    engine.add_document(doc)
    (held,) = list_files(engine.words_dir)
    data = held.path.read_bytes()
    held.path.write_bytes(data[: held.postings] + bytes(b ^ 0xFF for b in data[held.postings :]))
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    health = fresh.check(repair=False)
    assert not health.ok
    assert any("word rows file" in p for p in health.problems)
    assert any("words of d1" in p for p in health.problems)
    assert fresh.words_pending() == ["d1"]
    assert held.path.with_name(held.path.name + ".bad").is_file()  # set aside, kept for inspection
    fresh.sync({"d1": doc.revision}, {"d1": doc}.__getitem__)
    assert _loose_only(fresh) == (2, 1)
    assert fresh.check(repair=False).ok
    meta = json.loads(engine.meta_path.read_text(encoding="utf-8"))
    assert meta["words"] == {"d1": doc.revision}


def _page(engine: SearchEngine, query: str) -> list[tuple[str, str, str, float, str]]:
    res = engine.search(query, limit=50, words=False)
    return [(h.doc_id, h.block_id, h.kind, round(h.score, 9), h.snippet) for h in res.hits] + [
        ("total", str(res.total), "", 0.0, "")
    ]


def test_many_small_additions_are_merged_and_search_as_one_rebuild(tmp_path: Path) -> None:
    docs = [
        make_doc(f"d{k:02d}", [f"维和行动第{k}段", "推进维和改革", f"第{k % 3}号决议"]) for k in range(30)
    ]
    one_by_one = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    for d in docs:
        one_by_one.add_document(d, words=False)
    # Replace some (their old rows die in their old segments), remove others.
    for k in range(0, 30, 4):
        docs[k] = make_doc(f"d{k:02d}", [f"改写后的第{k}段", "维和"])
        one_by_one.add_document(docs[k], words=False)
    for k in (3, 17):
        assert one_by_one.remove_document(f"d{k:02d}")
    kept = [d for d in docs if d.doc_id not in ("d03", "d17")]
    segments = list((tmp_path / "a" / "segments").iterdir())
    assert len(segments) <= 10, "small segments are merged"
    rebuilt = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    rebuilt.rebuild(kept)
    reopened = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    for q in ("维和", "第1", "改写", "决议 -第0号", "维和 OR 改革", "段"):
        assert _page(one_by_one, q) == _page(rebuilt, q) == _page(reopened, q), q
    assert reopened.check(repair=False).ok


def test_a_page_of_hits_reads_no_store_file(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和行动需要改革", "推进维和改革"], title="报告"))
    for path in engine.store_dir.glob("*.blk"):
        path.write_bytes(b"")  # unreadable, but present
    cold = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    res = cold.search("维和", words=False)
    assert [(h.block_id, h.snippet) for h in res.hits] == [("t1", "推进维和改革"), ("t0", "维和行动需要改革")]
    assert not cold.check(repair=False).ok  # check reads them whole and says so


def test_damaged_segment_is_reported_and_its_documents_synced_again(engine: SearchEngine) -> None:
    doc = make_doc("d1", ["维和行动需要改革"])
    engine.add_document(doc)
    (seg,) = (engine.index_dir / "segments").iterdir()
    seg.write_bytes(seg.read_bytes()[:100])
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    assert fresh.search("维和", words=False).total == 0
    health = fresh.check(repair=False)
    assert not health.ok
    assert any("segment" in p for p in health.problems)
    fresh.sync({"d1": doc.revision}, {"d1": doc}.__getitem__)
    assert fresh.search("维和", words=False).total == 1
    after = fresh.check(repair=False)
    assert after.ok, after.problems
    assert after.words_docs == after.blocks


def test_a_manifest_disagreeing_with_its_segment_drops_the_document_instead_of_failing(
    engine: SearchEngine,
) -> None:
    doc = make_doc("d1", ["维和行动需要改革", "推进维和改革"])
    engine.add_document(doc, words=False)
    engine.add_document(make_doc("d2", ["人道主义"]), words=False)
    meta = json.loads(engine.meta_path.read_text(encoding="utf-8"))
    meta["docs"]["d1"]["rows"] += 1
    engine.meta_path.write_text(json.dumps(meta), encoding="utf-8")
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    assert fresh.search("人道", words=False).total == 1
    assert fresh.search("维和", words=False).total == 0
    assert not fresh.check(repair=False).ok
    fresh.sync({"d1": doc.revision, "d2": "rev-d2-1"}, {"d1": doc}.__getitem__, words=False)
    assert fresh.search("维和", words=False).total == 2
