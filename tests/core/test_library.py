"""The library on disk: import, idempotence, revisions, refusals, lookup."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from reader.core.errors import ImportFailed
from reader.core.library import Library
from reader.core.model import BlockKind


def test_import_keeps_original_untouched(library: Library, sample_path: Path) -> None:
    res = library.import_file(sample_path)
    assert res.status == "new"
    stored = library.original_path(res.record.id)
    assert stored.read_bytes() == sample_path.read_bytes()
    assert res.record.current == hashlib.sha256(sample_path.read_bytes()).hexdigest()
    meta = yaml.safe_load((library.doc_dir(res.record.id) / "document.yaml").read_text(encoding="utf-8"))
    assert meta["schema_version"] == 2
    assert meta["title"] == "维持和平行动特别委员会各项建议的执行情况"
    assert meta["stats"]["paragraphs"] == 147


def test_import_is_idempotent(library: Library, sample_path: Path, tmp_path: Path) -> None:
    first = library.import_file(sample_path)
    copy = tmp_path / "copy-under-another-name.txt"
    copy.write_bytes(sample_path.read_bytes())
    again = library.import_file(copy)
    assert again.status == "unchanged"
    assert again.record.id == first.record.id
    assert len(library.documents()) == 1
    assert len(library.documents()[0].revisions) == 1


def test_changed_file_with_same_name_becomes_a_revision(
    library: Library, tmp_path: Path, sample_text: str
) -> None:
    f = tmp_path / "report.txt"
    f.write_text(sample_text, encoding="utf-8")
    first = library.import_file(f)
    f.write_text(
        sample_text.replace("我向所有维和人员致敬。", "我向所有维和人员致以崇高敬意。"), encoding="utf-8"
    )
    second = library.import_file(f)
    assert second.status == "revision"
    assert second.record.id == first.record.id
    assert second.previous == first.record.current
    rec = library.record(first.record.id)
    assert len(rec.revisions) == 2
    assert rec.current == second.record.current != first.record.current
    assert "致以崇高敬意" in library.load(rec.id).block("p3").text
    assert "致以崇高敬意" not in library.load(rec.id, revision=first.record.current).block("p3").text
    # Both originals are kept byte for byte.
    assert library.original_path(rec.id, first.record.current).read_text(encoding="utf-8") == sample_text


def test_same_symbol_under_another_name_becomes_a_revision(library: Library, tmp_path: Path) -> None:
    lines = ["A/79/100", "大会", "某项报告", "一. 导言", "1. 第一段。", "2. 第二段。", "3. 第三段。"]
    body = "\n\n".join(lines)
    (tmp_path / "v1.txt").write_text(body, encoding="utf-8")
    (tmp_path / "v2.txt").write_text(body.replace("第三段。", "第三段，已修订。"), encoding="utf-8")
    one = library.import_file(tmp_path / "v1.txt")
    two = library.import_file(tmp_path / "v2.txt")
    assert one.record.symbol == "A/79/100"
    assert two.status == "revision"
    assert two.record.id == one.record.id
    assert library.record("A/79/100").id == one.record.id
    assert library.record("a/79/100").id == one.record.id


def test_failed_import_leaves_library_unchanged(library: Library, tmp_path: Path, sample_path: Path) -> None:
    library.import_file(sample_path)
    before = sorted(p.relative_to(library.root) for p in library.root.rglob("*"))
    bad = tmp_path / "image.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for f in (bad, empty, tmp_path / "missing.txt", tmp_path):
        with pytest.raises(ImportFailed) as err:
            library.import_file(f)
        assert "\n" not in str(err.value)
    after = sorted(p.relative_to(library.root) for p in library.root.rglob("*"))
    assert after == before


def test_import_files_reports_failures_in_place(library: Library, tmp_path: Path, sample_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 8)
    seen: list[tuple[int, int]] = []
    results = library.import_files([bad, sample_path], progress=lambda d, t: seen.append((d, t)))
    assert isinstance(results[0], ImportFailed)
    assert not isinstance(results[1], ImportFailed)
    assert seen == [(1, 2), (2, 2)]
    assert len(library.documents()) == 1


def test_lookup_by_id_prefix_and_errors(library: Library, sample_path: Path) -> None:
    rec = library.import_file(sample_path).record
    assert library.record(rec.id[:6]).id == rec.id
    with pytest.raises(KeyError):
        library.record("nothing-like-this")
    doc = library.load(rec.id)
    assert doc.id == rec.id
    assert doc.source_hash == rec.current
    assert sum(1 for b in doc.blocks if b.kind is BlockKind.PARAGRAPH and b.number) == 147


def test_corrupt_metadata_is_reported_not_fatal(library: Library, sample_path: Path) -> None:
    rec = library.import_file(sample_path).record
    broken = library.documents_dir / "broken"
    broken.mkdir()
    (broken / "document.yaml").write_text("schema_version: [unclosed", encoding="utf-8")
    docs = library.documents()
    assert [d.id for d in docs] == [rec.id]
    assert len(library.problems) == 1
    assert "broken" in library.problems[0].reason
    assert (broken / "document.yaml").exists()


def test_record_by_id_is_exact_and_quiet(library: Library, sample_path: Path) -> None:
    rec = library.import_file(sample_path).record
    library.rename(rec.id, symbol="A/75/563")
    found = library.record_by_id(rec.id)
    assert found is not None
    assert found.symbol == "A/75/563"
    # No prefix or symbol lookup, as for a typed reference: only the id itself.
    assert library.record(rec.id[:6]).id == rec.id
    assert library.record_by_id(rec.id[:6]) is None
    assert library.record_by_id("A/75/563") is None
    broken = library.documents_dir / "broken"
    broken.mkdir()
    (broken / "document.yaml").write_text("schema_version: [unclosed", encoding="utf-8")
    assert library.record_by_id("broken") is None  # unreadable: left alone, no exception
    assert (broken / "document.yaml").read_text(encoding="utf-8") == "schema_version: [unclosed"
    library.remove(rec.id)
    assert library.record_by_id(rec.id) is None


def test_records_read_again_only_when_their_file_changes(library: Library, sample_path: Path) -> None:
    rec = library.import_file(sample_path).record
    first = library.record_by_id(rec.id)
    assert first is not None
    first.title = "changed in memory only"  # a caller editing its copy changes nothing else
    first.revisions.clear()
    again = library.record_by_id(rec.id)
    assert again is not None
    assert again.title == rec.title
    assert len(again.revisions) == 1
    # Another process (or the user) rewrites the file: the next listing reads it again.
    meta = library.documents_dir / rec.id / "document.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace(f"title: {rec.title}", "title: 维和报告"), encoding="utf-8")
    assert [d.title for d in library.documents()] == ["维和报告"]
    library.rename(rec.id, title="第二个标题")
    assert library.record(rec.id).title == "第二个标题"
    # Rewritten at once with a text of the same length (the inode may be reused, the clock
    # may not have ticked): read again all the same.
    library.rename(rec.id, title="第三个标题")
    assert library.record(rec.id).title == "第三个标题"
    library.rename(rec.id, title="第四个标题")
    assert [d.title for d in library.documents()] == ["第四个标题"]
    meta.write_text("schema_version: [unclosed", encoding="utf-8")  # broken after being read
    assert library.documents() == []
    assert library.problems[0].folder.name == rec.id


def test_rename_survives_new_revision(library: Library, tmp_path: Path, sample_text: str) -> None:
    f = tmp_path / "r.txt"
    f.write_text(sample_text, encoding="utf-8")
    rec = library.import_file(f).record
    library.rename(rec.id, title="维和报告", symbol="A/75/563")
    f.write_text(sample_text + "\n附加一段。\n", encoding="utf-8")
    library.import_file(f)
    again = library.record("A/75/563")
    assert again.title == "维和报告"
    assert len(again.revisions) == 2


def test_remove_moves_to_trash(library: Library, sample_path: Path) -> None:
    rec = library.import_file(sample_path).record
    library.remove(rec.id)
    assert library.documents() == []
    assert any((library.root / "trash").iterdir())


def test_ensure_sample(library: Library) -> None:
    rec = library.ensure_sample()
    assert rec is not None
    assert rec.title == "维持和平行动特别委员会各项建议的执行情况"
    assert library.ensure_sample() is None


def test_open_respects_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_READER_HOME", str(tmp_path / "usb"))
    lib = Library.open()
    assert lib.root == (tmp_path / "usb").resolve()
    assert Library.open(tmp_path / "other").root == (tmp_path / "other").resolve()
