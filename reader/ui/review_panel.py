"""The notes review dock: what happened to each note when a new revision was opened."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.qt.theme import LIGHT, Theme
from reader.ui.compare_render import ops_html, status_name

if TYPE_CHECKING:
    # The compare core loads with the first review, not with the window (start-up time); every
    # method that compares outcomes runs only once there are items, so after that load.
    from reader.core.compare import Outcome, ReviewItem

NOTE_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def outcome_name(outcome: Outcome) -> str:
    """The outcome in words, with a sign that needs no colour (✓ stayed, Δ changed, ✗ orphaned)."""
    from reader.core.compare import Outcome

    return {
        Outcome.STAYED: tr("✓ stayed"),
        Outcome.TEXT_CHANGED: tr("Δ text changed"),
        Outcome.ORPHANED: tr("✗ orphaned"),
    }[outcome]


class NotesReviewPanel(QWidget):
    """One row per note that came from the old revision; the unit's diff of the selected note below.

    Signals:
        note_requested(str): show this note in the reading view.
        accept_requested(str): the user accepts where the note landed.
        reattach_requested(str): put the note on the current selection instead.
        delete_requested(str): delete the note.
    """

    note_requested = Signal(str)
    accept_requested = Signal(str)
    reattach_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_panel")
        self.theme: Theme = LIGHT
        self.items: list[ReviewItem] = []
        self.summary = plain_label(QLabel(self))
        self.summary.setObjectName("review_summary")
        self.summary.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setObjectName("review_list")
        self.list.setColumnCount(4)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setUniformRowHeights(True)
        self.list.currentItemChanged.connect(lambda _now, _before: self._show_detail())
        self.list.itemActivated.connect(lambda item, _col: self._request(self.note_requested, item))
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("review_detail")
        self.accept_button = QPushButton(self)
        self.accept_button.setObjectName("review_accept")
        self.reattach_button = QPushButton(self)
        self.reattach_button.setObjectName("review_reattach")
        self.delete_button = QPushButton(self)
        self.delete_button.setObjectName("review_delete")
        self.accept_button.clicked.connect(lambda: self._request(self.accept_requested))
        self.reattach_button.clicked.connect(lambda: self._request(self.reattach_requested))
        self.delete_button.clicked.connect(lambda: self._request(self.delete_requested))
        buttons = QHBoxLayout()
        for button in (self.accept_button, self.reattach_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setSizes([240, 160])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self._enable()

    def retranslate(self) -> None:
        """Re-read every string."""
        self.list.setHeaderLabels([tr("What happened"), tr("Where"), tr("Quote"), tr("Note")])
        self.accept_button.setText(tr("Accept"))
        self.accept_button.setToolTip(tr("The note is where it belongs: stop asking about it"))
        self.reattach_button.setText(tr("Re-attach to selection"))
        self.reattach_button.setToolTip(tr("Select the right text in the reading view first"))
        self.delete_button.setText(tr("Delete note"))
        self._show_summary()

    def set_theme(self, theme: Theme) -> None:
        """Repaint the diff in ``theme``."""
        self.theme = theme
        self._show_detail()

    def set_items(self, items: list[ReviewItem]) -> None:
        """Show the review of these notes (keeps the selected note selected when it is still listed)."""
        keep = self.current_note()
        self.items = list(items)
        self.list.clear()
        if self.items:
            from reader.core.compare import Outcome  # every document opened clears the list: no load then
        for item in self.items:
            where = (
                item.old_place
                if item.new_place is None
                else (f"{item.old_place} → {item.new_place}" if item.moved else item.new_place)
            )
            if item.outcome is Outcome.ORPHANED:
                where = tr("was %1").replace("%1", item.old_place)
            row = QTreeWidgetItem(
                [outcome_name(item.outcome), where, _short(item.quote), _short(item.note.text)]
            )
            row.setData(0, NOTE_ID_ROLE, item.note.id)
            row.setToolTip(2, item.quote)
            row.setToolTip(3, item.note.text)
            self.list.addTopLevelItem(row)
            if item.note.id == keep:
                self.list.setCurrentItem(row)
        for column in range(2):
            self.list.resizeColumnToContents(column)
        first = self.list.topLevelItem(0)
        if self.list.currentItem() is None and first is not None:
            self.list.setCurrentItem(first)
        self._show_summary()
        self._show_detail()

    def current_note(self) -> str:
        """Id of the selected note, or ``""``."""
        row = self.list.currentItem()
        value = row.data(0, NOTE_ID_ROLE) if row is not None else None
        return value if isinstance(value, str) else ""

    def select_note(self, note_id: str) -> None:
        """Select a note's row."""
        for k in range(self.list.topLevelItemCount()):
            row = self.list.topLevelItem(k)
            if row is not None and row.data(0, NOTE_ID_ROLE) == note_id:
                self.list.setCurrentItem(row)
                return

    def _request(self, signal: SignalInstance, row: QTreeWidgetItem | None = None) -> None:
        row = row or self.list.currentItem()
        value = row.data(0, NOTE_ID_ROLE) if row is not None else None
        if isinstance(value, str):
            signal.emit(value)

    def _show_summary(self) -> None:
        if not self.items:
            self.summary.setText(tr("No notes to review."))
            return
        from reader.core.compare import Outcome

        counts = {o: sum(1 for i in self.items if i.outcome is o) for o in Outcome}
        self.summary.setText(
            tr("%1 notes came from the previous revision: %2 stayed, %3 on changed text, %4 orphaned.")
            .replace("%1", str(len(self.items)))
            .replace("%2", str(counts[Outcome.STAYED]))
            .replace("%3", str(counts[Outcome.TEXT_CHANGED]))
            .replace("%4", str(counts[Outcome.ORPHANED]))
        )

    def _selected(self) -> ReviewItem | None:
        note_id = self.current_note()
        return next((i for i in self.items if i.note.id == note_id), None)

    def _enable(self) -> None:
        item = self._selected()
        for button in (self.accept_button, self.reattach_button, self.delete_button):
            button.setEnabled(item is not None)
        if item is not None:
            from reader.core.compare import Outcome

            self.accept_button.setEnabled(item.outcome is not Outcome.ORPHANED)

    def _show_detail(self) -> None:
        self._enable()
        item = self._selected()
        if item is None:
            self.detail.setHtml("")
            return
        from reader.core.compare import Outcome

        theme = self.theme
        lines = [
            f'<body style="color:{theme.text};">',
            f"<p><b>{html.escape(outcome_name(item.outcome))}</b>",
        ]
        if item.outcome is Outcome.ORPHANED:
            lines.append(
                " — "
                + html.escape(
                    tr("its text is no longer in the document; it was on %1").replace("%1", item.old_place)
                )
            )
        elif item.moved:
            lines.append(f" — {html.escape(item.old_place)} → {html.escape(item.new_place or '')}")
        else:
            lines.append(f" — {html.escape(item.old_place)}")
        lines.append("</p>")
        quote = f"«{html.escape(item.quote)}»"
        now = item.note.anchor.quote
        if item.outcome is Outcome.TEXT_CHANGED and now != item.quote:
            quote += " → " + f"«{html.escape(now)}»"
        lines.append(f"<p>{html.escape(tr('Quote'))}: {quote}</p>")
        change = item.change
        if change is not None and change.status.value not in ("unchanged", "renumbered"):
            caption = tr("The unit, %1:").replace("%1", status_name(change.status))
            lines.append(f'<p style="color:{theme.muted};">{html.escape(caption)}</p>')
            lines.append(f"<p>{ops_html(change.ops, theme)}</p>")
        if item.note.text:
            lines.append(f"<p>{html.escape(tr('Note'))}: {html.escape(item.note.text)}</p>")
        lines.append("</body>")
        self.detail.setHtml("".join(lines))


def _short(text: str, limit: int = 50) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
