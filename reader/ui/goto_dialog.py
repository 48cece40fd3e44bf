"""Ctrl+G: type ``37``, ``¶37``, ``第十条``, ``Article 10`` or ``A.``; see where it leads; Enter goes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from reader.core.goto import Target
from reader.qt.i18n import tr
from reader.qt.text import plain_label


class GotoDialog(QDialog):
    """A reference box with a live answer below it.

    Signals:
        goto_requested(str): go to this block.
    """

    goto_requested = Signal(str)

    def __init__(self, resolve: Callable[[str], list[Target]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("goto_dialog")
        self.setWindowTitle(tr("Go to"))
        self._resolve = resolve
        self._targets: list[Target] = []
        self.box = QLineEdit(self)
        self.box.setObjectName("goto_box")
        self.box.setPlaceholderText(tr("37, ¶37, 第37段, 第十条, Article 10, 一., A."))
        self.answer = plain_label(QLabel(self))
        self.answer.setObjectName("goto_answer")
        self.answer.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._go)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(QLabel(tr("Paragraph, article or section:"), self)))
        layout.addWidget(self.box)
        layout.addWidget(self.answer)
        layout.addWidget(self.buttons)
        self.box.textChanged.connect(self._update)
        self._update("")
        self.resize(420, 150)

    def _update(self, text: str) -> None:
        self._targets = self._resolve(text) if text.strip() else []
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self._targets))
        if not text.strip():
            self.answer.setText(tr("Type a paragraph number, an article or a section label."))
        elif not self._targets:
            self.answer.setText(tr("Nothing in this document is called “%1”.").replace("%1", text.strip()))
        else:
            best = self._targets[0]
            where = " › ".join(best.path)
            self.answer.setText(tr("Go to %1").replace("%1", best.label) + (f"  — {where}" if where else ""))

    def _go(self) -> None:
        if self._targets:
            self.goto_requested.emit(self._targets[0].block)
            self.accept()
