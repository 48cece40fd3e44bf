"""Tests of the per-word row postings written beside the word index (index.word_rows)."""

from __future__ import annotations

from pathlib import Path

from index import SearchEngine
from index.word_rows import MAX_SMALL_FILES, RowsFile, list_files, newest
from tests.index.conftest import make_doc

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
