"""The same limits in the window: imports refused in a worker with the error shown, records repaired.

The window runs in a child process (``window_run``) so its own peak memory
can be measured; the plain-text checks run in this process on real widgets.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from pytestqt.qtbot import QtBot

from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel

from reader.core import paths
from reader.core.library import Library
from tests.reliability import hostile

WINDOW_PEAK_MB = 600
"""Peak memory of the whole window (Qt, fonts, the sample open, jieba warming up) with a bomb refused."""


def _shown_messages(seen: dict[str, object]) -> list[str]:
    shown = seen["shown"]
    assert isinstance(shown, list)
    return [str(s) for s in shown]


def _window(library: Path, *files: Path) -> tuple[hostile.Run, dict[str, object]]:
    run = hostile.run_measured(
        ["-m", "tests.reliability.window_run", str(library), *map(str, files)],
        env={"QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )
    assert run.status == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    return run, json.loads(run.stdout.strip().splitlines()[-1])


@pytest.fixture
def sample_library(tmp_path: Path, sample_path: Path) -> Library:
    """A library with the bundled sample, imported as the window does at first start."""
    library = Library.open(tmp_path / "lib")
    library.import_file(paths.sample_path())
    return library


def test_bombs_imported_in_the_window_are_refused_with_the_error_shown(
    sample_library: Library, tmp_path: Path
) -> None:
    bomb = hostile.docx_paragraph_bomb(tmp_path / "bomb.docx")
    pdf = hostile.pdf_flate_bomb(tmp_path / "bomb.pdf")
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    before = hostile.tree_bytes(sample_library.documents_dir)
    run, seen = _window(sample_library.root, bomb, pdf, zero, fifo)
    assert seen["started"]
    assert seen["ended"], "the import job never finished"
    shown = _shown_messages(seen)
    errors = [s for s in shown if s.startswith("⚠")]
    assert len(errors) == 1
    assert shown[-1] == errors[0]  # still on screen: nothing replaced it
    assert "bomb.docx" in errors[0]
    assert "64 MB" in errors[0]
    assert "3 more in Messages" in errors[0]
    assert run.peak_mb < WINDOW_PEAK_MB
    assert hostile.tree_bytes(sample_library.documents_dir) == before


@pytest.mark.slow
@pytest.mark.parametrize("case", ["pdf", "zero", "fifo"])
def test_each_bomb_is_named_in_the_window(sample_library: Library, tmp_path: Path, case: str) -> None:
    if case == "pdf":
        target, word = hostile.pdf_flate_bomb(tmp_path / "bomb.pdf"), "100 times"
    elif case == "zero":
        target, word = tmp_path / "zero.txt", "/dev/zero"
        target.symlink_to("/dev/zero")
    else:
        target, word = tmp_path / "pipe.txt", "named pipe"
        os.mkfifo(target)
    run, seen = _window(sample_library.root, target)
    errors = [s for s in _shown_messages(seen) if s.startswith("⚠")]
    assert len(errors) == 1
    assert target.name in errors[0]
    assert word in errors[0]
    assert run.peak_mb < WINDOW_PEAK_MB


def test_window_start_repairs_a_damaged_sample_record_and_says_so_once(sample_library: Library) -> None:
    rec = sample_library.documents()[0]
    sample_library.rename(rec.id, title="我的样本")
    meta = rec.folder / "document.yaml"
    cut = meta.read_bytes()[:120]
    meta.write_bytes(cut)
    _, seen = _window(sample_library.root)
    shown = _shown_messages(seen)
    repaired = [s for s in shown if "kept it as document.yaml.corrupt-" in s]
    assert len(repaired) == 1, shown
    kept = list(rec.folder.glob("document.yaml.corrupt-*"))
    assert [k.read_bytes() for k in kept] == [cut]
    raw = yaml.safe_load(meta.read_text(encoding="utf-8"))
    assert raw["title"] == "我的样本"
    assert [r["sha256"] for r in raw["revisions"]] == [rec.current]
    _, again = _window(sample_library.root)  # reported once: a second start says nothing about it
    assert not [s for s in _shown_messages(again) if "corrupt" in s]


def test_window_start_with_a_yaml_bomb_in_the_sample_record(sample_library: Library) -> None:
    meta = sample_library.documents()[0].folder / "document.yaml"
    good = meta.read_text(encoding="utf-8")
    meta.write_text(
        hostile.yaml_alias_bomb() + good.replace("title:", "title: *l8\nold_title:", 1), encoding="utf-8"
    )
    run, seen = _window(sample_library.root)
    assert seen["started"]
    assert any("2,000,000" in s for s in _shown_messages(seen))
    assert run.peak_mb < WINDOW_PEAK_MB
    assert list(meta.parent.glob("document.yaml.corrupt-*"))


HOSTILE_TEXT = '<b>粗体</b> <img src="x.png"> <a href="file:///etc/passwd">link</a> &amp;'


def test_labels_show_plain_text(qtbot: QtBot, sample_library: Library) -> None:
    from reader.app import build
    from reader.features.lifecycle import shutdown

    app = build(sample_library)
    qtbot.addWidget(app.window)
    try:
        app.window.show_error(HOSTILE_TEXT)
        app.window.set_read_only(HOSTILE_TEXT, detail=HOSTILE_TEXT)
        labels = [w for w in app.window.findChildren(QLabel) if w.text()]
        assert app.window.status_label in labels
        for label in app.window.findChildren(QLabel):
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName() or label.text()
        assert _shown(app.window.read_only_label.toolTip()) == HOSTILE_TEXT
    finally:
        app.window.close()
        shutdown(app)


def _shown(tooltip: str) -> str:
    """What Qt displays for a tooltip (rich text rendered, plain text as is)."""
    if not QtGui.Qt.mightBeRichText(tooltip):
        return tooltip
    doc = QTextDocument()
    doc.setHtml(tooltip)
    return doc.toPlainText()


def test_tooltips_from_documents_are_escaped(qtbot: QtBot, sample_library: Library) -> None:
    from reader.models.library import LibraryModel

    rec = sample_library.rename(sample_library.documents()[0].id, title=HOSTILE_TEXT)
    model = LibraryModel()
    model.set_records([rec])
    tip = str(model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole))
    # The title line as written; the lines after it name the symbol and languages.
    assert _shown(tip).splitlines()[0] == HOSTILE_TEXT


def test_a_refusal_among_good_files_stays_on_screen(
    sample_library: Library, tmp_path: Path, sample_text: str
) -> None:
    good = tmp_path / "good.txt"
    good.write_text(sample_text.replace("维持和平", "维和", 1), encoding="utf-8")
    bomb = hostile.docx_paragraph_bomb(tmp_path / "bomb.docx")
    _, seen = _window(sample_library.root, good, bomb)
    shown = _shown_messages(seen)
    assert shown[-1].startswith("⚠ Imported 1 of 2 files.")  # not replaced by "Search is ready."
    assert "bomb.docx" in shown[-1]
    assert len(sample_library.documents()) == 2
