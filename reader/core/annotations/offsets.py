"""Convert offsets between Python code points and Qt's UTF-16 code units.

Anchors store code points.  ``QTextCursor`` positions count UTF-16 units, so a
character outside the Basic Multilingual Plane (``𠀀``, U+20000) counts 1 here
and 2 in Qt.  Convert at the UI boundary with these helpers, never by hand.
"""

from __future__ import annotations


def utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def to_utf16(text: str, offset: int) -> int:
    """UTF-16 offset of code-point ``offset`` in ``text`` (clamped to ``[0, len(text)]``)."""
    offset = max(0, min(offset, len(text)))
    return utf16_length(text[:offset])


def from_utf16(text: str, offset: int) -> int:
    """Code-point offset of UTF-16 ``offset`` in ``text``.

    An offset that falls between the two halves of a surrogate pair is rounded
    down to the start of that character, so a selection never splits one.
    Offsets are clamped to the text.
    """
    if offset <= 0:
        return 0
    units = 0
    for index, ch in enumerate(text):
        width = 2 if ord(ch) > 0xFFFF else 1
        if units + width > offset:
            return index
        units += width
    return len(text)


def span_to_utf16(text: str, start: int, end: int) -> tuple[int, int]:
    """A code-point span ``[start, end)`` of ``text`` as UTF-16 offsets."""
    return to_utf16(text, start), to_utf16(text, end)


def span_from_utf16(text: str, start: int, end: int) -> tuple[int, int]:
    """A UTF-16 span of ``text`` as code-point offsets (the end rounded up past a split pair)."""
    cp_start = from_utf16(text, start)
    cp_end = from_utf16(text, end)
    if to_utf16(text, cp_end) < end and cp_end < len(text):
        cp_end += 1
    return cp_start, max(cp_start, cp_end)
