"""Reading view: margin marks, the context menu, copy with citation, zoom reset, numbers that do not wrap."""

from __future__ import annotations

import re

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QMenu

from reader.core.model import Block, BlockKind, Document
from reader.ui.readingview import DEFAULT_FONT_SIZE, Mark, ReadingView
from tests.ui.conftest import handmade_document


def make_view(qtbot: QtBot, doc: Document | None = None, width: int = 800) -> ReadingView:
    view = ReadingView()
    qtbot.addWidget(view)
    view.resize(width, 500)
    view.show()
    qtbot.waitExposed(view)
    view.show_document(doc or handmade_document())
    return view


def action(menu: QMenu, name: str) -> QAction:
    """The menu's (or a submenu's) action called ``name``."""
    found = [a for a in menu.actions() if a.objectName() == name]
    for sub in menu.findChildren(QMenu):
        found += [a for a in sub.actions() if a.objectName() == name]
    assert found, name
    return found[0]


def test_bookmark_and_note_marks_are_painted_and_clickable(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    before = view.viewport().grab().toImage()
    view.set_marks([Mark("p1", "bookmark", "bm1"), Mark("p2", "note", "n1", "green")])
    qtbot.wait(20)
    after = view.viewport().grab().toImage()
    rects = dict((m.mark_id, r) for r, m in view.mark_rects())
    assert set(rects) == {"bm1", "n1"}
    for rect in rects.values():
        changed = sum(
            1
            for x in range(rect.left(), rect.right())
            for y in range(rect.top(), rect.bottom())
            if before.pixelColor(QPoint(x, y)) != after.pixelColor(QPoint(x, y))
        )
        assert changed > 10
    with qtbot.waitSignal(view.mark_requested) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rects["n1"].center())
    assert blocker.args == ["note", "n1"]
    with qtbot.waitSignal(view.mark_requested) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rects["bm1"].center())
    assert blocker.args == ["bookmark", "bm1"]


def test_context_menu_requests_and_copies_with_citation(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    text = handmade_document().block("p1").text
    start = text.index("联合国")
    view.select_range("p1", start, start + 7)
    menu = view.build_context_menu(view.block_rect("p1").center())
    names = {a.objectName() for a in menu.actions()}
    assert {
        "context_add_note",
        "context_bookmark",
        "context_copy",
        "context_copy_citation",
        "context_search",
    } <= names
    with qtbot.waitSignal(view.highlight_requested) as blocker:
        action(menu, "highlight_green").trigger()
    assert blocker.args == ["green"]
    with qtbot.waitSignal(view.search_requested) as blocker:
        action(menu, "context_search").trigger()
    assert blocker.args == [text[start : start + 7]]
    with qtbot.waitSignal(view.bookmark_requested) as blocker:
        action(menu, "context_bookmark").trigger()
    assert blocker.args == ["p1"]
    action(menu, "context_copy_citation").trigger()
    assert QGuiApplication.clipboard().text() == f"“{text[start : start + 7]}”（A/75/TEST，第1段）"
    action(menu, "context_copy").trigger()
    assert QGuiApplication.clipboard().text() == text[start : start + 7]


def test_zoom_reports_its_level_and_resets(qtbot: QtBot) -> None:
    view = make_view(qtbot)
    assert view.zoom_percent == 100
    view.zoom(3)
    assert view.zoom_percent == round((DEFAULT_FONT_SIZE + 3) * 100 / DEFAULT_FONT_SIZE)
    with qtbot.waitSignal(view.zoom_changed) as blocker:
        view.reset_zoom()
    assert blocker.args == [DEFAULT_FONT_SIZE]
    assert view.zoom_percent == 100


def _numbers_doc() -> Document:
    text = "来自 121 个会员国的 94 000 多名男女维和人员，经费 1 250 000 美元，共 58 000 人。" * 3
    blocks = [Block(id="p1", kind=BlockKind.PARAGRAPH, text=text, number="1")]
    return Document(id="n", title="t", source="", blocks=blocks, tree=[])


@pytest.mark.parametrize("width", range(260, 700, 23))
def test_numbers_never_wrap_inside(qtbot: QtBot, width: int) -> None:
    doc = _numbers_doc()
    view = make_view(qtbot, doc, width)
    text = doc.blocks[0].text
    inside = {m.start() + 1 for m in re.finditer(r"(?<=\d) (?=\d{3})", text)}  # just after the space
    inside |= {m.start() for m in re.finditer(r"(?<=\d) (?=\d{3})", text)}
    qblock = view.document().findBlockByNumber(view.render_map.qt_blocks["p1"])
    layout = qblock.layout()
    starts = {layout.lineAt(i).textStart() for i in range(1, layout.lineCount())}
    assert layout.lineCount() > 1
    assert not starts & inside, width
    # The model's text is untouched: selection and search read plain spaces.
    view.select_range("p1", 0, len(text))
    assert view.selected_text() == text
