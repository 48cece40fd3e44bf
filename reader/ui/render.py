"""Turn a :class:`~reader.core.model.Document` into a QTextDocument for reading.

Text is inserted with ``QTextCursor.insertText`` only, never as HTML, so a
document containing ``<b>`` or ``<script>`` shows those characters literally.
Each model block becomes one Qt block (tables: one per cell) whose text is
exactly ``Block.text`` (plus, at most, trailing footnote markers), so an offset
inside a block converts to a Qt position by counting UTF-16 units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextLength,
    QTextTableFormat,
)

from reader.core.furniture import is_page_furniture
from reader.core.model import Block, BlockKind, Document
from reader.qt.text import plain_tooltip
from reader.qt.theme import Theme

FOOTNOTE_SCHEME = "footnote:"
PARAGRAPH_SPACING = 10.0
_GROUP_SPACE = re.compile(r"(?<=[0-9])[ \u2009](?=[0-9]{3}(?![0-9]))")


def no_break_numbers(text: str) -> str:
    """``94 000`` with a no-break space, so a number never wraps inside (same length in UTF-16)."""
    return _GROUP_SPACE.sub(lambda m: "\u00a0" if m.group() == " " else "\u202f", text)


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (what Qt positions count)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(slots=True)
class RenderMap:
    """Where each model block landed in the QTextDocument.

    Attributes:
        starts: Block id to the Qt position where its text begins.
        qt_blocks: Block id to the Qt block number of its first line.
        text_lengths: Block id to the length of its text in UTF-16 units.
        order: Block ids in document order (the index is the Qt block's user state).
    """

    starts: dict[str, int] = field(default_factory=dict)
    qt_blocks: dict[str, int] = field(default_factory=dict)
    text_lengths: dict[str, int] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)


def _heading_adjustment(level: int) -> int:
    # FontSizeAdjustment is relative to the document's default font, so zooming
    # (changing that font) scales headings too.
    return {1: 2, 2: 1}.get(level, 0)


def render(doc: Document, theme: Theme, target: QTextDocument) -> RenderMap:
    """Fill ``target`` with ``doc`` (clearing it first) and return the block map."""
    target.clear()
    out = RenderMap()
    cursor = QTextCursor(target)
    cursor.beginEditBlock()
    first = True
    for index, block in enumerate(doc.blocks):
        out.order.append(block.id)
        if block.kind is BlockKind.TABLE and block.cells:
            _insert_table(cursor, block, index, out, first, theme)
            first = False
            continue
        fmt, char = _formats(
            block, theme, is_title=block.kind is BlockKind.FRONT_MATTER and block.text == doc.title
        )
        if first:
            cursor.setBlockFormat(fmt)
            cursor.setCharFormat(char)
            first = False
        else:
            cursor.insertBlock(fmt, char)
        cursor.block().setUserState(index)
        out.starts[block.id] = cursor.position()
        out.qt_blocks[block.id] = cursor.block().blockNumber()
        out.text_lengths[block.id] = utf16_len(block.text)
        _insert_text(cursor, doc, block, char, theme)
    cursor.endEditBlock()
    return out


def _formats(
    block: Block, theme: Theme, *, is_title: bool = False
) -> tuple[QTextBlockFormat, QTextCharFormat]:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(PARAGRAPH_SPACING)
    fmt.setLineHeight(150.0, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    char = QTextCharFormat()
    char.setForeground(QColor(theme.text))
    kind = block.kind
    if kind is BlockKind.HEADING:
        level = block.level or 1
        char.setProperty(QTextFormat.Property.FontSizeAdjustment, _heading_adjustment(level))
        char.setFontWeight(QFont.Weight.Bold)
        char.setForeground(QColor(theme.heading))
        fmt.setTopMargin(18.0 if level == 1 else 12.0)
        fmt.setBottomMargin(8.0)
        fmt.setHeadingLevel(min(level, 6))
    elif kind is BlockKind.FRONT_MATTER and is_title:
        # The document's own title, among session and agenda lines, reads as a title.
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        char.setProperty(QTextFormat.Property.FontSizeAdjustment, 2)
        char.setFontWeight(QFont.Weight.Bold)
        char.setForeground(QColor(theme.heading))
    elif kind is BlockKind.FRONT_MATTER:
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        char.setForeground(QColor(theme.muted))
    elif kind is BlockKind.FOOTNOTE:
        char.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
        char.setForeground(QColor(theme.muted))
        fmt.setLeftMargin(12.0)
    elif kind is BlockKind.FIGURE:
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        char.setFontItalic(True)
        char.setForeground(QColor(theme.muted))
    elif kind is BlockKind.TEXT and is_page_furniture(block.text.strip()):
        # A page break of the printed original (job number, page, running symbol): kept, since
        # delegates cite pages, but set small and quiet so the paragraph it split reads on.
        fmt.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        fmt.setLineHeight(100.0, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setTopMargin(4.0)
        fmt.setBottomMargin(6.0)
        char.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
        char.setForeground(QColor(theme.muted))
    return fmt, char


def _insert_text(
    cursor: QTextCursor, doc: Document, block: Block, char: QTextCharFormat, theme: Theme
) -> None:
    text = block.text
    markers: list[tuple[str, str]] = []
    for fn_id in block.footnotes:
        note = doc.get_block(fn_id)
        if note is not None:
            markers.append((fn_id, note.number or "*"))
    # A marker already in the text (``秘书长的报告*``) becomes the link in place;
    # otherwise it is appended, after the text, so offsets inside it are unchanged.
    inline: list[tuple[int, int, str]] = []
    appended: list[tuple[str, str]] = []
    search_end = len(text)
    for fn_id, marker in reversed(markers):
        pos = text.rfind(marker, 0, search_end)
        if pos > 0:
            inline.append((pos, pos + len(marker), fn_id))
            search_end = pos
        else:
            appended.insert(0, (fn_id, marker))
    inline.sort()
    at = 0
    # Shown with no-break spaces inside numbers; one character for one, so offsets hold.
    shown = no_break_numbers(text)
    for start, end, fn_id in inline:
        cursor.insertText(shown[at:start], char)
        cursor.insertText(shown[start:end], _footnote_format(char, fn_id, doc, theme))
        at = end
    cursor.insertText(shown[at:], char)
    for fn_id, marker in appended:
        cursor.insertText(marker, _footnote_format(char, fn_id, doc, theme))


def _footnote_format(base: QTextCharFormat, fn_id: str, doc: Document, theme: Theme) -> QTextCharFormat:
    fmt = QTextCharFormat(base)
    fmt.setAnchor(True)
    fmt.setAnchorHref(FOOTNOTE_SCHEME + fn_id)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
    fmt.setForeground(QColor(theme.link))
    note = doc.get_block(fn_id)
    if note is not None:
        fmt.setToolTip(plain_tooltip(note.text))
    return fmt


def _insert_table(
    cursor: QTextCursor, block: Block, index: int, out: RenderMap, first: bool, theme: Theme
) -> None:
    cells = block.cells or []
    rows = len(cells)
    cols = max((len(r) for r in cells), default=1)
    if not first:
        cursor.insertBlock()
    cursor.block().setUserState(index)
    out.starts[block.id] = cursor.position()
    out.qt_blocks[block.id] = cursor.block().blockNumber()
    out.text_lengths[block.id] = 0
    fmt = QTextTableFormat()
    fmt.setCellPadding(4.0)
    fmt.setCellSpacing(0.0)
    fmt.setBorder(0.5)
    fmt.setBorderBrush(QColor(theme.muted))
    fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100.0))
    table = cursor.insertTable(rows, cols, fmt)
    char = QTextCharFormat()
    char.setForeground(QColor(theme.text))
    for r, row in enumerate(cells):
        for c in range(cols):
            cell_cursor = table.cellAt(r, c).firstCursorPosition()
            cell_cursor.block().setUserState(index)
            cell_cursor.insertText(row[c] if c < len(row) else "", char)
    cursor.movePosition(QTextCursor.MoveOperation.End)
