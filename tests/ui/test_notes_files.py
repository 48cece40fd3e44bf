"""Notes files from the window: export, a colleague's notes merged in, read-only, external changes."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from reader.app import App, build, refresh_library, shutdown, start
from reader.core.annotations import AddNote, AnnotationStore, DeleteNote, DocumentNotes, EditNote
from reader.core.library import Library
from reader.workers.notes import count_notes
from tests.ui.conftest import wait_for_document


def settle(qtbot: QtBot, app: App) -> None:
    """Wait until indexing is done, so its "Search is ready." cannot overwrite the message under test."""
    qtbot.waitUntil(lambda: app.session.search_ready, timeout=30_000)


def add_note(app: App, block: str, phrase: str, *, tag: str = "", text: str = "") -> str:
    """Select ``phrase`` in ``block`` through the view and add a note with the window's action."""
    doc = app.session.document
    assert doc is not None
    start = doc.block(block).text.index(phrase)
    app.window.view.select_range(block, start, start + len(phrase))
    app.window.action("add_note").trigger()
    note_id = app.window.notes.current_note()
    assert note_id
    if tag:
        app.window.notes.tag_requested.emit(note_id, tag)
    if text:
        app.window.notes.edit_requested.emit(note_id, text)
    return note_id


def stub_save_dialog(monkeypatch: pytest.MonkeyPatch, path: Path, chosen: str) -> list[str]:
    """Answer the save dialog with ``path`` and the filter ``chosen``; returns the offered names."""
    offered: list[str] = []

    def answer(_parent: object, _title: str, name: str, filters: str) -> tuple[str, str]:
        offered.append(name)
        assert chosen in filters.split(";;")
        return str(path), chosen

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return offered


def test_export_notes_to_word_and_markdown(
    qtbot: QtBot, running: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(qtbot, running)
    doc = running.session.document
    assert doc is not None
    ref = doc.symbol or doc.title  # the sample has no symbol: citations name the title
    add_note(running, "p57", "维和情报", tag="support", text="支持加强情报能力")
    add_note(running, "p20", doc.block("p20").text[:6])

    offered = stub_save_dialog(monkeypatch, tmp_path / "statement", "Word document (*.docx)")
    running.window.action("export_notes").trigger()
    written = tmp_path / "statement.docx"
    status = running.window.status_label
    qtbot.waitUntil(lambda: str(written) in status.text() and "exported" in status.text(), timeout=10_000)
    assert offered
    assert ref.replace("/", "_") in offered[0]
    text = "\n".join(p.text for p in docx.Document(str(written)).paragraphs)
    assert "维和情报" in text
    assert f"{ref}，第 57 段" in text
    assert "支持加强情报能力" in text
    assert f"{ref}，第 20 段" in text
    assert "(notes and bookmarks: 2)" in status.text()

    # With the Notes pane filtered by a tag, the export keeps only those notes (the question says yes).
    panel = running.window.notes
    panel.tag.setCurrentIndex(panel.tag.findData("support"))
    assert panel.model.rowCount() == 1
    stub_save_dialog(monkeypatch, tmp_path / "support.md", "Markdown (*.md)")
    running.window.action("export_notes").trigger()
    markdown = tmp_path / "support.md"
    qtbot.waitUntil(lambda: str(markdown) in status.text() and "exported" in status.text(), timeout=10_000)
    body = markdown.read_text(encoding="utf-8")
    assert "维和情报" in body
    assert f"{ref}，第 57 段" in body
    assert "第 20 段" not in body
    assert "(notes and bookmarks: 1)" in status.text()


def test_export_failure_is_one_line(
    qtbot: QtBot, running: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(qtbot, running)
    add_note(running, "p57", "维和情报")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    stub_save_dialog(monkeypatch, blocker / "sub" / "out.md", "Markdown (*.md)")
    running.window.action("export_notes").trigger()
    status = running.window.status_label
    qtbot.waitUntil(lambda: "could not be exported" in status.text(), timeout=10_000)
    assert "\n" not in status.text()
    assert "Traceback" not in status.text()


def highlighted(app: App) -> set[str]:
    """Texts painted as note highlights in the reading view."""
    return {sel.cursor.selectedText() for sel in app.window.view.extraSelections()}


def colleague_store(tmp_path: Path, author: str = "Li Na") -> tuple[AnnotationStore, DocumentNotes]:
    """A colleague's own library with the sample and their store (a separate lock)."""
    library = Library.open(tmp_path / "colleague")
    record = library.ensure_sample()
    assert record is not None
    store = AnnotationStore(library, author=author)
    return store, store.open_document(record.id)


def test_import_colleague_notes_reports_and_refreshes(
    qtbot: QtBot, running: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(qtbot, running)
    store, theirs = colleague_store(tmp_path)
    first = theirs.make_note("p63", 0, 8, text="同事的意见", tags=["question"])
    second = theirs.make_note("p65", 0, 6, colour="green")
    AddNote(theirs, first).do()
    AddNote(theirs, second).do()
    shared = store.path_for(theirs.doc_id)
    assert shared.is_file()
    store.close()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(shared), ""))

    running.window.action("import_notes").trigger()
    status = running.window.status_label
    qtbot.waitUntil(lambda: "Merged" in status.text(), timeout=10_000)
    assert "2 added, 0 updated, 0 deleted" in status.text()
    model = running.window.notes.model
    assert model.rowCount() == 2
    notes = running.session.notes
    assert notes is not None
    assert {n.author for n in notes.notes()} == {"Li Na"}
    assert {first.anchor.quote, second.anchor.quote} <= highlighted(running)
    library_model = running.window.library.model
    qtbot.waitUntil(lambda: library_model.data(library_model.index(0, 3)) == "2", timeout=5000)

    # The colleague edits one note and deletes the other; merging again carries both over.
    store = AnnotationStore(Library.open(tmp_path / "colleague"), author="Li Na")
    theirs = store.open_document(theirs.doc_id)
    EditNote(theirs, first.id, "改过的意见").do()
    DeleteNote(theirs, second.id).do()
    store.close()
    running.window.action("import_notes").trigger()
    qtbot.waitUntil(lambda: "1 deleted" in status.text(), timeout=10_000)
    assert "0 added, 1 updated, 1 deleted" in status.text()
    assert model.rowCount() == 1
    assert "改过的意见" in str(model.data(model.index(0)))
    assert second.anchor.quote not in highlighted(running)
    qtbot.waitUntil(lambda: library_model.data(library_model.index(0, 3)) == "1", timeout=5000)
    # Saved into the colleague's file in our library, never into ours.
    merged = running.store.path_for(running.session.doc_id, "Li Na")
    assert "改过的意见" in merged.read_text(encoding="utf-8")
    assert not running.store.path_for(running.session.doc_id).exists()


def test_import_of_a_bad_notes_file_says_why(
    qtbot: QtBot, running: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(qtbot, running)
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nnotes: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(bad), ""))
    running.window.action("import_notes").trigger()
    status = running.window.status_label
    qtbot.waitUntil(lambda: "could not be merged" in status.text(), timeout=10_000)
    assert "bad.yaml" in status.text()
    assert running.window.action("add_note").isEnabled()


def test_second_window_on_the_library_is_read_only_and_says_so(
    qtbot: QtBot, running: App, library: Library
) -> None:
    settle(qtbot, running)
    second = build(library)
    qtbot.addWidget(second.window)
    start(second)
    wait_for_document(qtbot, second)
    try:
        window = second.window
        assert second.store.read_only
        # Said in the status bar, and kept there while other messages come and go.
        assert window.read_only_label.isVisibleTo(window)
        assert "open in another Briefing Reader window" in window.read_only_label.text()
        assert "read-only" in window.read_only_label.text()
        assert "process" in window.read_only_label.toolTip()
        for name in ("add_note", "toggle_bookmark", "import_notes"):
            assert not window.action(name).isEnabled(), name
        assert window.action("export_notes").isEnabled()
        # The keys and the inline editor are off too; nothing reaches the files.
        window.view.scroll_to_block("p20")
        window.action("add_note").trigger()
        window.action("toggle_bookmark").trigger()
        assert window.notes.model.rowCount() == 0
        assert window.bookmarks.model.rowCount() == 0
        assert not second.store.path_for(second.session.doc_id).exists()
        # The first window still edits.
        assert running.window.action("add_note").isEnabled()
        assert not running.window.read_only_label.isVisibleTo(running.window)
    finally:
        second.window.close()
        shutdown(second)


def test_losing_the_lock_turns_the_window_read_only(qtbot: QtBot, running: App) -> None:
    settle(qtbot, running)
    note_id = add_note(running, "p57", "维和情报")
    model = running.window.notes.model
    assert model.flags(model.index(model.row_of(note_id))) & Qt.ItemFlag.ItemIsEditable
    timer = running.timers["lock"]
    assert timer.isActive()
    assert timer.interval() == 60_000
    timer.timeout.emit()
    assert running.window.action("add_note").isEnabled()
    # Another machine decides our lock was abandoned and takes it over.
    lock = running.library.root / "notes.lock"
    data = json.loads(lock.read_text(encoding="utf-8"))
    lock.write_text(json.dumps({**data, "token": "someone-else", "hostname": "elsewhere"}), encoding="utf-8")
    timer.timeout.emit()
    window = running.window
    assert running.store.read_only
    assert "another Briefing Reader took over this library" in window.status_label.text()
    assert window.read_only_label.isVisibleTo(window)
    assert "took over" in window.read_only_label.text()
    assert not window.action("add_note").isEnabled()
    assert not window.action("undo").isEnabled()
    assert not model.flags(model.index(model.row_of(note_id))) & Qt.ItemFlag.ItemIsEditable
    window.notes.list.setCurrentIndex(model.index(model.row_of(note_id)))
    qtbot.keyClick(window.notes.list, Qt.Key.Key_Delete)
    assert model.rowCount() == 1
    # The note typed before the takeover was never saved: it goes to a recovery file, not lost.
    running.save_timer.timeout.emit()
    qtbot.waitUntil(lambda: "kept in" in window.status_label.text(), timeout=5000)
    notes_dir = running.store.path_for(running.session.doc_id).parent
    assert len(list((notes_dir / "recovered").glob("*.yaml"))) == 1


def test_notes_changed_on_disk_show_up(qtbot: QtBot, running: App) -> None:
    settle(qtbot, running)
    note_id = add_note(running, "p57", "维和情报")
    running.save_timer.timeout.emit()  # save now rather than after the debounce
    doc_id = running.session.doc_id
    assert running.store.path_for(doc_id).is_file()
    timer = running.timers["reload"]
    assert timer.isActive()
    assert timer.interval() == 5_000
    model = running.window.notes.model

    # Our own file, edited by another program (here a second store without the lock, as a sync tool would).
    other = AnnotationStore(running.library, author=running.store.author, lock=False)
    EditNote(other.open_document(doc_id), note_id, "在别处改写的批注").do()
    timer.timeout.emit()
    qtbot.waitUntil(lambda: "在别处改写的批注" in str(model.data(model.index(0))), timeout=5000)
    assert "outside this window" in running.window.status_label.text()

    # A colleague's file appears in the folder (a shared folder synced); coming back to the window loads it.
    colleague = AnnotationStore(running.library, author="Li Na", lock=False)
    theirs = colleague.open_document(doc_id)
    extra = theirs.make_note("p63", 0, 8, colour="green")
    AddNote(theirs, extra).do()
    running.window.activated.emit()
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert extra.anchor.quote in highlighted(running)
    # Nothing changed since: polling again reports nothing and keeps the pane as it is.
    running.window.show_message("")
    timer.timeout.emit()
    running.runner.wait()
    qtbot.wait(20)
    assert running.window.status_label.text() == ""
    assert model.rowCount() == 2


def test_edits_wait_while_a_job_holds_the_notes(qtbot: QtBot, running: App) -> None:
    guard, panel = running.guard, running.window.notes
    running.window.view.select_range("p57", 0, 6)
    with guard.lock:  # as a merge or reload in a worker would
        running.window.action("add_note").trigger()
        assert panel.model.rowCount() == 0
        assert guard.pending == 1
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=2000)
    assert guard.pending == 0
    assert panel.current_note() == panel.model.note_id(0)  # selected once it was added
    with guard.lock:
        running.window.action("undo").trigger()
        assert panel.model.rowCount() == 1
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=2000)


def test_library_note_counts_come_from_the_files(qtbot: QtBot, running: App, tmp_path: Path) -> None:
    sample = running.session.doc_id
    short = tmp_path / "short.txt"
    short.write_text("测试文件\n\n一. 总则\n\n1. 第一段内容。\n\n2. 第二段内容。\n", encoding="utf-8")
    running.window.library.import_requested.emit([str(short)])
    qtbot.waitUntil(lambda: running.session.doc_id not in ("", sample), timeout=20_000)
    # Notes on the sample (not open now), written elsewhere: two added, one deleted, one unreadable file.
    colleague = AnnotationStore(running.library, author="Li Na", lock=False)
    theirs = colleague.open_document(sample)
    kept, gone = theirs.make_note("p10", 0, 4), theirs.make_note("p11", 0, 4)
    AddNote(theirs, kept).do()
    AddNote(theirs, gone).do()
    DeleteNote(theirs, gone.id).do()
    broken = running.store.notes_dir(sample) / "broken.yaml"
    broken.write_text("schema_version: [\n", encoding="utf-8")
    add_note(running, "p1", "第一段")

    refresh_library(running)
    model = running.window.library.model

    def count(doc_id: str) -> str:
        return str(model.data(model.index(model.row_of(doc_id), 3)))

    qtbot.waitUntil(lambda: count(sample) == "1", timeout=5000)
    assert count(running.session.doc_id) == "1"  # the open document's unsaved note counts too
    assert broken.is_file()  # counting never moves a file aside


def test_count_notes_applies_deletions_like_a_merge(tmp_path: Path) -> None:
    library = Library.open(tmp_path / "lib")
    record = library.ensure_sample()
    assert record is not None
    store = AnnotationStore(library, author="A")
    notes = store.open_document(record.id)
    first, second = notes.make_note("p1", 0, 4), notes.make_note("p2", 0, 4)
    AddNote(notes, first).do()
    AddNote(notes, second).do()
    DeleteNote(notes, second.id).do()
    assert count_notes(store.notes_dir(record.id)) == 1
    assert count_notes(tmp_path / "missing") == 0
    store.close()


def test_a_newer_notes_file_is_shown_read_only_in_the_window(qtbot: QtBot, library: Library) -> None:
    record = library.ensure_sample()
    assert record is not None
    with AnnotationStore(library) as store:  # the window's own author
        notes = store.open_document(record.id)
        for block in ("p3", "p5"):
            notes.add_note(notes.make_note(block, text=f"on {block}"))
        path = store.path_for(record.id)
    newer = path.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 5", 1)
    path.write_text(newer, encoding="utf-8")
    app = build(library)
    qtbot.addWidget(app.window)
    start(app)
    wait_for_document(qtbot, app)
    try:
        window = app.window
        qtbot.waitUntil(lambda: window.notes.model.rowCount() == 2, timeout=10_000)
        assert "newer version" in window.read_only_label.text()
        assert not window.action("add_note").isEnabled()
        assert path.read_text(encoding="utf-8") == newer
    finally:
        app.window.close()
        shutdown(app)
    assert path.read_text(encoding="utf-8") == newer  # nothing written at close either
