"""Print or export the open document to PDF through Qt's printing, with its notes if wanted.

The printout is its own QTextDocument: paragraph numbers written in front of
the text (the screen paints them in the margin), and each note either beside
its paragraph (a two-column row: text, then the note in small type) or as a
numbered endnote.  Text goes in with ``insertText`` only, never as HTML.  The
font is the bundled CJK face when it is registered, so Chinese glyphs are
embedded in the PDF whatever the machine has.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTableFormat,
)

from reader.bundled_fonts import CJK_FAMILY
from reader.core.citation import cite
from reader.core.model import Block, BlockKind, Document

NOTES_NONE, NOTES_MARGIN, NOTES_END = "none", "margin", "endnotes"
NOTE_MODES = (
    (NOTES_NONE, "Without notes"),
    (NOTES_MARGIN, "Notes in the margin"),
    (NOTES_END, "Notes as endnotes"),
)
BASE_POINTS = 11.0


@dataclass(frozen=True, slots=True)
class PrintNote:
    """A note as printed: its block, quote, text and author."""

    block_id: str
    quote: str
    text: str
    author: str


def print_font() -> QFont:
    """The bundled CJK face when registered (its glyphs get embedded), else the default."""
    font = QFont()
    if CJK_FAMILY in QFontDatabase.families():
        font = QFont(CJK_FAMILY)
    font.setPointSizeF(BASE_POINTS)
    return font


def _char(size: float = 0, *, bold: bool = False, colour: str = "#000000") -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if size:
        fmt.setFontPointSize(size)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    return fmt


def _block_text(block: Block) -> str:
    if block.kind is BlockKind.PARAGRAPH and block.number:
        return f"{block.number}. {block.text}"
    if block.kind is BlockKind.FOOTNOTE and block.number:
        return f"[{block.number}] {block.text}"
    if block.kind is BlockKind.TABLE and block.cells:
        return "\n".join(" | ".join(row) for row in block.cells)
    return block.text


def _note_line(note: PrintNote) -> str:
    quote = " ".join(note.quote.split())
    quote = quote if len(quote) <= 60 else quote[:59] + "…"
    parts = [f"“{quote}”"]
    if note.text:
        parts.append(note.text)
    if note.author:
        parts.append(f"({note.author})")
    return " ".join(parts)


def build_printout(document: Document, notes: list[PrintNote], mode: str = NOTES_NONE) -> QTextDocument:
    """The document laid out for paper, with ``notes`` beside their paragraphs or at the end."""
    qdoc = QTextDocument()
    qdoc.setDefaultFont(print_font())
    qdoc.setDocumentMargin(0)
    by_block: dict[str, list[PrintNote]] = {}
    for note in notes if mode != NOTES_NONE else []:
        by_block.setdefault(note.block_id, []).append(note)
    cursor = QTextCursor(qdoc)
    cursor.beginEditBlock()
    title = _char(BASE_POINTS + 5, bold=True)
    cursor.setBlockFormat(_paragraph_format(centred=True))
    cursor.insertText(document.title, title)
    if document.symbol:
        cursor.insertBlock(_paragraph_format(centred=True), _char(colour="#555555"))
        cursor.insertText(document.symbol)
    endnotes: list[tuple[int, PrintNote]] = []
    for block in document.blocks:
        if block.kind is BlockKind.FRONT_MATTER and block.text == document.title:
            continue
        mine = by_block.get(block.id, [])
        if mine and mode == NOTES_MARGIN:
            _margin_row(cursor, block, mine)
            continue
        cursor.insertBlock(_paragraph_format(block), _formats(block))
        cursor.insertText(_block_text(block), _formats(block))
        for note in mine:
            endnotes.append((len(endnotes) + 1, note))
            marker = _char(colour="#1f5fa8")
            marker.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
            cursor.insertText(f"[{len(endnotes)}]", marker)
    if endnotes:
        zh = document.language.lower().startswith("zh")
        cursor.insertBlock(_paragraph_format(heading=True), _char(BASE_POINTS + 3, bold=True))
        # In the document's language, like its citations.
        cursor.insertText("批注" if zh else "Notes")
        colon = "：" if zh else ": "
        for n, note in endnotes:
            cursor.insertBlock(_paragraph_format(), _char(BASE_POINTS - 1))
            cursor.insertText(f"[{n}] {cite(document, note.block_id)}{colon}{_note_line(note)}")
    cursor.endEditBlock()
    return qdoc


def _paragraph_format(
    block: Block | None = None, *, centred: bool = False, heading: bool = False
) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(6.0)
    fmt.setLineHeight(130.0, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    if centred or (block is not None and block.kind is BlockKind.FRONT_MATTER):
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    if heading or (block is not None and block.kind is BlockKind.HEADING):
        fmt.setTopMargin(12.0)
        fmt.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
    return fmt


def _formats(block: Block) -> QTextCharFormat:
    if block.kind is BlockKind.HEADING:
        return _char(BASE_POINTS + (3 if (block.level or 1) == 1 else 1), bold=True)
    if block.kind in (BlockKind.FOOTNOTE, BlockKind.FRONT_MATTER):
        return _char(BASE_POINTS - 1.5, colour="#444444")
    return _char()


def _margin_row(cursor: QTextCursor, block: Block, notes: list[PrintNote]) -> None:
    """A paragraph with its notes beside it: two cells, the note column narrow and in small type."""
    fmt = QTextTableFormat()
    fmt.setBorder(0)
    fmt.setCellPadding(2.0)
    fmt.setCellSpacing(0)
    percent = QTextLength.Type.PercentageLength
    fmt.setColumnWidthConstraints([QTextLength(percent, 70), QTextLength(percent, 30)])
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    cursor.insertBlock()
    table = cursor.insertTable(1, 2, fmt)
    left = table.cellAt(0, 0).firstCursorPosition()
    left.insertText(_block_text(block), _formats(block))
    right = table.cellAt(0, 1).firstCursorPosition()
    small = _char(BASE_POINTS - 2.5, colour="#7a3b00")
    right.insertText("\n".join("▸ " + _note_line(n) for n in notes), small)
    cursor.movePosition(QTextCursor.MoveOperation.End)


PDF_DPI = 300


def pdf_printer(path: Path) -> QPdfWriter:
    """A PDF writer for an A4 file at ``path`` (QtGui's: no print-support module needed for PDF)."""
    writer = QPdfWriter(str(path))
    writer.setResolution(PDF_DPI)
    writer.setCreator("Briefing Reader")
    configure(writer)
    return writer


def configure(printer: QPagedPaintDevice) -> None:
    """A4 with 18 mm margins (the user's print dialog may change them)."""
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(18, 18, 18, 18),
            QPageLayout.Unit.Millimeter,
        )
    )


def print_document(qdoc: QTextDocument, printer: QPagedPaintDevice) -> None:
    """Lay ``qdoc`` out on the printer's pages (with page numbers) and print, or write the PDF."""
    # Paginate at the page's size in points, so pageCount() tells how many pages came out.
    qdoc.setPageSize(printer.pageLayout().paintRect(QPageLayout.Unit.Point).size())
    qdoc.print_(printer)
