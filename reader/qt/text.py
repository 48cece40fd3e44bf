"""Text shown by Qt exactly as written: labels and tooltips never interpreted as rich text.

Qt guesses: a label or tooltip whose text *looks* like HTML (a file name
``<b>report</b>.docx``, a heading with ``<img src=...>``) is rendered as HTML.
File names, headings, notes and messages come from strangers' files, so every
label we fill is plain text and every tooltip is escaped HTML.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_label(label: QLabel) -> QLabel:
    """Make ``label`` show its text literally (never rich text, never a link); returns it."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setOpenExternalLinks(False)
    return label


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` exactly: escaped inside explicit rich text, line breaks kept.

    Escaping alone is not enough: ``&lt;b&gt;`` does not look like HTML to Qt, which
    would then show the entities themselves.
    """
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"
