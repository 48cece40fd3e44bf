"""The Library pane at library scale: a filter box over title, symbol and language, sortable columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget

from reader.app import App
from reader.core.library import DocumentRecord, Library
from reader.models.library import DOC_ID_ROLE
from reader.ui.library_panel import LibraryPanel

TEXTS = Path(__file__).resolve().parents[1] / "fixtures" / "texts"
FILES = (
    "un_report_en.txt",
    "un_ga_resolution.txt",
    "legal_zh_hant.txt",
    "prc_work_report.txt",
    "flat_remarks.txt",
)


@pytest.fixture
def records(library: Library) -> list[DocumentRecord]:
    for name in FILES:
        library.import_file(TEXTS / name)
    found = library.documents()
    assert len(found) == len(FILES)
    return found


@pytest.fixture
def panel(qtbot: QtBot, records: list[DocumentRecord]) -> LibraryPanel:
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.model.set_records(records)
    panel.resize(700, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def shown(panel: LibraryPanel) -> list[str]:
    return [panel.proxy.index(r, 0).data(DOC_ID_ROLE) for r in range(panel.proxy.rowCount())]


def type_in(panel: LibraryPanel, text: str) -> None:
    panel.filter.setFocus()
    commit(panel.filter, text)


def commit(widget: QWidget, text: str) -> None:
    """Commit ``text`` as an input method does (qtbot.keyClicks cannot send CJK)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def test_filter_by_symbol_in_any_width_and_case(
    qtbot: QtBot, panel: LibraryPanel, records: list[DocumentRecord]
) -> None:
    with_symbol = [r for r in records if r.symbol]
    assert with_symbol, "the UN fixtures carry their symbols"
    symbol = with_symbol[0].symbol
    assert symbol is not None
    part = symbol.rsplit("/", 1)[0]  # "A/76" of "A/76/456": a prefix a delegate types
    expected = sorted(r.id for r in records if r.symbol and part.casefold() in r.symbol.casefold())
    qtbot.keyClicks(panel.filter, part.lower())
    assert sorted(shown(panel)) == expected
    assert panel.count.isVisible()
    assert panel.count.text() == f"{len(expected)} of {len(records)} documents"
    panel.filter.clear()
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in part)  # Ａ／７６
    type_in(panel, wide)
    assert panel.filter.text() == wide
    assert sorted(shown(panel)) == expected


def test_chinese_words_in_any_order_and_nothing_found(
    qtbot: QtBot, panel: LibraryPanel, records: list[DocumentRecord]
) -> None:
    report = next(r for r in records if r.current_revision.original_name == "prc_work_report.txt")
    title = report.title.replace(" ", "")
    assert len(title) >= 6
    # Two pieces of the title, typed the other way round and apart.
    type_in(panel, f"{title[-3:]} {title[:2]}")
    assert report.id in shown(panel)
    assert all(title[:2] in r.title.replace(" ", "") for r in records if r.id in shown(panel))
    panel.filter.clear()
    type_in(panel, "不存在的标题ｚｚ")
    assert shown(panel) == []
    assert panel.count.text() == "No document matches “不存在的标题ｚｚ”."
    qtbot.keyClick(panel.filter, Qt.Key.Key_Escape)
    assert panel.filter.text() == ""
    assert len(shown(panel)) == len(records)
    assert not panel.count.isVisible()


def test_filter_by_language_enter_opens_the_first_down_enters_the_table(
    qtbot: QtBot, panel: LibraryPanel, records: list[DocumentRecord]
) -> None:
    english = sorted(r.id for r in records if r.language == "en")
    assert english
    qtbot.keyClicks(panel.filter, "english")
    assert sorted(shown(panel)) == english
    with qtbot.waitSignal(panel.document_requested) as blocker:
        qtbot.keyClick(panel.filter, Qt.Key.Key_Return)
    assert blocker.args == [shown(panel)[0]]
    qtbot.keyClick(panel.filter, Qt.Key.Key_Down)
    assert panel.table.hasFocus()
    assert panel.table.selectionModel().selectedRows()[0].data(DOC_ID_ROLE) == shown(panel)[0]


def test_columns_sort_and_the_open_document_stays_selected(
    qtbot: QtBot, panel: LibraryPanel, records: list[DocumentRecord]
) -> None:
    header = panel.table.horizontalHeader()
    middle = QPoint(header.sectionViewportPosition(1) + header.sectionSize(1) // 2, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    symbols = [panel.proxy.index(r, 1).data() for r in range(panel.proxy.rowCount())]
    assert symbols == sorted(symbols, key=str.casefold)
    last = records[-1].id
    panel.select_document(last)
    assert panel.table.selectionModel().selectedRows()[0].data(DOC_ID_ROLE) == last
    # Filtered out, then back: the selection follows the document, not a row number.
    panel.filter.setText("不存在")
    panel.filter.clear()
    panel.select_document(last)
    assert panel.table.selectionModel().selectedRows()[0].data(DOC_ID_ROLE) == last
    # The context menu is the row's document's, whatever the sorting.
    row = panel.proxy.view_row(panel.model.row_of(last))
    menu = panel.version_menu(panel.proxy.source_row(row))
    with qtbot.waitSignal(panel.document_requested) as blocker:
        menu.actions()[0].trigger()
    assert blocker.args == [last]



def test_the_document_picker_filters_moves_with_the_arrows_and_says_nothing_when_cancelled(
    qtbot: QtBot, records: list[DocumentRecord]
) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    from reader.ui.document_picker import DocumentPicker

    dialog = DocumentPicker(records, "Compare with", "Older version to compare with:")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    rows = [dialog.proxy.index(r, 0).data(DOC_ID_ROLE) for r in range(dialog.proxy.rowCount())]
    assert sorted(rows) == sorted(r.id for r in records)
    assert dialog.chosen() == rows[0]  # the first is ready for Enter
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Up)
    assert dialog.chosen() == rows[1]
    commit(dialog.filter, "不存在的标题")
    assert dialog.proxy.rowCount() == 0
    assert dialog.chosen() is None
    assert not ok.isEnabled()
    dialog.filter.clear()
    assert ok.isEnabled()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)  # Escape cancels the dialog
    assert dialog.result() == 0



def test_a_document_in_six_languages_is_one_row_shown_and_opened_in_chinese(
    qtbot: QtBot, library: Library
) -> None:
    # Imported Arabic first: the Arabic version founds the group, the row still reads in Chinese.
    for lang in ("ar", "en", "fr", "es", "ru", "zh"):
        library.import_file(TEXTS / f"redteam4_ga_report_{lang}_tabs.txt")
    records = library.documents()
    chinese = next(r for r in records if r.language == "zh-Hans")
    panel = LibraryPanel()
    qtbot.addWidget(panel)
    panel.model.set_records(records)
    assert panel.model.rowCount() == 1
    row = panel.proxy.index(0, 0)
    assert row.data() == chinese.title
    assert row.data(DOC_ID_ROLE) == chinese.id
    assert panel.proxy.index(0, 4).data().split(" · ")[0] == "ar"  # the founder first, all six listed
    assert len(panel.proxy.index(0, 4).data().split(" · ")) == 6
    with qtbot.waitSignal(panel.document_requested) as blocker:
        panel.table.doubleClicked.emit(row)
    assert blocker.args == [chinese.id]
    type_in(panel, "Naciones Unidas")  # a filter word from another version's text is not a title
    assert panel.proxy.rowCount() == 0
    panel.filter.clear()
    type_in(panel, "Informe")  # nor is the report-type line; the Spanish title is
    assert panel.proxy.rowCount() == 0
    panel.filter.clear()
    type_in(panel, "Aplicación")
    assert panel.proxy.rowCount() == 1


def test_open_from_the_library_by_typing_part_of_the_symbol(
    qtbot: QtBot, running: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.features.library import refresh_library
    from reader.ui.document_picker import DocumentPicker

    for lang in ("en", "zh"):
        running.library.import_file(TEXTS / f"redteam4_ga_report_{lang}_tabs.txt")
    refresh_library(running)

    def choose(dialog: DocumentPicker) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        commit(dialog.filter, "77/123")  # what was heard across the table
        assert dialog.proxy.rowCount() == 1  # the two languages are one document
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
        return int(dialog.result())

    monkeypatch.setattr(DocumentPicker, "exec", choose)
    assert running.window.action("open_document").shortcut().toString() == "Ctrl+Shift+O"
    running.window.action("open_document").trigger()
    qtbot.waitUntil(
        lambda: running.session.document is not None and running.session.document.symbol == "A/77/123",
        timeout=10_000,
    )
    assert running.session.document is not None
    assert running.session.document.language == "zh-Hans"  # Chinese first
