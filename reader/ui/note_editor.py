"""The note editor: the quote it is attached to and its citation above, the note's text below."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from reader.qt.i18n import tr
from reader.qt.text import plain_label

QUOTE_LIMIT = 600
"""Characters of the quote shown (a whole-paragraph note can be long)."""


class NoteEditor(QDialog):
    """Edit one note's text while seeing what it is about.

    Signals:
        text_chosen(str, str): note id and its new text (Save).
        delete_requested(str): note id (Delete).
    """

    text_chosen = Signal(str, str)
    delete_requested = Signal(str)

    def __init__(
        self, note_id: str, quote: str, citation: str, text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("note_editor")
        self.note_id = note_id
        self.setWindowTitle(tr("Edit note"))
        shown = " ".join(quote.split())
        if len(shown) > QUOTE_LIMIT:
            shown = shown[: QUOTE_LIMIT - 1] + "…"
        self.quote = plain_label(QLabel(f"“{shown}”", self))
        self.quote.setObjectName("note_quote")
        self.quote.setWordWrap(True)
        self.quote.setTextFormat(Qt.TextFormat.PlainText)
        self.quote.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.quote.setStyleSheet(
            "QLabel#note_quote { border-left: 3px solid palette(mid); padding-left: 8px; }"
        )
        self.citation = plain_label(QLabel(f"— {citation}" if citation else "", self))
        self.citation.setObjectName("note_citation")
        self.citation.setStyleSheet("QLabel { color: palette(placeholder-text); font-style: italic; }")
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("note_text")
        self.editor.setPlainText(text)
        self.editor.setPlaceholderText(tr("Write the note…"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.delete_button = QPushButton(tr("Delete note"), self)
        self.delete_button.setObjectName("note_delete")
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self._delete)
        layout = QVBoxLayout(self)
        layout.addWidget(self.quote)
        layout.addWidget(self.citation)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(520, 360)
        self.editor.setFocus()

    def text(self) -> str:
        """The text as edited."""
        return self.editor.toPlainText()

    def _save(self) -> None:
        self.text_chosen.emit(self.note_id, self.text())
        self.accept()

    def _delete(self) -> None:
        self.delete_requested.emit(self.note_id)
        self.reject()
