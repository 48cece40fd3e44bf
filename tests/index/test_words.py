"""Tests of jieba segmentation and of word indexing in worker processes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import index.segmenting as engine_mod
from index import IndexDoc, SearchEngine
from index.lifecycle import LEGACY_WORDS_SUFFIX
from index.store import DocEntry, store_file_name
from index.types import BuildReport
from index.words import WORD_SEP, joined_words, make_tokenizer
from tests.index.conftest import make_doc

LOOSE_QUERIES = ["维和改革", "维持和平 妇女", "安全理事会 特派团", "保护平民 OR 伙伴关系", "维和 -改革"]


def test_private_tokenizer_caches_its_dictionary_in_our_folder(tmp_path: Path) -> None:
    import jieba

    tok = make_tokenizer(tmp_path)
    assert Path(tok.cache_file) == tmp_path / f"jieba-{jieba.__version__}.cache"
    assert Path(tok.cache_file).is_file()
    assert tok.lcut("维持和平行动", HMM=False) == ["维持", "和平", "行动"]
    assert tok.lcut("伙伴关系", HMM=False) == ["伙伴关系"]


def test_joined_words_drop_punctuation() -> None:
    assert joined_words("维和行动,需要改革。").split(WORD_SEP) == ["维和", "行动", "需要", "改革"]
    assert joined_words("") == ""


def _docs(sample_index_doc: IndexDoc) -> list[IndexDoc]:
    blocks = sample_index_doc.blocks
    return [IndexDoc(f"s{i}", f"报告{i}", None, f"r{i}", blocks[i::3]) for i in range(3)] + [
        make_doc("extra", ["维和行动需要改革", "推进维和改革"])
    ]


def _pages(engine: SearchEngine) -> list[tuple[int, int, list[tuple[str, str, bool, float]]]]:
    out = []
    for q in LOOSE_QUERIES:
        r = engine.search(q, limit=30, words=True)
        out.append(
            (r.total, r.exact_total, [(h.doc_id, h.block_id, h.exact, round(h.score, 6)) for h in r.hits])
        )
    return out


def _built_here_then_pooled(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[IndexDoc], SearchEngine]:
    """The documents, and an engine that indexed them in this process; later builds use the workers."""
    docs = _docs(sample_index_doc)
    here = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    here.rebuild(docs)
    monkeypatch.setattr(engine_mod, "POOL_MIN_CHARS", 0)
    return docs, here


@pytest.mark.slow
def test_words_segmented_by_worker_processes_equal_in_process(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, here = _built_here_then_pooled(tmp_path, sample_index_doc, monkeypatch)
    seen: list[tuple[int, int]] = []
    pooled = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    pooled.sync(
        {d.doc_id: d.revision for d in docs},
        {d.doc_id: d for d in docs}.__getitem__,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert not pooled.words_pending()
    assert seen[-1][0] == seen[-1][1]
    assert pooled.check(repair=False).ok
    # The workers wrote each batch's row postings too, installed as the batch was committed.
    from index.word_rows import list_files

    problems: list[str] = []
    files = list_files(pooled.words_dir, problems)
    assert problems == []
    assert {doc for f in files for doc, _, _ in f.docs} == {d.doc_id for d in docs}
    incoming = pooled.life.incoming_dir
    assert not incoming.exists() or not any(incoming.iterdir())  # nothing left staged
    expected = _pages(here)
    assert any(total > exact for total, exact, _ in expected)  # loose matches are exercised
    assert _pages(pooled) == expected


@pytest.mark.slow
def test_workers_that_cannot_start_fall_back_to_this_process(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, here = _built_here_then_pooled(tmp_path, sample_index_doc, monkeypatch)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    fallback = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    report = fallback.rebuild(docs)
    assert not report.cancelled
    assert not fallback.words_pending()
    assert _pages(fallback) == _pages(here)


def _entries(sizes: list[int]) -> list[DocEntry]:
    return [DocEntry(f"d{i}", "", None, "r", 1, "s", 0, n) for i, n in enumerate(sizes)]


def test_batches_keep_order_and_share_the_text_about_evenly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_mod, "BATCH_CHARS", 1000)
    sizes = [120, 80, 300, 50, 50, 200, 90, 110, 400, 60, 70, 30]  # 1560 characters
    docs = _entries(sizes)
    for parts in (1, 2, 3):
        got = engine_mod.batches(docs, parts)
        assert [d for b in got for d in b] == docs
        assert len(got) == max(parts, 2)  # 1560 characters need two batches of at most ~1000
        share = sum(sizes) / len(got)
        biggest = max(sizes)
        assert all(abs(sum(d.chars for d in b) - share) <= biggest for b in got)
    assert engine_mod.batches([], 2) == []
    assert engine_mod.batches(_entries([5]), 2) == [_entries([5])]


@pytest.mark.slow
def test_cancelled_worker_build_keeps_what_it_committed_and_the_next_job_finishes(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, here = _built_here_then_pooled(tmp_path, sample_index_doc, monkeypatch)
    monkeypatch.setattr(engine_mod, "BATCH_CHARS", 1)  # one document per batch, one segment each
    pooled = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    by_id = {d.doc_id: d for d in docs}
    pooled.sync({d.doc_id: d.revision for d in docs}, by_id.__getitem__, words=False)
    life = pooled.life
    # A crash of an earlier job left a staged segment behind: the next job removes it.
    life.incoming_dir.mkdir(parents=True)
    (life.incoming_dir / "MAIN_leftover.pst").write_bytes(b"junk")
    seen: list[int] = []

    def cancel() -> bool:
        return len(life.word_revisions) >= 1  # once the first batch is committed

    pooled.life.index_words(progress=lambda d, t: seen.append(d), cancel=cancel)
    assert not life.incoming_dir.exists()
    assert 1 <= len(life.word_revisions) < len(docs)
    assert set(pooled.words_pending()) == {d.doc_id for d in docs} - set(life.word_revisions)
    assert pooled.check(repair=False).ok
    remaining = len(pooled.words_pending())
    assert pooled.life.index_words() == remaining
    assert not pooled.words_pending()
    assert not life.incoming_dir.exists()
    assert _pages(pooled) == _pages(here)
    assert pooled.check(repair=False).ok


def test_loose_matches_come_from_words_files_after_reopening(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和行动需要改革", "推进维和改革", "改革维和"]))
    engine.close()
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    res = fresh.search("维和改革", words=True)
    assert (res.hits[0].block_id, res.hits[0].exact) == ("t1", True)
    assert {(h.block_id, h.exact) for h in res.hits[1:]} == {("t0", False), ("t2", False)}
    assert res.total == 3
    assert fresh.check(repair=False).ok


def test_damaged_word_rows_file_is_reported_set_aside_and_indexed_again(engine: SearchEngine) -> None:
    doc = make_doc("d1", ["维和行动需要改革", "推进维和改革"])
    engine.add_document(doc)
    (path,) = engine.words_dir.glob("rows-*.wrw")
    from index.word_rows import RowsFile

    at = RowsFile.open(path).postings
    data = path.read_bytes()
    path.write_bytes(data[:at] + bytes(b ^ 0xFF for b in data[at:]))  # every postings list's checksum fails
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    res = fresh.search("维和改革", words=True)
    assert (res.total, res.exact_total) == (1, 1)  # the loose row needs the damaged postings
    assert fresh.words_pending() == ["d1"]
    assert any("words of d1" in p for p in fresh.life.problems)
    assert not path.exists()
    assert path.with_name(path.name + ".bad").is_file()
    fresh.sync({"d1": doc.revision}, {"d1": doc}.__getitem__)
    assert not fresh.words_pending()
    assert fresh.search("维和改革", words=True).total == 2
    assert fresh.check(repair=False).ok
    again = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    assert again.search("维和改革", words=True).total == 2
    fresh.close()
    again.close()


def test_missing_word_rows_are_reported_and_indexed_again(engine: SearchEngine) -> None:
    doc = make_doc("d1", ["维和行动需要改革", "推进维和改革"])
    engine.add_document(doc)
    for path in engine.words_dir.glob("rows-*.wrw"):
        path.unlink()
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    assert fresh.search("维和改革", words=True).total == 1
    assert fresh.words_pending() == ["d1"]
    fresh.sync({"d1": doc.revision}, {"d1": doc}.__getitem__)
    assert fresh.search("维和改革", words=True).total == 2
    fresh.close()


def test_words_live_in_the_row_postings_alone_and_old_words_files_go_quietly(engine: SearchEngine) -> None:
    engine.add_document(make_doc("d1", ["维和行动需要改革"]))
    assert sorted(p.suffix for p in engine.store_dir.iterdir()) == [".blk"]
    # An index written by an earlier version kept a words file per document beside its store file.
    legacy = engine.store_dir / (store_file_name("d1")[: -len(".blk")] + LEGACY_WORDS_SUFFIX)
    legacy.write_bytes(b"old words")
    engine.close()
    fresh = SearchEngine(engine.index_dir, cache_dir=engine.cache_dir)
    assert fresh.check(repair=False).ok  # not reported as damage
    assert not legacy.exists()
    assert fresh.search("维和改革", words=True).total == 1
    fresh.close()


def _real_lines(limit: int) -> list[str]:
    from index.normalize import Normalizer

    root = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
    norm = Normalizer(fold_traditional=True)
    paths = sorted((root / "laws").glob("*.txt"))[:limit] + sorted((root / "law_revisions").glob("*.md"))[:4]
    return [norm.normalize(t) for p in paths for t in p.read_text(encoding="utf-8").splitlines() if t.strip()]


def test_fast_block_cut_is_jiebas_cut_word_for_word_on_real_text() -> None:
    from index.words import _han_blocks, cut_han_block, load_jieba

    tok = load_jieba()
    blocks = [b for t in _real_lines(30) for b in _han_blocks().split(t) if b and _han_blocks().fullmatch(b)]
    assert sum(map(len, blocks)) > 150_000
    assert any(any(c.isascii() and c.isalnum() for c in b) for b in blocks)  # numbers and Latin inside runs
    differing = [b for b in blocks if cut_han_block(tok, b) != tok.lcut(b, HMM=False)]
    assert differing == []


def test_joined_words_are_jiebas_words_with_punctuation_dropped_on_real_text() -> None:
    from index.words import english_key, is_word, load_jieba

    tok = load_jieba()
    for line in _real_lines(8):
        expected = []
        for w in tok.cut(line, HMM=False):
            if is_word(w):
                expected.append(w)
                if english_key(w) != w:
                    expected.append(english_key(w))
        assert joined_words(line).split(WORD_SEP) == (expected or [""]), line


def test_whole_word_rows_are_the_rows_whose_words_hold_the_word(
    tmp_path: Path, sample_index_doc: IndexDoc
) -> None:
    engine = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    engine.rebuild(_docs(sample_index_doc))
    engine.add_document(make_doc("late", ["维和行动需要改革 rights", "推进维和改革"]))
    engine.add_document(make_doc("extra", ["改革维和", "维持和平", "和平"]))  # a new revision
    life = engine.life
    snap = life.snapshot
    assert snap is not None
    expected: dict[str, set[int]] = {}
    for i, d in snap.iter_docs():
        # Each stored row's words, cut again here from its text.
        for j, text in enumerate(life.stored(d).norms):
            for w in joined_words(text).split(WORD_SEP):
                if w:
                    expected.setdefault(w, set()).add(snap.doc_start[i] + j)
    assert len(expected) > 500
    assert "right" in expected
    words = sorted(expected)
    found = engine._words._whole_rows(snap, [*words, "不在任何行"])
    # Both ways of mapping a file's rows ran: a batch's file (every document live, one shift) and
    # the rebuild's file, whose "extra" was replaced by a later revision.
    uniform = engine._words._view_of(snap).uniform
    assert any(u is not None for u in uniform)
    assert any(u is None for u in uniform)
    assert {w: set(found[w].tolist()) for w in words} == expected
    assert not len(found["不在任何行"])
    assert all(bool((found[w][1:] > found[w][:-1]).all()) for w in words)
    engine.close()


def test_docnum_map_from_rows_files_equals_the_one_read_from_whoosh(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.words_search as words_search

    engine = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    engine.rebuild(_docs(sample_index_doc))
    for k in range(3):
        engine.add_document(make_doc(f"n{k}", ["维和行动需要改革", "推进维和改革"]))
    engine.add_document(make_doc("n1", ["改革维和"]))  # a new revision
    expected = _pages(engine)
    life = engine.life
    snap = life.snapshot
    assert snap is not None
    from_files = list(engine._words._docnums(snap, life.whoosh_searcher()))
    assert sum(1 for dn in from_files if dn >= 0) == snap.rows
    monkeypatch.setattr(words_search, "_file_rows", lambda f, reader: None)
    fresh = SearchEngine(tmp_path / "a", cache_dir=tmp_path / "cache")
    assert _pages(fresh) == expected
    fresh_snap = fresh.life.snapshot
    assert fresh_snap is not None
    assert list(fresh._words._docnums(fresh_snap, fresh.life.whoosh_searcher())) == from_files
    engine.close()
    fresh.close()


def _streaming(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document stored alone and dealt to the workers at once (the pipeline of a big sync, in small)."""
    import index.lifecycle as lifecycle_mod

    monkeypatch.setattr(lifecycle_mod, "SEGMENT_CHARS", 1)
    monkeypatch.setattr(lifecycle_mod, "EAGER_DOCS", 1)
    monkeypatch.setattr(engine_mod, "STREAM_MIN_CHARS", 1)


@pytest.mark.slow
def test_a_sync_builds_words_while_it_stores_and_says_when_exact_search_is_complete(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, here = _built_here_then_pooled(tmp_path, sample_index_doc, monkeypatch)
    _streaming(monkeypatch)
    pooled = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    at_ready: list[tuple[int, int]] = []
    exact_steps: list[tuple[int, int]] = []
    word_steps: list[tuple[int, int]] = []

    def ready(report: BuildReport) -> None:
        assert report.added == len(docs)
        res = pooled.search("维和", limit=5, words=False)
        at_ready.append((len(pooled.indexed()), res.exact_total))

    pooled.sync(
        {d.doc_id: d.revision for d in docs},
        {d.doc_id: d for d in docs}.__getitem__,
        progress=lambda d, t: exact_steps.append((d, t)),
        word_progress=lambda d, t: word_steps.append((d, t)),
        exact_ready=ready,
    )
    # Exact search held every document when it was announced, whatever the words were doing.
    assert at_ready == [(len(docs), here.search("维和", limit=5, words=False).exact_total)]
    assert exact_steps[-1] == (len(docs), len(docs))
    assert word_steps[-1] == (len(docs), len(docs))
    assert not pooled.words_pending()
    assert pooled.check(repair=False).ok
    assert _pages(pooled) == _pages(here)
    incoming = pooled.life.incoming_dir
    assert not incoming.exists() or not any(incoming.iterdir())


@pytest.mark.slow
def test_workers_that_die_while_a_sync_stores_leave_their_batches_to_this_process(
    tmp_path: Path, sample_index_doc: IndexDoc, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, here = _built_here_then_pooled(tmp_path, sample_index_doc, monkeypatch)
    _streaming(monkeypatch)
    dying = tmp_path / "dying-python"
    # Starts, takes its set-up and first batch into the pipe, then ends without answering.
    dying.write_text("#!/bin/sh\nsleep 1\nexit 3\n", encoding="ascii")
    dying.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(dying))
    pooled = SearchEngine(tmp_path / "b", cache_dir=tmp_path / "cache")
    report = pooled.sync({d.doc_id: d.revision for d in docs}, {d.doc_id: d for d in docs}.__getitem__)
    assert not report.cancelled
    assert not pooled.words_pending()
    assert pooled.check(repair=False).ok
    assert _pages(pooled) == _pages(here)


@pytest.mark.slow
def test_two_workers_are_one_process_and_the_twin_it_forks_once_jieba_is_loaded(tmp_path: Path) -> None:
    import os
    import pickle
    import subprocess

    from index.lifecycle import IndexLifecycle
    from index.segworker import read_message, write_message

    if not hasattr(os, "fork"):
        pytest.skip("no fork here: two workers are two processes")
    procs: list[engine_mod.Worker] = []
    engine_mod._start_workers(procs, 2, tmp_path / "cache")
    try:
        first, twin = procs
        assert isinstance(twin, engine_mod._Twin)
        said = read_message(twin.stdout)
        assert said[0] == "pid"
        assert isinstance(first, subprocess.Popen)
        assert said[1] != first.pid
        stat = Path(f"/proc/{said[1]}/stat")
        if stat.exists():  # Linux: the twin is the first worker's child
            assert int(stat.read_text().rsplit(")", 1)[1].split()[1]) == first.pid
        schema = pickle.dumps(IndexLifecycle._schema())
        rows = ["维持和平行动需要改革", "安全理事会"]
        for k, p in enumerate(procs):
            assert p.stdin is not None
            write_message(p.stdin, (str(tmp_path / f"stage{k}"), schema))
            write_message(p.stdin, [(f"d{k}", "r1", b"\x00\x00", rows)])
        for p in procs:
            assert p.stdout is not None
            assert read_message(p.stdout) == ("doc", 1)
            kind, data = read_message(p.stdout)
            assert kind == "seg"
            assert pickle.loads(data).doc_count() == 2
    finally:
        for p in procs:
            p.kill()
            p.wait()
