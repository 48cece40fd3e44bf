import json
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from index import IndexBusy, IndexDoc, NoteRecord, SearchEngine
from index.normalize import is_cjk
from index.store import store_file_name
from reader.core.model import Document
from tests.index.conftest import make_doc


def _hits(engine: SearchEngine, query: str, **kw: object) -> set[str]:
    res = engine.search(query, limit=100_000, words=False, **kw)  # type: ignore[arg-type]
    assert res.total == len(res.hits)
    return {h.block_id for h in res.hits}


def _containing(doc: IndexDoc, needle: str) -> set[str]:
    return {b.block_id for b in doc.blocks if needle in b.text}


def _substrings(doc: IndexDoc, n: int, seed: int) -> list[str]:
    """Random 1-8 character substrings; a third forced to cross a CJK/Latin-digit boundary."""
    rng = random.Random(seed)
    texts = [b.text for b in doc.blocks if b.text]
    out: list[str] = []
    while len(out) < n:
        text = rng.choice(texts)
        size = rng.randint(1, 8)
        if len(out) % 3 == 0:
            edges = [i for i in range(1, len(text)) if is_cjk(text[i - 1]) != is_cjk(text[i])]
            if not edges:
                continue
            edge = rng.choice(edges)
            start = max(0, edge - rng.randint(1, max(1, size - 1)))
        else:
            start = rng.randrange(0, max(1, len(text) - size + 1))
        sub = text[start : start + size]
        if sub.strip():
            out.append(sub)
    return out


def test_recall_matches_python_in_over_1000_random_substrings(
    sample_engine: SearchEngine, sample_index_doc: IndexDoc
) -> None:
    queries = _substrings(sample_index_doc, 1200, seed=20240611)
    assert sum(any(not is_cjk(c) for c in q) and any(is_cjk(c) for c in q) for q in queries) > 300
    norm = sample_engine.normalizer.normalize
    folded = {b.block_id: norm(b.text) for b in sample_index_doc.blocks}
    for q in queries:
        got = _hits(sample_engine, q)
        assert _containing(sample_index_doc, q) <= got, q
        if " " not in q.strip() and not q.startswith(("-", '"')):
            assert got == {bid for bid, t in folded.items() if norm(q) in t}, q


@pytest.mark.parametrize(
    ("query", "expected"),
    [("平行", 42), ("合国", None), ("持和平", None), ("性剥削", None), ("A/74/533", 1), ("VID-19", None)],
)
def test_issue_examples_find_every_containing_block(
    sample_engine: SearchEngine, sample_index_doc: IndexDoc, query: str, expected: int | None
) -> None:
    want = _containing(sample_index_doc, query)
    assert want
    got = _hits(sample_engine, query)
    assert got == want
    if expected is not None:
        assert len(got) == expected


def test_query_cutting_a_number_and_a_word(sample_engine: SearchEngine, sample_index_doc: IndexDoc) -> None:
    norm = sample_engine.normalizer.normalize
    phrase = {b.block_id for b in sample_index_doc.blocks if norm("020 年") in norm(b.text)}
    assert _containing(sample_index_doc, "020 年") < phrase, "2020年 without a space counts too"
    res = sample_engine.search("020 年", limit=len(phrase), words=False)
    assert phrase <= _hits(sample_engine, "020 年")
    assert {h.block_id for h in res.hits} == phrase, "blocks with the words together rank first"
    assert {h.block_id for h in sample_engine.search('"020 年"', limit=1000).hits} == phrase


def test_spaces_inside_numbers_and_width_folding(
    sample_engine: SearchEngine, sample_index_doc: IndexDoc
) -> None:
    want = _containing(sample_index_doc, "94 000")
    assert want
    assert _hits(sample_engine, "94000") == want
    assert _hits(sample_engine, "９４０００") == want
    assert _hits(sample_engine, "vid-19") == _containing(sample_index_doc, "VID-19")


def test_snippet_spans_point_at_the_match_in_the_original(sample_engine: SearchEngine) -> None:
    res = sample_engine.search("94000", words=False)
    hit = res.hits[0]
    s, e = hit.spans[0]
    assert hit.snippet[s:e] == "94 000"
    res = sample_engine.search("维和 改革", limit=50, words=False)
    for hit in res.hits:
        marked = {hit.snippet[s:e] for s, e in hit.spans}
        assert marked <= {"维和", "改革", "维和改革"}
        assert marked


def test_block_spans_index_the_whole_block_text(
    sample_engine: SearchEngine, sample_index_doc: IndexDoc
) -> None:
    texts = {b.block_id: b.text for b in sample_index_doc.blocks}
    for hit in sample_engine.search("特派团", limit=30).hits:
        assert all(texts[hit.block_id][s:e] == "特派团" for s, e in hit.block_spans)
        assert len(hit.snippet) <= 120


def test_heading_ranks_above_passing_mention(engine: SearchEngine) -> None:
    body = "各国代表讨论了许多问题,其中也顺带提到战略背景的若干方面,但重点在于预算和人员编制的安排。" * 3
    doc = make_doc(
        "d1",
        [body, "战略背景", body.replace("战略背景", "背景")],
        kinds=["paragraph", "heading", "paragraph"],
    )
    engine.add_document(doc)
    res = engine.search("战略背景", words=False)
    assert [h.block_id for h in res.hits] == ["t1", "t0"]
    assert res.hits[0].kind == "heading"


def test_phrase_beats_scattered_words(engine: SearchEngine) -> None:
    engine.add_document(
        make_doc(
            "d1",
            [
                "安全理事会审议了改革方案,维和人员的安全问题另行讨论。",
                "会员国支持维和改革,并呼吁加快进度。",
                "维和人员与改革议程之间的关系有待澄清,各方意见不一。",
            ],
        )
    )
    res = engine.search("维和 改革", words=False)
    assert res.total == 3
    assert res.hits[0].block_id == "t1"


def test_exact_ranks_above_word_matches(engine: SearchEngine) -> None:
    engine.add_document(
        make_doc("d1", ["维和行动需要改革,这一点已成共识。", "推进维和改革。", "与此无关的段落。"])
    )
    res = engine.search("维和改革", words=True)
    assert res.exact_total == 1
    assert [(h.block_id, h.exact) for h in res.hits] == [("t1", True), ("t0", False)]
    assert res.total == 2
    assert engine.search('"维和改革"', words=True).total == 1


def test_operators_and_filters(engine: SearchEngine) -> None:
    engine.add_document(
        make_doc("aa", ["维和行动与妇女", "维和行动与青年", "人道主义援助"], title="维和报告")
    )
    engine.add_document(make_doc("bb", ["维和行动的预算", "人道主义协调"], title="预算报告"))
    assert engine.search("维和 -妇女", words=False).total == 2
    assert engine.search("妇女 OR 青年", words=False).total == 2
    assert {h.doc_id for h in engine.search("维和 doc:bb", words=False).hits} == {"bb"}
    assert {h.doc_id for h in engine.search("维和", doc="aa", words=False).hits} == {"aa"}
    titles = engine.search("in:title 预算", words=False)
    assert [(h.doc_id, h.kind, h.block_id) for h in titles.hits] == [("bb", "title", "")]
    assert engine.search("预算", words=False).total == 1, "titles are not body hits"


@pytest.mark.parametrize(
    "query", ['"', "-", '"维和', "OR", "- OR -", "doc:", "in:title", "\x00", "((", "*", "维和 -"]
)
def test_malformed_queries_never_raise(sample_engine: SearchEngine, query: str) -> None:
    res = sample_engine.search(query, words=True)
    assert res.total >= len(res.hits)


def test_paging_is_consistent(sample_engine: SearchEngine) -> None:
    full = sample_engine.search("维和", limit=60, words=False)
    pages = [sample_engine.search("维和", limit=20, offset=o, words=False) for o in (0, 20, 40)]
    assert [h.block_id for p in pages for h in p.hits] == [h.block_id for h in full.hits]
    assert all(p.total == full.total for p in pages)
    scores = [h.score for h in full.hits]
    assert scores == sorted(scores, reverse=True)


def test_notes_are_searchable(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["第一段", "第二段"]))
    engine.set_notes([NoteRecord("d1", "n1", "t1", "需要核实这一数据"), NoteRecord("d1", "n2", "t0", "支持")])
    res = engine.search("in:notes 核实")
    assert [(h.note_id, h.block_id, h.number, h.kind) for h in res.hits] == [("n1", "t1", "2", "note")]
    assert engine.search("核实").total == 0


def test_incremental_add_update_remove(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和行动"]))
    engine.add_document(make_doc("d2", ["人道主义"]))
    assert engine.search("人道", words=False).total == 1
    engine.add_document(make_doc("d2", ["改写后的文本", "另一段"]))
    assert engine.search("人道", words=False).total == 0
    assert engine.search("改写", words=True).total == 1
    assert engine.remove_document("d1")
    assert not engine.remove_document("d1")
    assert engine.search("维和", words=True).total == 0
    assert engine.indexed() == {"d2": "rev-d2-2"}
    reopened = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    assert reopened.indexed() == {"d2": "rev-d2-2"}
    assert reopened.search("另一段", words=False).total == 1
    assert reopened.check(repair=False).ok


def test_exact_search_works_from_disk_without_whoosh(
    engine: SearchEngine, sample_index_doc: IndexDoc
) -> None:
    engine.add_document(sample_index_doc)
    cold = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    res = cold.search("平行", words=False)
    assert res.total == 42
    assert cold._ix is None, "exact search must not open the word index"


def test_corrupt_store_file_is_detected_and_dropped(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和行动"]))
    engine.add_document(make_doc("d2", ["人道主义"]))
    path = engine.store_dir / store_file_name("d1")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 3])
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    health = fresh.check()
    assert not health.ok
    assert any("d1" in p for p in health.problems)
    assert fresh.indexed() == {"d2": "rev-d2-1"}
    assert fresh.check().ok
    assert fresh.search("人道").total == 1


@pytest.mark.parametrize(
    "damage", ["garbage_meta", "no_meta", "old_schema", "broken_whoosh", "missing_whoosh"]
)
def test_damaged_index_is_detected_and_rebuilt(engine: SearchEngine, damage: str) -> None:
    engine.add_document(make_doc("d1", ["维和行动的改革"]))
    engine.close()
    if damage == "garbage_meta":
        engine.meta_path.write_text("{not json", encoding="utf-8")
    elif damage == "no_meta":
        engine.meta_path.unlink()
    elif damage == "old_schema":
        meta = json.loads(engine.meta_path.read_text(encoding="utf-8"))
        meta["schema_version"] = 0
        engine.meta_path.write_text(json.dumps(meta), encoding="utf-8")
    elif damage == "broken_whoosh":
        for f in engine.words_dir.iterdir():
            f.write_bytes(b"\x00garbage")
    else:
        for f in engine.words_dir.iterdir():
            f.unlink()
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    health = fresh.check()
    assert not health.ok
    assert health.repaired
    # The library is the source of truth: sync puts back what was dropped.
    progress: list[tuple[int, int]] = []
    fresh.sync(
        {"d1": "rev-d1-1"},
        lambda _id: make_doc("d1", ["维和行动的改革"]),
        progress=lambda d, t: progress.append((d, t)),
    )
    assert progress
    assert progress[-1][0] == progress[-1][1]
    assert fresh.check().ok
    assert fresh.search("维和改革", words=True).total == 1


def test_stale_lock_is_reported_and_taken(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和"]))
    engine.lock.path.write_text("pid 999999999\n", encoding="utf-8")
    (engine.words_dir / "MAIN_WRITELOCK").write_text("stale", encoding="utf-8")
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir, lock_timeout=1.0)
    health = fresh.check()
    assert any("stale writer lock" in p for p in health.problems)
    fresh.add_document(make_doc("d2", ["人道"]))
    assert fresh.search("人道", words=True).total == 1
    assert fresh.check().ok


def test_live_writer_in_another_process_blocks_with_a_clear_error(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和"]))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
            str(engine.lock.path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(IndexBusy, match="another process"):
            engine.add_document(make_doc("d2", ["人道"]))
        assert engine.search("维和", words=False).total == 1, "readers never wait for the writer"
    finally:
        holder.kill()
        holder.wait()
    engine.add_document(make_doc("d2", ["人道"]))
    assert engine.search("人道", words=False).total == 1


def test_bulk_rebuild_reports_progress_and_cancel_leaves_usable_index(engine: SearchEngine) -> None:
    docs = [make_doc(f"d{i}", [f"文件{i}维和行动段落", f"第{i}号附件"]) for i in range(6)]
    stop = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done == 3:
            stop.set()

    report = engine.rebuild(iter(docs), total=len(docs), progress=progress, cancel=stop.is_set)
    assert report.cancelled
    assert seen[:3] == [(1, 6), (2, 6), (3, 6)]
    assert engine.search("维和", words=False).total == 3
    assert engine.check(repair=False).ok
    wanted = {d.doc_id: d.revision for d in docs}
    by_id = {d.doc_id: d for d in docs}
    report = engine.sync(wanted, by_id.__getitem__)
    assert (report.added, report.removed, report.cancelled) == (3, 0, False)
    assert engine.search("维和", words=True).total == 6
    assert not engine.words_pending()


def test_sync_reports_a_document_that_fails_to_load(engine: SearchEngine) -> None:
    def load(doc_id: str) -> IndexDoc:
        if doc_id == "bad":
            raise ValueError("cannot parse")
        return make_doc(doc_id, ["维和"])

    report = engine.sync({"ok": "rev-ok-1", "bad": "x"}, load)
    assert report.added == 1
    assert report.failed == ["bad: cannot parse"]


def test_traditional_query_finds_simplified_text(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维持和平行动", "乾隆年间"]))
    assert _hits(engine, "維持和平") == {"t0"}
    assert _hits(engine, "乾") == {"t1"}


def test_partial_flag_before_jieba(sample_doc: Document, tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from index import SearchEngine; "
        "e = SearchEngine(Path(sys.argv[1])); r = e.search('维和改革', words=None); "
        "print(r.partial, r.total, 'jieba' in sys.modules)"
    )
    engine = SearchEngine(tmp_path / "index", cache_dir=tmp_path / "cache")
    engine.add_document(make_doc("d1", ["维和改革", "维和行动需要改革"]))
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "index")], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["True", "1", "False"]


def test_a_spaced_number_in_the_query_highlights_only_that_number(sample_engine: SearchEngine) -> None:
    # "94 000" is one term, as the normaliser reads "94 000" in the text; the 94 inside 1948 is not a hit.
    res = sample_engine.search("94 000", words=False)
    assert res.hits
    for hit in res.hits:
        assert [hit.snippet[a:b] for a, b in hit.spans] == ["94 000"]
