"""Notes files from the window: export, a colleague's notes merged in, read-only, external changes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QFileDialog

from reader.app import App


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
    add_note(running, "p57", "维和情报")
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    stub_save_dialog(monkeypatch, blocker / "sub" / "out.md", "Markdown (*.md)")
    running.window.action("export_notes").trigger()
    status = running.window.status_label
    qtbot.waitUntil(lambda: "could not be exported" in status.text(), timeout=10_000)
    assert "\n" not in status.text()
    assert "Traceback" not in status.text()
