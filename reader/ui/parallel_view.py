"""Side by side: language versions of one document in aligned columns.

Column 0 is the *pivot*; every other column has an :class:`Alignment` with it,
so a block of any column finds its counterparts in all the others through the
pivot.  Scrolling one column scrolls the others to the counterpart (at the
same fraction of the block), clicking a paragraph highlights its counterparts,
the find box searches every column with the search normalisation (accents,
Arabic marks) and shows the counterpart of each hit beside it.  Pairs of low
confidence are washed in a warning colour with a tooltip that says so; notes
are marked in the margin of their own version (●) and of the others (○).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextEdit,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from index.normalize import Normalizer
from reader.core.align import Alignment, Pair
from reader.core.align.labels import block_key, unit_key
from reader.core.model import Document, Heading
from reader.core.versions import language_name
from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.ui.readingview import ReadingView, to_utf16

RTL_LANGUAGES = ("ar", "fa", "he", "ur")
FOCUS_COLOUR = "#cfe3ff"
LOW_COLOUR = "#fbe3c4"
NOTE_COLOUR = "#d9480f"


def is_rtl(language: str) -> bool:
    """Whether a language is written right to left."""
    return language.split("-")[0].casefold() in RTL_LANGUAGES


class ParallelColumn(ReadingView):
    """One version in the side-by-side view: a reading view with counterpart marks.

    Signals:
        block_clicked(str): the reader clicked inside a block.
    """

    block_clicked = Signal(str)
    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parallel_column")
        self._margins: dict[int, tuple[float, float]] = {}
        self._focus: set[str] = set()
        self._low: dict[str, str] = {}
        self._hits_in: list[tuple[str, int, int]] = []
        self._hit_index = -1
        self._own_notes: set[str] = set()
        self._other_notes: set[str] = set()
        self.rtl = False

    def show_version(self, doc: Document) -> None:
        """Render a version; Arabic (and other right-to-left scripts) read right to left."""
        self.rtl = is_rtl(doc.language)
        self.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if self.rtl else Qt.LayoutDirection.LeftToRight
        )
        self._focus, self._hits_in, self._hit_index = set(), [], -1
        self._margins = {}
        self.show_document(doc)
        if self.rtl:
            cursor = QTextCursor(self.document())
            cursor.select(QTextCursor.SelectionType.Document)
            fmt = cursor.blockFormat()
            fmt.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
            cursor.mergeBlockFormat(fmt)

    # ------------------------------------------------------------ row padding
    def block_top(self, block_id: str) -> float:
        """Top of a block in document coordinates (without padding removed)."""
        number = self.render_map.qt_blocks.get(block_id)
        if number is None:
            return 0.0
        return (
            self.document()
            .documentLayout()
            .blockBoundingRect(self.document().findBlockByNumber(number))
            .top()
        )

    def clear_padding(self) -> None:
        """Give back every Qt block its own margins."""
        if not self._margins:
            return
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for number, (top, bottom) in self._margins.items():
            qblock = self.document().findBlockByNumber(number)
            fmt = qblock.blockFormat()
            fmt.setTopMargin(top)
            fmt.setBottomMargin(bottom)
            cursor.setPosition(qblock.position())
            cursor.setBlockFormat(fmt)
        cursor.endEditBlock()
        self._margins = {}

    def pad_blocks(self, pads: list[tuple[str, float]]) -> None:
        """Push each block down by its extra pixels (the block before it grows its bottom margin).

        All in one edit, so Qt lays the document out once.  Qt collapses a
        block's bottom margin with the next block's top margin (the larger
        wins), so the padding grows from the larger of the two.
        """
        if not pads:
            return
        doc = self.document()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        for block_id, extra in pads:
            number = self.render_map.qt_blocks.get(block_id)
            if number is None or extra <= 0:
                continue
            target = doc.findBlockByNumber(max(0, number - 1))
            fmt = target.blockFormat()
            self._margins.setdefault(target.blockNumber(), (fmt.topMargin(), fmt.bottomMargin()))
            if number == 0:
                fmt.setTopMargin(fmt.topMargin() + extra)
            else:
                below = doc.findBlockByNumber(number).blockFormat().topMargin()
                fmt.setBottomMargin(max(fmt.bottomMargin(), below) + extra)
            cursor.setPosition(target.position())
            cursor.setBlockFormat(fmt)
        cursor.endEditBlock()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Tell the view: line breaks changed, rows must be evened out again."""
        super().resizeEvent(event)
        self.resized.emit()

    # ------------------------------------------------------------ marks
    def set_focus_blocks(self, ids: set[str]) -> None:
        """Highlight whole blocks (the clicked one and its counterparts)."""
        self._focus = set(ids)
        self._refresh_extra()

    @property
    def focus_blocks(self) -> set[str]:
        """The highlighted blocks."""
        return set(self._focus)

    def set_low_blocks(self, low: dict[str, str]) -> None:
        """Blocks of low-confidence pairs, with the tooltip that explains each."""
        self._low = dict(low)
        self._refresh_extra()

    @property
    def low_blocks(self) -> set[str]:
        """Blocks shown as doubtfully aligned."""
        return set(self._low)

    def set_note_marks(self, own: set[str], others: set[str]) -> None:
        """Blocks with a note in this version (●) or in another version (○)."""
        self._own_notes, self._other_notes = set(own), set(others) - set(own)
        self.viewport().update()

    @property
    def note_marks(self) -> tuple[set[str], set[str]]:
        """Blocks marked as annotated here and in another version."""
        return set(self._own_notes), set(self._other_notes)

    def set_find_hits(self, hits: list[tuple[str, int, int]], current: int) -> None:
        """Occurrences of the find text (block id, code-point range) and the current one."""
        self._hits_in, self._hit_index = list(hits), current
        self._refresh_extra()

    def _refresh_extra(self) -> None:
        super()._refresh_extra()
        doc = self.document_model
        if doc is None:
            return
        washes = [self._block_selection(b, QColor(LOW_COLOUR)) for b in self._low]
        washes += [self._block_selection(b, QColor(FOCUS_COLOUR)) for b in self._focus]
        # Whole-block washes first, so note and hit colours paint over them.
        extra = [w for w in washes if w is not None] + list(self.extraSelections())
        for k, (block_id, start, end) in enumerate(self._hits_in):
            qs = self.render_map.starts.get(block_id)
            block = doc.get_block(block_id)
            if qs is None or block is None:
                continue
            colour = self.theme.current_hit if k == self._hit_index else self.theme.search_hit
            extra.append(
                self._selection(
                    qs + to_utf16(block.text, start), qs + to_utf16(block.text, end), QColor(colour)
                )
            )
        self.setExtraSelections(extra)

    def _block_selection(self, block_id: str, colour: QColor) -> QTextEdit.ExtraSelection | None:
        number = self.render_map.qt_blocks.get(block_id)
        if number is None:
            return None
        sel = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document().findBlockByNumber(number))
        # Select the block's text so that every line of it is washed, not only the first.
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        sel.cursor = cursor
        fmt = QTextCharFormat()
        fmt.setBackground(colour)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        sel.format = fmt
        return sel

    # ------------------------------------------------------------ events
    def block_at(self, point: QPoint) -> str:
        """The block under a viewport point ("" when none)."""
        index = self.cursorForPosition(point).block().userState()
        order = self.render_map.order
        return order[index] if 0 <= index < len(order) else ""

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """Report the clicked block (selection still works as in the reading view)."""
        super().mouseReleaseEvent(event)
        block = self.block_at(event.position().toPoint())
        if block:
            self.block_clicked.emit(block)

    def viewportEvent(self, event: QEvent) -> bool:
        """Tooltips on low-confidence blocks say why they are marked."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            block = self.block_at(event.pos())
            if block in self._low:
                QToolTip.showText(event.globalPos(), self._low[block], self)
                return True
        return super().viewportEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the text and numbers, then note marks in the outer margin."""
        super().paintEvent(event)
        marks = [(b, True) for b in self._own_notes] + [(b, False) for b in self._other_notes]
        if not marks or self.document_model is None:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor(NOTE_COLOUR)
        frame = self.document().rootFrame().frameFormat()
        x = (
            int(self.viewport().width() - frame.rightMargin() + 6)
            if not self.rtl
            else int(frame.leftMargin() - 18)
        )
        for block_id, own in marks:
            rect = self.block_rect(block_id)
            if rect.isNull() or rect.bottom() < 0 or rect.top() > self.viewport().height():
                continue
            box = QRect(x, rect.top() + 6, 10, 10)
            painter.setPen(colour)
            painter.setBrush(colour if own else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(box)
        painter.end()


@dataclass(slots=True)
class ColumnState:
    """What the view knows about one column."""

    doc: Document
    alignment: Alignment | None  # with the pivot (None for the pivot itself)
    notes: set[str] = field(default_factory=set)


class ParallelView(QWidget):
    """Two or more versions side by side, aligned, with contents, go-to and find.

    Signals:
        versions_requested(list): the reader chose other versions (doc ids, pivot first).
        block_focused(int, str): a block of a column became the focus (column, block id).
    """

    versions_requested = Signal(list)
    block_focused = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("parallel_view")
        self._columns: list[ParallelColumn] = []
        self._states: list[ColumnState] = []
        self._choices: list[tuple[str, str]] = []  # (doc id, language) of every version
        self._combos: list[QComboBox] = []
        self._syncing = False
        self._active = 0
        self._find_hits: list[tuple[int, str, int, int]] = []
        self._find_index = -1
        self._normalizer = Normalizer()
        self._folded_cache: dict[int, tuple[Document, list[tuple[str, str, list[int]]]]] = {}
        self._even_timer = QTimer(self)
        self._even_timer.setSingleShot(True)
        self._even_timer.setInterval(150)
        self._even_timer.timeout.connect(self.even_rows)
        self._build()

    def _build(self) -> None:
        self.contents = QTreeWidget(self)
        self.contents.setObjectName("parallel_contents")
        self.contents.setHeaderHidden(True)
        self.contents.itemActivated.connect(self._heading_picked)
        self.contents.itemClicked.connect(self._heading_picked)
        self.goto = QLineEdit(self)
        self.goto.setObjectName("parallel_goto")
        self.goto.returnPressed.connect(lambda: self.go_to(self.goto.text()))
        self.find_box = QLineEdit(self)
        self.find_box.setObjectName("parallel_find")
        self.find_box.returnPressed.connect(self._find_next)
        self.find_box.textChanged.connect(self.set_find_text)
        self.find_label = plain_label(QLabel(self))
        self.add_button = QPushButton("+", self)
        self.add_button.setObjectName("parallel_add")
        self.add_button.clicked.connect(self._add_column)
        self.remove_button = QPushButton("−", self)
        self.remove_button.setObjectName("parallel_remove")
        self.remove_button.clicked.connect(self._remove_column)
        bar = QHBoxLayout()
        bar.addWidget(self.goto, 1)
        bar.addWidget(self.find_box, 2)
        bar.addWidget(self.find_label)
        bar.addWidget(self.add_button)
        bar.addWidget(self.remove_button)
        self.columns_box = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.contents)
        self.splitter.addWidget(self.columns_box)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 900])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        self.retranslate()

    def retranslate(self) -> None:
        """Re-read strings after a language switch."""
        self.goto.setPlaceholderText(tr("Go to: 37, Article 5, 第五条…"))
        self.find_box.setPlaceholderText(tr("Find in every version"))
        self.add_button.setToolTip(tr("Add a version"))
        self.remove_button.setToolTip(tr("Remove the last version"))

    # ------------------------------------------------------------ content
    @property
    def columns(self) -> list[ParallelColumn]:
        """The columns, pivot first."""
        return list(self._columns)

    @property
    def states(self) -> list[ColumnState]:
        """What each column shows, pivot first."""
        return list(self._states)

    @property
    def doc_ids(self) -> list[str]:
        """Ids of the versions shown, pivot first."""
        return [s.doc.id for s in self._states]

    def show_versions(
        self, states: list[ColumnState], choices: list[tuple[str, str]], position: str | None = None
    ) -> None:
        """Show versions side by side (``states[0]`` is the pivot); ``choices`` lists every version."""
        self._states, self._choices = list(states), list(choices)
        shown = {id(st.doc) for st in states}
        self._folded_cache = {k: v for k, v in self._folded_cache.items() if k in shown}
        self._syncing = True  # columns are half-updated until the loop ends
        while len(self._columns) < len(states):
            self._new_column()
        while len(self._columns) > len(states):
            box = self._columns.pop().parentWidget()
            if box is not None:
                box.deleteLater()
            self._combos.pop()
        for k, (col, state) in enumerate(zip(self._columns, states, strict=True)):
            col.show_version(state.doc)
            combo = self._combos[k]
            combo.blockSignals(True)
            combo.clear()
            for doc_id, language in choices:
                combo.addItem(f"{language_name(language)} ({language})", doc_id)
            combo.setCurrentIndex(max(0, combo.findData(state.doc.id)))
            combo.blockSignals(False)
            col.set_low_blocks(self._low_blocks(k))
        self._syncing = False
        self._refresh_note_marks()
        self.even_rows()
        self._fill_contents(states[0].doc.tree if states else [])
        self.add_button.setEnabled(len(states) < len(choices))
        self.remove_button.setEnabled(len(states) > 2)
        self._find_hits, self._find_index = [], -1
        if self.find_box.text():
            self.set_find_text(self.find_box.text())
        if position and states:
            self._columns[0].scroll_to_block(position)
            self._sync_from(0)

    def _new_column(self) -> None:
        k = len(self._columns)
        box = QWidget(self.columns_box)
        combo = QComboBox(box)
        combo.setObjectName(f"parallel_language_{k}")
        combo.currentIndexChanged.connect(lambda _i, k=k: self._language_picked(k))
        col = ParallelColumn(box)
        col.set_reading_width(2400)
        col.verticalScrollBar().valueChanged.connect(lambda _v, k=k: self._sync_from(k))
        col.block_clicked.connect(lambda block, k=k: self.focus_block(k, block))
        col.resized.connect(self._even_timer.start)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(combo)
        lay.addWidget(col, 1)
        self.columns_box.addWidget(box)
        self._columns.append(col)
        self._combos.append(combo)

    def _language_picked(self, k: int) -> None:
        ids = self.doc_ids
        chosen = self._combos[k].currentData()
        if not isinstance(chosen, str) or chosen == ids[k]:
            return
        if chosen in ids:
            ids[ids.index(chosen)] = ids[k]  # swap the two columns
        ids[k] = chosen
        self.versions_requested.emit(ids)

    def _add_column(self) -> None:
        ids = self.doc_ids
        spare = [d for d, _lang in self._choices if d not in ids]
        if spare:
            self.versions_requested.emit([*ids, spare[0]])

    def _remove_column(self) -> None:
        if len(self._states) > 2:
            self.versions_requested.emit(self.doc_ids[:-1])

    def _low_blocks(self, k: int) -> dict[str, str]:
        """Blocks of column ``k`` in low-confidence pairs (seen from the pivot for column 0)."""
        out: dict[str, str] = {}
        for j, state in enumerate(self._states):
            if state.alignment is None or (k not in (0, j)):
                continue
            for pair in state.alignment.pairs:
                if pair.low:
                    for block in pair.a if k == 0 else pair.b:
                        out[block] = _why(pair)
        return out

    # ------------------------------------------------------------ rows
    def rows(self) -> list[dict[int, str]]:
        """Rows every column agrees on: per row, the first block of each column that has one.

        A row starts at a pivot block where every alignment starts a pair; the
        blocks another column pairs with the pivot blocks of that row (and its
        blocks without counterpart that follow) belong to the same row.
        """
        if not self._states:
            return []
        pivot = self._states[0].doc
        pos = {b.id: k for k, b in enumerate(pivot.blocks)}
        common: set[int] | None = None
        for state in self._states[1:]:
            if state.alignment is None:
                continue
            starts = {pos[p.a[0]] for p in state.alignment.pairs if p.a and p.a[0] in pos}
            common = starts if common is None else common & starts
        bounds = sorted((common or set()) | {0})
        out: list[dict[int, str]] = [{0: pivot.blocks[k].id} for k in bounds if k < len(pivot.blocks)]
        for j, state in enumerate(self._states[1:], start=1):
            if state.alignment is None:
                continue
            row = 0
            for p in state.alignment.pairs:
                if p.a and p.a[0] in pos:
                    row = bisect.bisect_right(bounds, pos[p.a[0]]) - 1
                if p.b and j not in out[row]:
                    out[row][j] = p.b[0]
        return out

    def even_rows(self) -> None:
        """Pad the columns so that each row starts at the same height in all of them.

        Tops are measured once, before any padding, and every padding of a
        column is applied in one edit (one relayout): linear in the document.
        """
        if len(self._columns) < len(self._states) or not self._states:
            return
        cols = self._columns[: len(self._states)]
        if any(col.viewport().width() < 50 for col in cols):
            return  # not laid out yet: the resize that follows evens the rows
        keep = cols[0].top_block()
        for col in cols:
            col.clear_padding()
        rows = self.rows()
        natural = [{j: cols[j].block_top(block) for j, block in row.items()} for row in rows]
        shift = [0.0] * len(cols)
        pads: list[list[tuple[str, float]]] = [[] for _ in cols]
        for row, tops in zip(rows, natural, strict=True):
            placed = {j: tops[j] + shift[j] for j in row}
            target = max(placed.values())
            for j, block in row.items():
                gap = target - placed[j]
                if gap > 0.5:
                    pads[j].append((block, gap))
                    shift[j] += gap
        self._syncing = True
        try:
            for col, todo in zip(cols, pads, strict=True):
                col.pad_blocks(todo)
        finally:
            self._syncing = False
        if keep:
            cols[0].scroll_to_block(keep)
            self._sync_from(0)

    # ------------------------------------------------------------ mapping
    def counterparts(self, k: int, block_id: str) -> dict[int, tuple[str, ...]]:
        """The blocks of every other column that say what ``block_id`` of column ``k`` says."""
        if not self._states:
            return {}
        if k == 0:
            pivot: tuple[str, ...] = (block_id,)
        else:
            alignment = self._states[k].alignment
            pivot = alignment.counterpart("b", block_id) if alignment else ()
        out: dict[int, tuple[str, ...]] = {}
        for j, state in enumerate(self._states):
            if j == k:
                continue
            if j == 0:
                out[j] = pivot
            elif state.alignment is not None:
                ids: list[str] = []
                for p in pivot:
                    ids.extend(b for b in state.alignment.counterpart("a", p) if b not in ids)
                out[j] = tuple(ids)
        return out

    def _position_in(self, k: int, block_id: str) -> str:
        """Where column ``k`` should be when another column is at ``block_id`` of the pivot."""
        alignment = self._states[k].alignment
        if alignment is None:
            return block_id
        found = alignment.nearest_counterpart("a", block_id)
        return found[0] if found else ""

    def _pivot_of(self, k: int, block_id: str) -> str:
        alignment = self._states[k].alignment
        if alignment is None:
            return block_id
        found = alignment.nearest_counterpart("b", block_id)
        return found[0] if found else ""

    # ------------------------------------------------------------ scrolling
    def _sync_from(self, k: int) -> None:
        """Scroll every other column to the counterpart of column ``k``'s top block."""
        if self._syncing or not self._states or len(self._columns) != len(self._states):
            return
        source = self._columns[k]
        top = source.top_block()
        if not top:
            return
        rect = source.block_rect(top)
        fraction = min(1.0, max(0.0, -rect.top() / rect.height())) if rect.height() > 0 else 0.0
        pivot = self._pivot_of(k, top)
        self._syncing = True
        try:
            for j, col in enumerate(self._columns):
                if j == k:
                    continue
                target = self._position_in(j, pivot) if j else pivot
                if not target:
                    continue
                col.scroll_to_block(target)
                trect = col.block_rect(target)
                if fraction and trect.height() > 0:
                    bar = col.verticalScrollBar()
                    bar.setValue(bar.value() + int(fraction * trect.height()))
        finally:
            self._syncing = False

    def focus_block(self, k: int, block_id: str, *, scroll: bool = False) -> None:
        """Highlight a block of column ``k`` and its counterparts; bring the counterparts into view."""
        if not self._states:
            return
        self._active = k
        others = self.counterparts(k, block_id)
        self._columns[k].set_focus_blocks({block_id})
        if scroll:
            self._columns[k].scroll_to_block(block_id)
        self._syncing = True
        try:
            for j, ids in others.items():
                col = self._columns[j]
                col.set_focus_blocks(set(ids))
                if ids:
                    rect = col.block_rect(ids[0])
                    if scroll or not col.viewport().rect().intersects(rect):
                        col.scroll_to_block(ids[0])
        finally:
            self._syncing = False
        self.block_focused.emit(k, block_id)

    def show_block(self, doc_id: str, block_id: str) -> bool:
        """Show a block of one of the versions (a search hit) with its counterparts beside it."""
        for k, state in enumerate(self._states):
            if state.doc.id == doc_id and state.doc.get_block(block_id) is not None:
                self.focus_block(k, block_id, scroll=True)
                return True
        return False

    # ------------------------------------------------------------ notes
    def set_notes(self, notes: dict[str, set[str]]) -> None:
        """Annotated blocks per version id; each is marked in its own column and at its counterparts."""
        for state in self._states:
            state.notes = set(notes.get(state.doc.id, set()))
        self._refresh_note_marks()

    def _refresh_note_marks(self) -> None:
        linked: list[set[str]] = [set() for _ in self._states]
        for k, state in enumerate(self._states):
            for block in state.notes:
                for j, ids in self.counterparts(k, block).items():
                    linked[j].update(ids)
        for k, col in enumerate(self._columns[: len(self._states)]):
            col.set_note_marks(self._states[k].notes, linked[k])

    # ------------------------------------------------------------ contents and go-to
    def _fill_contents(self, tree: list[Heading]) -> None:
        self.contents.clear()

        def add(nodes: list[Heading], parent: QTreeWidget | QTreeWidgetItem) -> None:
            for h in nodes:
                item = QTreeWidgetItem(parent, [h.display])
                item.setData(0, Qt.ItemDataRole.UserRole, h.block)
                add(h.children, item)

        add(tree, self.contents)
        self.contents.expandToDepth(0)

    def _heading_picked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        block = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(block, str):
            self.focus_block(0, block, scroll=True)

    def go_to(self, text: str) -> bool:
        """Go to a paragraph number (``37``) or unit (``Article 5``, ``第五条``) in every column."""
        text = text.strip()
        if not text or not self._states:
            return False
        pivot = self._states[0].doc
        wanted = unit_key(text)
        for block in pivot.blocks:
            key = block_key(block)
            if key is None:
                continue
            if (wanted is not None and key == wanted) or (key.kind == "para" and key.number == text):
                self.focus_block(0, block.id, scroll=True)
                return True
        return False

    # ------------------------------------------------------------ find
    def set_find_text(self, text: str) -> int:
        """Find ``text`` in every column (search normalisation); returns the number of hits."""
        self._find_hits, self._find_index = [], -1
        needle = self._normalizer.normalize(text) if text.strip() else ""
        for k, state in enumerate(self._states):
            hits: list[tuple[str, int, int]] = []
            if needle:
                for block_id, folded, offsets in self._folded(state.doc):
                    at = folded.find(needle)
                    while at >= 0:
                        start, end = offsets[at], offsets[at + len(needle) - 1] + 1
                        hits.append((block_id, start, end))
                        self._find_hits.append((k, block_id, start, end))
                        at = folded.find(needle, at + len(needle))
            self._columns[k].set_find_hits(hits, -1)
        self.find_label.setText(str(len(self._find_hits)) if text.strip() else "")
        return len(self._find_hits)

    def _folded(self, doc: Document) -> list[tuple[str, str, list[int]]]:
        """Each block's normalised text and offset map, computed once per document shown."""
        cached = self._folded_cache.get(id(doc))
        if cached is None or cached[0] is not doc:
            rows = [(b.id, *self._normalizer.normalize_map(b.text)) for b in doc.blocks]
            cached = (doc, rows)
            self._folded_cache[id(doc)] = cached
        return cached[1]

    def _find_next(self) -> None:
        self.step_find(1)

    def step_find(self, step: int) -> tuple[int, str] | None:
        """Make the next (previous) hit current, in its column, with its counterparts beside it."""
        if not self._find_hits:
            return None
        self._find_index = (self._find_index + step) % len(self._find_hits)
        k, block, start, end = self._find_hits[self._find_index]
        for j, col in enumerate(self._columns):
            mine = [(b, s, e) for (c, b, s, e) in self._find_hits if c == j]
            current = mine.index((block, start, end)) if j == k else -1
            col.set_find_hits(mine, current)
        self.focus_block(k, block, scroll=True)
        self.find_label.setText(f"{self._find_index + 1}/{len(self._find_hits)}")
        return k, block


def method_name(method: str) -> str:
    """The aligner's method name, translated."""
    names = {"number": tr("number"), "label": tr("label"), "order": tr("order"), "length": tr("length")}
    return names.get(method, tr("none"))


def _why(pair: Pair) -> str:
    """Tooltip of a low-confidence pair."""
    if not pair.a or not pair.b:
        return tr("No counterpart found in the other version")
    return (
        tr("Aligned by %1, confidence %2: check the other version")
        .replace("%1", method_name(pair.method))
        .replace("%2", f"{pair.confidence:.2f}")
    )
