"""Word indexing in the real window: search is ready first, the words' progress shows in the status bar."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from reader.app import App, build, shutdown, start
from reader.core.library import Library
from tests.ui.conftest import started

LAWS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus" / "laws"


def _laws_library(library: Library) -> Library:
    for path in sorted(LAWS.glob("*.txt"))[:8]:
        library.import_file(path)
    return library


@pytest.fixture
def laws_app(qtbot: QtBot, library: Library) -> Iterator[App]:
    """The real window over a library of eight real laws (none word-indexed yet)."""
    yield from started(qtbot, _laws_library(library))


def test_words_are_indexed_after_search_is_ready_with_progress_in_documents(
    qtbot: QtBot, library: Library
) -> None:
    app = build(_laws_library(library))
    window = app.window
    qtbot.addWidget(window)
    seen: list[tuple[int, int, str, bool]] = []
    show = window.set_word_progress

    def recorded(done: int, total: int) -> None:
        # What the status bar shows at each report, and whether search was usable then.
        show(done, total)
        seen.append((done, total, window.words_label.text() if window.words_label.isVisible() else "",
                     app.session.search_ready))  # fmt: skip

    window.set_word_progress = recorded  # type: ignore[method-assign]
    try:
        start(app)
        qtbot.waitUntil(lambda: app.session.search_ready, timeout=60_000)
        # Exact search answers while the words are still being indexed.
        assert app.search.engine.search("国务院", words=False).exact_total > 0
        qtbot.waitUntil(lambda: bool(seen) and not app.jobs.get("index"), timeout=120_000)
        reports = [(d, t) for d, t, _x, _r in seen if t]
        assert reports[0] == (0, 8)
        assert reports[-1] == (8, 8)
        assert [d for d, _t in reports] == sorted(d for d, _t in reports)
        shown = [x for d, t, x, _r in seen if t and d < t]
        assert shown
        assert all(re.fullmatch(r"Indexing words: \d of 8 documents", x) for x in shown)
        assert all(r for *_x, r in seen)  # the words' progress shows only once search is ready
        assert not window.words_label.isVisible()
        assert not app.search.engine.words_pending()
    finally:
        window.close()
        shutdown(app)


def test_word_progress_label_wording_plural_and_chinese(qtbot: QtBot, laws_app: App, tmp_path: Path) -> None:
    window = laws_app.window
    jobs = laws_app.jobs
    qtbot.waitUntil(lambda: not jobs.get("index"), timeout=120_000)
    window.set_word_progress(37, 204)
    assert window.words_label.isVisible()
    assert window.words_label.text() == "Indexing words: 37 of 204 documents"
    assert window.index_progress.isVisible()
    assert (window.index_progress.value(), window.index_progress.maximum()) == (37, 204)
    window.set_word_progress(0, 1)
    assert window.words_label.text() == "Indexing words: 0 of 1 document"
    window.set_word_progress(37, 204)
    window.language_requested.emit("zh_CN")
    chinese = "正在索引词语：第 37 篇，共 204 篇文件"
    qtbot.waitUntil(lambda: window.words_label.text() == chinese, timeout=3000)
    assert window.grab().save(str(tmp_path / "words.png"))
    window.language_requested.emit("en")
    qtbot.waitUntil(lambda: window.words_label.text() == "Indexing words: 37 of 204 documents", timeout=3000)
    window.set_word_progress(204, 204)
    assert not window.words_label.isVisible()
    assert not window.index_progress.isVisible()


def test_a_document_imported_while_words_are_indexed_gets_its_words_too(
    qtbot: QtBot, library: Library
) -> None:
    from reader.features import search

    app = build(_laws_library(library))
    qtbot.addWidget(app.window)
    try:
        start(app)
        # Exact search is ready and the words are (or were just) under way: a new document arrives.
        qtbot.waitUntil(lambda: app.session.search_ready, timeout=60_000)
        later = sorted(LAWS.glob("*.txt"))[8]
        record = library.import_file(later).record
        search.start_indexing(app)
        qtbot.waitUntil(lambda: not app.jobs.get("index"), timeout=120_000)
        engine = app.search.engine
        assert record.id in engine.indexed()
        assert set(engine.indexed()) == {rec.id for rec in library.documents()}
        assert not engine.words_pending()
        assert not app.window.words_label.isVisible()
    finally:
        app.window.close()
        shutdown(app)
