"""Word's automatic list numbering: recover the number a reader sees.

A numbered paragraph in a .docx stores no number, only a list (``numId``) and
a level (``ilvl``); Word computes the visible ``37.`` from ``numbering.xml``
(``w:abstractNum`` levels with ``w:start``, ``w:numFmt``, ``w:lvlText``,
``w:lvlRestart``) while laying out the document.  :class:`Numbering` replays
that computation paragraph by paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

__all__ = ["Level", "Numbered", "Numbering", "format_number"]

_Element = Any  # python-docx elements (lxml) are untyped

_CN_DIGITS = "〇一二三四五六七八九"  # digit by digit (ideographDigital: 一〇五)
_CN_COUNT = "零一二三四五六七八九"  # counting (chineseCounting: 一百零五)
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TRADITIONAL = "甲乙丙丁戊己庚辛壬癸"
_ZODIAC = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))  # fmt: skip
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
# Symbol and Wingdings bullets live in the Private Use Area; show a plain bullet.
_PUA = range(0xE000, 0xF900)


def _chinese(n: int, digits: str = _CN_COUNT, units: str = "十百千万") -> str:
    """Chinese counting (一, 十, 十一, 二十一, 一百零五...) for 0 < n < 100000."""
    if n <= 0 or n >= 100000:
        return str(n)
    parts: list[str] = []
    values = (10000, 1000, 100, 10)
    unit_for = {10000: units[3], 1000: units[2], 100: units[1], 10: units[0]}
    zero_pending = False
    rest = n
    for value in values:
        q, rest = divmod(rest, value)
        if q:
            if zero_pending:
                parts.append(digits[0])
                zero_pending = False
            # 10..19 read 十, 十一... not 一十一 when the number starts there.
            if not (value == 10 and q == 1 and not parts and digits is _CN_COUNT):
                parts.append(digits[q])
            parts.append(unit_for[value])
        elif parts:
            zero_pending = True
    if rest:
        if zero_pending:
            parts.append(digits[0])
        parts.append(digits[rest])
    return "".join(parts)


def _letters(n: int) -> str:
    """Word's letter numbering: A..Z, then AA..ZZ, AAA..."""
    if n <= 0:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    """Upper-case Roman numerals."""
    if n <= 0 or n >= 4000:
        return str(n)
    out: list[str] = []
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out.append(glyph * count)
    return "".join(out)


def _cycle(n: int, symbols: str) -> str:
    """Cyclic symbol numbering (甲乙丙丁..., 子丑寅卯...)."""
    return symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


def _enclosed(n: int, first: int, count: int) -> str:
    """Enclosed numbers (①, ⑴, ⒈) for the range Unicode has, decimal beyond."""
    return chr(first + n - 1) if 1 <= n <= count else str(n)


_FORMATS: dict[str, Any] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "taiwaneseCounting": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "koreanCounting": _chinese,
    "chineseLegalSimplified": lambda n: _chinese(n, _CN_LEGAL, "拾佰仟万"),
    "ideographLegalTraditional": lambda n: _chinese(n, "零壹貳參肆伍陸柒捌玖", "拾佰仟萬"),
    "ideographTraditional": lambda n: _cycle(n, _TRADITIONAL),
    "ideographZodiac": lambda n: _cycle(n, _ZODIAC),
    "ideographDigital": lambda n: "".join(_CN_DIGITS[int(d)] for d in str(n)),
    "taiwaneseDigital": lambda n: "".join(_CN_DIGITS[int(d)] for d in str(n)),
    "decimalFullWidth": lambda n: str(n).translate(_FULLWIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULLWIDTH),
    "decimalEnclosedCircle": lambda n: _enclosed(n, 0x2460, 20),
    "decimalEnclosedCircleChinese": lambda n: _enclosed(n, 0x2460, 20),
    "ideographEnclosedCircle": lambda n: _enclosed(n, 0x3280, 10),
    "decimalEnclosedParen": lambda n: _enclosed(n, 0x2474, 20),
    "decimalEnclosedFullstop": lambda n: _enclosed(n, 0x2488, 20),
    "none": lambda n: "",
}


def format_number(value: int, num_fmt: str) -> str | None:
    """Render a counter in a ``w:numFmt``; ``None`` for a format we do not know."""
    fn = _FORMATS.get(num_fmt)
    return None if fn is None else str(fn(value))


@dataclass(frozen=True, slots=True)
class Level:
    """One level of a list definition (``w:lvl``)."""

    start: int = 0
    num_fmt: str = "decimal"
    text: str = ""
    restart: int | None = None
    legal: bool = False
    suffix: str = "tab"
    style: str | None = None


@dataclass(slots=True)
class _List:
    """A list instance (``w:num``): its abstract definition and overrides."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)
    levels: dict[int, Level] = field(default_factory=dict)


def _val(el: _Element | None, default: str | None = None) -> str | None:
    """The ``w:val`` attribute of an element, or ``default``."""
    if el is None:
        return default
    v = el.get(qn("w:val"))
    return default if v is None else str(v)


def _int(el: _Element | None, default: int) -> int:
    """``w:val`` as an int, ``default`` when absent or malformed."""
    v = _val(el)
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _parse_level(lvl: _Element, base: Level | None = None) -> Level:
    """Read a ``w:lvl`` element, filling gaps from ``base``."""
    b = base or Level()
    restart_el = lvl.find(qn("w:lvlRestart"))
    legal_el = lvl.find(qn("w:isLgl"))
    style_el = lvl.find(qn("w:pStyle"))
    return Level(
        start=_int(lvl.find(qn("w:start")), b.start),
        num_fmt=_val(lvl.find(qn("w:numFmt")), b.num_fmt) or "decimal",
        text=_val(lvl.find(qn("w:lvlText")), b.text) or "",
        restart=_int(restart_el, 0) if restart_el is not None else b.restart,
        legal=(_val(legal_el, "1") not in ("0", "false", "off")) if legal_el is not None else b.legal,
        suffix=_val(lvl.find(qn("w:suff")), b.suffix) or "tab",
        style=_val(style_el, b.style),
    )


@dataclass(frozen=True, slots=True)
class Numbered:
    """The visible numbering of one paragraph.

    Attributes:
        prefix: What Word draws before the text, separator included (``"37. "``).
        number: This level's own counter as shown (``"37"``, ``"一"``, ``"A"``);
            ``None`` for bullets and unnumbered levels.
    """

    prefix: str
    number: str | None


class Numbering:
    """Replays Word's list counters over the paragraphs of one document."""

    def __init__(self, numbering: _Element | None, style_num: dict[str, tuple[str, int | None]]) -> None:
        """Read ``w:numbering``; ``style_num`` maps a style id to the list its style applies."""
        self._abstract: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstract id -> style id it takes its definition from
        self._lists: dict[str, _List] = {}
        self._counters: dict[str, dict[int, int]] = {}
        self._used: set[str] = set()
        self._style_num = style_num
        self.unknown_formats: set[str] = set()
        if numbering is None:
            return
        for abstract in numbering.findall(qn("w:abstractNum")):
            aid = str(abstract.get(qn("w:abstractNumId")))
            levels: dict[int, Level] = {}
            for lvl in abstract.findall(qn("w:lvl")):
                levels[_int_attr(lvl, "w:ilvl")] = _parse_level(lvl)
            self._abstract[aid] = levels
            link = _val(abstract.find(qn("w:numStyleLink")))
            if link:
                self._style_links[aid] = link
        for num in numbering.findall(qn("w:num")):
            nid = str(num.get(qn("w:numId")))
            lst = _List(abstract=_val(num.find(qn("w:abstractNumId")), "") or "")
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = _int_attr(override, "w:ilvl")
                start = override.find(qn("w:startOverride"))
                if start is not None:
                    lst.starts[ilvl] = _int(start, 0)
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    lst.levels[ilvl] = _parse_level(lvl, self._abstract.get(lst.abstract, {}).get(ilvl))
            self._lists[nid] = lst

    def _resolve_abstract(self, aid: str) -> str:
        """Follow a ``w:numStyleLink`` to the abstract definition that holds the levels."""
        seen: set[str] = set()
        while aid in self._style_links and aid not in seen:
            seen.add(aid)
            target = self._style_num.get(self._style_links[aid])
            if target is None or target[0] not in self._lists:
                break
            aid = self._lists[target[0]].abstract
        return aid

    def level_for_style(self, num_id: str, style_id: str) -> int | None:
        """The level of a list bound to a paragraph style (``w:lvl/w:pStyle``)."""
        lst = self._lists.get(num_id)
        if lst is None:
            return None
        for ilvl, level in self._abstract.get(self._resolve_abstract(lst.abstract), {}).items():
            if level.style == style_id:
                return ilvl
        return None

    def next(self, num_id: str, ilvl: int) -> Numbered | None:
        """Count one paragraph of list ``num_id`` at level ``ilvl`` and render its number."""
        lst = self._lists.get(num_id)
        if lst is None or num_id == "0":
            return None
        aid = self._resolve_abstract(lst.abstract)
        defs = self._abstract.get(aid)
        if defs is None:
            return None
        levels = {**defs, **lst.levels}
        if ilvl not in levels:
            return None
        starts = {i: lst.starts.get(i, lv.start) for i, lv in levels.items()}
        counters = self._counters.setdefault(aid, {})
        if num_id not in self._used:
            # A list instance with a start override restarts the shared counters
            # the first time it is used; without one it continues them (Word).
            self._used.add(num_id)
            for i in lst.starts:
                counters.pop(i, None)
        level = levels[ilvl]
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else starts[ilvl]
        for deeper, lv in levels.items():
            if deeper <= ilvl:
                continue
            restart_after = deeper if lv.restart is None else lv.restart
            if ilvl < restart_after:
                counters.pop(deeper, None)
        if level.num_fmt == "bullet":
            bullet = "".join("•" if ord(ch) in _PUA else ch for ch in level.text) or "•"
            return Numbered(prefix=bullet + self._separator(level), number=None)
        own = self._render(counters[ilvl], level.num_fmt, legal=False)
        text = level.text
        for i in range(9):
            token = f"%{i + 1}"
            if token in text:
                lv = levels.get(i, Level())
                value = counters.get(i, starts.get(i, lv.start))
                text = text.replace(token, self._render(value, lv.num_fmt, legal=level.legal))
        prefix = text + self._separator(level) if text else ""
        return Numbered(prefix=prefix, number=own or None)

    def _render(self, value: int, num_fmt: str, *, legal: bool) -> str:
        """One counter in its format; legal numbering forces decimal."""
        out = format_number(value, "decimal" if legal else num_fmt)
        if out is None:
            self.unknown_formats.add(num_fmt)
            out = str(value)
        return out

    @staticmethod
    def _separator(level: Level) -> str:
        """What Word puts between the number and the text (tab, space, nothing)."""
        return "" if level.suffix == "nothing" else " "


def _int_attr(el: _Element, name: str) -> int:
    """An integer attribute, 0 when absent or malformed."""
    try:
        return int(el.get(qn(name), "0"))
    except ValueError:
        return 0
