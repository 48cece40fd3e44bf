"""Word .docx import: heading styles, list numbering, footnotes, tables, errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from reader.core.errors import ImportFailed
from reader.core.formats import Extracted
from reader.core.formats.docx import read_docx
from reader.core.formats.numbering import format_number
from reader.core.importers import load_bytes
from reader.core.library import Library
from reader.core.model import BlockKind, Document, LineHint
from reader.core.parser import parse_text
from tests.fixtures.formats.make_fixtures import (
    HERE,
    SYMBOL,
    DocxWriter,
    LevelDef,
    Link,
    Note,
    build_sample_docx,
)


def squash(text: str) -> str:
    return "".join(text.split())


def lines_with_hints(ex: Extracted) -> list[tuple[str, LineHint | None]]:
    return [(line, ex.hints.get(i)) for i, line in enumerate(ex.text.split("\n")) if line]


def snapshot(root: Path) -> list[tuple[Path, bytes]]:
    return sorted((p.relative_to(root), p.read_bytes()) for p in root.rglob("*") if p.is_file())


def parse(ex: Extracted, name: str = "test.docx") -> Document:
    return parse_text(ex.text, hints=ex.hints, source_name=name, title=ex.title, symbol=ex.symbol)


@pytest.fixture(scope="module")
def sample_docx() -> bytes:
    return build_sample_docx()


@pytest.fixture(scope="module")
def extracted(sample_docx: bytes) -> Extracted:
    return read_docx(sample_docx, "A_75_563.docx")


@pytest.fixture(scope="module")
def docx_doc(extracted: Extracted) -> Document:
    return parse(extracted)


@pytest.fixture(scope="module", params=["python-docx", "libreoffice"])
def any_docx_doc(request: pytest.FixtureRequest, docx_doc: Document) -> Document:
    """The sample as built by python-docx, and after a LibreOffice round trip (another producer)."""
    if request.param == "python-docx":
        return docx_doc
    return parse(read_docx((HERE / "sample_lo.docx").read_bytes(), "sample_lo.docx"))


# ---------------------------------------------------------------- the sample briefing


def test_sample_numbers_come_from_word_numbering_not_text(sample_docx: bytes) -> None:
    # The fixture's paragraphs carry no number in their text: Word draws it.
    with zipfile.ZipFile(io.BytesIO(sample_docx)) as z:
        body = z.read("word/document.xml").decode("utf-8")
    assert "<w:t>37." not in body
    assert '<w:t xml:space="preserve">37.' not in body
    assert body.count("<w:numId ") >= 147


def test_sample_lines_carry_numbers_and_levels(extracted: Extracted) -> None:
    lines = lines_with_hints(extracted)
    texts = [t for t, _ in lines]
    assert texts[:2] == ["第七十五届会议", "议程项目 54"]
    chapter = next((t, h) for t, h in lines if t.startswith("一. "))
    assert chapter == ("一. 战略背景", LineHint(heading_level=1, number="一"))
    section = next((t, h) for t, h in lines if t.startswith("A. 身处"))
    assert section[1] == LineHint(heading_level=2, number="A")
    # The sample's "D 在执行..." heading has its letter in the text and numbering switched off.
    d_heading = next((t, h) for t, h in lines if t.startswith("D 在执行"))
    assert d_heading[1] == LineHint(heading_level=2, number=None)
    p37 = next((t, h) for t, h in lines if t.startswith("37. "))
    assert p37[1] == LineHint(number="37")
    sub = [(t, h) for t, h in lines if h is not None and h.heading_level == 3]
    assert len(sub) == 19
    assert sub[0] == ("1. 综合业绩政策框架", LineHint(heading_level=3, number="1"))
    # Sub-heading numbering restarts in every section.
    assert [h.number for _, h in sub if h is not None][:4] == ["1", "2", "1", "2"]


def test_sample_title_and_symbol(extracted: Extracted, docx_doc: Document) -> None:
    assert extracted.title == "维持和平行动特别委员会各项建议的执行情况"
    assert extracted.symbol == SYMBOL
    assert docx_doc.symbol == SYMBOL
    assert extracted.warnings == []


def test_sample_has_147_numbered_paragraphs_in_order(any_docx_doc: Document) -> None:
    numbers = [b.number for b in any_docx_doc.paragraphs() if b.number]
    assert numbers == [str(n) for n in range(1, 148)]


def test_sample_heading_tree_matches_text(any_docx_doc: Document, sample_doc: Document) -> None:
    def shape(doc: Document) -> list[tuple[int, str]]:
        return [(h.level, squash(doc.block(h.block).text)) for h in doc.headings()]

    assert len(sample_doc.tree) == 12
    assert shape(any_docx_doc) == shape(sample_doc)
    assert [len(r.children) for r in any_docx_doc.tree] == [len(r.children) for r in sample_doc.tree]


def test_sample_heading_labels_match_text(docx_doc: Document, sample_doc: Document) -> None:
    def labels(doc: Document) -> list[tuple[int, str | None, str]]:
        return [(h.level, h.label, squash(h.title)) for h in doc.headings()]

    assert labels(docx_doc) == labels(sample_doc)


def test_sample_paragraph_text_matches_text(docx_doc: Document, sample_doc: Document) -> None:
    def texts(doc: Document) -> list[tuple[str | None, str]]:
        return [(b.number, squash(b.text)) for b in doc.paragraphs() if b.number]

    assert texts(docx_doc) == texts(sample_doc)


def test_sample_paragraph_text_matches_source(any_docx_doc: Document, sample_doc: Document) -> None:
    # Every numbered paragraph holds the words of the text file's paragraph (page-break
    # splits joined), compared with the source lines the text parse took it from.
    for ours, theirs in zip(any_docx_doc.paragraphs(), sample_doc.paragraphs(), strict=True):
        assert ours.number == theirs.number
        prefix = f"{ours.number}."
        assert squash(ours.text).removeprefix(prefix) == squash(sample_doc.raw(theirs)).removeprefix(prefix)


def test_sample_footnotes_linked_to_their_reference(any_docx_doc: Document, sample_doc: Document) -> None:
    def notes(doc: Document) -> list[tuple[str | None, str, list[str]]]:
        notes = [b for b in doc.blocks if b.kind is BlockKind.FOOTNOTE]
        return [(b.number, squash(b.text), b.referenced_by) for b in notes]

    assert notes(any_docx_doc) == notes(sample_doc)
    p25 = any_docx_doc.paragraph("25")
    assert p25 is not None
    assert "在科索沃，¹" in p25.text
    assert p25.footnotes


def test_sample_figures_and_links(docx_doc: Document, sample_doc: Document) -> None:
    def figures(doc: Document) -> list[str]:
        return [squash(b.text) for b in doc.blocks if b.kind is BlockKind.FIGURE]

    assert figures(docx_doc) == figures(sample_doc)
    assert len(figures(docx_doc)) == 5
    # Hyperlinks keep their visible text.
    summary = next(b for b in docx_doc.blocks if "号决议编写" in b.text)
    assert "大会第 74/277 号决议" in summary.text


def test_load_bytes_reads_docx(sample_docx: bytes) -> None:
    doc = load_bytes(sample_docx, "A_75_563.docx")
    assert doc.symbol == SYMBOL
    assert len([b for b in doc.paragraphs() if b.number]) == 147


# ---------------------------------------------------------------- numbering


@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (12, "chineseCounting", "十二"),
        (20, "chineseCounting", "二十"),
        (105, "chineseCounting", "一百零五"),
        (110, "chineseCounting", "一百一十"),
        (11, "chineseLegalSimplified", "壹拾壹"),
        (3, "ideographTraditional", "丙"),
        (11, "ideographTraditional", "甲"),
        (2, "ideographZodiac", "丑"),
        (27, "upperLetter", "AA"),
        (3, "lowerLetter", "c"),
        (1994, "upperRoman", "MCMXCIV"),
        (4, "lowerRoman", "iv"),
        (3, "decimalEnclosedCircle", "③"),
        (12, "decimalFullWidth", "１２"),
        (7, "decimalZero", "07"),
        (5, "none", ""),
    ],
)
def test_format_number(value: int, fmt: str, expected: str) -> None:
    assert format_number(value, fmt) == expected


def test_format_number_unknown_format() -> None:
    assert format_number(3, "klingonCounting") is None


def _numbered_doc() -> bytes:
    w = DocxWriter()
    # PRC official style: 一、 （一） １．
    w.add_list(
        200,
        [
            LevelDef("chineseCounting", "%1、", suffix="nothing"),
            LevelDef("chineseCounting", "（%2）", suffix="nothing"),
            LevelDef("decimalFullWidth", "%3．", suffix="nothing"),
        ],
    )
    w.add_num(300, 200)
    w.add_num(301, 200)  # the same list continued through another instance
    w.add_num(302, 200, start_overrides={0: 1})  # "restart numbering"
    # Legal-style multi-level numbering and a level that never restarts.
    w.add_list(
        201,
        [
            LevelDef("upperRoman", "%1."),
            LevelDef("decimal", "%1.%2", restart=0),
            LevelDef("lowerLetter", "(%3)"),
        ],
    )
    w.add_num(303, 201)
    w.add_list(202, [LevelDef("bullet", "\uf0b7")])
    w.add_num(304, 202)
    w.paragraph("总体要求", num=(300, 0))
    w.paragraph("指导思想", num=(300, 1))
    w.paragraph("第一点", num=(300, 2))
    w.paragraph("第二点", num=(300, 2))
    w.paragraph("基本原则", num=(300, 1))
    w.paragraph("", num=(300, 0))  # an empty numbered paragraph still counts
    w.paragraph("主要任务", num=(301, 0))
    w.paragraph("重新开始", num=(302, 0))
    w.paragraph("Scope", num=(303, 0))
    w.paragraph("first", num=(303, 1))
    w.paragraph("item", num=(303, 2))
    w.paragraph("Definitions", num=(303, 0))
    w.paragraph("second", num=(303, 1))
    w.paragraph("bulleted", num=(304, 0))
    return w.save()


def test_numbering_formats_restarts_and_continuations() -> None:
    ex = read_docx(_numbered_doc(), "numbered.docx")
    lines = lines_with_hints(ex)
    assert [t for t, _ in lines] == [
        "一、总体要求",
        "（一）指导思想",
        "１．第一点",
        "２．第二点",
        "（二）基本原则",
        "三、主要任务",
        "一、重新开始",
        "I. Scope",
        "I.1 first",
        "(a) item",
        "II. Definitions",
        "II.2 second",
        "• bulleted",
    ]
    assert [h.number if h else None for _, h in lines] == [
        "一",
        "一",
        "１",
        "２",
        "二",
        "三",
        "一",
        "I",
        "1",
        "a",
        "II",
        "2",
        None,
    ]


def test_prc_numbering_parses_as_headings() -> None:
    doc = parse(read_docx(_numbered_doc(), "numbered.docx"))
    first = doc.block(doc.tree[0].block)
    assert first.text == "一、总体要求"


# ---------------------------------------------------------------- footnotes, tables, oddities


def _features_doc() -> bytes:
    w = DocxWriter()
    w.add_list(210, [LevelDef("decimal", "%1.")])
    w.add_num(310, 210)
    w.paragraph("一. 背景", style="Heading 1")
    w.paragraph(["会员国提出了意见。", Note("见 A/75/1 号文件。"), " 秘书处作了答复。"], num=(310, 0))
    w.paragraph(["第二段提到", Note("第二个脚注。"), "。"], num=(310, 0))
    w.table([["国家", "人数"], ["中国", "2 000"], ["法国", "700"]])
    w.paragraph("二. 意见", style="Heading 1")
    # Word writes a custom footnote mark into the note's text as well.
    p = w.paragraph("附注", num=(310, 0))
    note_id = len(w._notes) + 1
    w._notes.append(
        f'<w:footnote w:id="{note_id}"><w:p><w:r><w:t xml:space="preserve">† 自定义标记。</w:t></w:r></w:p>'
        "</w:footnote>"
    )
    p.append(
        parse_xml(
            f'<w:r {nsdecls("w")}><w:footnoteReference w:customMarkFollows="1" w:id="{note_id}"/>'
            "<w:t>†</w:t></w:r>"
        )
    )
    # Hidden text and a tracked deletion are not visible; an insertion is.
    p.append(parse_xml(f"<w:r {nsdecls('w')}><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>"))
    p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="1" w:author="a"><w:r><w:delText>删除</w:delText></w:r></w:del>'
        )
    )
    p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="2" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins>'))
    w.paragraph(["见 ", Link("联合国网站", "https://un.org"), "。"])
    toc = w.doc.styles.add_style("toc 1", 1)
    w.paragraph("一. 背景\t1", style=toc.name)
    return w.save(title="A/75/999")


def test_footnotes_follow_their_section_and_are_linked() -> None:
    ex = read_docx(_features_doc(), "features.docx")
    lines = lines_with_hints(ex)
    texts = [t for t, _ in lines]
    assert texts[1] == "1. 会员国提出了意见。¹ 秘书处作了答复。"
    assert texts[2] == "2. 第二段提到²。"
    # Footnotes come after the section's last block (the table), before the next heading.
    assert lines[4] == ("¹ 见 A/75/1 号文件。", LineHint(kind=BlockKind.FOOTNOTE, number="¹"))
    assert lines[5] == ("² 第二个脚注。", LineHint(kind=BlockKind.FOOTNOTE, number="²"))
    assert texts[6] == "二. 意见"
    doc = parse(ex)
    fn1 = next(b for b in doc.blocks if b.kind is BlockKind.FOOTNOTE and b.number == "¹")
    p1 = doc.paragraph("1")
    assert p1 is not None
    assert fn1.id in p1.footnotes


def test_custom_mark_hidden_text_and_revisions() -> None:
    ex = read_docx(_features_doc(), "features.docx")
    texts = [t for t, _ in lines_with_hints(ex)]
    assert "3. 附注†插入" in texts
    assert "† 自定义标记。" in texts  # the mark is not doubled
    assert not any("隐藏" in t or "删除" in t for t in texts)
    assert "见 联合国网站。" in texts


def test_table_kept_as_table_block_with_searchable_cells() -> None:
    ex = read_docx(_features_doc(), "features.docx")
    lines = lines_with_hints(ex)
    table = next((t, h) for t, h in lines if h is not None and h.kind is BlockKind.TABLE)
    assert table[1] is not None
    assert table[1].cells == (("国家", "人数"), ("中国", "2 000"), ("法国", "700"))
    assert "中国" in table[0]
    assert "2 000" in table[0]
    doc = parse(ex)
    block = next(b for b in doc.blocks if b.kind is BlockKind.TABLE)
    assert block.cells == [["国家", "人数"], ["中国", "2 000"], ["法国", "700"]]
    assert "法国" in block.text


def test_table_of_contents_skipped_and_symbol_title() -> None:
    ex = read_docx(_features_doc(), "features.docx")
    texts = [t for t, _ in lines_with_hints(ex)]
    assert texts.count("一. 背景") == 1
    assert any("table of contents" in w for w in ex.warnings)
    # A symbol stored as the title property is a symbol, not a title.
    assert ex.symbol == "A/75/999"
    assert ex.title is None


def test_heading_from_outline_level_without_heading_style() -> None:
    w = DocxWriter()
    para = w.paragraph("Annex")
    para.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    w.paragraph("Body text.")
    ex = read_docx(w.save(), "outline.docx")
    assert lines_with_hints(ex)[0] == ("Annex", LineHint(heading_level=1))


# ---------------------------------------------------------------- errors


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"PK\x03\x04" + bytes(range(256)) * 8, "damaged or not a Word document"),
        (_zip({"hello.txt": b"not word"}), "damaged or not a Word document"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "password-protected Word file or an old .doc"),
        (b"just some text", "not a Word .docx file"),
    ],
    ids=["corrupt-zip", "zip-without-document", "encrypted-or-doc", "not-a-zip"],
)
def test_unreadable_files_fail_with_one_clear_line(data: bytes, expected: str) -> None:
    with pytest.raises(ImportFailed) as info:
        read_docx(data, "bad.docx")
    message = str(info.value)
    assert message.startswith("bad.docx: ")
    assert expected in message
    assert "\n" not in message


def test_truncated_docx_fails_cleanly(sample_docx: bytes) -> None:
    with pytest.raises(ImportFailed, match=r"^cut\.docx: "):
        read_docx(sample_docx[: len(sample_docx) // 2], "cut.docx")


def test_empty_document_fails() -> None:
    with pytest.raises(ImportFailed, match="no text"):
        read_docx(DocxWriter().save(), "empty.docx")


def test_failed_import_leaves_library_unchanged(library: Library, tmp_path: Path, sample_docx: bytes) -> None:
    good = tmp_path / "A_75_563.docx"
    good.write_bytes(sample_docx)
    library.import_file(good)
    before = snapshot(library.root)
    bad = tmp_path / "broken.docx"
    bad.write_bytes(sample_docx[:5000])
    with pytest.raises(ImportFailed, match=r"^broken\.docx: "):
        library.import_file(bad)
    assert snapshot(library.root) == before
    assert len(library.documents()) == 1


def test_a_letterhead_table_gives_the_symbol() -> None:
    # Word documents from ODS put the letterhead in a table: the organ on the left, the symbol right.
    w = DocxWriter()
    w.table([["United Nations", "A/77/123"], ["General Assembly", "Distr.: General\n1 June 2022"]])
    title = "Implementation of the recommendations of the Special Committee on Peacekeeping Operations"
    for line in (
        "Seventy-seventh session",
        title,
        "Report of the Secretary-General",
        "1.\tIn its resolution 76/274, the General Assembly requested a report on its implementation.",
        "2.\tThe present report covers the period from July 2021 to June 2022.",
        "3.\tThe safety and security of peacekeepers remained a priority.",
    ):
        w.paragraph(line)
    doc = load_bytes(w.save(), "report.docx")  # no symbol in the file name either
    assert doc.symbol == "A/77/123"
    assert doc.title == title
    assert [b.number for b in doc.paragraphs() if b.number] == ["1", "2", "3"]
