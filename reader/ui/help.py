"""Help ▸ Keyboard shortcuts (generated from the window's action table) and Help ▸ About."""

from __future__ import annotations

import html
import platform
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from reader import __version__
from reader.core import paths
from reader.qt.i18n import tr

APP_LICENCE = "GPL-3.0-or-later"
FONT_NAME = "WenQuanYi Micro Hei 文泉驿微米黑"
FONT_LICENCE = "Apache-2.0 (or GPL-3+ with the font embedding exception)"


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(what, keys) for every action that has a shortcut, menu mnemonics removed."""
    rows = []
    for action in actions:
        keys = "; ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts())
        if keys:
            rows.append((action.text().replace("&&", "\0").replace("&", "").replace("\0", "&"), keys))
    return rows


class ShortcutsDialog(QDialog):
    """Every keyboard shortcut, read from the actions themselves (so it cannot drift from them)."""

    def __init__(self, actions: list[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle(tr("Keyboard shortcuts"))
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setObjectName("shortcuts_table")
        self.table.setHorizontalHeaderLabels([tr("Action"), tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(460, 560)

    def rows(self) -> list[tuple[str, str]]:
        """The table's rows, for tests and for copying."""
        out = []
        for r in range(self.table.rowCount()):
            a, b = self.table.item(r, 0), self.table.item(r, 1)
            out.append((a.text() if a else "", b.text() if b else ""))
        return out


def about_text(library_root: Path) -> str:
    """The About box's text: version, licences (the bundled font's too), where the library lives."""
    fonts = paths.resources_dir() / "fonts"
    lines = [
        f"<h3>{tr('Briefing Reader')} {__version__}</h3>",
        "<p>" + tr("Read, search and annotate official documents offline.") + "</p>",
        "<p>" + tr("Licence: %1.").replace("%1", APP_LICENCE) + "</p>",
        "<p>"
        + tr("Bundled font: %1, licence %2 (%3).")
        .replace("%1", FONT_NAME)
        .replace("%2", FONT_LICENCE)
        .replace("%3", html.escape(str(fonts / "LICENSE-Apache-2.0.txt")))
        + "</p>",
        "<p>" + tr("Library folder: %1").replace("%1", html.escape(str(library_root))) + "</p>",
        "<p>"
        + tr("Built with Python %1, Qt %2, PySide6 %3 (LGPL-3.0), Whoosh, jieba, PyYAML, python-docx.")
        .replace("%1", platform.python_version())
        .replace("%2", qVersion())
        .replace("%3", PySide6.__version__)
        + "</p>",
    ]
    return "\n".join(lines)


class AboutDialog(QDialog):
    """Help ▸ About: version, licences, the library folder."""

    def __init__(self, library_root: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(tr("About Briefing Reader"))
        self.label = QLabel(about_text(library_root), self)
        self.label.setObjectName("about_text")
        self.label.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.resize(520, 300)
