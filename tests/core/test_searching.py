import json
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.library import Library
from reader.core.model import Document
from reader.core.searching import LibrarySearch, to_index_doc


def test_to_index_doc_keeps_ids_numbers_and_paths(sample_doc: Document) -> None:
    doc = to_index_doc(sample_doc)
    p37 = next(b for b in doc.blocks if b.block_id == "p37")
    assert p37.number == "37"
    assert p37.kind == "paragraph"
    assert p37.path == tuple(sample_doc.path("p37"))
    assert len(doc.blocks) == len(sample_doc.blocks)


def test_search_syncs_a_stale_index_first(library: Library, sample_path: Path, tmp_path: Path) -> None:
    search = LibrarySearch(library)
    assert search.search("平行").total == 0
    library.import_file(sample_path)
    assert search.is_stale()
    res = search.search("平行", limit=5)
    assert res.total == 42
    assert not search.is_stale()
    hit = res.hits[0]
    assert hit.doc_id == library.documents()[0].id
    other = tmp_path / "other.txt"
    other.write_text("关于维和改革的说明\n\n1. 平行进程需要协调。\n", encoding="utf-8")
    rec = library.import_file(other).record
    assert search.search("平行进程").total == 1
    library.remove(rec.id)
    assert search.search("平行进程").total == 0
    assert search.search("平行").total == 42


def test_rename_reaches_title_search(library: Library, sample_path: Path) -> None:
    rec = library.import_file(sample_path).record
    search = LibrarySearch(library)
    assert search.search("in:title 蓝盔简报").total == 0
    library.rename(rec.id, title="蓝盔简报")
    res = search.search("in:title 蓝盔简报")
    assert [h.kind for h in res.hits] == ["title"]


def test_check_repairs_from_the_library(library: Library, sample_path: Path) -> None:
    library.import_file(sample_path)
    search = LibrarySearch(library)
    search.sync()
    assert search.check().ok
    (library.index_dir / "meta.json").write_text("garbage", encoding="utf-8")
    fresh = LibrarySearch(library)
    health = fresh.check()
    assert not health.ok
    assert health.repaired
    assert health.documents == 1
    assert fresh.search("平行", sync=False).total == 42


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_search_json(library: Library, sample_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = str(library.root)
    assert _run(capsys, "--library", root, "import", str(sample_path))[0] == 0
    status, out, _ = _run(capsys, "--library", root, "search", "A/74/533", "--json")
    assert status == 0
    data = json.loads(out)
    assert {"query", "total", "elapsed_ms", "hits"} <= data.keys()
    assert data["total"] == 1
    hit = data["hits"][0]
    assert {"doc", "block", "number", "path", "snippet", "spans", "score"} <= hit.keys()
    s, e = hit["spans"][0]
    assert hit["snippet"][s:e] == "A/74/533"


def test_cli_search_human_and_doc_filter(
    library: Library, sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(library.root)
    _run(capsys, "--library", root, "import", str(sample_path))
    doc_id = library.documents()[0].id
    status, out, _ = _run(capsys, "--library", root, "search", "性剥削", "--doc", doc_id, "--limit", "2")
    assert status == 0
    assert out.startswith("4 hits for '性剥削' (showing 1-2)")
    assert "[性剥削]" in out
    status, _, err = _run(capsys, "--library", root, "search", "x", "--limit", "-1")
    assert status != 0
    assert "must not be negative" in err


def test_cli_search_stdin_one_json_per_line(
    library: Library,
    sample_path: Path,
    sample_doc: Document,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    library.import_file(sample_path)
    monkeypatch.setattr("sys.stdin", io.StringIO('平行\n\n"持和平"\n"unbalanced\n'))
    status, out, _ = _run(capsys, "--library", str(library.root), "search", "-", "--limit", "1")
    assert status == 0
    lines = [json.loads(line) for line in out.splitlines()]
    expected = sum("持和平" in b.text for b in sample_doc.blocks)
    assert [(d["query"], d["total"]) for d in lines[:2]] == [("平行", 42), ('"持和平"', expected)]
    assert lines[2]["notice"] == "unbalanced quote ignored"


def test_cli_index_rebuild_and_check(
    library: Library, sample_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(library.root)
    library.import_file(sample_path)
    status, out, _ = _run(capsys, "--library", root, "index", "rebuild", "--json")
    assert status == 0
    assert json.loads(out)["documents"] == 1
    assert _run(capsys, "--library", root, "index", "check")[0] == 0
    (library.index_dir / "meta.json").write_text("{", encoding="utf-8")
    status, out, _ = _run(capsys, "--library", root, "index", "check")
    assert status == 1
    assert "index manifest unreadable" in out
    assert _run(capsys, "--library", root, "index", "check")[0] == 0


def test_search_spans_an_article_label_and_its_text(library: Library, tmp_path: Path) -> None:
    law = tmp_path / "law.txt"
    law.write_text(
        "某某特别行政区条例\n\n第一章 总则\n\n第九条 本条例适用于特别行政区全境。\n\n"
        "第十条 紫荆花图案是区徽的组成部分。\n\n第二百四十四条 第二审的判决、裁定，是终审的判决、裁定。\n\n"
        "本条所称判决，包括调解书。\n",
        encoding="utf-8",
    )
    rec = library.import_file(law).record
    document = library.load(rec.id)
    article_10 = next(b.id for b in document.blocks if b.label == "第十条")
    article_244 = next(b.id for b in document.blocks if b.label == "第二百四十四条")
    search = LibrarySearch(library)
    hits = search.search("第十条 紫荆花").hits
    assert [h.block_id for h in hits] == [article_10]
    assert hits[0].number is None  # the article's own number is no ¶ paragraph number
    phrase = search.search('"第二百四十四条 第二审的判决"').hits
    assert [h.block_id for h in phrase] == [article_244]
    # The article's second paragraph is a passage of its own; its text alone still finds it.
    second = search.search("调解书").hits
    assert [document.block(h.block_id).parent for h in second] == [article_244]
