"""The Messages dock: every error and warning of the session, kept until cleared."""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.qt.i18n import tr
from reader.qt.text import plain_label
from reader.ui.wording import plural

LIMIT = 500
"""Messages kept (the oldest go first); bounded so a flood cannot grow memory."""


@dataclass(frozen=True, slots=True)
class Notice:
    """One message: when, how serious (``error``/``warning``), the plain words and a detail."""

    at: float
    level: str
    text: str
    detail: str = ""


class NotificationsPanel(QWidget):
    """A list of messages that stays: failures are not overwritten by the next status line.

    Signals:
        count_changed(int): how many messages the list holds.
    """

    count_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.notices: list[Notice] = []
        self.list = QListWidget(self)
        self.list.setObjectName("notifications_list")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.empty = plain_label(QLabel(self))
        self.empty.setWordWrap(True)
        self.clear_button = QPushButton(self)
        self.clear_button.setObjectName("notifications_clear")
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout()
        row.addWidget(self.empty, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.retranslate()

    def add(self, text: str, level: str = "error", detail: str = "") -> None:
        """Keep a message (newest first)."""
        notice = Notice(time.time(), level, text, detail)
        self.notices.append(notice)
        mark = "⚠" if level == "error" else "ℹ"
        stamp = time.strftime("%H:%M:%S", time.localtime(notice.at))
        item = QListWidgetItem(f"{mark} {stamp}  {text}")
        item.setToolTip("\n".join(x for x in (text, detail) if x))
        self.list.insertItem(0, item)
        while len(self.notices) > LIMIT:
            self.notices.pop(0)
            self.list.takeItem(self.list.count() - 1)
        self._changed()

    def clear(self) -> None:
        """Forget every message."""
        self.notices.clear()
        self.list.clear()
        self._changed()

    def texts(self) -> list[str]:
        """The messages' texts, oldest first."""
        return [n.text for n in self.notices]

    def _changed(self) -> None:
        self.clear_button.setEnabled(bool(self.notices))
        self.retranslate()
        self.count_changed.emit(len(self.notices))

    def retranslate(self) -> None:
        """Re-read strings after a language switch."""
        self.clear_button.setText(tr("Clear"))
        n = len(self.notices)
        self.empty.setText(tr("No problems so far.") if n == 0 else plural(n, "%n message", "%n messages"))
