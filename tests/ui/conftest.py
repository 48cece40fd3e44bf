"""Fixtures for UI tests: offscreen Qt, redirected library and settings, stubbed dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QFileDialog, QMessageBox

from reader.app import App, build, shutdown, start
from reader.core.library import Library
from reader.core.model import Block, BlockKind, Document, Heading


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep every UI test away from the user's folders, modal dialogs and stray threads."""
    monkeypatch.setenv("BRIEFING_READER_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setattr(QMessageBox, "exec", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "critical", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "warning", lambda *_a, **_k: QMessageBox.StandardButton.Ok)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([], ""))
    yield
    QThreadPool.globalInstance().waitForDone(10_000)


def handmade_document(extra: str = "") -> Document:
    """A small document built without the parser: two chapters, a footnote, a figure."""
    texts = [
        ("fm1", BlockKind.FRONT_MATTER, "第七十五届会议", None, None, None),
        ("h1", BlockKind.HEADING, "一. 战略背景", None, 1, None),
        ("h1.1", BlockKind.HEADING, "A. 维和前景", None, 2, "h1"),
        (
            "p1",
            BlockKind.PARAGRAPH,
            "自 1948 年以来，联合国维持和平行动已帮助数十个国家结束冲突。" + extra,
            "1",
            None,
            "h1.1",
        ),
        ("p2", BlockKind.PARAGRAPH, "维和情报 是一个重点领域。𠀀字在基本平面之外。", "2", None, "h1.1"),
        ("fig1", BlockKind.FIGURE, "图一 部署人数", "1", None, "h1.1"),
        ("h2", BlockKind.HEADING, "二. 抗击大流行", None, 1, None),
        ("p3", BlockKind.PARAGRAPH, "第三段讨论维和情报与态势感知。" * 20, "3", None, "h2"),
        (
            "p4",
            BlockKind.PARAGRAPH,
            "Text with <b>bold</b> and <script>alert(1)</script> markup.",
            "4",
            None,
            "h2",
        ),
        ("fn1", BlockKind.FOOTNOTE, "本报告在截止日期后提交。", "1", None, "h2"),
    ]
    blocks = [
        Block(
            id=i,
            kind=k,
            text=t,
            number=n,
            level=lv,
            parent=par,
            label=t.split(". ")[0] if k is BlockKind.HEADING else None,
            title=t.split(". ")[-1] if k is BlockKind.HEADING else None,
        )
        for i, k, t, n, lv, par in texts
    ]
    blocks[4].footnotes.append("fn1")
    blocks[-1].referenced_by.append("p2")
    h1 = Heading("h1", "一", "战略背景", 1)
    h11 = Heading("h1.1", "A", "维和前景", 2, parent=h1)
    h1.children.append(h11)
    h2 = Heading("h2", "二", "抗击大流行", 1)
    return Document(id="doc1", title="测试文件", source="", blocks=blocks, tree=[h1, h2], symbol="A/75/TEST")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Any Qt warning fails a UI test, except the offscreen plugin's own chatter."""
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints", "This plugin does not support"))


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty library in a temp folder."""
    return Library.open(tmp_path / "library")


def wait_for_document(qtbot: QtBot, app: App) -> None:
    """Block until the app shows a document."""
    qtbot.waitUntil(lambda: app.session.document is not None, timeout=10_000)


def started(qtbot: QtBot, library: Library) -> Iterator[App]:
    """The real window on ``library``, started and showing its document; closed and shut down after."""
    app = build(library)
    qtbot.addWidget(app.window)
    start(app)
    wait_for_document(qtbot, app)
    yield app
    app.window.close()
    shutdown(app)


@pytest.fixture
def running(qtbot: QtBot, library: Library) -> Iterator[App]:
    """The real window on a temp library, started (sample imported and shown)."""
    yield from started(qtbot, library)
