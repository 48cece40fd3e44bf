"""Numerals as documents write them: Chinese, Arabic (ASCII and full width), Roman."""

from __future__ import annotations

import unicodedata

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_CN_NUM = "零〇一二三四五六七八九十百千两兩"
CYRILLIC_LETTERS = "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЭЮЯ"
"""The letters Russian documents label sections with, in order (Ё Й Ъ Ы Ь are skipped)."""


def letter_value(c: str) -> int | None:
    """The place of a section letter: ``A``/``a`` → 1 (Latin), ``Б``/``б`` → 2 (Cyrillic), else ``None``."""
    up = c.upper()
    if len(up) == 1 and "A" <= up <= "Z":
        return ord(up) - ord("A") + 1
    at = CYRILLIC_LETTERS.find(up) if len(up) == 1 else -1
    return at + 1 if at >= 0 else None


def cn_to_int(s: str) -> int | None:
    """Value of a Chinese numeral (``十二`` → 12, ``一百零五`` → 105) or Arabic digits."""
    s = unicodedata.normalize("NFKC", s).strip()
    if s.isdigit():
        return int(s)
    return chinese_number(s)


def chinese_number(text: str) -> int | None:
    """Value of a Chinese numeral (``一百二十三``, ``十五``, ``一百零五``, ``二〇``), or ``None``.

    Digits in a row read positionally (``二〇`` is 20, as years and some
    article numbers are written); a unit multiplies the digits before it.
    """
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    total, digit = 0, None
    for c in text:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c] if digit is None else digit * 10 + _CN_DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[c]
            digit = None
    return total + (digit or 0)


def roman_to_int(s: str) -> int | None:
    """Value of an upper-case Roman numeral, or ``None``."""
    s = unicodedata.normalize("NFKC", s)  # Ⅻ (U+216B) → XII
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if 0 < total < 60 else None
