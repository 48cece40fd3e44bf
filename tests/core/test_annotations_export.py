"""Export to Markdown and .docx: chapters, quotes, citations, filters, orphans."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from reader.core.annotations import (
    AddNote,
    AnnotationStore,
    DocumentNotes,
    ExportFilter,
    export_docx,
    export_markdown,
)
from reader.core.annotations.export import citation
from reader.core.library import Library
from reader.core.paths import SAMPLE_NAME
from tests.core.test_annotations_anchoring import delete_paragraph


@pytest.fixture
def notes(library: Library, sample_path: Path, sample_text: str) -> DocumentNotes:
    doc_id = library.import_file(sample_path).record.id
    library.rename(doc_id, symbol="A/75/563")
    with AnnotationStore(library, author="alice") as store:
        n = store.open_document(doc_id)
        for block, quote, text, tags, colour in [
            ("p37", "性别均等", "支持这一点", ["support"], "green"),
            ("p5", "29 个会员国", "问一下是哪些国家", ["question"], "yellow"),
            ("p15", "科索沃特派团", "将被删除的段落", ["amend"], "red"),
            ("h2", None, "", [], "blue"),
        ]:
            AddNote(n, n.make_note(block, quote=quote, text=text, tags=tags, colour=colour)).do()
        n.add_bookmark(n.make_bookmark("p10", "COVID 支助"))
    # A new revision without paragraph 15 turns the p15 note into an orphan.
    library.import_bytes(delete_paragraph(sample_text, 15).encode("utf-8"), SAMPLE_NAME)
    store = AnnotationStore(library, author="alice")
    return store.open_document(doc_id)


def test_citation_forms(notes: DocumentNotes) -> None:
    doc = notes.document
    assert citation(doc, "p37", "A/75/563") == "A/75/563，第 37 段"
    heading = citation(doc, "h2", "A/75/563")
    assert heading.startswith("A/75/563，")
    assert (doc.block("h2").title or "") in heading
    assert citation(doc, "p37").endswith("第 37 段")


def test_markdown(notes: DocumentNotes, tmp_path: Path) -> None:
    out = tmp_path / "notes.md"
    assert export_markdown(notes, out) == 5
    text = out.read_text(encoding="utf-8")
    doc = notes.document
    # Grouped by chapter, in reading order: chapter one (p5) before chapter five (p37→p36).
    chapter1 = next(h for h in doc.tree if h.block == doc.label_path("p5")[0].block).display
    chapter5 = doc.label_path("p36")[0].display
    assert text.index(f"## {chapter1}") < text.index("29 个会员国") < text.index(f"## {chapter5}")
    assert text.index(f"## {chapter5}") < text.index("> 性别均等")
    assert "— A/75/563，第 36 段" in text  # the note moved with its paragraph
    assert "— A/75/563，第 5 段" in text
    assert "问一下是哪些国家" in text
    assert "标签: support" in text
    assert "## 书签" in text
    assert "**COVID 支助** — A/75/563，第 10 段" in text
    orphans = text.index("## 无法在当前版本中定位的批注")
    assert text.index("> 科索沃特派团") > orphans
    assert "A/75/563，原第 15 段" in text


def test_markdown_filters(notes: DocumentNotes, tmp_path: Path) -> None:
    out = tmp_path / "support.md"
    assert export_markdown(notes, out, ExportFilter.of(tags=["support"])) == 1
    text = out.read_text(encoding="utf-8")
    assert "支持这一点" in text
    assert "问一下" not in text
    assert "书签" not in text
    assert "tag=support" in text
    assert export_markdown(notes, out, ExportFilter.of(colours=["red", "yellow"])) == 2
    text = out.read_text(encoding="utf-8")
    assert "问一下" in text
    assert "将被删除的段落" in text
    assert "支持这一点" not in text
    assert export_markdown(notes, out, ExportFilter.of(tags=["nothing"])) == 0
    assert "（无）" in out.read_text(encoding="utf-8")


def test_docx_read_back(notes: DocumentNotes, tmp_path: Path) -> None:
    out = tmp_path / "notes.docx"
    assert export_docx(notes, out, ExportFilter.of(colours=["green", "red"])) == 2
    document = docx.Document(str(out))
    paragraphs = [(p.style.name if p.style is not None else "", p.text) for p in document.paragraphs]
    texts = [t for _, t in paragraphs]
    assert texts[0].startswith("批注: ")
    headings = [t for s, t in paragraphs if s.startswith("Heading")]
    assert headings[-1] == "无法在当前版本中定位的批注"
    assert notes.document.label_path("p36")[0].display in headings
    quotes = [t for s, t in paragraphs if s == "Quote"]
    assert quotes == ["性别均等", "科索沃特派团"]
    assert "— A/75/563，第 36 段" in texts
    assert "— A/75/563，原第 15 段" in texts
    assert "支持这一点" in texts
    assert "问一下是哪些国家" not in texts
    first_quote = next(p for p in document.paragraphs if p.text == "性别均等")
    assert first_quote.runs[0].font.highlight_color is not None


def test_docx_names_an_east_asian_font_and_zh_cn_on_chinese_runs(
    notes: DocumentNotes, tmp_path: Path
) -> None:
    from docx.oxml.ns import qn

    out = tmp_path / "notes.docx"
    export_docx(notes, out)
    document = docx.Document(str(out))
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    chinese = [r for r in runs if any("\u4e00" <= ch <= "\u9fff" for ch in r.text)]
    assert chinese
    for run in chinese:
        rpr = run._element.rPr
        assert rpr is not None, run.text
        fonts, lang = rpr.find(qn("w:rFonts")), rpr.find(qn("w:lang"))
        assert fonts is not None, run.text
        assert fonts.get(qn("w:eastAsia")), run.text
        assert lang is not None, run.text
        assert lang.get(qn("w:eastAsia")) == "zh-CN", run.text
