"""What a heading or paragraph is, independent of its language: ``第一条`` = ``Article 1`` = ``المادة 1``.

A structural *key* names a unit so that the same unit in two language
versions gets the same key: ``("article", "1")``, ``("chapter", "2")``,
``("preamble", "")``, ``("para", "37")``, ``("h2", "1")`` (a heading of level 2
numbered 1 in whatever style: ``一、``, ``I.``, ``A.``, ``（一）``).

The unit words are data, one row per kind and language, so a new language or
kind is a new row, not new code.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

from reader.core.model import Block, BlockKind
from reader.core.parsing.numerals import chinese_number, letter_value


class Key(NamedTuple):
    """A language-independent name of a structural unit."""

    kind: str
    number: str


# (kind, words that introduce it) — matched case- and accent-insensitively at
# the start of a heading, followed by a number (or, for labelled kinds, alone).
UNIT_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("article", ("article", "art.", "artículo", "articulo", "статья", "المادة", "مادة")),
    ("chapter", ("chapter", "chapitre", "capítulo", "capitulo", "глава", "الفصل", "فصل")),
    ("section", ("section", "sección", "seccion", "раздел", "الفرع", "فرع")),
    ("part", ("part", "partie", "parte", "часть", "الباب", "الجزء")),
    ("annex", ("annex", "annexe", "anexo", "приложение", "المرفق", "مرفق")),
    ("appendix", ("appendix", "appendice", "apéndice", "apendice", "добавление", "التذييل")),
    ("rule", ("rule", "règle", "regla", "правило", "القاعدة")),
    ("principle", ("principle", "principe", "principio", "принцип", "المبدأ")),
)

# Chinese units: 第X条 / 第X章 ... (the unit character follows the number).
CJK_UNITS: dict[str, str] = {
    "条": "article",
    "條": "article",
    "章": "chapter",
    "节": "section",
    "節": "section",
    "编": "part",
    "編": "part",
    "部分": "part",
    "款": "clause",
    "项": "item",
    "項": "item",
}

# Headings that are units without a number (one per document).
NAMED_UNITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "preamble",
        (
            "preamble",
            "préambule",
            "preámbulo",
            "preambulo",
            "преамбула",
            "الديباجة",
            "ديباجة",
            "序言",
            "前言",
            "弁言",
        ),
    ),
    ("annex", ("annex", "annexe", "anexo", "приложение", "المرفق", "附件")),
    (
        "contents",
        ("contents", "table des matières", "índice", "indice", "содержание", "المحتويات", "目录", "目錄"),
    ),
    ("summary", ("summary", "résumé", "resumen", "резюме", "موجز", "摘要", "内容提要", "內容提要")),
)

_ORDINAL_WORDS: dict[str, int] = {
    # Latin-script ordinals used instead of "1" ("Article premier", "Capítulo primero").
    "premier": 1,
    "premiere": 1,
    "1er": 1,
    "1re": 1,
    "primero": 1,
    "primera": 1,
    "first": 1,
    "unique": 1,
    "unico": 1,
    "second": 2,
    "deuxieme": 2,
    "segundo": 2,
    # Arabic ordinals (masculine), as in الفصل الأول.
    "الأول": 1,
    "الاول": 1,
    "الثاني": 2,
    "الثالث": 3,
    "الرابع": 4,
    "الخامس": 5,
    "السادس": 6,
    "السابع": 7,
    "الثامن": 8,
    "التاسع": 9,
    "العاشر": 10,
    "الحادي عشر": 11,
    "الثاني عشر": 12,
    # Arabic UN chapter numbers (أولا = I) and section letters by name (ألف = A), folded.
    "اولا": 1,
    "ثانيا": 2,
    "ثالثا": 3,
    "رابعا": 4,
    "خامسا": 5,
    "سادسا": 6,
    "سابعا": 7,
    "ثامنا": 8,
    "تاسعا": 9,
    "عاشرا": 10,
    "الف": 1,
    "باء": 2,
    "جيم": 3,
    "دال": 4,
    "هاء": 5,
    "واو": 6,
    "زاي": 7,
    "حاء": 8,
    "طاء": 9,
    "ياء": 10,
    "كاف": 11,
    "لام": 12,
    "ميم": 13,
    # Russian ordinals, rare in headings but seen ("Глава первая").
    "первая": 1,
    "вторая": 2,
    "третья": 3,
    "первый": 1,
    "второй": 2,
    "третий": 3,
}

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_RE = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")


def fold(text: str) -> str:
    """Case-folded, accent-free, Arabic-diacritic-free form for matching unit words."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c) and c != "\u0640")
    return unicodedata.normalize("NFKC", text).strip()


def roman_number(text: str) -> int | None:
    """Value of a well-formed Roman numeral (``IV``, ``xii``), or ``None``."""
    low = text.casefold()
    if not low or not _ROMAN_RE.fullmatch(low):
        return None
    values = [_ROMAN[c] for c in low]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def number_value(text: str) -> int | None:
    """The value of a number as written in any of the supported styles, or ``None``."""
    t = fold(text).strip(" .:-–—、．)）(（")
    if not t:
        return None
    digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in t)
    if digits.isdigit():
        return int(digits)
    if t in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[t]
    value = chinese_number(t)
    if value is not None:
        return value
    value = roman_number(t)
    if value is not None:
        return value
    return letter_value(t) if len(t) == 1 else None


_CJK_UNIT_RE = re.compile(
    r"^第\s*([0-9０-９零〇一二两兩三四五六七八九十百千]+)\s*(部分|[条條章节節编編款项項])"
)


def heading_key(block: Block) -> Key | None:
    """The structural key of a heading, or ``None`` if it names nothing comparable."""
    for text in (block.label, block.text):
        if text:
            key = unit_key(text)
            if key is not None:
                return key
    level = block.level or 0
    if block.label:
        value = number_value(block.label)
        if value is not None:
            return Key(f"h{level}", str(value))
    return None


def unit_key(text: str) -> Key | None:
    """The key of a unit heading such as ``第一条``, ``Article premier``, ``الفصل الأول``, ``Preamble``."""
    head = text.strip()[:60]
    m = _CJK_UNIT_RE.match(head)
    if m:
        value = number_value(m.group(1))
        return Key(CJK_UNITS[m.group(2)], str(value)) if value is not None else None
    # Fold only what a unit word could need (a heading, a short line): the start of the text.
    low = fold(head[:40])
    if not low:
        return None
    numbered, named = _folded_words()
    for kind, w in numbered.get(low[0], ()):
        if low.startswith(w) and (len(low) == len(w) or not low[len(w)].isalpha() or w.endswith(".")):
            value = _number_after(low[len(w) :])
            if value is not None:
                return Key(kind, str(value))
    for kind, w in named.get(low[0], ()):
        if low == w or (low.startswith(w) and not low[len(w)].isalnum()):
            return Key(kind, "")
    return None


_WordTable = dict[str, tuple[tuple[str, str], ...]]


@functools.cache
def _folded_words() -> tuple[_WordTable, _WordTable]:
    """The unit-word tables folded once, by first character."""

    def table(rows: tuple[tuple[str, tuple[str, ...]], ...]) -> _WordTable:
        out: dict[str, list[tuple[str, str]]] = {}
        for kind, words in rows:
            for w in words:
                f = fold(w)
                out.setdefault(f[0], []).append((kind, f))
        return {k: tuple(v) for k, v in out.items()}

    return table(UNIT_WORDS), table(NAMED_UNITS)


def _number_after(rest: str) -> int | None:
    """The number right after a unit word: ``1``, ``premier``, ``I``, ``الأول``, ``1er``."""
    rest = rest.strip(" \u00a0.:-–—")
    if not rest:
        return None
    for words in (2, 1):
        parts = rest.split()
        if len(parts) >= words:
            candidate = " ".join(parts[:words]).rstrip(".:-–—")
            value = number_value(candidate)
            if value is not None and (words == 1 or candidate in _ORDINAL_WORDS):
                return value
    return None


def block_key(block: Block) -> Key | None:
    """The structural key of any block: headings by unit or number, paragraphs and notes by number."""
    if block.kind is BlockKind.HEADING:
        return heading_key(block)
    if block.kind is BlockKind.PARAGRAPH and block.number:
        value = number_value(block.number)
        return Key("para", str(value) if value is not None else block.number)
    if block.kind is BlockKind.FOOTNOTE and block.number:
        return Key("note", block.number)
    if block.kind in (BlockKind.PARAGRAPH, BlockKind.FRONT_MATTER, BlockKind.TEXT):
        # Some parses keep a unit line (``Article premier``) as a paragraph: still a unit.
        text = block.text.strip()
        if len(text) <= 40:
            key = unit_key(text)
            if key is not None and key.kind != "contents":
                return key
    return None


def shared_label(key: Key) -> str:
    """The label a pair carries in the ``align`` contract: the number, or the unit's kind."""
    return key.number or key.kind
