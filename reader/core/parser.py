"""Parse decoded text into a :class:`~reader.core.model.Document`, losslessly.

The parser recognises, without configuration, the numbering conventions of
the documents delegates read:

* UN reports: chapters ``一.``/``I.``, sections ``A.`` (also ``D 标题`` without
  the dot), numbered sub-headings that restart per section versus numbered
  paragraphs that run through the whole document, footnotes (``¹ …``,
  ``* …``), figure captions (``图一`` …), front matter;
* PRC official documents: ``一、`` ``（一）`` ``1．`` ``（1）`` including run-in
  headings (``（一）指导思想。正文…``);
* laws: ``第一编`` ``第一章`` ``第一节`` ``第一条`` (also ``第一條``, ``第1条``),
  ``序言``, ``附则``, ``附件一``; articles are leaves under the lowest structural
  heading;
* Markdown ``#`` headings, and text with no headings at all.

Lossless means every non-whitespace character of the input lands in exactly
one block (see ``Block.spans``).  The parser never raises on any ``str``.

The work happens in three passes: split the source into *units* (lines, or
blank-line separated groups of lines), classify each unit against the
patterns, then walk the units building blocks and the heading tree, joining
paragraphs that a page break cut in two.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from reader.core.model import Block, BlockKind, Document, Heading, LineHint, Span

# ----------------------------------------------------------------- numerals

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
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
_CN_NUM = "零〇一二三四五六七八九十百千两"


def cn_to_int(s: str) -> int | None:
    """Value of a Chinese numeral (``十二`` → 12, ``一百零五`` → 105) or Arabic digits."""
    s = unicodedata.normalize("NFKC", s).strip()
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in s):
        return None
    total, current = 0, 0
    for c in s:
        if c in _CN_DIGITS:
            current = _CN_DIGITS[c]
        else:
            unit = _CN_UNITS[c]
            total += (current or 1) * unit
            current = 0
    return total + current


def roman_to_int(s: str) -> int | None:
    """Value of an upper-case Roman numeral, or ``None``."""
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


# ----------------------------------------------------------------- patterns

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FULLWIDTH = str.maketrans(
    {**{0xFF10 + k: 0x30 + k for k in range(10)}, **{0xFF21 + k: 0x41 + k for k in range(26)}}
)
_SUP_TO_DIGIT = {c: str(i) for i, c in enumerate(_SUPERSCRIPTS)}

_SENTENCE_END = set("。！？!?；;：:….")
_CLOSERS = set("”’」』）)》〉】]\"'")
_MAX_HEADING = 60

_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\s]*)\)")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")

_LEGAL = re.compile(
    rf"^第\s*([{_CN_NUM}\d]+(?:\s*-\s*\d+)?)\s*(篇|编|編|分编|分編|章|节|節|目|条|條|部分)"
    rf"(之[{_CN_NUM}\d]+)?(?=\s|$|[\u3000]|[^\w]|[\u4e00-\u9fff])"
)
_CHAPTER_CN = re.compile(rf"^([{_CN_NUM}]+)\s*[.．、]\s*(.*)$")
_CHAPTER_ROMAN = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
_SECTION_LETTER = re.compile(r"^([A-Z])(?:[.．]\s*|\s+(?=[\u4e00-\u9fff“《]))(\S.*)$")
_PAREN_CN = re.compile(rf"^[（(]\s*([{_CN_NUM}]+)\s*[）)]\s*(.*)$")
_PAREN_NUM = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$")
_EN_LABEL = re.compile(
    r"^(Part|PART|Chapter|CHAPTER|Section|SECTION|Article|ARTICLE)\s+(\d{1,3}|[IVXLC]{1,6})\b\s*[:.\-–—]?\s*(.*)$"
)
_ALL_CAPS = re.compile(r"^[A-Z][A-Z0-9 ,:;&'’\-–()/]{2,80}$")
_PAREN_LATIN = re.compile(r"^[（(]([a-z])[)）]\s*(\S.*)$")
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,4})\s*([.．、])(?!\d)\s*(.*)$")
_FOOTNOTE_SUP = re.compile(rf"^([{_SUPERSCRIPTS}]+)\s*(\S.*)$")
_FOOTNOTE_STAR = re.compile(r"^(\*{1,3}|†|‡)\s*(\S.*)$")
_FOOTNOTE_MD = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_FOOTNOTE_BRACKET = re.compile(r"^\[(\d{1,3})\]\s*(\S.*)$")
_FIGURE = re.compile(
    rf"^(图|圖|表|专栏|專欄|Figure|Table|Box)\s*([{_CN_NUM}\d]+|[IVX]+)(?![\u4e00-\u9fff]{{2}})\s*[.:：．]?\s*(.*)$"
)
_CAPTION_TAIL = re.compile(r"^[（(][^（()）]{1,20}[）)]$|^(资料来源|来源|注|說明|说明|Source|Note)\s*[:：]")
_SPECIAL_TOP = re.compile(r"^(序言|前言|序|引言|附则|附則|附录|附錄|结束语|Preamble|Annex(?:\s+[IVX\d]+)?)$")
_ANNEX = re.compile(
    rf"^(附件|附錄|附录|附表|Annex|ANNEX|Appendix)\s*([IVX]+\b|[{_CN_NUM}\d]*)\s*[.．]?\s*([^:：].*)?$"
)
_ATTACHMENT_LIST = re.compile(r"^(附件|附录)\s*[:：]")
_ARTIFACT = re.compile(
    r"^(?:\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|"
    r"\d{2}-\d{4,6}(?:\s*\(\w+\))?(?:\s+\*\d+\*)?|\*\d{7,}\*|\d{6}|GE\.\d{2}-\d{4,6}(?:\s*\(\w\))?|[A-Z]{1,5}(?:/[A-Z0-9.\-]+)+(?:/Rev\.\d+)?)$"
)
UN_SYMBOL = re.compile(
    r"^(?:A|S|E|ST|UNEP|TD|CRC|CEDAW|CCPR|DP|HRC|ECE|CERD|CAT|ICCD)(?:/[A-Za-z0-9.\-]+)+\d?(?:\s*\(\d{4}\))?$"
)
_SYMBOL_IN_TEXT = re.compile(r"\b((?:A|S|E)/(?:RES/)?\d{1,3}(?:/[A-Z0-9.\-]+)*\d)\b")
_PRC_DOCNO = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[（(]\d{4}[〕\]）)]\s*\d+\s*号$")
_REPORT_TYPE = re.compile(
    r"^(秘书长的(报告|说明)|.{0,20}(的报告|的说明)|说明|决议|Report of the .*|Note by the .*)\s*[*¹²³]*$"
)
_SESSION = re.compile(
    r"^(正式记录|Official Records|.*\b[Ss]ession$|第[\u4e00-\u9fff]+届会议|议程项目.*|临时议程.*|Item \d+.*|"
    r"[\u4e00-\u9fff]*\d{4}\s*年.*月.*日$)"
)
_SUMMARY = re.compile(r"^(摘要|内容提要|Summary)$")


def _is_artifact(text: str) -> bool:
    """Page furniture: page numbers, job numbers, the symbol repeated in a running header."""
    if _ARTIFACT.match(text):
        return True
    parts = re.split(r"\s{2,}|\t|\u3000", text)
    return (
        1 < len(parts) <= 3 and all(_ARTIFACT.match(p) for p in parts) and not all(p.isdigit() for p in parts)
    )


def _table_cells(text: str) -> list[str] | None:
    """Cells of a table row written as a line (tab- or column-separated), else ``None``."""
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
    elif re.search(r"\S {3,}\S|\S\u3000{2,}\S", text):
        cells = [c.strip() for c in re.split(r" {3,}|\u3000{2,}", text)]
    else:
        return None
    cells = [c for c in cells if c]
    if len(cells) < 2 or any(len(c) > 80 for c in cells):
        return None
    return cells


def _strip_md(text: str) -> str:
    return _MD_EMPHASIS.sub(r"\2", text)


def clean_inline(text: str) -> str:
    """Display text of a source fragment: links reduced to their visible text."""
    return _LINK.sub(r"\1", text)


def _ends_sentence(text: str) -> bool:
    t = text.rstrip()
    t = t.rstrip(_SUPERSCRIPTS + "*† ")
    while t and t[-1] in _CLOSERS:
        if len(t) >= 2 and t[-2] in _SENTENCE_END:
            return True
        t = t[:-1]
    return bool(t) and t[-1] in _SENTENCE_END


def _heading_shaped(title: str) -> bool:
    """Short, no sentence end: how a heading line looks."""
    t = title.strip()
    if not t or len(t) > _MAX_HEADING:
        return False
    return not _ends_sentence(t) and not t.endswith(("，", ","))


def _starts_continuation(text: str) -> bool:
    c = text[0]
    return c.isalnum() or c in "，、,)）”’》%．.—-" or "\u4e00" <= c <= "\u9fff"


def _is_cjk(c: str) -> bool:
    return "\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\U00020000" <= c <= "\U0003ffff"


def _join(a: str, b: str) -> str:
    """Join two fragments of one paragraph: no space in Chinese, one space in Latin text."""
    if not a or not b:
        return a + b
    x, y = a[-1], b[0]
    if _is_cjk(x) or _is_cjk(y) or x in "，。、；：（“" or y in "，。、；：）”":
        return a + b
    if x == "-" and len(a) > 1 and a[-2].isalpha() and y.islower():
        return a[:-1] + b
    return a + " " + b


# ----------------------------------------------------------------- units


@dataclass(slots=True)
class _Unit:
    text: str
    spans: list[Span]
    line: int
    hint: LineHint | None = None
    after_blank: bool = True
    indent: str = ""


@dataclass(slots=True)
class _Cand:
    """What a unit could be, decided by its shape alone."""

    kind: str  # heading | numbered | footnote | figure | artifact | row | toc | table | plain
    rank: int = 0
    label: str | None = None
    title: str = ""
    value: int | None = None
    body: str = ""  # run-in heading body, or numbered-paragraph text
    body_offset: int = 0  # where ``body`` starts inside the unit text
    family: str = ""
    marker: str = ""
    full_body: str = ""  # all the text after a number label, run-in title included


def _split_units(source: str, hints: Mapping[int, LineHint]) -> list[_Unit]:
    units: list[_Unit] = []
    prev_blank = True
    pos = 0
    for no, line in enumerate(source.split("\n")):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            s = pos + lead
            units.append(
                _Unit(stripped, [(s, s + len(stripped))], no, hints.get(no), prev_blank, line[:lead])
            )
            prev_blank = False
        else:
            prev_blank = True
        pos += len(line) + 1
    return units


# ----------------------------------------------------------------- classifying


class _Classifier:
    def __init__(self, markdown: bool, star_refs: bool) -> None:
        self.markdown = markdown
        self.star_refs = star_refs

    def classify(self, u: _Unit) -> _Cand:
        t = u.text
        hint = u.hint
        if hint is not None:
            if hint.kind is BlockKind.FOOTNOTE:
                m = _FOOTNOTE_SUP.match(t) or _FOOTNOTE_STAR.match(t) or _FOOTNOTE_BRACKET.match(t)
                marker = m.group(1) if m else ""
                return _Cand(
                    "footnote", marker=marker, body=m.group(2) if m else t, body_offset=m.start(2) if m else 0
                )
            if hint.kind is BlockKind.TABLE:
                return _Cand("table")
            if hint.kind is BlockKind.FIGURE:
                return _Cand("figure", title=t)
            if hint.heading_level is not None:
                c = self._pattern(t)
                if c is not None and c.kind in ("heading", "numbered") and (c.title or c.kind == "heading"):
                    # The style says "heading"; the text still says which label it has.
                    c.kind = "heading"
                    c.rank = 10 * hint.heading_level
                    c.family = f"style{hint.heading_level}"
                    if c.marker == "run-in" or not c.body:
                        return c
                    c.body = ""
                    return c
                return _Cand(
                    "heading", rank=10 * hint.heading_level, title=t, family=f"style{hint.heading_level}"
                )
            if hint.number is not None:
                c = self._pattern(t)
                if c is not None and c.kind == "heading":
                    return c  # Word numbering on a heading line (一、总体要求): the text decides
                if c is not None and c.kind == "numbered":
                    c.value = _int_or_none(hint.number)
                    c.label = hint.number.strip().rstrip(".．、")
                    return c
                value = _int_or_none(hint.number)
                return _Cand("numbered", value=value, label=hint.number, body=t, full_body=t)
        m = _MD_HEADING.match(t)
        if m:
            title = m.group(2)
            inner = self._pattern(title)
            rank = len(m.group(1)) * 10 - 5
            if inner is not None and inner.kind == "heading":
                inner.rank = rank
                inner.family = f"md{len(m.group(1))}"
                inner.body_offset += m.start(2)
                return inner
            return _Cand("heading", rank=rank, title=_strip_md(title), family=f"md{len(m.group(1))}")
        if t.startswith(("**", "__")):
            bold = self._bold_heading(t)
            if bold is not None:
                return bold
        c = self._pattern(t)
        if c is not None:
            return c
        return _Cand("row") if _table_cells(t) is not None else _Cand("plain")

    def _bold_heading(self, t: str) -> _Cand | None:
        """``**一、总体要求**`` or ``**（一）指导思想。**正文`` (pasted from the web)."""
        mark = t[:2]
        close = t.find(mark, 2)
        if close < 3:
            return None
        inner, rest = t[2:close], t[close + 2 :]
        c = self._pattern(inner)
        if c is None or c.kind not in ("heading", "numbered"):
            return None
        if c.kind == "numbered" and not c.rank:
            return None
        if rest.strip():
            title = c.title or inner
            run_in = _run_in(c.body or title, alone=True)
            head = run_in[0] if run_in else title.rstrip("。．.")
            return _Cand(
                "heading",
                rank=c.rank,
                label=c.label,
                title=head,
                family=c.family,
                value=c.value,
                body=rest.lstrip(),
                body_offset=close + 2 + len(rest) - len(rest.lstrip()),
                marker="run-in",
            )
        c.kind = "heading"
        c.body = ""
        c.marker = ""
        return c

    def _pattern(self, t: str) -> _Cand | None:
        # Full-width Ａ and １ are matched as A and 1 (same length, so offsets hold);
        # labels of letters keep the form written, numbers become ASCII.
        # Only the opening characters carry numbering; the text itself stays as written.
        folded = t[:40].translate(_FULLWIDTH) + t[40:]
        c = self._pattern_ascii(folded)
        if c is None or folded == t:
            return c
        if c.family in ("letter", "letter-nodot") and c.label:
            c.label = t[: len(c.label)]
        if c.body:
            c.body = t[c.body_offset : c.body_offset + len(c.body)]
        for name in ("title", "full_body"):
            value: str = getattr(c, name)
            at = folded.find(value) if value else -1
            if at >= 0:
                setattr(c, name, t[at : at + len(value)])
        return c

    def _pattern_ascii(self, t: str) -> _Cand | None:
        m = _FOOTNOTE_MD.match(t)
        if m:
            return _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))
        m = _FOOTNOTE_SUP.match(t)
        if m:
            return _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))
        if _is_artifact(t):
            return _Cand("artifact")
        m = _FOOTNOTE_STAR.match(t)
        if m and self.star_refs and not (self.markdown and m.group(1) == "*"):
            return _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))
        m = _FOOTNOTE_BRACKET.match(t)
        if m:
            return _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))
        if _RULE.match(t):
            return _Cand("rule")
        m = _LEGAL.match(t)
        if m:
            return self._legal(t, m)
        m = _EN_LABEL.match(t)
        if m and (not m.group(3) or _heading_shaped(m.group(3))):
            word = m.group(1).capitalize()
            num = m.group(2)
            value = int(num) if num.isdigit() else roman_to_int(num.upper())
            rank = {"Part": 10, "Chapter": 20, "Section": 25, "Article": 90}[word]
            return _Cand(
                "heading",
                rank=rank,
                label=f"{m.group(1)} {num}",
                title=(m.group(3) or "").strip(),
                family="article" if word == "Article" else f"en-{word.lower()}",
                value=value,
            )
        if _ALL_CAPS.match(t) and sum(ch.isalpha() for ch in t) >= 4 and not _ends_sentence(t):
            return _Cand("heading", rank=35, label=None, title=t, family="caps")
        m = _ANNEX.match(t)
        if m and (not m.group(3) or _heading_shaped(m.group(3))):
            label = (
                m.group(1) + (" " if m.group(1)[0].isascii() and m.group(2) else "") + m.group(2)
            ).strip()
            return _Cand(
                "heading",
                rank=5,
                label=label,
                title=(m.group(3) or "").strip(),
                family="annex",
                value=cn_to_int(m.group(2)) if m.group(2) else 1,
            )
        if _SPECIAL_TOP.match(re.sub(r"\s+", "", t)) and len(t) <= 12:
            return _Cand("heading", rank=5, label=None, title=t, family="special")
        m = _FIGURE.match(t)
        if m and (not m.group(3) or _heading_shaped(m.group(3))):
            return _Cand("figure", label=m.group(1) + m.group(2), title=m.group(3))
        m = _CHAPTER_CN.match(t)
        if m:
            sep = t[len(m.group(1)) :].lstrip()[:1]
            value = cn_to_int(m.group(1))
            fam = "cn-dun" if sep == "、" else "cn-dot"
            return self._titled(t, m, rank=30, family=fam, value=value)
        m = _CHAPTER_ROMAN.match(t)
        if m and roman_to_int(m.group(1)) is not None:
            return self._titled(
                t, m, rank=30, family="roman", value=roman_to_int(m.group(1)), allow_run_in=False
            )
        m = _SECTION_LETTER.match(t)
        if m:
            dotted = len(t) > 1 and t[1] in ".．"
            c = self._titled(t, m, rank=40, family="letter", value=ord(m.group(1)) - 64, allow_run_in=False)
            if c.kind == "heading" and not dotted:
                c.family = "letter-nodot"
            return c
        m = _PAREN_CN.match(t)
        if m:
            return self._titled(t, m, rank=40, family="paren-cn", value=cn_to_int(m.group(1)), label_raw=True)
        m = _NUMBERED.match(t)
        if m and m.group(3):
            value = int(m.group(1))
            title = m.group(3)
            sep = m.group(2)
            cand = _Cand(
                "numbered",
                value=value,
                label=m.group(1),
                body=title,
                body_offset=m.start(3),
                family="num-full" if sep == "．" else "num",
                full_body=title,
            )
            if _heading_shaped(title):
                cand.title = title
                cand.rank = 50
            else:
                run_in = _run_in(title)
                if run_in is not None:
                    cand.title, body_at = run_in
                    cand.rank = 50
                    cand.marker = "run-in"
                    cand.body = title[body_at:]
                    cand.body_offset = m.start(3) + body_at
            return cand
        m = _PAREN_NUM.match(t)
        if m and m.group(2):
            return self._titled(t, m, rank=60, family="paren-num", value=int(m.group(1)), label_raw=True)
        m = _PAREN_LATIN.match(t)
        if m and _heading_shaped(m.group(2)) and not self.markdown:
            # UN sub-sub-headings: (a) 数据交易 — short, no sentence end (items in prose end with ；/。).
            return _Cand(
                "heading",
                rank=55,
                label=f"({m.group(1)})",
                title=m.group(2).strip(),
                family="paren-latin",
                value=ord(m.group(1)) - 96,
            )
        m = _DECIMAL.match(t)
        if (
            m
            and not _heading_shaped(m.group(2))
            and not re.match(r"[\d%‰亿万千百元美倍年月日个名人项次]", m.group(2))
        ):
            # 3.1 as a paragraph number (some reports number paragraphs by chapter).
            return _Cand(
                "numbered", label=m.group(1), body=m.group(2), body_offset=m.start(2), full_body=m.group(2)
            )
        if m and _heading_shaped(m.group(2)) and not re.match(r"[\d%]", m.group(2)):
            # 1.1 / 2.3.1 outline numbering: one level deeper per dot, below "1." headings.
            depth = m.group(1).count(".")
            return _Cand(
                "heading",
                rank=50 + 2 * depth,
                label=m.group(1),
                title=m.group(2).strip(),
                family=f"decimal{depth}",
                value=int(m.group(1).split(".")[-1]),
            )
        return None

    def _legal(self, t: str, m: re.Match[str]) -> _Cand:
        unit = m.group(2)
        label = t[: m.end()].replace(" ", "").replace("\u3000", "")
        rest = t[m.end() :]
        title = rest.strip(" \u3000")
        value = cn_to_int(m.group(1).split("-")[0])
        ranks = {
            "篇": 10,
            "编": 10,
            "編": 10,
            "部分": 10,
            "分编": 15,
            "分編": 15,
            "章": 20,
            "节": 25,
            "節": 25,
            "目": 27,
        }
        if unit in ("条", "條"):
            # Articles: 第一条【标题】正文 or 第一条 正文.  The body becomes a paragraph.
            body_at = m.end() + (len(rest) - len(rest.lstrip(" \u3000")))
            art_title = ""
            bm = re.match(r"^[【\[（(]([^】\]）)]{1,20})[】\]）)]\s*", t[body_at:])
            if bm:
                art_title = bm.group(1)
                body_at += bm.end()
            return _Cand(
                "heading",
                rank=90,
                label=label,
                title=art_title,
                family="article",
                value=value,
                body=t[body_at:],
                body_offset=body_at,
            )
        if not _heading_shaped(title) and title:
            return _Cand("plain")
        return _Cand(
            "heading", rank=ranks[unit], label=label, title=title, family=f"legal-{unit}", value=value
        )

    def _titled(
        self,
        t: str,
        m: re.Match[str],
        *,
        rank: int,
        family: str,
        value: int | None,
        allow_run_in: bool = True,
        label_raw: bool = False,
    ) -> _Cand:
        title = m.group(2)
        label = t[: m.start(2)].strip() if label_raw else m.group(1)
        if label_raw:
            label = label.replace("(", "（").replace(")", "）").replace(" ", "")
        if not title:
            return _Cand("heading", rank=rank, label=label, title="", family=family, value=value)
        if _heading_shaped(title):
            return _Cand("heading", rank=rank, label=label, title=title.strip(), family=family, value=value)
        if allow_run_in:
            prc = family == "paren-cn"
            run_in = _run_in(title, commas=family != "paren-num", alone=prc)
            if run_in is not None and run_in[1] >= len(title):
                return _Cand("heading", rank=rank, label=label, title=run_in[0], family=family, value=value)
            if run_in is not None:
                head, body_at = run_in
                return _Cand(
                    "heading",
                    rank=rank,
                    label=label,
                    title=head,
                    family=family,
                    value=value,
                    body=title[body_at:],
                    body_offset=m.start(2) + body_at,
                    marker="run-in",
                )
        return _Cand("plain")


def _run_in(title: str, commas: bool = True, alone: bool = False) -> tuple[str, int] | None:
    """``指导思想。以…`` → (``指导思想``, offset of ``以``) when the lead-in is short.

    Args:
        title: Text after the numbering label.
        commas: Whether the lead-in may contain commas (``坚持稳中求进，经济实力迈上新台阶。``).
        alone: Accept a lead-in with nothing after it (``完善基层公共文化设施网络。``).
    """
    inner = r"[^。！？!?；;：:]" if commas else r"[^。！？!?；;，,：:、]"
    m = re.match(rf"^({inner}{{2,30}})([。．！!])\s*", title)
    if m is None:
        return None
    if m.end() >= len(title) and not alone:
        return None
    return m.group(1).strip(), m.end()


def _int_or_none(s: str) -> int | None:
    s = s.strip().rstrip(".．、")
    return int(s) if s.isdigit() else cn_to_int(s)


# ----------------------------------------------------------------- building


_STRUCTURAL = frozenset(
    {
        "legal-编",
        "legal-編",
        "legal-部分",
        "legal-分编",
        "legal-分編",
        "legal-章",
        "legal-节",
        "legal-節",
        "cn-dot",
        "cn-dun",
        "roman",
        "annex",
        "md1",
        "md2",
    }
)
_RULE = re.compile(r"^[_＿]{5,}$|^[-—–]{3,}$|^[*]{3,}$|^={3,}$")
_DIGIT_NOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_FENCE = re.compile(r"^(```|~~~)")
_SETEXT = re.compile(r"^(=+|-+)$")
_FIELD_TITLE = re.compile(
    r"^(?:法規名稱|法规名称|標題|标题|名称|名稱|title)\s*[:：]\s*(\S.*)$", re.IGNORECASE
)
_HEADER_FIELD = re.compile(
    r"^(法規名稱|法规名称|修正日期|公布日期|發布日期|发布日期|生效狀態|生效状态|法規類別|法规类别|發文機關|发文机关|"
    r"發文字號|发文字号|成文日期|施行日期|主题分类|主題分類|title|author|date|tags|symbol)\s*[:：]",
    re.IGNORECASE,
)
_COLUMNS = re.compile(r"\S\s{3,}\S")  # a letterhead or table row laid out in columns
_RESOLUTION_OPENING = re.compile(
    r"^(大会|安全理事会|经济及社会理事会|人权理事会|大會|安全理事會|"
    r"The General Assembly|The Security Council|The Economic and Social Council|"
    r"The Human Rights Council)\s*[，,]$"
)
_GA_RESOLUTION = re.compile(r"^(\d{2})/(\d{1,4})\.\s+(\S.*)$")
_SC_RESOLUTION = re.compile(
    r"^(?:第\s*)?(\d{3,4})\s*[（(](\d{4})[)）]\s*号决议$|^Resolution (\d{3,4}) \((\d{4})\)$"
)
_TOC_TITLE = re.compile(r"^(目\s*录|目\s*錄|目\s*次|Contents|Table of contents|CONTENTS)$")


def _toc_key(text: str) -> str:
    """A table-of-contents line and the heading it lists compare equal under this key."""
    t = re.sub(r"\s+", "", text)
    t = re.sub(r"[.．·…_\-]{2,}\d*$", "", t)
    return re.sub(r"\d+$", "", t) if len(t) > 4 else t


def _mark_toc(units: list[_Unit], cands: list[_Cand]) -> None:
    """Entries of a table of contents are front matter, not headings."""
    for k, u in enumerate(units[:200]):
        if not _TOC_TITLE.match(u.text.strip()) or k + 1 >= len(units):
            continue
        first = _toc_key(units[k + 1].text)
        for j in range(k + 2, min(len(units), k + 400)):
            if _toc_key(units[j].text) == first:
                for t in range(k, j):
                    cands[t] = _Cand("toc")
                return
        return


@dataclass(slots=True)
class _Open:
    node: Heading
    rank: int
    family: str
    value: int | None


@dataclass
class _Builder:
    source: str
    blocks: list[Block] = field(default_factory=list)
    roots: list[Heading] = field(default_factory=list)
    stack: list[_Open] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    used_ids: set[str] = field(default_factory=set)
    child_counts: dict[str, int] = field(default_factory=dict)

    def next_id(self, prefix: str) -> str:
        n = self.counters.get(prefix, 0) + 1
        self.counters[prefix] = n
        return self.unique(f"{prefix}{n}")

    def unique(self, base: str) -> str:
        cand, k = base, 1
        while cand in self.used_ids:
            k += 1
            cand = f"{base}-{k}"
        self.used_ids.add(cand)
        return cand

    @property
    def parent_id(self) -> str | None:
        return self.stack[-1].node.block if self.stack else None

    def add(self, block: Block) -> Block:
        if block.kind is not BlockKind.HEADING:
            block.parent = self.parent_id
        self.blocks.append(block)
        return block

    def open_heading(self, cand: _Cand, text: str, spans: list[Span]) -> Block:
        while self.stack and self.stack[-1].rank >= cand.rank:
            self.stack.pop()
        if cand.family in _STRUCTURAL:
            # 序言/前言 hold their own text, not the chapters that follow them.
            for k, o in enumerate(self.stack):
                if o.family == "special":
                    del self.stack[k:]
                    break
        parent = self.stack[-1].node if self.stack else None
        key = parent.block if parent else ""
        n = self.child_counts.get(key, 0) + 1
        self.child_counts[key] = n
        bid = self.unique(f"{parent.block}.{n}" if parent else f"h{n}")
        level = len(self.stack) + 1
        title = clean_inline(cand.title)
        written = _strip_md(clean_inline(text))
        md = _MD_HEADING.match(written)
        if md:
            written = md.group(2)
        written = " ".join(written.split()).rstrip("。．")
        node = Heading(block=bid, label=cand.label, title=title, level=level, parent=parent, written=written)
        (parent.children if parent else self.roots).append(node)
        block = Block(
            id=bid,
            kind=BlockKind.HEADING,
            text=_strip_md(clean_inline(text)),
            spans=tuple(spans),
            label=cand.label,
            title=title,
            level=level,
            parent=parent.block if parent else None,
        )
        self.blocks.append(block)
        self.stack.append(_Open(node, cand.rank, cand.family, cand.value))
        return block

    def in_article(self) -> bool:
        return bool(self.stack) and self.stack[-1].family == "article"

    def last_value(self, family: str) -> int | None:
        """Numbering value of the last open heading of this family under the current parent."""
        for o in reversed(self.stack):
            if o.family == family:
                return o.value
        return None


def _find_numbered_sequence(cands: list[_Cand]) -> set[int]:
    """Official paragraph numbers, found separately in the body and in each annex.

    Laws (documents with articles) have none: their ``1.`` lines are items.
    """
    if sum(1 for c in cands if c.family == "article") >= 2:
        return set()
    bounds = (
        [0] + [i for i, c in enumerate(cands) if c.kind == "heading" and c.family == "annex"] + [len(cands)]
    )
    chosen: set[int] = set()
    for a, b in itertools.pairwise(bounds):
        part = [c if a <= i < b else _Cand("plain") for i, c in enumerate(cands)]
        chosen |= _numbered_run(part)
    return chosen


def _numbered_run(cands: list[_Cand]) -> set[int]:
    """Indices of candidates that form the document-wide paragraph numbering 1, 2, 3, etc.

    Official paragraph numbers run through the whole document; numbered
    sub-headings restart per section.  A heading-shaped ``N.`` line is a
    paragraph only if it fits the running sequence and the next numbered
    candidate does not repeat its number.  A paragraph that opens with a short
    sentence (``1. 会员国提出了意见。秘书处…``) is prose, not a run-in heading,
    when it belongs to the sequence.
    """
    numbered = [i for i, c in enumerate(cands) if c.kind == "numbered" and c.value is not None]

    def prose(c: _Cand) -> bool:
        return not c.rank or c.marker == "run-in"

    chosen: set[int] = set()
    expected = None
    for pos, i in enumerate(numbered):
        c = cands[i]
        if expected is None:
            if prose(c):
                chosen.add(i)
                expected = (c.value or 0) + 1
            continue
        if c.value == expected:
            if not prose(c):
                nxt = next((cands[j] for j in numbered[pos + 1 :] if prose(cands[j])), None)
                if nxt is not None and nxt.value == c.value:
                    continue  # a sub-heading whose first paragraph carries the same number
            chosen.add(i)
            expected = (c.value or 0) + 1
    # Numbering that keeps restarting (PRC items 1. 2. under every （一）) is
    # not an official paragraph numbering, and neither are two or three lines.
    strays = sum(1 for i in numbered if prose(cands[i]) and i not in chosen)
    if len(chosen) < 3 or strays > max(2, len(chosen) // 4):
        return set()
    return chosen


def _end_of_front_matter(units: list[_Unit], cands: list[_Cand], first_struct: int) -> int:
    """Where the body starts, given the first heading or numbered paragraph.

    Before that point, a resolution's body starts at "大会，"; other documents'
    body starts with the first prose paragraph (a full sentence), unless it
    is the summary (摘要) of a report, which belongs to the front matter.
    """
    in_summary = False
    # Header fields (法規名稱：…, 修正日期：…) belong to the front matter, and so
    # does a note among them; the body starts after the last of them.
    start = 1 + max((k for k in range(first_struct) if _HEADER_FIELD.match(units[k].text)), default=-1)
    for k, u in enumerate(units[:first_struct]):
        if k < start:
            continue
        t = u.text
        if _RESOLUTION_OPENING.match(t):
            return k
        if _SUMMARY.match(t):
            in_summary = True
            continue
        if in_summary or cands[k].kind in ("footnote", "toc", "artifact", "row"):
            continue
        if (
            len(t) >= 30
            and not _LETTERHEAD.search(t)
            and (re.search(r"[。！？.!?][”’」』）)]?$", t) or (t.endswith(("：", ":")) and "如下" in t))
        ):
            return k
    return first_struct


def _leading_titles(units: list[_Unit], cands: list[_Cand]) -> int:
    """In text without structure, how many opening lines are a title block (title, date, place)."""
    k = 0
    while k < min(len(units), 6) and cands[k].kind in ("plain", "artifact", "yaml", "rule"):
        t = units[k].text
        if cands[k].kind == "plain" and (len(t) > 40 or _ends_sentence(t) or t.endswith(("，", ","))):
            break
        k += 1
    # Only a title block if prose follows it.
    return k if k < len(units) and k < 6 else 0


def _mark_rule_notes(units: list[_Unit], cands: list[_Cand]) -> None:
    """Under a rule line (``__________``), ``1 Text`` lines are footnotes (PDF copies)."""
    for k, c in enumerate(cands):
        if c.kind != "rule" or not units[k].text.startswith(("_", "＿")):
            continue
        for j in range(k + 1, len(units)):
            cj = cands[j]
            if cj.kind in ("artifact", "footnote"):
                continue
            m = _DIGIT_NOTE.match(units[j].text)
            if m is None or cj.kind not in ("plain", "row"):
                break
            cands[j] = _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))


def _mark_markdown(units: list[_Unit], cands: list[_Cand]) -> None:
    """YAML front matter, fenced code and setext headings (``Title`` over ``=====``)."""
    k = 0
    if units and units[0].text == "---" and cands[0].kind == "rule":
        end = next((j for j in range(1, min(len(units), 60)) if units[j].text == "---"), None)
        if end is not None:
            for j in range(end + 1):
                cands[j] = _Cand("yaml")
            k = end + 1
    fence: str | None = None
    for j in range(k, len(units)):
        t = units[j].text
        if fence is not None:
            cands[j] = _Cand("code")
            if t.startswith(fence):
                fence = None
            continue
        m = _FENCE.match(t)
        if m:
            fence = m.group(1)
            cands[j] = _Cand("code")
            continue
        if (
            j + 1 < len(units)
            and _SETEXT.match(units[j + 1].text)
            and len(units[j + 1].text) >= 3
            and not units[j + 1].after_blank
            and cands[j].kind in ("plain", "numbered", "heading")
            and _heading_shaped(t)
        ):
            level = 1 if units[j + 1].text[0] == "=" else 2
            inner = cands[j] if cands[j].kind == "heading" else None
            cands[j] = _Cand(
                "heading",
                rank=level * 10 - 5,
                label=inner.label if inner else None,
                title=inner.title if inner else t,
                family=f"md{level}",
                value=inner.value if inner else None,
                marker="setext",
            )


def _merge_indented(units: list[_Unit], cls: _Classifier) -> list[_Unit]:
    """Hard-wrapped text whose paragraphs start with an indent (``\u3000\u3000``, a tab).

    A line without indent continues the paragraph above when that paragraph's
    last line ran to the wrapping width (whatever its last character).
    """
    indented = [u for u in units if u.indent and u.indent.strip(" ") != ""] + [
        u for u in units if len(u.indent) >= 2 and not u.indent.strip(" ")
    ]
    lengths = sorted(len(u.text) + len(u.indent) for u in units if len(u.text) > 10)
    if len(units) < 4 or not lengths:
        return units
    width = lengths[int(len(lengths) * 0.75)]
    indent_marked = len(indented) >= 0.1 * len(units)
    # Copied from a PDF: no indents, no blank lines, but most lines have the
    # same length (give or take a character or two): the wrapping width.
    counts = Counter(lengths)

    def near(n: int) -> int:
        return sum(counts.get(m, 0) for m in range(n - 2, n + 2))

    common = max(counts, key=near)
    wrapped = common >= 20 and near(common) >= 0.4 * len(lengths)
    if not indent_marked and not wrapped:
        return units
    if not indent_marked:
        width = common
    out: list[_Unit] = []
    last_line = 0
    for u in units:
        if out and not u.indent and not u.after_blank and u.hint is None and out[-1].hint is None:
            prev = out[-1]
            c = cls.classify(u)
            pc = cls.classify(prev)
            if indent_marked:
                joins = bool(prev.indent) and (last_line >= 0.9 * width or not _ends_sentence(prev.text))
            else:
                joins = last_line >= width - 2  # only a full line was wrapped
            if c.kind == "plain" and pc.kind in ("plain", "numbered", "footnote") and joins:
                prev.text = _join(prev.text, u.text)
                prev.spans = prev.spans + u.spans
                last_line = len(u.text)
                continue
        out.append(u)
        last_line = len(u.text) + len(u.indent)
    return out


def _blank_separated(units: list[_Unit]) -> bool:
    if len(units) < 4:
        return True
    return sum(1 for u in units if u.after_blank) >= 0.45 * len(units)


def _merge_groups(units: list[_Unit], cls: _Classifier) -> list[_Unit]:
    """In blank-line separated text, join lines of one group that continue each other."""
    out: list[_Unit] = []
    for u in units:
        if out and not u.after_blank and u.hint is None and out[-1].hint is None:
            prev = out[-1]
            c = cls.classify(u)
            pc = cls.classify(prev)
            if _ATTACHMENT_LIST.match(prev.text) and c.kind == "numbered":
                prev.text = prev.text + "\n" + u.text
                prev.spans = prev.spans + u.spans
                continue
            wrap_width = 60 if prev.text[-1:].isascii() else _MAX_HEADING // 2
            if (
                c.kind == "plain"
                and pc.kind in ("plain", "numbered", "footnote")
                and not _ends_sentence(prev.text)
                and len(prev.text) > wrap_width
                and _starts_continuation(u.text)
                and not _COLUMNS.search(prev.text)
                and not _COLUMNS.search(u.text)
            ):
                prev.text = _join(prev.text, u.text)
                prev.spans = prev.spans + u.spans
                continue
        out.append(u)
    return out


def _is_continuation(prev_text: str, nxt: _Unit, cand: _Cand) -> bool:
    """Does ``nxt`` carry on a paragraph that a page break cut (``prev_text``)?"""
    if cand.kind != "plain" or nxt.hint is not None:
        return False
    if _ends_sentence(prev_text) or len(prev_text) < 8 or _ATTACHMENT_LIST.match(prev_text):
        return False
    t = nxt.text
    if len(t) < 15 and not _ends_sentence(t):
        return False  # a signature, a date, a stray title: not the rest of a sentence
    if prev_text.endswith(("，", ",")) and _PREAMBLE_VERB.match(t):
        return False  # resolutions: each preambular paragraph ends with a comma
    if len(prev_text) < 40 and _heading_shaped(prev_text) and not re.search(r"[，,、；;]", prev_text):
        return False  # an unnumbered heading line, not the first half of a sentence
    return _starts_continuation(t)


_CIRCULATION = re.compile(r"^(抄送|主送|分送|发送)\s*[:：]|印发$")
_PREAMBLE_VERB = re.compile(
    r"^(回顾|重申|注意到|认识到|意识到|深切关注|深为关切|关切|欢迎|强调|铭记|考虑到|确认|申明|表示|赞赏|注意|又|还|"
    r"Recalling|Reaffirming|Noting|Welcoming|Recognizing|Recognising|Bearing|Emphasizing|Stressing|Concerned|"
    r"Deeply|Taking note|Acknowledging|Expressing|Mindful|Convinced|Guided|Affirming|Having)"
)


_SUP_REF = re.compile(rf"(?<=[^\s{_SUPERSCRIPTS}])\s?([{_SUPERSCRIPTS}]+)")


def parse_text(
    text: str,
    *,
    doc_id: str = "",
    source_name: str = "",
    source_hash: str = "",
    hints: Mapping[int, LineHint] | None = None,
    title: str | None = None,
    symbol: str | None = None,
) -> Document:
    r"""Parse decoded text (line ends ``\n``) into a Document.

    Args:
        text: The decoded source.
        doc_id: Library id of the document (empty for an ad-hoc parse).
        source_name: File name, used for the title when none is found.
        source_hash: Hash of the original file (the revision).
        hints: Structure known from a richer format, keyed by line index.
        title: Title known from the file's properties.
        symbol: Document symbol known from the file.

    Returns:
        The document.  Never raises for any ``str``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    hints = hints or {}
    units = _split_units(text, hints)
    markdown = (
        source_name.lower().endswith((".md", ".markdown"))
        or sum(1 for u in units[:400] if _MD_HEADING.match(u.text)) >= 2
    )
    star_refs = bool(re.search(r"[^\s*]\*(?!\*)", text[:20000]))
    cls = _Classifier(markdown, star_refs)
    units = _merge_groups(units, cls) if _blank_separated(units) else _merge_indented(units, cls)
    cands = [cls.classify(u) for u in units]
    if markdown:
        _mark_markdown(units, cands)
    _mark_rule_notes(units, cands)
    _mark_toc(units, cands)
    official = _find_numbered_sequence(cands)
    legal = sum(1 for c in cands if c.family == "article") >= 2  # items in laws carry no paragraph number

    has_structure = (
        any(c.kind == "heading" for c in cands)
        or bool(official)
        or any(c.kind == "numbered" and c.rank for c in cands)
    )
    first_struct = next(
        (
            i
            for i, c in enumerate(cands)
            if c.kind == "heading" or i in official or (c.kind == "numbered" and c.rank)
        ),
        len(units),
    )
    if not has_structure:
        first_struct = _leading_titles(units, cands)
    first_struct = _end_of_front_matter(units, cands, first_struct)

    b = _Builder(text)
    consumed: set[int] = set()
    pending_para: Block | None = None  # last paragraph that may continue after a page break

    def emit_para(i: int, u: _Unit, c: _Cand, number: str | None, body: str, kind: BlockKind) -> Block:
        prefix = {BlockKind.PARAGRAPH: "t", BlockKind.TEXT: "t", BlockKind.FRONT_MATTER: "fm"}[kind]
        if number is not None and kind is BlockKind.PARAGRAPH and re.fullmatch(r"[\w.\-]+", number):
            bid = b.unique(f"p{number}")
        else:
            bid = b.next_id(prefix)
        return b.add(
            Block(
                id=bid,
                kind=kind,
                text=clean_inline(_strip_md(body) if markdown else body),
                spans=tuple(u.spans),
                number=number,
            )
        )

    i = 0
    n = len(units)
    while i < n:
        if i in consumed:
            i += 1
            continue
        u, c = units[i], cands[i]

        # A paragraph cut by a page break continues here: skip artefacts and
        # footnotes that the page break put in between.
        if pending_para is not None and _is_continuation(pending_para.text, u, c):
            pending_para.text = _join(pending_para.text, clean_inline(u.text))
            pending_para.spans = (*pending_para.spans, *u.spans)
            i += 1
            continue
        if c.kind not in ("artifact", "footnote", "rule"):
            pending_para = None

        if c.kind == "toc":
            b.add(Block(id=b.next_id("fm"), kind=BlockKind.FRONT_MATTER, text=u.text, spans=tuple(u.spans)))
            i += 1
            continue
        if c.kind == "footnote":
            bid = b.unique(_footnote_id(c.marker)) if c.marker else b.next_id("fn")
            b.add(
                Block(
                    id=bid,
                    kind=BlockKind.FOOTNOTE,
                    text=clean_inline(c.body),
                    spans=tuple(u.spans),
                    number=c.marker or None,
                )
            )
            i += 1
            continue
        if c.kind == "yaml":
            b.add(Block(id=b.next_id("fm"), kind=BlockKind.FRONT_MATTER, text=u.text, spans=tuple(u.spans)))
            i += 1
            continue
        if c.kind in ("rule", "code") or (c.kind == "artifact" and has_structure):
            b.add(Block(id=b.next_id("t"), kind=BlockKind.TEXT, text=u.text, spans=tuple(u.spans)))
            i += 1
            continue
        if c.kind == "row" and i >= first_struct:
            rows: list[list[str]] = []
            spans_t: list[Span] = []
            texts: list[str] = []
            j = i
            while j < n and cands[j].kind == "row":
                rows.append(_table_cells(units[j].text) or [units[j].text])
                spans_t.extend(units[j].spans)
                texts.append(units[j].text)
                j += 1
            b.add(
                Block(
                    id=b.next_id("tbl"),
                    kind=BlockKind.TABLE,
                    text="\n".join(texts),
                    spans=tuple(spans_t),
                    cells=rows,
                )
            )
            i = j
            continue
        if c.kind == "table":
            cells = [list(r) for r in (u.hint.cells or ())] if u.hint else None
            b.add(
                Block(
                    id=b.next_id("tbl"), kind=BlockKind.TABLE, text=u.text, spans=tuple(u.spans), cells=cells
                )
            )
            i += 1
            continue
        if c.kind == "figure":
            spans = list(u.spans)
            parts = [u.text]
            j = i + 1
            while j < n and j - i <= 4:
                cj = cands[j]
                tj = units[j].text
                if cj.kind == "plain" and (
                    _CAPTION_TAIL.match(tj) or (_heading_shaped(tj) and len(tj) <= 80)
                ):
                    parts.append(tj)
                    spans.extend(units[j].spans)
                    consumed.add(j)
                    j += 1
                    continue
                break
            label = c.label or ""
            num_m = re.search(rf"([{_CN_NUM}\d]+|[IVX]+)$", label)
            fig_value = (cn_to_int(num_m.group(1)) or roman_to_int(num_m.group(1))) if num_m else None
            b.add(
                Block(
                    id=b.next_id("fig"),
                    kind=BlockKind.FIGURE,
                    text=clean_inline(" ".join(parts)),
                    spans=tuple(spans),
                    number=str(fig_value) if fig_value is not None else None,
                    label=label or None,
                )
            )
            i += 1
            continue

        if i < first_struct:
            kind = BlockKind.FRONT_MATTER
            body = u.text
            m = _MD_HEADING.match(body)
            if m:
                body = m.group(2)
            emit_para(i, u, c, None, body, kind)
            i += 1
            continue

        # Headings ------------------------------------------------------
        if c.kind == "heading":
            is_item = b.in_article() and c.family in ("paren-cn", "paren-num", "cn-dun", "num", "num-full")
            letter_ok = True
            if c.family == "letter-nodot":
                prev = b.last_value("letter") or b.last_value("letter-nodot") or 0
                letter_ok = c.value == prev + 1
            if c.family in ("letter", "letter-nodot") and b.stack:
                # The no-dot form must continue the lettering of its chapter.
                pass
            if not is_item and letter_ok:
                if (
                    not c.title
                    and not c.body
                    and (c.family != "article" or len(units[i + 1].text if i + 1 < n else "") <= 15)
                    and i + 1 < n
                    and cands[i + 1].kind == "plain"
                    and _heading_shaped(units[i + 1].text)
                    and units[i + 1].hint is None
                ):
                    # "附件一" / "第一章" alone on a line, its title on the next one.
                    c.title = units[i + 1].text
                    b.open_heading(c, _join(u.text, " " + units[i + 1].text), [*u.spans, *units[i + 1].spans])
                    consumed.add(i + 1)
                    i += 1
                    continue
                if c.marker == "setext" and i + 1 < n:
                    b.open_heading(c, u.text, [*u.spans, *units[i + 1].spans])
                    consumed.add(i + 1)
                    i += 1
                    continue
                if c.marker == "run-in" and c.body:
                    (s0, _e0) = u.spans[0]
                    cut = s0 + c.body_offset
                    hspans = [(s0, cut)]
                    htext = text[s0:cut].rstrip()
                    hspans = [(s0, s0 + len(htext))]
                    b.open_heading(c, htext, hspans)
                    body_span = [(cut, u.spans[0][1]), *u.spans[1:]]
                    body_unit = _Unit(c.body, body_span, u.line)
                    pending_para = emit_para(i, body_unit, c, None, c.body, BlockKind.PARAGRAPH)
                elif c.family == "article" and c.body:
                    (s0, _e0) = u.spans[0]
                    cut = s0 + c.body_offset
                    htext = text[s0:cut].rstrip()
                    b.open_heading(c, htext, [(s0, s0 + len(htext))])
                    body_unit = _Unit(c.body, [(cut, u.spans[0][1]), *u.spans[1:]], u.line)
                    pending_para = emit_para(i, body_unit, c, None, c.body, BlockKind.PARAGRAPH)
                else:
                    b.open_heading(c, u.text, list(u.spans))
                i += 1
                continue
            emit_para(i, u, c, None, u.text, BlockKind.PARAGRAPH)
            pending_para = b.blocks[-1]
            i += 1
            continue

        if c.kind == "numbered":
            if i in official:
                pending_para = emit_para(i, u, c, c.label, c.full_body or c.body, BlockKind.PARAGRAPH)
                i += 1
                continue
            if c.rank and not b.in_article():
                cands[i] = dataclasses.replace(c, kind="heading")
                continue  # handled as a heading on the next turn of the loop
            # A numbered list item that is not part of the official numbering.
            pending_para = emit_para(
                i,
                u,
                c,
                c.label if not official and not legal else None,
                u.text if official else (c.full_body or c.body),
                BlockKind.PARAGRAPH,
            )
            if official:
                pending_para.number = None
            i += 1
            continue

        # plain text or an artefact in a document without structure
        pending_para = emit_para(i, u, c, None, u.text, BlockKind.PARAGRAPH)
        i += 1

    _mark_closing_lines(b.blocks)
    _link_footnotes(b.blocks)
    blocks = sorted(b.blocks, key=lambda blk: blk.spans[0][0] if blk.spans else 0)
    doc_title = title or _find_title(blocks, b.roots, text, source_name)
    doc_symbol = symbol or _find_symbol(blocks, source_name)
    return Document(
        id=doc_id,
        title=doc_title,
        source=text,
        blocks=blocks,
        tree=b.roots,
        symbol=doc_symbol,
        language=detect_language(text),
        source_hash=source_hash,
        source_name=source_name,
    )


def _mark_closing_lines(blocks: list[Block]) -> None:
    """Short lines after the last full paragraph (signature, date, place) are text, not paragraphs."""
    for blk in blocks:
        if blk.kind in (BlockKind.PARAGRAPH, BlockKind.TABLE) and _CIRCULATION.search(blk.text):
            blk.kind = BlockKind.TEXT  # 抄送：… / …办公厅 2023年3月1日印发
            blk.cells = None
    for blk in reversed(blocks):
        if blk.kind in (BlockKind.FOOTNOTE, BlockKind.TEXT, BlockKind.FIGURE, BlockKind.TABLE):
            continue
        if (
            blk.kind is not BlockKind.PARAGRAPH
            or blk.number
            or len(blk.text) > 30
            or _ends_sentence(blk.text)
        ):
            return
        blk.kind = BlockKind.TEXT


def _footnote_id(marker: str) -> str:
    """``¹`` → ``fn1``, ``12`` → ``fn12``, ``*`` → ``fnstar``, ``**`` → ``fnstar2``."""
    digits = "".join(_SUP_TO_DIGIT.get(ch, ch) for ch in marker)
    if digits.isdigit():
        return f"fn{digits}"
    if set(marker) == {"*"}:
        return "fnstar" if len(marker) == 1 else f"fnstar{len(marker)}"
    if marker in "†‡":
        return "fndagger" if marker == "†" else "fndagger2"
    safe = re.sub(r"[^A-Za-z0-9]", "", marker)
    return f"fn{safe}" if safe else "fn"


def _link_footnotes(blocks: list[Block]) -> None:
    """Link each footnote to the nearest earlier block that carries its marker."""
    for idx, fn in enumerate(blocks):
        if fn.kind is not BlockKind.FOOTNOTE or not fn.number:
            continue
        marker = fn.number
        for prev in reversed(blocks[:idx]):
            if prev.kind is BlockKind.FOOTNOTE:
                continue
            if _has_marker(prev.text, marker):
                prev.footnotes.append(fn.id)
                fn.referenced_by.append(prev.id)
                break
        else:
            # References can also come after the note (notes gathered at the
            # end of a section are common in converted files).
            for nxt in blocks[idx + 1 :]:
                if nxt.kind is not BlockKind.FOOTNOTE and _has_marker(nxt.text, marker):
                    nxt.footnotes.append(fn.id)
                    fn.referenced_by.append(nxt.id)
                    break


def _has_marker(text: str, marker: str) -> bool:
    if marker and marker[0] in _SUPERSCRIPTS:
        return re.search(rf"(?<![{_SUPERSCRIPTS}]){re.escape(marker)}(?![{_SUPERSCRIPTS}])", text) is not None
    if marker.startswith("*") or marker in "†‡":
        return re.search(rf"[^\s*]{re.escape(marker)}(?!\*)", text) is not None
    return f"[^{marker}]" in text or f"[{marker}]" in text


def _find_title(blocks: list[Block], roots: list[Heading], source: str, source_name: str) -> str:
    front = [blk for blk in blocks if blk.kind is BlockKind.FRONT_MATTER]
    texts = [blk.text.rstrip("*" + _SUPERSCRIPTS).strip() for blk in front]

    for t in texts:
        m = _FIELD_TITLE.match(t)
        if m:
            return m.group(1).strip()

    def with_continuation(k: int) -> str:
        # A long title is often broken over two lines with no blank between.
        t = texts[k]
        while (
            k + 1 < len(front)
            and _adjacent_lines(source, front[k], front[k + 1])
            and _title_like(texts[k + 1])
        ):
            t = _join(t, texts[k + 1])
            k += 1
        return t

    for t in texts:
        m = _GA_RESOLUTION.match(t)
        if m and _title_like(m.group(3)):
            return m.group(3).strip()
    for k, t in enumerate(texts):
        if _REPORT_TYPE.match(t):
            for j in range(k - 1, -1, -1):
                if _title_like(texts[j]):
                    while (
                        j > 0
                        and _adjacent_lines(source, front[j - 1], front[j])
                        and _title_like(texts[j - 1])
                    ):
                        j -= 1
                    return with_continuation(j)
            if len(t) > 6:
                return t  # "人权事务高级专员的报告" standing alone is the title
    for k, t in enumerate(texts):
        if _title_like(t) and _TITLE_WORDS.search(with_continuation(k)):
            return with_continuation(k)
    for k, t in enumerate(texts):
        if _title_like(t):
            return with_continuation(k)
    if roots and len(roots) == 1 and roots[0].title:
        return roots[0].title
    stem = source_name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return stem or (roots[0].title if roots else "Untitled")


_TITLE_WORDS = re.compile(
    r"关于|決定|决定|通知|意见|意見|法$|法典|条例|條例|規定|规定|办法|辦法|报告|報告|决议|決議|公约|公約|宣言|"
    r"的信$|函$|照会|说明$|声明|發言|发言|讲话|講話|致辞|致辭|"
    r"Report|Resolution|Convention|Declaration|Implementation"
)


def _adjacent_lines(source: str, a: Block, b: Block) -> bool:
    if not a.spans or not b.spans:
        return False
    gap = source[a.spans[-1][1] : b.spans[0][0]]
    return gap.count("\n") == 1 and not gap.strip()


def _title_like(t: str) -> bool:
    limit = 160 if t.isascii() else 80
    return (
        2 <= len(t) <= limit
        and not _ends_sentence(t)
        and not _SESSION.match(t)
        and not UN_SYMBOL.match(t)
        and not _PRC_DOCNO.match(t)
        and not _SUMMARY.match(t)
        and not _REPORT_TYPE.match(t)
        and not _is_artifact(t)
        and not _LETTERHEAD.search(t)
        and not (t[0] in "（(" and t[-1] in "）)")  # （2021年9月21日，纽约）: date and place
    )


_LETTERHEAD = re.compile(
    r"^(United Nations|联合国|聯合國|General Assembly|大会|Security Council|安全理事会|Distr\.|Original:|"
    r"(Chinese|English|French|Russian|Spanish|Arabic|中文|英文|法文|俄文|西班牙文|阿拉伯文)$|"
    r"\d{1,2} \w+ \d{4}$|\d{4}年\d{1,2}月\d{1,2}日$)|\s{3,}"
)


def _find_symbol(blocks: list[Block], source_name: str) -> str | None:
    for blk in blocks[:40]:
        if blk.kind in (BlockKind.FRONT_MATTER, BlockKind.TEXT) or (
            blk.kind is BlockKind.PARAGRAPH and not blk.number
        ):
            t = blk.text.strip()
            if UN_SYMBOL.match(t) or _PRC_DOCNO.match(t):
                return t
            m = re.search(r"\s{2,}(\S+)$", t)
            if m and UN_SYMBOL.match(m.group(1)):
                return m.group(1)
            m = _GA_RESOLUTION.match(t)
            if m and blk.kind is BlockKind.FRONT_MATTER:
                return f"A/RES/{m.group(1)}/{m.group(2)}"
            m = _SC_RESOLUTION.match(t)
            if m:
                num, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                return f"S/RES/{num} ({year})"
    m = re.search(r"(?<![A-Za-z])([ASE])[_-](RES[_-])?(\d{1,3})[_-](\d{1,4})", source_name)
    if m:
        return "/".join(
            p.strip("_-") for p in (m.group(1), "RES" if m.group(2) else "", m.group(3), m.group(4)) if p
        )
    return None


def detect_language(text: str) -> str:
    """``zh-Hans``, ``zh-Hant`` or ``en`` from the characters used."""
    sample = text[:30000]
    cjk = [c for c in sample if "\u4e00" <= c <= "\u9fff"]
    latin = sum(1 for c in sample if c.isascii() and c.isalpha())
    if len(cjk) < latin / 4:
        return "en"
    trad = sum(1 for c in cjk if c in _TRAD_MARKERS)
    simp = sum(1 for c in cjk if c in _SIMP_MARKERS)
    return "zh-Hant" if trad > simp else "zh-Hans"


_TRAD_MARKERS = set("這個們來時會說對國與為發經過還從問業進樣當點關應條權億務實導會議際東區協體戰鬥與")
_SIMP_MARKERS = set("这个们来时会说对国与为发经过还从问业进样当点关应条权亿务实导会议际东区协体战斗与")
