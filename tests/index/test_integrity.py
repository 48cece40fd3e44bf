"""Index integrity under concurrent writers and damaged store files (issue 13's index-side points)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from index import SearchEngine
from index.store import store_file_name, words_file_name
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


def test_emptied_words_file_fails_the_check_and_is_indexed_again_by_the_next_sync(
    engine: SearchEngine,
) -> None:
    doc = make_doc("d1", ["维和行动需要改革", "推进维和改革"])
    engine.add_document(doc)
    (engine.store_dir / words_file_name("d1")).write_bytes(b"")
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    health = fresh.check(repair=False)
    assert not health.ok
    assert any("words of d1" in p for p in health.problems)
    assert fresh.words_pending() == ["d1"]
    fresh.sync({"d1": doc.revision}, {"d1": doc}.__getitem__)
    assert _loose_only(fresh) == (2, 1)
    assert fresh.check(repair=False).ok
    meta = json.loads(engine.meta_path.read_text(encoding="utf-8"))
    assert meta["words"] == {"d1": doc.revision}
