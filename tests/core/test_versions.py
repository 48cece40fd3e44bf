"""Language versions in the library: grouping, notes kept, manual links, languages, the v1 format."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from reader.cli import main as cli_main
from reader.core import versions
from reader.core.annotations import AnchorStatus, AnnotationStore
from reader.core.errors import LibraryError
from reader.core.library import Library

UDHR = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "udhr"
# The corpus README names each file by its ISO 639-3 code and script.
UDHR_LANGUAGES = {
    "arb": "ar",
    "cmn_hans": "zh-Hans",
    "cmn_hant": "zh-Hant",
    "eng": "en",
    "fra": "fr",
    "rus": "ru",
    "spa": "es",
}

REPORT_ZH = """A/75/999

大会
第七十五届会议

测试报告

一. 导言

1. 本报告是根据大会第74/1号决议提交的，说明维持和平行动的情况。

2. 秘书长感谢会员国的支持。
"""

REPORT_EN = """A/75/999

General Assembly
Seventy-fifth session

Test report

I. Introduction

1. The present report is submitted pursuant to General Assembly resolution 74/1 and describes peacekeeping.

2. The Secretary-General thanks Member States for their support.
"""


@pytest.mark.parametrize(("stem", "language"), sorted(UDHR_LANGUAGES.items()))
def test_language_is_detected_from_the_text(stem: str, language: str) -> None:
    text = (UDHR / f"{stem}.txt").read_text(encoding="utf-8")
    assert versions.detect_language(text) == language


def _add_note(library: Library, doc_id: str, block_id: str, text: str) -> str:
    store = AnnotationStore(library, author="tester")
    try:
        notes = store.open_document(doc_id, library.load(doc_id))
        note = notes.make_note(block_id, text=text)
        notes.add_note(note)
        notes.save()
        return note.id
    finally:
        store.close()


def _note_statuses(library: Library, doc_id: str) -> dict[str, AnchorStatus]:
    store = AnnotationStore(library, author="tester", read_only=True)
    try:
        notes = store.open_document(doc_id, library.load(doc_id))
        return {n.id: n.anchor.status for n in notes.notes()}
    finally:
        store.close()


def test_seven_udhr_files_are_one_document_with_seven_versions(library: Library) -> None:
    zh = library.import_file(UDHR / "cmn_hans.txt")
    assert zh.status == "new"
    # Notes on the Chinese version before any other language arrives.
    article_blocks = [b for b in zh.document.blocks if b.kind.value == "paragraph"]
    first, last = article_blocks[1].id, article_blocks[-1].id
    note_ids = [
        _add_note(library, zh.record.id, first, "第一条批注"),
        _add_note(library, zh.record.id, last, "末条"),
    ]
    before = library.record(zh.record.id)
    statuses = []
    for stem in sorted(set(UDHR_LANGUAGES) - {"cmn_hans"}):
        res = library.import_file(UDHR / f"{stem}.txt")
        statuses.append(res.status)
        assert res.record.language == UDHR_LANGUAGES[stem]
    assert statuses == ["version"] * 6  # never "revision"
    docs = versions.grouped(library.documents())
    assert len(docs) == 1
    assert sorted(m.language for m in docs[0]) == sorted(UDHR_LANGUAGES.values())
    assert docs[0][0].id == zh.record.id  # the first version stays the document's primary
    after = library.record(zh.record.id)
    assert after.current == before.current
    assert len(after.revisions) == 1
    assert _note_statuses(library, zh.record.id) == dict.fromkeys(note_ids, AnchorStatus.EXACT)


def test_one_report_in_the_six_un_languages_is_one_document_by_its_symbol(library: Library) -> None:
    # The ODS layout: the symbol in the letterhead's right column, after a tab, in every language.
    texts = Path(__file__).resolve().parent.parent / "fixtures" / "texts"
    statuses = []
    for lang in ("zh", "en", "fr", "es", "ru", "ar"):
        res = library.import_file(texts / f"redteam4_ga_report_{lang}_tabs.txt")
        statuses.append(res.status)
        assert res.record.symbol == "A/77/123"
    assert statuses == ["new"] + ["version"] * 5  # never "revision", never a second document
    (group,) = versions.grouped(library.documents())
    assert sorted(m.language for m in group) == sorted(["zh-Hans", "en", "fr", "es", "ru", "ar"])
    assert group[0].language == "zh-Hans"


def test_same_symbol_other_language_is_a_version_same_language_a_revision(
    library: Library, tmp_path: Path
) -> None:
    (tmp_path / "zh.txt").write_text(REPORT_ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(REPORT_EN, encoding="utf-8")
    zh = library.import_file(tmp_path / "zh.txt")
    en = library.import_file(tmp_path / "en.txt")
    assert zh.document.symbol == en.document.symbol == "A/75/999"
    assert en.status == "version"
    assert en.record.id != zh.record.id
    assert en.record.group == zh.record.id
    # A corrected English text is a revision of the English version only.
    (tmp_path / "en2.txt").write_text(
        REPORT_EN.replace("their support", "their steadfast support"), encoding="utf-8"
    )
    en2 = library.import_file(tmp_path / "en2.txt")
    assert en2.status == "revision"
    assert en2.record.id == en.record.id
    assert len(library.record(zh.record.id).revisions) == 1
    # The symbol names the document (its primary); @lang names one version.
    assert library.record("A/75/999").id == zh.record.id
    assert library.record("A/75/999@en").id == en.record.id
    assert library.record(f"{zh.record.id}@en").id == en.record.id
    with pytest.raises(KeyError, match="no version in fr"):
        library.record("A/75/999@fr")


def test_manual_link_unlink_and_language_correction(library: Library, tmp_path: Path) -> None:
    # Two texts without a symbol and with too little structure to be matched automatically.
    (tmp_path / "a.txt").write_text("说明\n\n这是一份简短的说明，没有编号。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Note\n\nThis is a short note, without numbers.\n", encoding="utf-8")
    a = library.import_file(tmp_path / "a.txt")
    b = library.import_file(tmp_path / "b.txt")
    assert b.status == "new"
    members = versions.link(library, b.record.id, a.record.id)
    assert [m.id for m in members] == [a.record.id, b.record.id]
    assert len(versions.grouped(library.documents())) == 1
    with pytest.raises(LibraryError, match="already has a version in zh-Hans"):
        versions.set_language(library, b.record.id, "zh-Hans")
    rec = versions.set_language(library, b.record.id, "fr")
    assert rec.language == "fr"
    assert library.load(b.record.id).language == "fr"
    raw = yaml.safe_load((library.doc_dir(b.record.id) / "document.yaml").read_text(encoding="utf-8"))
    assert raw["language_set_by_user"] is True
    # The founder leaves: the other version becomes a document of its own, notes and all.
    versions.unlink(library, a.record.id)
    assert len(versions.grouped(library.documents())) == 2
    assert library.record(b.record.id).group == b.record.id


def test_linking_two_documents_of_one_language_is_refused(library: Library, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("说明\n\n第一份说明。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("说明\n\n第二份完全不同的说明。\n", encoding="utf-8")
    a = library.import_file(tmp_path / "a.txt")
    b = library.import_file(tmp_path / "b.txt")
    with pytest.raises(LibraryError, match="both documents have a version in"):
        versions.link(library, b.record.id, a.record.id)


def _write_v1_library(root: Path, text: str, name: str) -> str:
    """A library as today's code (schema_version 1) writes it, by hand."""
    data = text.encode("utf-8")
    sha = hashlib.sha256(data).hexdigest()
    doc_id = sha[:12]
    folder = root / "documents" / doc_id
    (folder / "revisions" / sha[:16]).mkdir(parents=True)
    (folder / "revisions" / sha[:16] / name).write_bytes(data)
    record = {
        "schema_version": 1,
        "id": doc_id,
        "title": "测试报告",
        "symbol": "A/75/999",
        "language": "zh-Hans",
        "current": sha,
        "imported_at": "2026-11-30T10:00:00+00:00",
        "stats": {"blocks": 6, "paragraphs": 2, "headings": 1},
        "revisions": [
            {
                "sha256": sha,
                "file": f"revisions/{sha[:16]}/{name}",
                "original_name": name,
                "imported_at": "2026-11-30T10:00:00+00:00",
                "size": len(data),
            }
        ],
    }
    (folder / "document.yaml").write_text(
        yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8"
    )
    return doc_id


def test_a_version_1_library_opens_and_gains_language_versions(tmp_path: Path) -> None:
    root = tmp_path / "old"
    doc_id = _write_v1_library(root, REPORT_ZH, "zh.txt")
    library = Library.open(root)
    rec = library.record("A/75/999")
    assert rec.id == doc_id
    assert rec.group == ""
    assert versions.group_of(rec) == doc_id
    assert library.load(doc_id).block("p1").number == "1"
    (tmp_path / "en.txt").write_text(REPORT_EN, encoding="utf-8")
    en = library.import_file(tmp_path / "en.txt")
    assert en.status == "version"
    assert en.record.group == doc_id
    # The old record is untouched until it is written; then it is version 2 with its fields kept.
    old = yaml.safe_load((root / "documents" / doc_id / "document.yaml").read_text(encoding="utf-8"))
    assert old["schema_version"] == 1
    library.rename(doc_id, title="改过的标题")
    new = yaml.safe_load((root / "documents" / doc_id / "document.yaml").read_text(encoding="utf-8"))
    assert new["schema_version"] == 2
    assert new["group"] == doc_id
    assert new["revisions"] == old["revisions"]
    assert new["imported_at"] == old["imported_at"]


def test_cli_list_json_gives_each_documents_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    (tmp_path / "zh.txt").write_text(REPORT_ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(REPORT_EN, encoding="utf-8")
    assert (
        cli_main(["--library", lib, "import", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "--json"])
        == 0
    )
    imported = json.loads(capsys.readouterr().out)
    assert [i["status"] for i in imported] == ["new", "version"]
    assert cli_main(["--library", lib, "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 1
    assert listed[0]["languages"] == ["zh-Hans", "en"]
    assert [v["id"] for v in listed[0]["versions"]] == [i["id"] for i in imported]
    assert cli_main(["--library", lib, "language", "A/75/999@en", "fr"]) == 0
    assert cli_main(["--library", lib, "unlink", "A/75/999@fr"]) == 0
    assert cli_main(["--library", lib, "list", "--json"]) == 0
    assert [d["languages"] for d in json.loads(capsys.readouterr().out.splitlines()[-1])] in (
        [["zh-Hans"], ["fr"]],
        [["fr"], ["zh-Hans"]],
    )
    assert cli_main(["--library", lib, "link", imported[1]["id"], "--to", imported[0]["id"]]) == 0
    assert cli_main(["--library", lib, "versions", "A/75/999", "--json"]) == 0
    assert [v["language"] for v in json.loads(capsys.readouterr().out.splitlines()[-1])["versions"]] == [
        "zh-Hans",
        "fr",
    ]


def test_notes_export_cites_the_paragraph_in_both_languages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = str(tmp_path / "lib")
    (tmp_path / "zh.txt").write_text(REPORT_ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(REPORT_EN, encoding="utf-8")
    assert cli_main(["--library", lib, "import", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt")]) == 0
    library = Library.open(tmp_path / "lib")
    zh = library.record("A/75/999@zh-Hans")
    para2 = library.load(zh.id).paragraph("2")
    assert para2 is not None
    _add_note(library, zh.id, para2.id, "感谢会员国")
    out = tmp_path / "notes.md"
    assert cli_main(["--library", lib, "notes", "export", zh.id, "-o", str(out), "--cite-in", "en"]) == 0
    text = out.read_text(encoding="utf-8")
    assert "A/75/999，第 2 段 / A/75/999, para. 2" in text
    capsys.readouterr()
    assert cli_main(["--library", lib, "notes", "export", zh.id, "-o", str(out), "--cite-in", "fr"]) == 1
    assert "no version in fr" in capsys.readouterr().err
