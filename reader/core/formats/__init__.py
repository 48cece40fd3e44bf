"""Readers for structured formats (.docx, .pdf) that feed the text parser.

Each reader turns a file into :class:`Extracted`: plain text shaped like the
UN plain-text export (one paragraph a line, a blank line between paragraphs,
numbers written out as ``37. ``), plus per-line :class:`LineHint` s carrying
what the format knows for sure (heading levels, list numbers, footnotes,
tables).  The text parser then recognises the structure exactly as it does
for a ``.txt`` file, trusting the hints over its own guesses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.model import LineHint

__all__ = ["Extracted", "TextBuilder", "find_symbol", "superscript"]

_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

# A UN document symbol: an organ prefix, then slash-separated parts, at least
# one of them with a digit (A/75/563, S/2020/1234, E/CN.6/2021/3, A/RES/74/277).
_SYMBOL_RE = re.compile(r"(?<![\w/])[A-Z]{1,8}/(?:[A-Z0-9][A-Za-z0-9.\-]*/)*[A-Z0-9][A-Za-z0-9.\-]*(?![\w/])")


@dataclass(slots=True)
class Extracted:
    """What a format reader hands to the text parser.

    Attributes:
        text: Synthesised plain text, one paragraph a line, blank lines between.
        hints: Format knowledge keyed by line index in the text's lines.
        title: The title from the document properties, if any.
        symbol: The UN document symbol (``A/75/563``) if the format shows one.
        warnings: Things the reader skipped or guessed, one line each.
    """

    text: str
    hints: dict[int, LineHint] = field(default_factory=dict)
    title: str | None = None
    symbol: str | None = None
    warnings: list[str] = field(default_factory=list)


class TextBuilder:
    """Accumulates paragraphs into text with a blank line between them."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._hints: dict[int, LineHint] = {}

    def add(self, text: str, hint: LineHint | None = None) -> None:
        """Append one paragraph; line breaks inside it become spaces."""
        line = " ".join(part.strip() for part in text.splitlines() if part.strip())
        if not line:
            return
        if self._lines:
            self._lines.append("")
        if hint is not None and hint != LineHint():
            self._hints[len(self._lines)] = hint
        self._lines.append(line)

    @property
    def empty(self) -> bool:
        """Whether no paragraph has been added."""
        return not self._lines

    def build(self, *, title: str | None = None, symbol: str | None = None) -> Extracted:
        """The accumulated text and hints as an :class:`Extracted`."""
        text = "\n".join(self._lines)
        if text:
            text += "\n"
        return Extracted(text=text, hints=dict(self._hints), title=title, symbol=symbol)


def superscript(marker: str) -> str:
    """Write a footnote marker the way the UN text export does (``1`` → ``¹``)."""
    return marker.translate(_SUPERSCRIPT) if marker.isdigit() else marker


def find_symbol(texts: list[str]) -> str | None:
    """The most frequent UN document symbol in these texts (headers, properties)."""
    counts: dict[str, int] = {}
    for text in texts:
        for match in _SYMBOL_RE.finditer(text):
            sym = match.group(0).rstrip(".-")
            if any(ch.isdigit() for ch in sym):
                counts[sym] = counts.get(sym, 0) + 1
    if not counts:
        return None
    # Ties go to the symbol seen first: dicts keep insertion order and max() keeps the first.
    return max(counts, key=counts.__getitem__)
