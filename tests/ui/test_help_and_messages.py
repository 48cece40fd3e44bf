"""Help ▸ shortcuts and About, the note editor, the Messages list, small windows and full screen."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QPushButton

from reader import __version__
from reader.ui.help import AboutDialog, ShortcutsDialog
from reader.ui.mainwindow import ACTION_DEFS, MIN_TEXT_CHARS, NOTICE_HOLD_S, MainWindow
from reader.ui.note_editor import NoteEditor
from reader.ui.notifications import NotificationsPanel
from tests.ui.conftest import handmade_document


def test_shortcuts_dialog_lists_every_action_with_keys(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    dialog = ShortcutsDialog(list(window.actions_by_name.values()), window)
    qtbot.addWidget(dialog)
    rows = dict(dialog.rows())
    for name, text, keys in ACTION_DEFS:
        if not keys:
            continue
        shown = text.replace("&", "")
        assert shown in rows, name
        first = QKeySequence(keys.split("; ")[0]).toString(QKeySequence.SequenceFormat.NativeText)
        assert first in rows[shown], name
    assert "Ctrl+G" in rows["Go to paragraph, article or section…"]
    assert rows["Keyboard shortcuts"] == "F1"


def test_about_names_version_licences_font_and_library(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path / "lib")
    qtbot.addWidget(dialog)
    text = dialog.label.text()
    assert __version__ in text
    assert "GPL-3.0-or-later" in text
    assert "WenQuanYi" in text
    assert "Apache-2.0" in text
    assert str(tmp_path / "lib") in text


def test_note_editor_shows_the_quote_and_returns_the_text(qtbot: QtBot) -> None:
    editor = NoteEditor("n1", "自 1948 年以来，联合国维持和平行动", "A/75/TEST，第1段", "旧的文字")
    qtbot.addWidget(editor)
    editor.show()
    assert "联合国维持和平行动" in editor.quote.text()
    assert editor.citation.text() == "— A/75/TEST，第1段"
    assert editor.text() == "旧的文字"
    editor.editor.setPlainText("支持这一点")
    box = editor.findChild(QDialogButtonBox)
    assert box is not None
    save = box.button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(editor.text_chosen) as blocker:
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert blocker.args == ["n1", "支持这一点"]
    editor2 = NoteEditor("n2", "x", "", "")
    qtbot.addWidget(editor2)
    with qtbot.waitSignal(editor2.delete_requested) as blocker:
        qtbot.mouseClick(editor2.findChild(QPushButton, "note_delete"), Qt.MouseButton.LeftButton)
    assert blocker.args == ["n2"]


def test_errors_stay_in_messages_after_the_status_line_moves_on(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_error("empty.txt: the file is empty")
    window.show_message("Search is ready.")
    assert window.status_label.text() == "Search is ready."
    assert window.messages.texts() == ["empty.txt: the file is empty"]
    assert window.messages_button.isVisible()
    assert window.messages_button.text() == "⚠ 1"
    qtbot.mouseClick(window.messages_button, Qt.MouseButton.LeftButton)
    assert window.docks["messages"].isVisible()


def test_indexing_never_overwrites_the_message_of_the_users_action(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.show_message("Exported out.pdf (12 pages).")
    window.set_sync_progress(3, 10)  # an index sync that started before the export ended
    assert window.status_label.text() == "Exported out.pdf (12 pages)."
    assert window.words_label.isVisible()
    assert window.words_label.text() == "Indexing for search: 3 of 10 steps"
    assert window.index_progress.value() == 3
    window.set_sync_progress(0, 0)
    assert not window.words_label.isVisible()
    window.show_notice("Search is ready.")  # the sync ends just after: the message stays
    assert window.status_label.text() == "Exported out.pdf (12 pages)."
    window._message_at -= NOTICE_HOLD_S  # a while later a passing notice may take its place
    window.show_notice("Search is ready.")
    assert window.status_label.text() == "Search is ready."


def test_message_count_plural() -> None:
    panel = NotificationsPanel()
    panel.add("a")
    assert panel.empty.text() == "1 message"
    panel.add("b")
    assert panel.empty.text() == "2 messages"
    panel.clear()
    assert panel.texts() == []


def test_side_docks_yield_in_a_small_window_and_come_back(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.view.show_document(handmade_document())
    window.resize(1400, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.text_column_chars() >= MIN_TEXT_CHARS)
    visible = {n for n, d in window.docks.items() if d.isVisible()}
    assert {"contents", "search"} <= visible
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: bool(window.yielded_docks))
    qtbot.waitUntil(lambda: window.text_column_chars() >= MIN_TEXT_CHARS)
    # The right side yields first; the chapter tree stays while there is room for it.
    assert not window.docks["search"].isVisible()
    assert window.docks["contents"].isVisible()
    window.resize(760, 700)
    qtbot.waitUntil(lambda: not window.docks["contents"].isVisible())
    window.resize(1500, 820)
    qtbot.waitUntil(lambda: not window.yielded_docks)
    assert {n for n, d in window.docks.items() if d.isVisible()} == visible


def test_full_screen_reading_hides_the_docks_and_restores_them(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.resize(1400, 800)
    window.show()
    qtbot.waitExposed(window)
    before = {n for n, d in window.docks.items() if d.isVisible()}
    window.set_reading_mode(True)
    assert not any(d.isVisible() for d in window.docks.values())
    assert window.action("full_screen").isChecked()
    window.set_reading_mode(False)
    assert {n for n, d in window.docks.items() if d.isVisible()} == before
