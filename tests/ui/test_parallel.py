"""The side-by-side view driven like a reader: scroll sync, counterpart highlight, find beside, notes, RTL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, Qt

from reader.app import App
from reader.core.align import align
from reader.core.align.labels import Key, block_key
from reader.core.importers import load_path
from reader.core.library import Library
from reader.core.model import Document
from reader.features import parallel, reading
from reader.features.library import refresh_library
from reader.models.library import DOC_ID_ROLE
from reader.ui.document_picker import DocumentPicker
from reader.ui.parallel_view import ColumnState, ParallelView
from tests.ui.conftest import wait_for_document

UDHR = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "udhr"


def _doc(stem: str) -> Document:
    doc = load_path(UDHR / f"{stem}.txt")
    doc.id = stem
    return doc


def _article(doc: Document, n: int) -> str:
    """The heading block of article ``n`` (found by its number, as the text writes it)."""
    return next(b.id for b in doc.blocks if block_key(b) == Key("article", str(n)))


@pytest.fixture
def view(qtbot: QtBot) -> ParallelView:
    """Chinese, English and Arabic side by side, at a realistic size."""
    zh, en, ar = _doc("cmn_hans"), _doc("eng"), _doc("arb")
    v = ParallelView()
    qtbot.addWidget(v)
    v.resize(1400, 800)
    v.show()
    qtbot.waitExposed(v)
    states = [ColumnState(zh, None), ColumnState(en, align(zh, en)), ColumnState(ar, align(zh, ar))]
    v.show_versions(states, [("cmn_hans", "zh-Hans"), ("eng", "en"), ("arb", "ar"), ("fra", "fr")])
    qtbot.wait(300)  # new columns get their width; the rows are evened again
    return v


def test_scrolling_one_column_brings_the_others_to_the_counterpart(qtbot: QtBot, view: ParallelView) -> None:
    zh, en, ar = (s.doc for s in view.states)
    zh_col, en_col, ar_col = view.columns
    zh_col.scroll_to_block(_article(zh, 12))
    qtbot.waitUntil(lambda: en_col.top_block() == _article(en, 12))
    assert ar_col.top_block() == _article(ar, 12)
    # And the other way round: the English column leads.
    en_col.scroll_to_block(_article(en, 25))
    qtbot.waitUntil(lambda: zh_col.top_block() == _article(zh, 25))
    assert ar_col.top_block() == _article(ar, 25)


def test_clicking_a_paragraph_highlights_its_counterparts(qtbot: QtBot, view: ParallelView) -> None:
    zh, en, ar = (s.doc for s in view.states)
    zh_col, en_col, ar_col = view.columns
    heading = _article(zh, 3)
    body = zh.blocks[zh.index_of(heading) + 1].id
    zh_col.scroll_to_block(heading)
    qtbot.wait(50)
    rect = zh_col.block_rect(body)
    with qtbot.waitSignal(view.block_focused):
        qtbot.mouseClick(
            zh_col.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.top() + 5)
        )
    assert zh_col.focus_blocks == {body}
    # The counterparts are the body of article 3 in each version (the block after its heading).
    assert en_col.focus_blocks == {en.blocks[en.index_of(_article(en, 3)) + 1].id}
    assert ar_col.focus_blocks == {ar.blocks[ar.index_of(_article(ar, 3)) + 1].id}
    assert en_col.viewport().rect().intersects(en_col.block_rect(next(iter(en_col.focus_blocks))))


def test_find_shows_each_hit_with_its_counterpart_beside(qtbot: QtBot, view: ParallelView) -> None:
    zh, en, _ar = (s.doc for s in view.states)
    zh_col = view.columns[0]
    # "slavery" appears once in the English text, in article 4.
    assert view.set_find_text("SLAVERY") >= 1
    k, block = view.step_find(1) or (-1, "")
    assert k == 1
    assert en.block(block).parent == _article(en, 4) or en.index_of(block) > en.index_of(_article(en, 4))
    qtbot.waitUntil(lambda: bool(zh_col.focus_blocks))
    (zh_block,) = zh_col.focus_blocks
    assert zh.index_of(_article(zh, 4)) < zh.index_of(zh_block) < zh.index_of(_article(zh, 5))
    assert zh_col.viewport().rect().intersects(zh_col.block_rect(zh_block))


def test_find_ignores_arabic_vowel_marks(view: ParallelView) -> None:
    ar = view.states[2].doc
    marked = next(w for b in ar.blocks for w in b.text.split() if "\u064f" in w or "\u064e" in w)
    bare = "".join(c for c in marked if not "\u064b" <= c <= "\u065f")
    assert view.set_find_text(bare) >= 1


def test_contents_and_go_to_move_the_pair(qtbot: QtBot, view: ParallelView) -> None:
    zh, en, _ar = (s.doc for s in view.states)
    assert view.go_to("Article 17")
    qtbot.waitUntil(lambda: view.columns[1].top_block() == _article(en, 17))
    assert view.columns[0].top_block() == _article(zh, 17)
    assert view.go_to("第九条")
    qtbot.waitUntil(lambda: view.columns[1].top_block() == _article(en, 9))
    assert not view.go_to("Article 99")
    assert view.contents.topLevelItemCount() >= 1


def test_arabic_column_reads_right_to_left_and_low_pairs_are_marked(view: ParallelView) -> None:
    zh_col, en_col, ar_col = view.columns
    assert ar_col.rtl
    assert ar_col.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert not en_col.rtl
    qblock = ar_col.document().findBlockByNumber(ar_col.render_map.qt_blocks[_article(view.states[2].doc, 1)])
    assert qblock.blockFormat().layoutDirection() == Qt.LayoutDirection.RightToLeft
    alignment = view.states[1].alignment
    assert alignment is not None
    low_en = {b for p in alignment.pairs if p.low for b in p.b}
    assert low_en <= en_col.low_blocks
    low_zh = {b for p in alignment.pairs if p.low for b in p.a}
    assert low_zh <= zh_col.low_blocks


def test_a_note_in_one_version_is_marked_at_its_counterparts(view: ParallelView) -> None:
    zh, en, ar = (s.doc for s in view.states)
    body = zh.blocks[zh.index_of(_article(zh, 6)) + 1].id
    view.set_notes({"cmn_hans": {body}})
    own, _ = view.columns[0].note_marks
    assert own == {body}
    _, linked_en = view.columns[1].note_marks
    _, linked_ar = view.columns[2].note_marks
    assert linked_en == {en.blocks[en.index_of(_article(en, 6)) + 1].id}
    assert linked_ar == {ar.blocks[ar.index_of(_article(ar, 6)) + 1].id}


def test_adding_a_column_asks_for_another_version(qtbot: QtBot, view: ParallelView) -> None:
    with qtbot.waitSignal(view.versions_requested) as sig:
        view.add_button.click()
    assert sig.args == [["cmn_hans", "eng", "arb", "fra"]]


def test_window_opens_from_the_menu_and_shows_search_hits_beside(
    qtbot: QtBot, running: App, library: Library
) -> None:
    zh = library.import_file(UDHR / "cmn_hans.txt").record.id
    en = library.import_file(UDHR / "eng.txt").record.id
    refresh_library(running)
    reading.open_document(running, zh)
    qtbot.waitUntil(lambda: running.session.doc_id == zh, timeout=10_000)
    wait_for_document(qtbot, running)
    running.window.action("parallel").trigger()
    qtbot.waitUntil(lambda: parallel.parallel_view(running) is not None, timeout=10_000)
    view = parallel.parallel_view(running)
    assert view is not None
    assert view.doc_ids == [zh, en]
    # A search hit in the English version (from the Search pane) shows its Chinese counterpart beside it.
    en_doc = library.load(en)
    hit = en_doc.blocks[en_doc.index_of(_article(en_doc, 20)) + 1].id
    running.window.search.hit_requested.emit(en, hit)
    qtbot.waitUntil(lambda: view.columns[1].focus_blocks == {hit})
    zh_doc = library.load(zh)
    (zh_block,) = view.columns[0].focus_blocks
    assert zh_doc.index_of(_article(zh_doc, 20)) < zh_doc.index_of(zh_block)
    # The Library pane shows one row for both versions, with its languages.
    model = running.window.library.model
    row = model.row_of(zh)
    assert row == model.row_of(en)
    assert model.index(row, 4).data() == "zh-Hans · en"


def test_rows_start_at_the_same_height_in_every_column(qtbot: QtBot, view: ParallelView) -> None:
    view.even_rows()
    rows = view.rows()
    assert len(rows) > 31  # at least the preamble and the articles, each with its clauses
    columns = view.columns
    for row in rows:
        if len(row) == len(columns):
            tops = [columns[j].block_top(block) for j, block in row.items()]
            assert max(tops) - min(tops) < 2, (row, tops, [c.viewport().width() for c in columns])


def test_file_menu_links_a_translation_and_corrects_its_language(
    qtbot: QtBot, running: App, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    # Two short texts without a symbol and too little structure to be grouped automatically.
    (tmp_path / "zh.txt").write_text("说明\n\n这是一份简短的说明。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("Note\n\nThis is a short note.\n", encoding="utf-8")
    zh = library.import_file(tmp_path / "zh.txt").record.id
    en = library.import_file(tmp_path / "en.txt").record.id
    refresh_library(running)
    reading.open_document(running, en)
    qtbot.waitUntil(lambda: running.session.doc_id == en, timeout=10_000)

    def choose_by_typing(dialog: DocumentPicker) -> int:
        # As a delegate would: type part of the title in the filter box, press Enter.
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.filter.setText(library.record(zh).title)
        shown = [dialog.proxy.index(r, 0).data(DOC_ID_ROLE) for r in range(dialog.proxy.rowCount())]
        assert zh in shown
        assert en not in shown  # the document itself is not offered
        for _ in range(shown.index(zh)):
            qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
        assert dialog.chosen() == zh
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
        return int(dialog.result())

    monkeypatch.setattr(DocumentPicker, "exec", choose_by_typing)
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda _p, _t, _l, items, *_a: (next(i for i in items if "(fr)" in i), True)
    )
    running.window.action("link_version").trigger()
    assert library.record(en).group == zh
    model = running.window.library.model
    assert model.row_of(en) == model.row_of(zh)
    running.window.action("set_language").trigger()
    assert library.record(en).language == "fr"
    assert model.index(model.row_of(zh), 4).data() == "zh-Hans · fr"


def test_export_from_the_menu_cites_in_both_languages(
    qtbot: QtBot, running: App, library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from tests.core.test_versions import REPORT_EN, REPORT_ZH

    (tmp_path / "zh.txt").write_text(REPORT_ZH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(REPORT_EN, encoding="utf-8")
    zh = library.import_file(tmp_path / "zh.txt").record.id
    library.import_file(tmp_path / "en.txt")
    reading.open_document(running, zh)
    qtbot.waitUntil(lambda: running.session.doc_id == zh, timeout=10_000)
    notes = running.session.notes
    document = running.session.document
    assert notes is not None
    assert document is not None
    para = document.paragraph("2")
    assert para is not None
    notes.add_note(notes.make_note(para.id, text="感谢"))
    target = tmp_path / "out.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "Markdown (*.md)"))
    monkeypatch.setattr(
        QInputDialog, "getItem", lambda _p, _t, _l, items, *_a: (next(i for i in items if "(en)" in i), True)
    )
    running.window.action("export_notes").trigger()
    qtbot.waitUntil(target.is_file, timeout=10_000)
    assert "A/75/999，第 2 段 / A/75/999, para. 2" in target.read_text(encoding="utf-8")
