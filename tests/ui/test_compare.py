"""The Compare dock and the Notes review, driven like a user would: real laws, real notes, real window."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from reader.app import App, build, shutdown, start
from reader.core.annotations import AnnotationStore
from reader.core.compare import Outcome, Status, compare_documents, units_of
from reader.core.importers import load_path
from reader.core.library import Library
from reader.qt.theme import DARK, LIGHT, apply_theme
from reader.ui.compare_view import COLUMNS, CompareView
from reader.ui.review_panel import NotesReviewPanel
from tests.core.compare.corpus import CORPUS
from tests.ui.conftest import wait_for_document

OLD = CORPUS / "发票管理办法(2019-03-02).md"
NEW = CORPUS / "发票管理办法(2023-07-20).md"
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def shot(widget: object, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / name))  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the compare view on its own


@pytest.fixture
def view(qtbot: QtBot) -> CompareView:
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def test_compare_view_summary_modes_and_change_keys(qtbot: QtBot, view: CompareView) -> None:
    comparison = compare_documents(load_path(OLD), load_path(NEW))
    view.set_comparison(comparison, names=(OLD.name, NEW.name))
    assert view.summary.text() == comparison.summary_line()
    assert "renumbered" in view.summary.text()
    stops = [
        i for i, c in enumerate(comparison.changes) if c.status not in (Status.UNCHANGED, Status.RENUMBERED)
    ]
    # F8 and Shift+F8 walk the changes, wrapping at the ends.
    view.text.setFocus()
    qtbot.keyClick(view.text, Qt.Key.Key_F8)
    assert view.current == stops[0]
    assert view.position.text() == f"change 1 of {len(stops)}"
    view.next_change()
    assert view.current == stops[1]
    view.previous_change()
    view.previous_change()
    assert view.current == stops[-1]
    # Inline: insertions underlined, deletions struck through (not colour alone).
    html = view.text.toHtml()
    assert "text-decoration: underline" in html or "text-decoration:underline" in html
    assert "line-through" in html
    view.set_mode(COLUMNS)
    assert "Old" in view.text.toPlainText()
    assert "New" in view.text.toPlainText()
    shot(view, "compare-columns-light.png")
    view.set_mode("inline")
    view.next_change()
    shot(view, "compare-inline-light.png")
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    apply_theme(qapp, DARK)
    view.set_theme(DARK)
    shot(view, "compare-inline-dark.png")
    view.set_mode(COLUMNS)
    shot(view, "compare-columns-dark.png")
    apply_theme(qapp, LIGHT)


def test_filter_to_annotated_units(view: CompareView) -> None:
    old, new = load_path(OLD), load_path(NEW)
    comparison = compare_documents(old, new)
    changed = next(c for c in comparison.changes if c.status is Status.CHANGED and c.new and c.new.parts)
    assert changed.new is not None
    view.set_comparison(comparison, annotated={changed.new.parts[0].block})
    everything = len(view.shown_changes())
    view.annotated_only.setChecked(True)
    assert [c for _, c in view.shown_changes()] == [changed]
    assert everything > 1
    view.annotated_only.setChecked(False)
    assert len(view.shown_changes()) == everything


def test_clicking_a_citation_asks_to_show_the_unit(qtbot: QtBot, view: CompareView) -> None:
    comparison = compare_documents(load_path(OLD), load_path(NEW))
    view.set_comparison(comparison)
    target = next(c.new.block for c in comparison.changes if c.new is not None)
    with qtbot.waitSignal(view.unit_requested) as blocker:
        view.text.anchorClicked.emit(QUrl(f"unit:{target}"))
    assert blocker.args == [target]


# ---------------------------------------------------------------- the whole window: a new revision arrives


@pytest.fixture
def revised(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[App, dict[str, str]]]:
    """A library holding the 2019 law with three notes, then the 2023 law imported as its revision."""
    library = Library.open(tmp_path / "library")
    first = library.import_file(OLD)
    units = {u.label: u for u in units_of(first.document) if u.label}
    store = AnnotationStore(library, author="tester")
    notes = store.open_document(first.record.id)
    made: dict[str, str] = {}
    # From the two texts: 第十条 is kept word for word; in 第二条 "领购" became "领用"; 第三十四条
    # (checking stubs against copies held by others) has no counterpart in 2023.
    old_text, new_text = OLD.read_text(encoding="utf-8"), NEW.read_text(encoding="utf-8")
    assert "领购" in old_text.split("第二条")[1][:40]
    assert "领用" in new_text.split("第二条")[1][:40]
    assert old_text.split("第三十四条")[1].split("\n")[0].strip()[:30] not in new_text
    for key, label, quote in (
        ("same", "第十条", None),
        ("reworded", "第二条", "领购"),
        ("gone", "第三十四条", None),
    ):
        unit = units[label]
        note = notes.make_note(unit.parts[0].block, quote=quote, text=f"note on {label}")
        notes.add_note(note)
        made[key] = note.id
    store.close()
    copy = tmp_path / NEW.name
    shutil.copy(NEW, copy)
    assert library.import_file(copy).status == "revision"
    app = build(Library.open(tmp_path / "library"))
    qtbot.addWidget(app.window)
    start(app)
    wait_for_document(qtbot, app)
    yield app, made
    app.window.close()
    shutdown(app)


def test_review_list_says_what_happened_to_each_note_and_every_action_undoes(
    qtbot: QtBot, revised: tuple[App, dict[str, str]]
) -> None:
    app, made = revised
    panel: NotesReviewPanel = app.window.review
    qtbot.waitUntil(lambda: len(panel.items) == 3, timeout=15_000)
    assert app.window.docks["review"].isVisible()
    by_id = {i.note.id: i for i in panel.items}
    assert by_id[made["same"]].outcome is Outcome.STAYED
    assert by_id[made["same"]].old_place == "第十条"
    reworded = by_id[made["reworded"]]
    assert reworded.outcome is Outcome.TEXT_CHANGED
    assert reworded.note.anchor.quote == "领用"  # followed the amendment, flagged for review
    assert reworded.change is not None
    assert ("+", "用") in reworded.change.ops
    assert by_id[made["gone"]].outcome is Outcome.ORPHANED
    assert by_id[made["gone"]].old_place == "第三十四条"
    assert "3 notes came from the previous revision" in panel.summary.text()
    # The Contents pane marks the chapters that changed.
    assert app.window.contents.model.changed_blocks()
    app.window.resize(1400, 900)
    shot(app.window, "review-window.png")
    wide = NotesReviewPanel()
    qtbot.addWidget(wide)
    wide.set_items(panel.items)
    wide.select_note(made["reworded"])
    wide.resize(760, 560)
    wide.show()
    shot(wide, "review-panel.png")

    # Accept the note that stayed: it leaves the list; undo brings it back.
    panel.select_note(made["same"])
    qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: made["same"] not in {i.note.id for i in panel.items}, timeout=5_000)
    app.window.action("undo").trigger()
    qtbot.waitUntil(lambda: made["same"] in {i.note.id for i in panel.items}, timeout=5_000)

    # Asking to see the orphan says why it cannot be shown instead of landing somewhere else;
    # the reworded note is shown where it now sits.
    view = app.window.view
    before = view.textCursor().position()
    panel.note_requested.emit(made["gone"])
    assert "not in this revision" in app.window.status_label.text()
    assert view.textCursor().position() == before
    panel.note_requested.emit(made["reworded"])
    assert view.current_block() == by_id[made["reworded"]].note.anchor.block

    # Delete the orphan: gone from the list and the notes; undo restores it, nothing dropped.
    panel.select_note(made["gone"])
    panel.delete_button.click()
    qtbot.waitUntil(lambda: made["gone"] not in {i.note.id for i in panel.items}, timeout=5_000)
    assert app.session.notes is not None
    assert made["gone"] not in {n.id for n in app.session.notes.notes()}
    app.window.action("undo").trigger()
    qtbot.waitUntil(lambda: made["gone"] in {i.note.id for i in panel.items}, timeout=5_000)

    # Re-attach the reworded note to a selection: it now sits there; undo puts it back.
    document = app.session.document
    assert document is not None
    second = next(u for u in units_of(document) if u.label == "第二条")
    block = second.parts[0].block
    app.window.view.select_range(block, 0, 6)
    panel.select_note(made["reworded"])
    panel.reattach_button.click()
    qtbot.waitUntil(
        lambda: app.session.notes is not None and app.session.notes.note(made["reworded"]).anchor.start == 0,
        timeout=5_000,
    )
    moved = app.session.notes.note(made["reworded"])
    assert moved.anchor.block == block
    assert moved.anchor.quote == document.block(block).text[:6]
    assert moved.anchor.previous[-1].quote == "领用"  # where it was is kept in its history
    assert made["reworded"] not in {i.note.id for i in panel.items}
    app.window.action("undo").trigger()
    qtbot.waitUntil(lambda: made["reworded"] in {i.note.id for i in panel.items}, timeout=5_000)
    assert len(panel.items) == 3


def test_compare_action_opens_the_dock_and_exports(
    qtbot: QtBot, revised: tuple[App, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _made = revised
    app.window.action("compare").trigger()
    view = app.window.compare_view
    qtbot.waitUntil(
        lambda: view.comparison is not None and app.window.docks["compare"].isVisible(), timeout=15_000
    )
    assert view.comparison is not None
    assert view.summary.text() == view.comparison.summary_line()
    assert "articles changed" in view.summary.text()
    app.window.resize(1400, 900)
    view.next_change()
    shot(app.window, "compare-window.png")
    for fmt, suffix in (("docx", ".docx"), ("md", ".md")):
        target = tmp_path / f"out{suffix}"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, t=target, **_k: (str(t), ""))
        view.export_requested.emit(fmt)
        qtbot.waitUntil(target.exists, timeout=15_000)
    text = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "| 旧文本 (old) | 新文本 (new) | 变化 (change) |" in text
    import docx

    document = docx.Document(str(tmp_path / "out.docx"))
    assert document.tables[0].rows[0].cells[2].text.startswith("变化")
    struck = [r for p in document.paragraphs for r in p.runs if r.font.strike]
    underlined = [r for p in document.paragraphs for r in p.runs if r.font.underline]
    assert struck
    assert underlined


def test_contents_marks_changed_chapters_with_a_sign(qtmodeltester: object) -> None:
    from reader.models.contents import ContentsModel

    old, new = load_path(OLD), load_path(NEW)
    comparison = compare_documents(old, new)
    model = ContentsModel()
    model.set_document(new)
    marked = comparison.changed_chapters()
    model.set_changed(marked)
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.changed_blocks() == {b for b in marked if new.heading_node(b) is not None}
    for block in model.changed_blocks():
        index = model.index_for_block(block)
        assert str(index.data()).startswith("Δ ")
        assert "Changed since" in str(index.data(Qt.ItemDataRole.ToolTipRole))
    untouched = [h.block for h in new.headings() if h.block not in marked]
    assert untouched  # unchanged articles are headings too, and stay unmarked
    for block in untouched:
        assert not str(model.index_for_block(block).data()).startswith("Δ ")


def test_compare_with_another_document_is_picked_by_typing(
    qtbot: QtBot, running: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.ui.document_picker import DocumentPicker

    law = running.library.import_file(OLD).record
    title = law.title
    assert "发票管理办法" in title

    def choose(dialog: DocumentPicker) -> int:
        dialog.show()
        qtbot.waitExposed(dialog)
        commit = QInputMethodEvent()
        commit.setCommitString("发票")  # what a delegate types: part of the title
        QApplication.sendEvent(dialog.filter, commit)
        assert dialog.proxy.rowCount() == 1
        qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
        return int(dialog.result())

    monkeypatch.setattr(DocumentPicker, "exec", choose)
    running.window.action("compare_with").trigger()
    view = running.window.compare_view
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=15_000)
    assert view.comparison is not None
    assert view.comparison.old.title == title
    assert view.comparison.new.id == running.session.doc_id
