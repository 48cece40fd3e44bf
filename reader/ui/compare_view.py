"""The compare dock: what changed between two versions, as track changes or in two columns."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.qt.theme import LIGHT, Theme
from reader.ui.compare_render import columns_html, inline_html, summary_text

if TYPE_CHECKING:
    # The compare core loads with the first comparison, not with the window (start-up time).
    from reader.core.compare import Comparison, UnitChange

INLINE, COLUMNS = "inline", "columns"


class CompareView(QWidget):
    """Summary line, mode, filter, next/previous change, export; the marked-up text below.

    Signals:
        unit_requested(str): the user clicked a unit's citation; the new document's block id.
        export_requested(str): export the comparison (``docx`` or ``md``).
    """

    unit_requested = Signal(str)
    export_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare_view")
        self.comparison: Comparison | None = None
        self.names: tuple[str, str] | None = None
        self.theme: Theme = LIGHT
        self.annotated: set[str] = set()
        self.current = -1
        self._shown: list[tuple[int, UnitChange]] = []
        self.summary = plain_label(QLabel(self))
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)
        self.title = plain_label(QLabel(self))
        self.title.setObjectName("compare_title")
        self.mode = QComboBox(self)
        self.mode.setObjectName("compare_mode")
        self.mode.addItem("", INLINE)
        self.mode.addItem("", COLUMNS)
        self.annotated_only = QCheckBox(self)
        self.annotated_only.setObjectName("compare_annotated_only")
        self.unchanged_text = QCheckBox(self)
        self.unchanged_text.setObjectName("compare_unchanged_text")
        self.position = plain_label(QLabel(self))
        self.position.setObjectName("compare_position")
        self.position.setMinimumWidth(self.position.fontMetrics().horizontalAdvance("change 888 of 888") + 8)
        self.previous_action = QAction(self)
        self.previous_action.setShortcuts(QKeySequence.listFromString("Shift+F8; Alt+Up"))
        self.next_action = QAction(self)
        self.next_action.setShortcuts(QKeySequence.listFromString("F8; Alt+Down"))
        for action in (self.previous_action, self.next_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.previous_action.triggered.connect(self.previous_change)
        self.next_action.triggered.connect(self.next_change)
        self.previous_button = QToolButton(self)
        self.previous_button.setDefaultAction(self.previous_action)
        self.next_button = QToolButton(self)
        self.next_button.setDefaultAction(self.next_action)
        self.word_button = QPushButton(self)
        self.word_button.setObjectName("compare_export_docx")
        self.markdown_button = QPushButton(self)
        self.markdown_button.setObjectName("compare_export_md")
        self.word_button.clicked.connect(lambda: self.export_requested.emit("docx"))
        self.markdown_button.clicked.connect(lambda: self.export_requested.emit("md"))
        self.text = QTextBrowser(self)
        self.text.setObjectName("compare_text")
        self.text.setOpenLinks(False)
        self.text.anchorClicked.connect(self._clicked)
        self._layout()
        self.mode.currentIndexChanged.connect(lambda _i: self.refresh())
        self.annotated_only.toggled.connect(lambda _on: self.refresh())
        self.unchanged_text.toggled.connect(lambda _on: self.refresh())
        self.retranslate()
        self.refresh()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        for widget in (
            self.mode,
            self.annotated_only,
            self.unchanged_text,
            self.previous_button,
            self.next_button,
            self.position,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.word_button)
        bar.addWidget(self.markdown_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(self.text, 1)

    def retranslate(self) -> None:
        """Re-read every string."""
        self.mode.setItemText(0, tr("Track changes"))
        self.mode.setItemText(1, tr("Side by side"))
        self.annotated_only.setText(tr("Only what I annotated"))
        self.unchanged_text.setText(tr("Show unchanged text"))
        self.previous_action.setText(tr("◀ Previous change"))
        self.previous_action.setToolTip(tr("Previous change (Shift+F8)"))
        self.next_action.setText(tr("Next change ▶"))
        self.next_action.setToolTip(tr("Next change (F8)"))
        self.word_button.setText(tr("Export to Word…"))
        self.markdown_button.setText(tr("Export to Markdown…"))
        self._show_summary()

    # ------------------------------------------------------------ content
    def set_comparison(
        self,
        comparison: Comparison | None,
        annotated: set[str] | None = None,
        names: tuple[str, str] | None = None,
    ) -> None:
        """Show a comparison.

        Args:
            comparison: What to show (``None`` clears the view).
            annotated: Old and new block ids that carry notes (for the filter).
            names: How to call the two versions (``"rev. 2024-01-05"``); default their titles.
        """
        self.comparison = comparison
        self.annotated = set(annotated or ())
        self.names = names
        self.current = -1
        self._show_summary()
        self.refresh()

    def set_annotated(self, annotated: set[str]) -> None:
        """Update which blocks carry notes (after notes changed)."""
        self.annotated = set(annotated)
        if self.annotated_only.isChecked():
            self.refresh()

    def set_theme(self, theme: Theme) -> None:
        """Repaint in ``theme``."""
        self.theme = theme
        self.refresh()

    def set_mode(self, mode: str) -> None:
        """``inline`` (track changes) or ``columns`` (side by side)."""
        self.mode.setCurrentIndex(max(0, self.mode.findData(mode)))

    def _show_summary(self) -> None:
        comparison = self.comparison
        if comparison is None:
            self.title.setText("")
            self.summary.setText(
                tr("Nothing compared yet: open a document with two revisions, then Compare.")
            )
            return
        old, new = comparison.old, comparison.new
        left, right = self.names or (_name(old.title, old.symbol), _name(new.title, new.symbol))
        self.title.setText(f"<b>{html.escape(left)}</b> → <b>{html.escape(right)}</b>")
        self.summary.setText(summary_text(comparison))

    def _touches_notes(self, change: UnitChange) -> bool:
        for unit in (change.old, change.new):
            if unit is None:
                continue
            if unit.block in self.annotated or any(p.block in self.annotated for p in unit.parts):
                return True
        return False

    def shown_changes(self) -> list[tuple[int, UnitChange]]:
        """The units on screen, with their index in the comparison."""
        return list(self._shown)

    def refresh(self) -> None:
        """Redraw the text for the current mode and filters."""
        comparison = self.comparison
        if comparison is None:
            self._shown = []
            self.text.setHtml("")
            self._show_position()
            return
        from reader.core.compare import Status  # loaded by now: there is a comparison

        show_all = self.unchanged_text.isChecked()
        shown = [
            (i, c)
            for i, c in enumerate(comparison.changes)
            if (show_all or c.status is not Status.UNCHANGED)
            and (not self.annotated_only.isChecked() or self._touches_notes(c))
        ]
        self._shown = shown
        build = columns_html if self.mode.currentData() == COLUMNS else inline_html
        scroll = self.text.verticalScrollBar().value()
        self.text.setHtml(build(shown, self.theme, show_unchanged_text=show_all))
        self.text.verticalScrollBar().setValue(scroll)
        self._show_position()

    # ------------------------------------------------------------ navigation
    def _stops(self) -> list[int]:
        if not self._shown:
            return []  # nothing to step through; and the compare core may not be loaded yet
        from reader.core.compare import Status

        return [i for i, c in self._shown if c.is_change and c.status is not Status.RENUMBERED]

    def next_change(self) -> int:
        """Scroll to the next changed, inserted, deleted or moved unit; returns its index (-1: none)."""
        stops = self._stops()
        later = [i for i in stops if i > self.current]
        return self._go(later[0] if later else (stops[0] if stops else -1))

    def previous_change(self) -> int:
        """Scroll to the previous change; returns its index (-1: none)."""
        stops = self._stops()
        earlier = [i for i in stops if i < self.current]
        return self._go(earlier[-1] if earlier else (stops[-1] if stops else -1))

    def _go(self, index: int) -> int:
        self.current = index
        if index >= 0:
            self.text.scrollToAnchor(f"c{index}")
        self._show_position()
        return index

    def _show_position(self) -> None:
        stops = self._stops()
        if not stops:
            self.position.setText(tr("no changes") if self.comparison is not None else "")
        elif self.current in stops:
            self.position.setText(
                tr("change %1 of %2")
                .replace("%1", str(stops.index(self.current) + 1))
                .replace("%2", str(len(stops)))
            )
        else:
            self.position.setText(tr("%1 changes").replace("%1", str(len(stops))))

    def _clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("unit:"):
            self.unit_requested.emit(text[len("unit:") :])


def _name(title: str, symbol: str | None) -> str:
    short = title if len(title) <= 40 else title[:39] + "…"
    return f"{short} ({symbol})" if symbol else short
