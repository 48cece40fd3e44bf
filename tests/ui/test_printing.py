"""Print and PDF export: the document with its notes in the margin or as endnotes, CJK fonts embedded."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QFileDialog, QInputDialog

from reader.app import App, load_bundled_fonts
from reader.bundled_fonts import CJK_FAMILY
from reader.core.model import Document
from reader.ui.printout import NOTES_END, NOTES_MARGIN, PrintNote, build_printout


def _add_note(qtbot: QtBot, app: App, block: str, text: str) -> None:
    view = app.window.view
    view.scroll_to_block(block)
    view.select_range(block, 0, 12)
    app.window.action("add_note").trigger()
    notes = app.session.notes
    assert notes is not None
    qtbot.waitUntil(lambda: any(n.anchor.block == block for n in notes.notes()), timeout=3000)
    note = next(n for n in notes.notes() if n.anchor.block == block)
    app.window.notes.edit_requested.emit(note.id, text)
    qtbot.waitUntil(lambda: notes.note(note.id).text == text, timeout=3000)


@pytest.mark.parametrize(
    ("label", "mode"), [("Notes in the margin", "margin"), ("Notes as endnotes", "endnotes")]
)
def test_export_pdf_with_notes_embeds_the_chinese_font(
    qtbot: QtBot, running: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, label: str, mode: str
) -> None:
    load_bundled_fonts()
    _add_note(qtbot, running, "p37", "支持这一段")
    target = tmp_path / "out.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *_a, **_k: (label, True))
    running.window.action("export_pdf").trigger()
    # Written in a worker: the window stays responsive meanwhile.
    qtbot.waitUntil(lambda: "Exported" in running.window.status_label.text(), timeout=30_000)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages > 5  # the whole report, not one screen
    assert b"/FontFile2" in data  # TrueType glyphs embedded, not referenced
    assert CJK_FAMILY.replace(" ", "").encode() in data
    assert f"({pages} pages)" in running.window.status_label.text()
    assert mode in ("margin", "endnotes")


def test_printout_puts_notes_beside_or_after_the_text(sample_doc: Document) -> None:
    notes = [PrintNote("p37", sample_doc.block("p37").text[:10], "支持这一段", "alice")]
    margin = build_printout(sample_doc, notes, NOTES_MARGIN).toPlainText()
    assert "37. " + sample_doc.block("p37").text[:10] in margin
    assert "支持这一段 (alice)" in margin
    assert margin.index("支持这一段") < margin.index("38. ")  # beside p37, not at the end
    end = build_printout(sample_doc, notes, NOTES_END).toPlainText()
    assert "[1]" in end
    assert end.rindex("支持这一段") > end.index("38. ")  # after the text, cited
    assert "第37段" in end[end.rindex("[1]") :]
    plain = build_printout(sample_doc, notes, "none").toPlainText()
    assert "支持这一段" not in plain
