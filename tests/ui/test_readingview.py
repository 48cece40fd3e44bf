from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QTextCursor, QTextDocument

from reader.core.importers import load_path
from reader.core.model import BlockKind
from reader.core.paths import sample_path
from reader.qt.theme import DARK
from reader.ui.readingview import Highlight, ReadingView, from_utf16, to_utf16
from tests.ui.conftest import handmade_document


def make_view(qtbot: QtBot) -> ReadingView:
    view = ReadingView()
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_document(handmade_document())
    return view


def test_markup_in_text_is_shown_literally(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = view.document().toPlainText()
    assert "Text with <b>bold</b> and <script>alert(1)</script> markup." in text
    assert "<b>" not in view.document().toHtml().split("<body")[1].replace("&lt;b&gt;", "")


def test_each_block_starts_where_the_map_says(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    doc = view.document_model
    assert doc is not None
    plain = view.document().toPlainText()
    for block in doc.blocks:
        start = view.render_map.starts[block.id]
        # Plain text positions equal Qt positions; block text sits there verbatim (UTF-16 units).
        assert (
            plain.encode("utf-16-le")[start * 2 : (start + to_utf16(block.text, len(block.text))) * 2].decode(
                "utf-16-le"
            )
            == block.text
        )


def test_selection_outside_bmp_converts_to_code_points(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = handmade_document().block("p2").text
    start = text.index("字")
    view.select_range("p2", start, start + 2)
    spans = view.selected_spans()
    assert [(s.block_id, s.start, s.end, s.text) for s in spans] == [("p2", start, start + 2, "字在")]
    # The surrogate pair before it counts twice in Qt.
    assert view.textCursor().selectionStart() - view.render_map.starts["p2"] == start + 1


def test_utf16_helpers_round_trip() -> None:
    text = "a𠀀b"
    assert to_utf16(text, 2) == 3
    assert from_utf16(text, 3) == 2
    assert from_utf16(text, 2) == 1  # inside the pair: rounds down


def test_search_terms_highlight_every_occurrence_and_step(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    count = view.set_search_terms(["维和情报"])
    assert count == 21  # once in p2, twenty times in p3
    view.step_hit(1)
    first = view.current_hit
    view.step_hit(1)
    assert view.current_hit == (first + 1) % count
    view.step_hit(-1)
    assert view.current_hit == first
    assert len(view.extraSelections()) == count


def test_note_highlights_become_extra_selections(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.set_note_highlights([Highlight("p1", 0, 4, "green"), Highlight("nope", 0, 1, "yellow")])
    selections = view.extraSelections()
    assert len(selections) == 1
    assert selections[0].cursor.selectedText() == "自 19"


def test_zoom_changes_font_and_reports(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    before = view.font_size
    with qtbot.waitSignal(view.zoom_changed) as blocker:
        view.zoom(1)
    assert blocker.args == [before + 1]
    assert view.document().defaultFont().pointSize() == before + 1
    view.zoom(-1)
    assert view.font_size == before
    view.set_font_size(1000)
    assert view.font_size == 40


def test_scroll_to_block_reports_position(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.resize(400, 200)
    with qtbot.waitSignal(view.position_changed, timeout=2000) as blocker:
        assert view.scroll_to_block("h2")
    assert blocker.args == ["h2"]
    assert view.top_block() == "h2"
    assert not view.scroll_to_block("missing")


def test_dark_theme_recolours_text(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    view.set_theme(DARK)
    block = view.document().findBlockByNumber(view.render_map.qt_blocks["p1"])
    assert block.charFormat().foreground().color().name() == DARK.text
    assert view.viewport().palette().color(view.viewport().backgroundRole()).name() == DARK.base


def test_footnote_reference_is_a_link_with_tooltip(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    block = view.document().findBlockByNumber(view.render_map.qt_blocks["p2"])
    anchors = []
    it = block.begin()
    while not it.atEnd():
        fmt = it.fragment().charFormat()
        if fmt.isAnchor():
            anchors.append((fmt.anchorHref(), fmt.toolTip()))
        it += 1
    assert [href for href, _tip in anchors] == ["footnote:fn1"]
    shown = QTextDocument()
    shown.setHtml(anchors[0][1])  # what Qt displays: the footnote as written, never rendered markup
    assert shown.toPlainText() == "本报告在截止日期后提交。"
    with qtbot.waitSignal(view.footnote_shown) as blocker:
        view.anchorClicked.emit(anchors[0][0])
    assert blocker.args == ["fn1"]


def test_margin_numbers_are_painted(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    image = view.viewport().grab().toImage()
    rect = view.block_rect("p1")
    margin = int(view.document().rootFrame().frameFormat().leftMargin())
    dark_pixels = sum(
        1
        for x in range(max(0, margin - 50), margin - 4)
        for y in range(rect.top(), rect.top() + 24)
        if image.pixelColor(QPoint(x, y)).lightness() < 200
    )
    assert dark_pixels > 5


def test_document_title_stands_out_from_other_front_matter(qtbot: QtBot) -> None:
    doc = load_path(sample_path())
    view = ReadingView()
    qtbot.addWidget(view)
    view.show_document(doc)
    qdoc = view.document()
    front = [b for b in doc.blocks if b.kind is BlockKind.FRONT_MATTER]
    title = next(b for b in front if b.text == doc.title)
    session = front[0]

    def weight_at(block_id: str) -> int:
        start = next(pos for pos, bid in view._starts_sorted if bid == block_id)
        cursor = QTextCursor(qdoc)
        cursor.setPosition(start + 1)
        return cursor.charFormat().fontWeight()

    assert weight_at(title.id) == QFont.Weight.Bold.value
    assert weight_at(session.id) != QFont.Weight.Bold.value


def test_page_furniture_reads_as_a_quiet_page_break_and_a_bare_document_says_it_has_no_chapters(
    qtbot: QtBot,
) -> None:
    from pathlib import Path

    from reader.ui.contents_panel import ContentsPanel

    # A Secretary-General's letter with a page break inside paragraph 5 (job number, page, symbol).
    letter = Path(__file__).resolve().parents[1] / "fixtures" / "texts" / "redteam_sc_letter_zh.txt"
    doc = load_path(letter)
    view = ReadingView()
    qtbot.addWidget(view)
    view.show_document(doc)
    page_break = ("21-06512", "S/2021/456")
    furniture = [b for b in doc.blocks if b.kind is BlockKind.TEXT and b.text.split()[0] in page_break]
    assert len(furniture) == 2  # the two lines of the page break, as in the text
    body = view.document().findBlockByNumber(view.render_map.qt_blocks["p5"])
    for b in furniture:
        qt_block = view.document().findBlockByNumber(view.render_map.qt_blocks[b.id])
        assert qt_block.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter
        assert qt_block.charFormat().foreground() != body.charFormat().foreground()  # muted
        assert qt_block.text() == b.text  # set apart, not rewritten: offsets and search unchanged
    signature = next(b for b in doc.blocks if b.text.startswith("安东尼奥"))
    signed = view.document().findBlockByNumber(view.render_map.qt_blocks[signature.id])
    assert not signed.blockFormat().alignment() & Qt.AlignmentFlag.AlignHCenter  # other text as it was

    panel = ContentsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.model.set_document(doc)
    assert doc.tree == []
    assert panel.empty.isVisible()
    assert "Ctrl+G" in panel.empty.text()
    assert not panel.tree.isVisible()
    panel.model.set_document(load_path(sample_path()))
    assert panel.tree.isVisible()
    assert not panel.empty.isVisible()


def _ink(view: ReadingView, block_id: str, left: int, right: int) -> int:
    """Pixels unlike the background between x=left and x=right on the first line of ``block_id``."""
    image = view.viewport().grab().toImage()
    top = max(0, view.block_rect(block_id).top())
    background = image.pixelColor(QPoint(1, top)).lightness()
    return sum(
        1
        for x in range(max(0, left), min(image.width(), right))
        for y in range(top, top + 24)
        if abs(image.pixelColor(QPoint(x, y)).lightness() - background) > 55
    )


def test_arabic_paragraph_numbers_stand_in_the_right_margin_where_its_lines_start(qtbot: QtBot) -> None:
    from pathlib import Path

    from reader.ui.readingview import Mark

    texts = Path(__file__).resolve().parents[1] / "fixtures" / "texts"
    view = ReadingView()
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    for name, rtl in (("redteam4_ga_report_ar_tabs.txt", True), ("redteam4_ga_report_fr_tabs.txt", False)):
        view.show_document(load_path(texts / name))
        view.scroll_to_block("p1")
        qtbot.wait(50)
        fmt = view.document().rootFrame().frameFormat()
        left_gutter = (int(fmt.leftMargin()) - 50, int(fmt.leftMargin()) - 4)
        right_edge = view.viewport().width() - int(fmt.rightMargin())
        right_gutter = (right_edge + 4, right_edge + 50)
        assert view.right_to_left() is rtl
        numbers_left, numbers_right = _ink(view, "p1", *left_gutter), _ink(view, "p1", *right_gutter)
        assert (numbers_right > 5, numbers_left > 5) == (rtl, not rtl)
        view.set_marks([Mark("p1", "bookmark", "b1")])
        ((rect, _mark),) = view.mark_rects()
        assert (rect.left() >= right_edge) is rtl  # the bookmark beside the number, on the same side
