from __future__ import annotations

from pathlib import Path

import yaml
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from reader.app import App, build, shutdown, start
from reader.core.library import Library
from reader.models.contents import BLOCK_ID_ROLE
from reader.models.notes import NOTE_ID_ROLE
from tests.ui.conftest import wait_for_document


def type_text(widget: QWidget, text: str) -> None:
    """Commit text through the input method, as a Chinese IME does."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_window_opens_the_sample_with_contents(running: App) -> None:
    doc = running.session.document
    assert doc is not None
    assert doc.title == "维持和平行动特别委员会各项建议的执行情况"
    assert "维持和平行动" in running.window.view.document().toPlainText()
    model = running.window.contents.model
    assert model.rowCount() == sum(1 for h in doc.tree)
    labels = [
        model.data(model.index(r, 0, model.index(6, 0))) for r in range(model.rowCount(model.index(6, 0)))
    ]
    assert "A. 维和人员的安全  ¶53–55" in labels
    assert running.window.library.model.rowCount() == 1


def test_clicking_a_chapter_scrolls_the_view(qtbot: QtBot, running: App) -> None:
    tree = running.window.contents.tree
    model = running.window.contents.model
    chapter = model.index(6, 0)  # 七. 安全和安保
    target = model.index(0, 0, chapter)
    block = target.data(BLOCK_ID_ROLE)
    tree.scrollTo(target)
    rect = tree.visualRect(target)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    view = running.window.view
    qtbot.waitUntil(lambda: view.top_block() == block, timeout=3000)
    assert view.block_rect(block).top() < 20
    assert view.verticalScrollBar().value() > 0


def test_contents_follow_the_reading_position(qtbot: QtBot, running: App) -> None:
    view = running.window.view
    view.scroll_to_block("p60")
    tree = running.window.contents.tree
    doc = running.session.document
    assert doc is not None
    expected = doc.block("p60").parent
    qtbot.waitUntil(lambda: tree.currentIndex().data(BLOCK_ID_ROLE) == expected, timeout=3000)
    assert "¶60" in running.window.position_label.text()


def test_search_typed_through_input_method_jumps_to_hit(qtbot: QtBot, running: App) -> None:
    panel = running.window.search
    qtbot.waitUntil(lambda: panel.ready, timeout=30_000)
    type_text(panel.box, "维和情报")
    assert panel.box.text() == "维和情报"
    qtbot.waitUntil(
        lambda: running.last_results is not None and running.last_results.total > 0, timeout=10_000
    )
    assert panel.model.hit_count() > 0
    first = panel.model.hit_index(0)
    assert "<b>维和情报</b>" in first.data(Qt.ItemDataRole.UserRole + 1)
    view = running.window.view
    assert view.hit_count >= 10
    qtbot.keyClick(panel.box, Qt.Key.Key_Return)
    assert view.current_hit >= 0
    doc = running.session.document
    assert doc is not None
    hit_block = view.current_hit_block()
    assert "维和情报" in doc.block(hit_block).text
    # Chapter counts appear in the contents tree while the search is active.
    counts = running.window.contents.model
    assert any(
        counts.data(counts.index(r, 0), Qt.ItemDataRole.UserRole + 2) for r in range(counts.rowCount())
    )
    before = view.current_hit
    running.window.action("find_next").trigger()
    assert view.current_hit == (before + 1) % view.hit_count
    running.window.action("find_previous").trigger()
    assert view.current_hit == before


def test_stale_search_results_are_dropped(qtbot: QtBot, running: App) -> None:
    panel = running.window.search
    qtbot.waitUntil(lambda: panel.ready, timeout=30_000)
    panel.search_requested.emit("维和情报", "doc")
    panel.search_requested.emit("秘书长", "doc")
    qtbot.waitUntil(lambda: running.last_results is not None, timeout=10_000)
    running.runner.wait()
    qtbot.wait(50)
    assert running.last_results is not None
    assert running.last_results.query == "秘书长"


def notes_file(app: App) -> Path:
    return app.store.path_for(app.session.doc_id)


def test_note_on_selection_shows_in_pane_and_yaml_and_undoes(qtbot: QtBot, running: App) -> None:
    view = running.window.view
    doc = running.session.document
    assert doc is not None
    text = doc.block("p57").text
    start = text.index("维和情报")
    view.scroll_to_block("p57")
    view.select_range("p57", start, start + 4)
    running.window.action("add_note").trigger()
    model = running.window.notes.model
    assert model.rowCount() == 1
    assert "“维和情报”" in str(model.data(model.index(0)))
    selections = view.extraSelections()
    assert any(sel.cursor.selectedText() == "维和情报" for sel in selections)
    path = notes_file(running)
    qtbot.waitUntil(path.exists, timeout=5000)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["schema_version"] >= 1
    assert "维和情报" in path.read_text(encoding="utf-8")
    note_id = model.index(0).data(NOTE_ID_ROLE)
    # Edit inline, recolour from the keyboard, then undo the recolour.
    assert model.setData(model.index(0), "需要问代表团")
    assert "需要问代表团" in str(model.data(model.index(0)))
    running.window.notes.list.setCurrentIndex(model.index(0))
    qtbot.keyClick(running.window.notes.list, Qt.Key.Key_3)
    assert running.session.notes is not None
    assert running.session.notes.note(note_id).colour == "blue"
    running.window.action("undo").trigger()
    assert running.session.notes.note(note_id).colour == "yellow"
    qtbot.keyClick(running.window.notes.list, Qt.Key.Key_Delete)
    assert model.rowCount() == 0
    running.window.action("undo").trigger()
    assert model.rowCount() == 1


def test_bookmark_toggles_and_undoes(qtbot: QtBot, running: App) -> None:
    view = running.window.view
    view.scroll_to_block("p20")
    qtbot.waitUntil(lambda: view.current_block() == "p20", timeout=3000)
    running.window.action("toggle_bookmark").trigger()
    marks = running.window.bookmarks.model
    assert marks.rowCount() == 1
    assert str(marks.data(marks.index(0))).startswith("¶20")
    running.window.action("toggle_bookmark").trigger()
    assert marks.rowCount() == 0
    running.window.action("undo").trigger()
    assert marks.rowCount() == 1


def test_restart_restores_position_notes_bookmarks_and_layout(qtbot: QtBot, library: Library) -> None:
    first = build(library)
    qtbot.addWidget(first.window)
    start(first)
    wait_for_document(qtbot, first)
    view = first.window.view
    view.scroll_to_block("p88")
    qtbot.waitUntil(lambda: view.top_block() == "p88", timeout=3000)
    view.select_range("p90", 0, 6)
    first.window.action("add_note").trigger()
    view.scroll_to_offset("p88", 0)
    qtbot.waitUntil(lambda: view.current_block() == "p88", timeout=3000)
    first.window.action("toggle_bookmark").trigger()
    first.window.docks["bookmarks"].hide()
    first.window.action("dark").setChecked(True)
    first.window.close()
    shutdown(first)

    second = build(library)
    qtbot.addWidget(second.window)
    start(second)
    wait_for_document(qtbot, second)
    qtbot.waitUntil(lambda: second.window.view.top_block() == "p88", timeout=3000)
    assert second.window.notes.model.rowCount() == 1
    assert second.window.bookmarks.model.rowCount() == 1
    assert not second.window.docks["bookmarks"].isVisible()
    assert second.window.action("dark").isChecked()
    assert second.window.view.theme.name == "dark"
    second.window.close()
    shutdown(second)


def test_language_switch_translates_the_window(qtbot: QtBot, running: App) -> None:
    window = running.window
    window.show_message("Search is ready.")
    window.language_requested.emit("zh_CN")
    assert window.status_label.text() == ""  # no English left behind in a Chinese window
    qtbot.waitUntil(lambda: window.docks["contents"].windowTitle() == "目录", timeout=3000)
    assert window.search.box.placeholderText() == "搜索 (Ctrl+F)"
    assert window.action("add_note").text() == "添加批注(&N)"
    assert running.settings.value("ui/language") == "zh_CN"
    window.language_requested.emit("en")
    qtbot.waitUntil(lambda: window.docks["contents"].windowTitle() == "Contents", timeout=3000)


def test_import_with_progress_and_bad_file_message(qtbot: QtBot, running: App, tmp_path: Path) -> None:
    good = tmp_path / "short.txt"
    good.write_text("测试文件\n\n一. 总则\n\n1. 第一段内容。\n\n2. 第二段内容。\n", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf at all")
    running.window.library.import_requested.emit([str(good), str(bad)])
    qtbot.waitUntil(lambda: running.import_job is None, timeout=20_000)
    assert running.window.library.model.rowCount() == 2
    assert "broken.pdf" in running.window.status_label.text()
    qtbot.waitUntil(
        lambda: (
            running.session.document is not None
            and running.session.document.title != "维持和平行动特别委员会各项建议的执行情况"
        ),
        timeout=5000,
    )


def test_redo_a_deleted_note_with_both_shortcuts(qtbot: QtBot, running: App) -> None:
    window = running.window
    redo = window.action("redo")
    assert [k.toString() for k in redo.shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]
    view = window.view
    view.select_range("p57", 0, 6)
    window.action("add_note").trigger()
    panel = window.notes
    assert panel.model.rowCount() == 1
    assert not redo.isEnabled()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    panel.list.setFocus()
    panel.list.setCurrentIndex(panel.model.index(0))
    qtbot.keyClick(panel.list, Qt.Key.Key_Delete)
    assert panel.model.rowCount() == 0
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, ctrl)
    assert panel.model.rowCount() == 1
    assert redo.isEnabled()
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, ctrl | shift)
    assert panel.model.rowCount() == 0
    qtbot.keyClick(panel.list, Qt.Key.Key_Z, ctrl)
    assert panel.model.rowCount() == 1
    qtbot.keyClick(panel.list, Qt.Key.Key_Y, ctrl)
    assert panel.model.rowCount() == 0
    assert not redo.isEnabled()
    # The file agrees once saved: no note left, the deletion recorded.
    running.save_timer.timeout.emit()
    saved = yaml.safe_load(notes_file(running).read_text(encoding="utf-8"))
    assert not saved.get("notes")
    assert saved.get("tombstones")
