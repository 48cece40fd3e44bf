"""How search results look: legible numbers on selected rows, full row heights, counts that agree."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem

from reader.app import App
from reader.models.contents import HITS_ROLE
from reader.models.search import HTML_ROLE, KIND_ROLE
from reader.ui.htmldelegate import TEXT_MARGIN, HtmlDelegate


def luminance(colour: QColor) -> float:
    """WCAG relative luminance."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio of two colours."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def searched(qtbot: QtBot, app: App, query: str) -> None:
    panel = app.window.search
    qtbot.waitUntil(lambda: panel.ready, timeout=30_000)
    panel.box.setText(query)
    panel.flush()
    qtbot.waitUntil(lambda: app.last_results is not None and app.last_results.total > 0, timeout=10_000)


def test_contents_counts_match_the_search_pane(qtbot: QtBot, running: App) -> None:
    searched(qtbot, running, "维和情报")
    results = running.window.search.model
    per_chapter = sorted(
        results.rowCount(results.index(c, 0, results.index(0, 0)))
        for c in range(results.rowCount(results.index(0, 0)))
    )
    contents = running.window.contents.model
    hits = (contents.data(contents.index(r, 0), HITS_ROLE) for r in range(contents.rowCount()))
    counted = sorted(n for n in hits if isinstance(n, int) and n)
    assert counted == per_chapter
    assert sum(counted) == results.hit_count()


def test_paragraph_number_stays_legible_on_a_selected_row(qtbot: QtBot, running: App) -> None:
    searched(qtbot, running, "维和情报")
    view = running.window.search.results
    delegate = view.itemDelegate()
    assert isinstance(delegate, HtmlDelegate)
    index = running.window.search.model.hit_index(1)
    assert "class='num'" in str(index.data(HTML_ROLE))
    option = QStyleOptionViewItem()
    option.initFrom(view)
    palette = option.palette
    for selected, background in ((True, QPalette.ColorRole.Highlight), (False, QPalette.ColorRole.Base)):
        doc = delegate._document(option, index, 300, selected)
        colour = QColor(doc.defaultStyleSheet().split("color:")[1].split(";")[0].strip())
        assert contrast(colour, palette.color(background)) >= 3.0, (selected, colour.name())


def test_rows_are_as_tall_as_their_wrapped_text(qtbot: QtBot, running: App) -> None:
    searched(qtbot, running, "维和情报")
    panel = running.window.search
    view, model = panel.results, panel.model
    delegate = view.itemDelegate()
    assert isinstance(delegate, HtmlDelegate)
    view.doItemsLayout()
    checked = 0
    for n in range(model.hit_count()):
        index = model.hit_index(n)
        rect = view.visualRect(index)
        if not rect.isValid() or index.data(KIND_ROLE) != "hit":
            continue
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.widget = view  # as the view's own options carry it
        option.rect = QRect()
        # What sizeHint measures with is what paint() will have.
        assert delegate._text_width(option, index) == rect.width() - 2 * TEXT_MARGIN
        option.rect = rect
        painted = delegate._document(option, index, rect.width() - 2 * TEXT_MARGIN)
        assert painted.size().height() <= rect.height()
        checked += 1
    assert checked >= 3


def test_window_index_is_the_one_the_command_line_expects(qtbot: QtBot, running: App) -> None:
    qtbot.waitUntil(lambda: running.window.search.ready, timeout=30_000)
    running.runner.wait()
    # Same conversion and revision keys as reader.core.searching: `briefing-reader search` need not re-index.
    assert running.search.index.wanted().keys() == {running.session.doc_id}
    assert not running.search.index.is_stale()
