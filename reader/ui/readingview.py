"""The reading view: one document, rendered from the model, with margins, zoom and highlights."""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QFont,
    QGuiApplication,
    QIcon,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QPolygon,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QMenu, QTextBrowser, QTextEdit, QToolTip, QWidget

from reader.core.model import BlockKind, Document
from reader.qt.i18n import tr
from reader.qt.text import plain_tooltip
from reader.qt.theme import LIGHT, Theme
from reader.ui.render import FOOTNOTE_SCHEME, RenderMap, render, utf16_len

MIN_ZOOM, MAX_ZOOM = 8, 40
DEFAULT_FONT_SIZE = 13
GUTTER = 56
RTL_LANGUAGES = ("ar",)
"""Document languages written right to left (of the six UN languages, Arabic)."""
MARK_SIZE = 9


@dataclass(frozen=True, slots=True)
class Highlight:
    """A coloured range inside one block, in code points of ``Block.text``."""

    block_id: str
    start: int
    end: int
    colour: str


@dataclass(frozen=True, slots=True)
class Mark:
    """A margin mark: a bookmark or a note on a block (``kind`` is ``bookmark`` or ``note``)."""

    block_id: str
    kind: str
    mark_id: str
    colour: str = ""


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A selected range inside one block, in code points of ``Block.text``."""

    block_id: str
    start: int
    end: int
    text: str


def to_utf16(text: str, offset: int) -> int:
    """Code-point offset into ``text`` as a UTF-16 offset."""
    return utf16_len(text[:offset])


def from_utf16(text: str, units: int) -> int:
    """UTF-16 offset into ``text`` as a code-point offset (a split surrogate pair rounds down)."""
    count = 0
    for i, ch in enumerate(text):
        step = 2 if ord(ch) > 0xFFFF else 1
        if count + step > units:
            return i
        count += step
    return len(text)


class ReadingView(QTextBrowser):
    """Shows one document; paragraph numbers in the left margin.

    Signals:
        position_changed(str): the block at the top of the view changed (scroll settled).
        footnote_shown(str): a footnote reference was clicked and its text shown.
        zoom_changed(int): base font size in points after a zoom.
        mark_requested(str, str): a margin mark was clicked (kind ``note``/``bookmark``, its id).
        highlight_requested(str): highlight the selection in this colour (context menu).
        note_requested(): add a note at the selection or the current paragraph.
        bookmark_requested(str): toggle a bookmark on this block.
        search_requested(str): search for this text (the selection).
        copied(str): text was put on the clipboard (plain or with its citation).
    """

    position_changed = Signal(str)
    footnote_shown = Signal(str)
    zoom_changed = Signal(int)
    mark_requested = Signal(str, str)
    highlight_requested = Signal(str)
    note_requested = Signal()
    bookmark_requested = Signal(str)
    search_requested = Signal(str)
    copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reading_view")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.anchorClicked.connect(self._on_anchor)
        self._doc: Document | None = None
        self._map = RenderMap()
        self._theme = LIGHT
        self._font_size = DEFAULT_FONT_SIZE
        self._marks: list[Mark] = []
        self._mark_pressed = False
        self._reading_width = 760
        self._position = ""
        self._pending_block: str | None = None
        self._note_highlights: list[Highlight] = []
        self._hits: list[tuple[int, int]] = []
        self._current_hit = -1
        self._starts_sorted: list[tuple[int, str]] = []
        self._own_document: QTextDocument | None = None
        self._replacing = False
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(120)
        self._position_timer.timeout.connect(self._report_position)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._position_timer.start())
        self._apply_font()
        self.setPlaceholderText(tr("No document open. Import one with Ctrl+O."))

    # ------------------------------------------------------------ document
    @property
    def document_model(self) -> Document | None:
        """The document being shown, if any."""
        return self._doc

    @property
    def render_map(self) -> RenderMap:
        """Where each block sits in the QTextDocument."""
        return self._map

    def show_document(self, doc: Document, position: str | None = None) -> None:
        """Render ``doc`` and scroll to ``position`` (a block id) or the top."""
        self._doc = doc
        self._note_highlights = []
        self._hits = []
        self._current_hit = -1
        qdoc = QTextDocument(self)
        qdoc.setDefaultFont(self.font())
        qdoc.setDocumentMargin(24.0)
        self._map = render(doc, self._theme, qdoc)
        self._starts_sorted = sorted((pos, bid) for bid, pos in self._map.starts.items())
        self._replace_document(qdoc)
        self._apply_margins()
        self._position = ""
        self.scroll_to_block(position or (doc.blocks[0].id if doc.blocks else ""))
        self._refresh_extra()

    def clear_document(self) -> None:
        """Show nothing (the document was removed)."""
        self._doc = None
        self._map = RenderMap()
        self._starts_sorted = []
        self._replace_document(QTextDocument(self))
        self._position = ""

    def _replace_document(self, qdoc: QTextDocument) -> None:
        # Documents we created are ours to free; the first one belongs to the widget.
        old = self._own_document
        # Margins first, so the new document is laid out once (a margin change lays it out again);
        # the caller scrolls to its place afterwards, so resizes while the widget takes it keep none.
        self._apply_margins(qdoc)
        self._replacing = True
        try:
            self.setDocument(qdoc)
        finally:
            self._replacing = False
        self._own_document = qdoc
        if old is not None:
            old.deleteLater()

    # ------------------------------------------------------------ appearance
    def set_theme(self, theme: Theme) -> None:
        """Repaint in ``theme`` (re-renders so headings and markers take its colours)."""
        self._theme = theme
        self.setPalette(theme.palette())
        if self._doc is not None:
            keep = self.position()
            highlights, hits, current = self._note_highlights, self._hits, self._current_hit
            self.show_document(self._doc, keep)
            self._note_highlights, self._hits, self._current_hit = highlights, hits, current
            self._refresh_extra()

    @property
    def theme(self) -> Theme:
        """The current colour theme."""
        return self._theme

    @property
    def font_size(self) -> int:
        """Base font size in points."""
        return self._font_size

    def set_font_size(self, size: int) -> None:
        """Set the base font size in points (headings scale with it)."""
        self._font_size = max(MIN_ZOOM, min(MAX_ZOOM, size))
        self._apply_font()

    @property
    def zoom_percent(self) -> int:
        """The zoom level as a percentage of the default text size."""
        return round(self._font_size * 100 / DEFAULT_FONT_SIZE)

    def reset_zoom(self) -> None:
        """Back to the default text size (Ctrl+0), keeping the place."""
        self.zoom(DEFAULT_FONT_SIZE - self._font_size)

    def zoom(self, step: int) -> None:
        """Grow (positive) or shrink (negative) the text, keeping the place."""
        keep = self.top_block()
        before = self._font_size
        self.set_font_size(self._font_size + step)
        if self._font_size != before:
            if keep:
                self.scroll_to_block(keep)
            self.zoom_changed.emit(self._font_size)

    @property
    def reading_width(self) -> int:
        """Maximum width of the text column in pixels."""
        return self._reading_width

    def set_reading_width(self, width: int) -> None:
        """Limit the text column to ``width`` pixels (centred when the view is wider)."""
        self._reading_width = max(320, min(2400, width))
        self._apply_margins()

    def _apply_font(self) -> None:
        font = QFont(self.font())
        font.setPointSize(self._font_size)
        self.setFont(font)
        self.document().setDefaultFont(font)
        self._apply_margins()

    def right_to_left(self) -> bool:
        """True for a document written right to left: its numbers and marks go in the right margin."""
        return self._doc is not None and self._doc.language in RTL_LANGUAGES

    def _apply_margins(self, qdoc: QTextDocument | None = None) -> None:
        width = self.viewport().width()
        side = max(GUTTER, (width - self._reading_width) // 2)
        narrow = max(16, side - GUTTER // 2)
        # The gutter (paragraph numbers, marks) is on the side where lines start.
        left, right = (narrow, side) if self.right_to_left() else (side, narrow)
        frame = (qdoc or self.document()).rootFrame()
        fmt = frame.frameFormat()
        if fmt.leftMargin() != left or fmt.rightMargin() != right:
            fmt.setLeftMargin(left)
            fmt.setRightMargin(right)
            frame.setFrameFormat(fmt)

    def _gutter_x(self, x: int, width: int) -> int:
        """``x`` (a box of ``width`` in the left gutter) mirrored into the right one for RTL text."""
        if not self.right_to_left():
            return x
        fmt = self.document().rootFrame().frameFormat()
        # Mirror about the text column: the left gutter's x is measured from the left margin.
        return self.viewport().width() - int(fmt.rightMargin()) + (int(fmt.leftMargin()) - x) - width

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the text column centred and the place kept when the view resizes."""
        keep = "" if self._replacing else (self._pending_block or self.top_block())
        super().resizeEvent(event)
        self._apply_margins()
        if keep:
            self.scroll_to_block(keep)

    # ------------------------------------------------------------ positions
    def block_at_position(self, qt_pos: int) -> str:
        """Id of the model block containing Qt position ``qt_pos`` ("" when none)."""
        if not self._starts_sorted:
            return ""
        i = bisect.bisect_right(self._starts_sorted, (qt_pos, "\uffff")) - 1
        return self._starts_sorted[max(i, 0)][1]

    def top_block(self) -> str:
        """Id of the first block visible at the top of the view."""
        if self._doc is None:
            return ""
        cursor = self.cursorForPosition(QPoint(self.viewport().width() // 2, 8))
        block = cursor.block()
        index = block.userState()
        if 0 <= index < len(self._map.order):
            return self._map.order[index]
        return self.block_at_position(cursor.position())

    def current_block(self) -> str:
        """The paragraph the reader is on: the cursor's if it is on screen, else the top one."""
        cursor = self.textCursor()
        if self._doc is not None and (cursor.hasSelection() or cursor.position() > 0):
            rect = self.cursorRect(cursor)
            if self.viewport().rect().intersects(rect):
                index = cursor.block().userState()
                if 0 <= index < len(self._map.order):
                    return self._map.order[index]
        return self.top_block()

    def block_rect(self, block_id: str) -> QRect:
        """The block's rectangle in viewport coordinates (empty if unknown)."""
        number = self._map.qt_blocks.get(block_id)
        if number is None:
            return QRect()
        qblock = self.document().findBlockByNumber(number)
        rect = self.document().documentLayout().blockBoundingRect(qblock).toRect()
        return rect.translated(-self.horizontalScrollBar().value(), -self.verticalScrollBar().value())

    def scroll_to_block(self, block_id: str) -> bool:
        """Put ``block_id`` at the top of the view; False if the document lacks it."""
        number = self._map.qt_blocks.get(block_id)
        if number is None:
            return False
        qblock = self.document().findBlockByNumber(number)
        top = self.document().documentLayout().blockBoundingRect(qblock).top()
        self.verticalScrollBar().setValue(int(top) - 4)
        # Until the view has its real size the layout is provisional: re-apply on resize.
        settled = self.isVisible() and self.viewport().height() > 50
        self._pending_block = None if settled else block_id
        self._position_timer.start()
        return True

    def scroll_to_offset(self, block_id: str, offset: int) -> None:
        """Show code-point ``offset`` of ``block_id``, placing the cursor there."""
        start = self._qt_pos(block_id, offset)
        if start is None:
            return
        cursor = self.textCursor()
        cursor.setPosition(start)
        self.setTextCursor(cursor)
        self.scroll_to_block(block_id)
        self._ensure_pos_visible(start)

    def _ensure_pos_visible(self, qt_pos: int) -> None:
        cursor = QTextCursor(self.document())
        cursor.setPosition(qt_pos)
        rect = self.cursorRect(cursor)
        if not self.viewport().rect().contains(rect):
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - self.viewport().height() // 3)

    def position(self) -> str:
        """The block at the top of the view (or the one it will show once laid out)."""
        return self._pending_block or self.top_block()

    def _report_position(self) -> None:
        block = self.top_block()
        if block and block != self._position:
            self._position = block
            self.position_changed.emit(block)

    def _qt_pos(self, block_id: str, offset: int) -> int | None:
        if self._doc is None:
            return None
        start = self._map.starts.get(block_id)
        block = self._doc.get_block(block_id)
        if start is None or block is None:
            return None
        offset = max(0, min(offset, len(block.text)))
        return start + to_utf16(block.text, offset)

    # ------------------------------------------------------------ selection
    def selected_spans(self) -> list[TextSpan]:
        """The selection as per-block code-point ranges (empty when nothing is selected)."""
        cursor = self.textCursor()
        if self._doc is None or not cursor.hasSelection():
            return []
        lo, hi = cursor.selectionStart(), cursor.selectionEnd()
        out: list[TextSpan] = []
        for pos, block_id in self._starts_sorted:
            block = self._doc.block(block_id)
            length = self._map.text_lengths.get(block_id, 0)
            if pos + length <= lo or pos >= hi or length == 0:
                continue
            a = from_utf16(block.text, max(lo, pos) - pos)
            b = from_utf16(block.text, min(hi, pos + length) - pos)
            if b > a:
                out.append(TextSpan(block_id, a, b, block.text[a:b]))
        return out

    def select_range(self, block_id: str, start: int, end: int) -> None:
        """Select code points ``start..end`` of ``block_id`` (used by tests and note jumps)."""
        a, b = self._qt_pos(block_id, start), self._qt_pos(block_id, end)
        if a is None or b is None:
            return
        cursor = QTextCursor(self.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    # ------------------------------------------------------------ highlights
    def set_note_highlights(self, highlights: list[Highlight]) -> None:
        """Paint note ranges in their colours."""
        self._note_highlights = list(highlights)
        self._refresh_extra()

    def set_search_terms(self, terms: list[str]) -> int:
        """Highlight every occurrence of ``terms``; returns how many were found."""
        self._hits = []
        self._current_hit = -1
        if self._doc is not None:
            wanted = [t.casefold() for t in terms if t.strip()]
            for block in self._doc.blocks:
                start = self._map.starts.get(block.id)
                if start is None or not block.text:
                    continue
                folded = block.text.casefold()
                same_length = len(folded) == len(block.text)
                for term in wanted:
                    at = folded.find(term)
                    while at >= 0 and same_length:
                        a = start + to_utf16(block.text, at)
                        b = start + to_utf16(block.text, at + len(term))
                        self._hits.append((a, b))
                        at = folded.find(term, at + len(term))
            self._hits.sort()
        self._refresh_extra()
        return len(self._hits)

    def clear_search(self) -> None:
        """Remove search highlights."""
        self.set_search_terms([])

    @property
    def hit_count(self) -> int:
        """How many search occurrences are highlighted."""
        return len(self._hits)

    @property
    def current_hit(self) -> int:
        """Index of the current occurrence (-1 when none)."""
        return self._current_hit

    def current_hit_block(self) -> str:
        """Block id of the current occurrence ("" when none)."""
        if not 0 <= self._current_hit < len(self._hits):
            return ""
        return self.block_at_position(self._hits[self._current_hit][0])

    def goto_hit_near(self, block_id: str) -> None:
        """Make the first occurrence at or after the start of ``block_id`` current."""
        start = self._map.starts.get(block_id)
        if start is None or not self._hits:
            self.scroll_to_block(block_id)
            return
        i = bisect.bisect_left(self._hits, (start, start))
        self._set_current_hit(min(i, len(self._hits) - 1))

    def step_hit(self, step: int) -> None:
        """The next (``+1``) or previous (``-1``) occurrence after the reading position, wrapping around."""
        if not self._hits:
            return
        if self._current_hit >= 0 and self._hit_on_screen(self._current_hit):
            index = self._current_hit + step
        else:
            # The reader has moved on (or nothing is current yet): count from the reading position.
            top = self._map.starts.get(self.top_block(), 0)
            i = bisect.bisect_left(self._hits, (top, top))
            index = i if step > 0 else i - 1
        self._set_current_hit(index % len(self._hits))

    def _hit_on_screen(self, index: int) -> bool:
        cursor = QTextCursor(self.document())
        cursor.setPosition(self._hits[index][0])
        return self.viewport().rect().intersects(self.cursorRect(cursor))

    def _set_current_hit(self, index: int) -> None:
        self._current_hit = index
        a, _b = self._hits[index]
        self._refresh_extra()
        self._ensure_pos_visible(a)
        self._position_timer.start()

    def _refresh_extra(self) -> None:
        selections: list[QTextEdit.ExtraSelection] = []
        for hl in self._note_highlights:
            a, b = self._qt_pos(hl.block_id, hl.start), self._qt_pos(hl.block_id, hl.end)
            if a is None or b is None or a == b:
                continue
            selections.append(self._selection(a, b, self._theme.note_colour(hl.colour)))
        for i, (a, b) in enumerate(self._hits):
            colour = self._theme.current_hit if i == self._current_hit else self._theme.search_hit
            selections.append(self._selection(a, b, QColor(colour)))
        self.setExtraSelections(selections)

    def _selection(self, a: int, b: int, colour: QColor) -> QTextEdit.ExtraSelection:
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        sel.format = fmt
        return sel

    # ------------------------------------------------------------ footnotes
    def _on_anchor(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith(FOOTNOTE_SCHEME) and self._doc is not None:
            fn_id = href[len(FOOTNOTE_SCHEME) :]
            note = self._doc.get_block(fn_id)
            if note is not None:
                pos = self.mapToGlobal(self.cursorRect().bottomLeft())
                QToolTip.showText(pos, plain_tooltip(note.text), self)
                self.footnote_shown.emit(fn_id)

    # ------------------------------------------------------------ margin numbers
    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the text, then paragraph numbers in the left margin."""
        super().paintEvent(event)
        if self._doc is None:
            return
        painter = QPainter(self.viewport())
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, self._font_size * 0.75))
        painter.setFont(font)
        painter.setPen(QColor(self._theme.muted))
        frame_left = int(self.document().rootFrame().frameFormat().leftMargin())
        layout = self.document().documentLayout()
        dy = self.verticalScrollBar().value()
        height = self.viewport().height()
        first = self.cursorForPosition(QPoint(frame_left + 10, 0)).block()
        qblock = first
        while qblock.isValid():
            rect = layout.blockBoundingRect(qblock)
            top = rect.top() - dy
            if top > height:
                break
            index = qblock.userState()
            if 0 <= index < len(self._map.order) and self._map.qt_blocks.get(self._map.order[index]) == (
                qblock.blockNumber()
            ):
                block = self._doc.blocks[index]
                if block.kind in (BlockKind.PARAGRAPH, BlockKind.FOOTNOTE) and block.number:
                    line = qblock.layout().lineAt(0) if qblock.layout().lineCount() else None
                    line_h = int(line.height()) if line is not None else 20
                    x = self._gutter_x(frame_left - GUTTER + 4, GUTTER - 16)
                    box = QRect(x, int(top), GUTTER - 16, line_h)
                    # Next to the text: right-aligned in the left gutter, left-aligned in the right one.
                    side = Qt.AlignmentFlag.AlignLeft if self.right_to_left() else Qt.AlignmentFlag.AlignRight
                    painter.drawText(box, int(side | Qt.AlignmentFlag.AlignVCenter), block.number)
            qblock = qblock.next()
        self._paint_marks(painter)
        painter.end()

    def paragraph_label(self, block_id: str) -> str:
        """How the margin labels a block (``¶37``), for status messages."""
        if self._doc is None:
            return ""
        block = self._doc.get_block(block_id)
        if block is None:
            return ""
        if block.kind is BlockKind.PARAGRAPH and block.number:
            return f"¶{block.number}"
        return ""

    # ------------------------------------------------------------ margin marks
    def set_marks(self, marks: list[Mark]) -> None:
        """Show bookmarks and notes as marks in the left margin (clicking one requests it)."""
        self._marks = list(marks)
        self.viewport().update()

    @property
    def marks(self) -> list[Mark]:
        """The margin marks shown."""
        return list(self._marks)

    def mark_rects(self) -> list[tuple[QRect, Mark]]:
        """Where each mark is drawn, in viewport coordinates (off-screen ones included)."""
        frame_left = int(self.document().rootFrame().frameFormat().leftMargin())
        x = max(2, frame_left - GUTTER - MARK_SIZE // 2)
        out: list[tuple[QRect, Mark]] = []
        seen: dict[str, int] = {}
        for mark in self._marks:
            rect = self.block_rect(mark.block_id)
            if rect.isNull():
                continue
            # Bookmark first, then one dot per note, side by side.
            slot = seen.get(mark.block_id, 0)
            seen[mark.block_id] = slot + 1
            top = rect.top() + 4
            left = self._gutter_x(x + slot * (MARK_SIZE + 3), MARK_SIZE)
            out.append((QRect(left, top, MARK_SIZE, MARK_SIZE + 4), mark))
        return out

    def _paint_marks(self, painter: QPainter) -> None:
        height = self.viewport().height()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for rect, mark in self.mark_rects():
            if rect.bottom() < 0 or rect.top() > height:
                continue
            if mark.kind == "bookmark":
                # A ribbon with a notch, in the link colour.
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(self._theme.link))
                r = rect
                notch = QPolygon(
                    [
                        r.topLeft(),
                        r.topRight(),
                        r.bottomRight(),
                        QPoint(r.center().x(), r.bottom() - 4),
                        r.bottomLeft(),
                    ]
                )
                painter.drawPolygon(notch)
            else:
                colour = self._theme.note_colour(mark.colour)
                painter.setPen(QColor(self._theme.muted))
                painter.setBrush(colour.darker(115))
                painter.drawEllipse(rect.adjusted(0, 2, 0, -2))

    def mark_at(self, pos: QPoint) -> Mark | None:
        """The margin mark under a viewport point, if any (a little slack around it)."""
        for rect, mark in self.mark_rects():
            if rect.adjusted(-3, -3, 3, 3).contains(pos):
                return mark
        return None

    def mousePressEvent(self, e: QMouseEvent) -> None:
        """A click on a margin mark asks for that note or bookmark; the mouse's back/forward go on up."""
        if e.button() == Qt.MouseButton.LeftButton:
            mark = self.mark_at(e.position().toPoint())
            if mark is not None:
                self._mark_pressed = True
                self.mark_requested.emit(mark.kind, mark.mark_id)
                e.accept()
                return
        if e.button() in (Qt.MouseButton.BackButton, Qt.MouseButton.ForwardButton):
            e.ignore()
            return
        super().mousePressEvent(e)

    def mouseReleaseEvent(self, e: QMouseEvent) -> None:
        """The release of a click on a mark is the mark's too (no text selection starts)."""
        if self._mark_pressed:
            self._mark_pressed = False
            e.accept()
            return
        super().mouseReleaseEvent(e)

    def mouseMoveEvent(self, e: QMouseEvent) -> None:
        """A pointing hand and a tooltip over margin marks."""
        mark = self.mark_at(e.position().toPoint())
        if mark is not None:
            self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
            what = tr("Bookmark") if mark.kind == "bookmark" else tr("Note")
            tip = tr("%1 — click to open").replace("%1", what)
            QToolTip.showText(e.globalPosition().toPoint(), tip, self)
        else:
            self.viewport().unsetCursor()
        super().mouseMoveEvent(e)

    # ------------------------------------------------------------ context menu
    def selected_text(self) -> str:
        """The selected text as the model has it (no display-only characters)."""
        return "".join(s.text for s in self.selected_spans())

    def citation_text(self) -> str:
        """The selection (or the current paragraph) quoted with its citation."""
        from reader.core.citation import quote_with_citation  # and the resolver under it: on first use

        if self._doc is None:
            return ""
        spans = self.selected_spans()
        if spans:
            return quote_with_citation(self._doc, spans[0].block_id, self.selected_text())
        block = self.current_block()
        if not block:
            return ""
        return quote_with_citation(self._doc, block, self._doc.block(block).text)

    def copy_plain(self) -> None:
        """Copy the selection as the model's text."""
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    def copy_with_citation(self) -> None:
        """Copy the selection with its citation: “…”（A/75/563，第37段）."""
        text = self.citation_text()
        if text:
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    def _swatch(self, colour: str) -> QIcon:
        pix = QPixmap(14, 14)
        pix.fill(self._theme.note_colour(colour))
        return QIcon(pix)

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The reading view's context menu at viewport point ``pos``; actions only emit requests."""
        menu = QMenu(self)
        menu.setObjectName("reading_context_menu")
        has_selection = bool(self.selected_spans())
        if not has_selection:
            # Right-clicking a paragraph acts on it: put the cursor there.
            cursor = self.cursorForPosition(pos)
            self.setTextCursor(cursor)
        block = self.block_at_position(self.cursorForPosition(pos).position()) if not has_selection else ""
        block = block or self.current_block()
        highlight = menu.addMenu(tr("&Highlight"))
        highlight.setObjectName("highlight_menu")
        highlight.setEnabled(has_selection)
        for colour in self._theme.note_colours:
            act = highlight.addAction(self._swatch(colour), tr(colour))
            act.setObjectName(f"highlight_{colour}")
            act.triggered.connect(lambda _c=False, c=colour: self.highlight_requested.emit(c))
        self._menu_action(menu, "add_note", tr("Add &note"), self.note_requested.emit)
        self._menu_action(
            menu, "bookmark", tr("Toggle &bookmark"), lambda: self.bookmark_requested.emit(block)
        )
        menu.addSeparator()
        self._menu_action(menu, "copy", tr("&Copy"), self.copy_plain).setEnabled(has_selection)
        self._menu_action(menu, "copy_citation", tr("Copy with &citation"), self.copy_with_citation)
        text = " ".join(self.selected_text().split())
        shown = text if len(text) <= 16 else text[:15] + "…"
        label = tr("&Search for “%1”").replace("%1", shown)
        search = self._menu_action(menu, "search", label, lambda: self.search_requested.emit(text))
        search.setEnabled(bool(text))
        return menu

    def _menu_action(self, menu: QMenu, name: str, text: str, slot: Callable[[], object]) -> QAction:
        act = menu.addAction(text)
        act.setObjectName(f"context_{name}")
        act.triggered.connect(slot)
        return act

    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        """Highlight, note, bookmark, copy, copy with citation, search for the selection."""
        if self._doc is None:
            super().contextMenuEvent(e)
            return
        menu = self.build_context_menu(self.viewport().mapFromGlobal(e.globalPos()))
        menu.exec(e.globalPos())
        menu.deleteLater()
