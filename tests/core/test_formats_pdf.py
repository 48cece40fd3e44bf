"""PDF import: running heads, footnotes, split paragraphs, scans, encryption, damage.

``sample.pdf`` is the sample briefing printed by LibreOffice (made once by
tests/fixtures/formats/make_fixtures.py).  The other PDFs are drawn here with
Qt's QPdfWriter, line by line, so each layout problem is placed exactly.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest

from reader.core.errors import ImportFailed
from reader.core.formats import Extracted
from reader.core.formats.pdf import join_lines, read_pdf
from reader.core.importers import load_bytes
from reader.core.library import Library
from reader.core.model import BlockKind, Document, LineHint
from reader.core.parser import parse_text
from tests.fixtures.formats.make_fixtures import HERE, JOB, SYMBOL

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QApplication

FONT = "WenQuanYi Micro Hei"
LEFT, RIGHT = 72.0, 523.0


def squash(text: str) -> str:
    return "".join(text.split())


def lines_with_hints(ex: Extracted) -> list[tuple[str, LineHint | None]]:
    return [(line, ex.hints.get(i)) for i, line in enumerate(ex.text.split("\n")) if line]


def snapshot(root: Path) -> list[tuple[Path, bytes]]:
    return sorted((p.relative_to(root), p.read_bytes()) for p in root.rglob("*") if p.is_file())


# ---------------------------------------------------------------- the LibreOffice sample


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return (HERE / "sample.pdf").read_bytes()


@pytest.fixture(scope="module")
def extracted(sample_pdf: bytes) -> Extracted:
    return read_pdf(sample_pdf, "A_75_563.pdf")


@pytest.fixture(scope="module")
def pdf_doc(extracted: Extracted) -> Document:
    return parse_text(
        extracted.text,
        hints=extracted.hints,
        source_name="A_75_563.pdf",
        title=extracted.title,
        symbol=extracted.symbol,
    )


def test_sample_pdf_is_a_real_multi_page_print(sample_pdf: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    assert len(reader.pages) > 20
    assert "LibreOffice" in str(reader.metadata.producer if reader.metadata else "")


def test_sample_has_147_numbered_paragraphs(pdf_doc: Document) -> None:
    assert [b.number for b in pdf_doc.paragraphs() if b.number] == [str(n) for n in range(1, 148)]


def test_sample_paragraph_text_matches_text(pdf_doc: Document, sample_doc: Document) -> None:
    for ours, theirs in zip(pdf_doc.paragraphs(), sample_doc.paragraphs(), strict=True):
        assert ours.number == theirs.number
        assert squash(pdf_doc.raw(ours)) == squash(sample_doc.raw(theirs))


def test_sample_heading_tree_matches_text(pdf_doc: Document, sample_doc: Document) -> None:
    def shape(doc: Document) -> list[tuple[int, str]]:
        return [(h.level, squash(doc.block(h.block).text)) for h in doc.headings()]

    assert shape(pdf_doc) == shape(sample_doc)
    assert len(pdf_doc.tree) == 12


def test_sample_heading_labels_match_text(pdf_doc: Document, sample_doc: Document) -> None:
    def labels(doc: Document) -> list[tuple[int, str | None, str]]:
        return [(h.level, h.label, squash(h.title)) for h in doc.headings()]

    assert labels(pdf_doc) == labels(sample_doc)


def test_sample_bookmarks_give_heading_levels(extracted: Extracted) -> None:
    levels = [(t, h.heading_level) for t, h in lines_with_hints(extracted) if h and h.heading_level]
    assert levels[:3] == [
        ("一. 战略背景", 1),
        ("A. 身处不断变化的世界中的维和前景", 2),
        ("B. “以行动促维和”倡议概览", 2),
    ]
    assert sum(1 for _, level in levels if level == 3) == 19


def test_sample_running_heads_and_feet_removed(extracted: Extracted, pdf_doc: Document) -> None:
    assert extracted.symbol == SYMBOL
    assert extracted.title == "维持和平行动特别委员会各项建议的执行情况"
    assert JOB not in extracted.text
    assert SYMBOL not in extracted.text
    assert "联合国  " not in extracted.text
    # The repeated title in the even-page footer is gone; the front matter keeps the real one.
    assert extracted.text.count("维持和平行动特别委员会各项建议的执行情况") == 1
    assert all(not squash(b.text).isdigit() for b in pdf_doc.blocks)
    assert extracted.warnings == []


def test_sample_paragraphs_split_by_page_breaks_are_joined(pdf_doc: Document) -> None:
    p11 = pdf_doc.paragraph("11")
    assert p11 is not None
    # "…任满回国" ends page 2 of the PDF and "的工作。" opens page 3.
    assert "任满回国的工作。" in p11.text
    assert "进出东道国" in p11.text
    assert len([b for b in pdf_doc.blocks if b.kind is BlockKind.TEXT]) == 0


def test_sample_footnotes_and_figures(pdf_doc: Document, sample_doc: Document) -> None:
    def notes(doc: Document) -> list[tuple[str | None, str, list[str]]]:
        found = [b for b in doc.blocks if b.kind is BlockKind.FOOTNOTE]
        return [(b.number, squash(b.text), b.referenced_by) for b in found]

    def figures(doc: Document) -> list[str]:
        return [squash(b.text) for b in doc.blocks if b.kind is BlockKind.FIGURE]

    assert notes(pdf_doc) == notes(sample_doc)
    p25 = pdf_doc.paragraph("25")
    assert p25 is not None
    assert "在科索沃，¹" in p25.text
    assert figures(pdf_doc) == figures(sample_doc)


def test_load_bytes_and_library_import(library: Library, tmp_path: Path, sample_pdf: bytes) -> None:
    doc = load_bytes(sample_pdf, "A_75_563.pdf")
    assert doc.symbol == SYMBOL
    path = tmp_path / "A_75_563.pdf"
    path.write_bytes(sample_pdf)
    result = library.import_file(path)
    assert result.status == "new"
    assert result.record.symbol == SYMBOL
    before = snapshot(library.root)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(ImportFailed, match=r"^broken\.pdf: "):
        library.import_file(broken)
    assert snapshot(library.root) == before


# ---------------------------------------------------------------- drawn PDFs


@dataclass
class Text:
    """A line to draw: baseline ``y`` from the page top, justified to RIGHT when ``full``."""

    y: float
    text: str
    size: float = 10.5
    x: float = LEFT
    full: bool = False
    bold: bool = False
    raised: tuple[int, str] | None = None  # (character index, superscript text) drawn small and raised


@dataclass
class Rule:
    """A short horizontal rule (a footnote separator)."""

    y: float
    x0: float = LEFT
    x1: float = LEFT + 120


@dataclass
class Picture:
    """A scanned page: an image with text painted into its pixels."""

    text: str


Item = Text | Rule | Picture


@pytest.fixture(scope="module")
def app(qapp: QApplication) -> QApplication:
    """Qt's application (pytest-qt owns it); QPainter needs one for fonts."""
    return qapp


def draw_pdf(pages: list[list[Item]], title: str = "") -> bytes:
    """Draw pages of positioned text with QPdfWriter (72 dpi: one unit is one point)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    writer.setResolution(72)
    writer.setTitle(title)
    painter = QPainter(writer)
    for n, items in enumerate(pages):
        if n:
            writer.newPage()
        for item in items:
            if isinstance(item, Text):
                _draw_text(painter, item)
            elif isinstance(item, Rule):
                painter.drawLine(QPointF(item.x0, item.y), QPointF(item.x1, item.y))
            else:
                image = QImage(400, 120, QImage.Format.Format_RGB32)
                image.fill(QColor("white"))
                image_painter = QPainter(image)
                image_painter.setFont(_font(20))
                image_painter.drawText(QPointF(10, 60), item.text)
                image_painter.end()
                painter.drawImage(QRectF(LEFT, 100, 400, 120), image)
    painter.end()
    buffer.close()
    return bytes(data.data())


def _font(size: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(size)
    font.setBold(bold)
    return font


def _draw_text(painter: QPainter, item: Text) -> None:
    font = _font(item.size, item.bold)
    painter.setFont(font)
    metrics = QFontMetricsF(font, painter.device())
    text = item.text
    if item.raised is not None:
        index, sup = item.raised
        before, after = text[:index], text[index:]
        painter.drawText(QPointF(item.x, item.y), before)
        x = item.x + metrics.horizontalAdvance(before)
        small = _font(item.size * 0.6)
        painter.setFont(small)
        painter.drawText(QPointF(x, item.y - item.size * 0.4), sup)
        x += QFontMetricsF(small, painter.device()).horizontalAdvance(sup) + 1
        painter.setFont(font)
        painter.drawText(QPointF(x, item.y), after)
        return
    if not item.full:
        painter.drawText(QPointF(item.x, item.y), text)
        return
    # Justify: spread the slack over the gaps between words (or characters, for CJK).
    units = text.split(" ") if " " in text else list(text)
    joiner = " " if " " in text else ""
    natural = sum(metrics.horizontalAdvance(u) for u in units)
    if joiner:
        natural += metrics.horizontalAdvance(" ") * (len(units) - 1)
    slack = (RIGHT - item.x - natural) / max(len(units) - 1, 1)
    x = item.x
    for unit in units:
        painter.drawText(QPointF(x, item.y), unit)
        x += metrics.horizontalAdvance(unit) + slack + (metrics.horizontalAdvance(" ") if joiner else 0)


def _running(page: int) -> list[Item]:
    """UN-style running head and foot: title and symbol on top, job and page number below."""
    return [
        Text(40, "Implementation of the recommendations", size=9),
        Text(40, "A/75/999", size=9, x=470),
        Text(800, f"{JOB}", size=9) if page % 2 else Text(800, f"{page}", size=9, x=500),
        Text(800, f"{page}", size=9, x=LEFT + 60) if page % 2 else Text(800, JOB, size=9, x=LEFT + 60),
    ]


CJK = "会员国对维和行动的业绩问责框架表示欢迎并提出了若干意见和建议" * 4
NOTE = "见 A/75/1 号文件，其中载有详细数字。"


@pytest.fixture(scope="module")
def drawn(app: QApplication) -> bytes:
    page1: list[Item] = [
        *_running(1),
        Text(100, "一. 背景", size=14, bold=True),
        Text(130, "1. The Special Committee on Peacekeeping Operations wel-", full=True),
        Text(144, "comed the report of the Secretary-", full=True),
        Text(158, "General and its account of the response to COVID-", full=True),
        Text(172, "19 in the field, and asked for an update."),
        Text(198, "2. " + CJK[0:38], full=True),
        Text(212, CJK[38:50] + "，" + CJK[50:78], raised=(13, "1")),
        Text(226, CJK[78:120], full=True),  # runs on to the next page
        Rule(740),
        Text(755, " " + NOTE, size=8, raised=(0, "1")),
    ]
    page2: list[Item] = [
        *_running(2),
        Text(100, "团的工作提供参考。"),
        Text(126, "3. 秘书处将继续报告。"),
    ]
    page3: list[Item] = [
        *_running(3),
        Text(100, "4. Some text on the last page that is long enough to be a paragraph."),
    ]
    return draw_pdf([page1, page2, page3], title="Microsoft Word - draft.docx")


def test_drawn_pdf_paragraphs_headers_and_footnotes(drawn: bytes) -> None:
    ex = read_pdf(drawn, "drawn.pdf")
    lines = [t for t, _ in lines_with_hints(ex)]
    assert lines == [
        "一. 背景",
        "1. The Special Committee on Peacekeeping Operations welcomed the report of the Secretary-General "
        "and its account of the response to COVID-19 in the field, and asked for an update.",
        "2. " + CJK[0:50] + "，¹" + CJK[50:120] + "团的工作提供参考。",
        "¹ " + NOTE,
        "3. 秘书处将继续报告。",
        "4. Some text on the last page that is long enough to be a paragraph.",
    ]
    assert ex.symbol == "A/75/999"
    assert ex.title is None  # "Microsoft Word - draft.docx" names a file, not the document
    assert lines_with_hints(ex)[3][1] == LineHint(kind=BlockKind.FOOTNOTE, number="¹")


def test_drawn_pdf_parses_with_footnote_link(drawn: bytes) -> None:
    doc = load_bytes(drawn, "drawn.pdf")
    p2 = doc.paragraph("2")
    assert p2 is not None
    assert p2.footnotes
    assert doc.block(p2.footnotes[0]).text == NOTE
    assert [b.number for b in doc.paragraphs() if b.number] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("a", "b", "joined"),
    [
        ("deve-", "lopment", "development"),
        ("Secretary-", "General", "Secretary-General"),
        ("COVID-", "19", "COVID-19"),
        ("end of", "line", "end of line"),
        ("中文", "继续", "中文继续"),
        ("2020 年", "5 月", "2020 年5 月"),
        ("soft\u00ad", "hyphen", "softhyphen"),
        ("x", "", "x"),
    ],
)
def test_join_lines(a: str, b: str, joined: str) -> None:
    assert join_lines(a, b) == joined


def test_scanned_pdf_cannot_be_searched(app: QApplication) -> None:
    scan = draw_pdf([[Picture("Scanned page")], [Picture("Second page")]])
    with pytest.raises(ImportFailed) as info:
        read_pdf(scan, "scan.pdf")
    message = str(info.value)
    assert message.startswith("scan.pdf: ")
    assert "cannot be searched" in message


def test_scanned_page_inside_text_pdf_is_reported(app: QApplication) -> None:
    mixed = draw_pdf([[Text(100, "1. A real text page.")], [Picture("Scanned page")]])
    ex = read_pdf(mixed, "mixed.pdf")
    assert ex.text == "1. A real text page.\n"
    assert ex.warnings == ["page(s) 2 are scanned images without text; their content is missing"]


def test_empty_pdf_fails(app: QApplication) -> None:
    with pytest.raises(ImportFailed, match=r"^empty\.pdf: the PDF has no text$"):
        read_pdf(draw_pdf([[]]), "empty.pdf")


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_encrypted_pdf_needs_its_password(drawn: bytes, algorithm: str) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(drawn)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ImportFailed, match=r"^locked\.pdf: the PDF is password-protected"):
        read_pdf(out.getvalue(), "locked.pdf")


def test_pdf_with_only_an_owner_password_opens(drawn: bytes) -> None:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(drawn)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    ex = read_pdf(out.getvalue(), "restricted.pdf")
    assert "3. 秘书处将继续报告。" in ex.text


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"%PDF-1.7\n" + bytes(range(256)) * 20, "damaged"),
        (b"%PDF-1.4\n%%EOF\n", "damaged"),
        (b"PK\x03\x04 this is a zip", "not a PDF file"),
        (b"", "not a PDF file"),
    ],
    ids=["garbage-after-header", "header-only", "zip", "empty-file"],
)
def test_corrupt_pdf_fails_with_one_clear_line(data: bytes, expected: str) -> None:
    with pytest.raises(ImportFailed) as info:
        read_pdf(data, "bad.pdf")
    message = str(info.value)
    assert message.startswith("bad.pdf: ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_truncated_pdf_fails_cleanly(sample_pdf: bytes, fraction: float) -> None:
    with pytest.raises(ImportFailed, match=r"^cut\.pdf: damaged or not a PDF file"):
        read_pdf(sample_pdf[: int(len(sample_pdf) * fraction)], "cut.pdf")
