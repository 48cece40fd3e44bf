"""The table of numbering schemes: how each numbering is written and how to read its value.

Every style of numbering (and the few other line shapes a parser must know: notes, page
furniture, rules, captions) is one row of :data:`SCHEMES`.  A row names its family, the
pattern that recognises it at the start of a line, its rank (how deep it usually sits: lower
ranks hold higher ones; the document's own nesting refines this in :mod:`.runs` and
:mod:`.tree`), how to read its value as an integer, and the builder that turns a match into a
:class:`Cand`.  Rows are tried in order; a builder returning ``None`` lets the next row try.

Adding a style is adding a row.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from reader.core.furniture import is_page_furniture as _is_artifact
from reader.core.parsing.numerals import _CN_NUM, CYRILLIC_LETTERS, cn_to_int, letter_value, roman_to_int
from reader.core.parsing.text import _SUPERSCRIPTS, _ends_sentence, _heading_shaped

_LEGAL = re.compile(
    rf"^第\s*([{_CN_NUM}\d]+(?:\s*-\s*\d+)?)\s*(篇|编|編|分编|分編|章|节|節|目|条|條|部分)"
    rf"(之[{_CN_NUM}\d]+)?(?=\s|$|[\u3000]|[^\w]|[\u4e00-\u9fff])"
)
_CHAPTER_CN = re.compile(rf"^([{_CN_NUM}]+)\s*[.．、]\s*(.*)$")
_CHAPTER_ROMAN = re.compile(r"^([IVXLC]+)\.\s+(\S.*)$")
_CHAPTER_ROMAN_U = re.compile(r"^([\u2160-\u2188]+)\s*[.．、]?\s*(\S.*)$")  # Ⅰ. Ⅱ、 (U+2160…)
_SECTION_LETTER = re.compile(r"^([A-Z])(?:[.．]\s*|\s+(?=[\u4e00-\u9fff“《]))(\S.*)$")
_PAREN_CN = re.compile(rf"^[（(]\s*([{_CN_NUM}]+)\s*[）)]\s*(.*)$")
_PAREN_NUM = re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*(.*)$")
_EN_LABEL = re.compile(
    r"^(Part|PART|Chapter|CHAPTER|Section|SECTION|Article|ARTICLE)\s+(\d{1,3}|[IVXLC]{1,6}|premier|première)\b"
    r"\s*[:.\-–—]?\s*(.*)$"
)
# The same labels in the other UN languages (French ``Article`` is in the English row).
_UN_LABEL = re.compile(
    r"^(Artículo|ARTÍCULO|Capítulo|CAPÍTULO|Parte|PARTE|Chapitre|CHAPITRE|Partie|PARTIE|"
    r"Статья|СТАТЬЯ|Глава|ГЛАВА|Часть|ЧАСТЬ|Раздел|РАЗДЕЛ|المادة|الفصل|الجزء)\s+"
    r"(\d{1,3}|[IVXLC]{1,6}|primero|premier|première)\b\s*[:.\-–—]?\s*(.*)$"
)
# Units numbered by an ordinal word: ``Chapitre premier``, ``Capítulo primero``, ``الفصل الأول``.
_ORDINALS: dict[str, int] = {
    "premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3,
    "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
    "dixième": 10, "primero": 1, "primera": 1, "segundo": 2, "segunda": 2, "tercero": 3, "tercera": 3,
    "cuarto": 4, "cuarta": 4, "quinto": 5, "quinta": 5, "sexto": 6, "sexta": 6, "séptimo": 7,
    "séptima": 7, "octavo": 8, "octava": 8, "noveno": 9, "novena": 9, "décimo": 10, "décima": 10,
    "первая": 1, "вторая": 2, "третья": 3, "четвертая": 4, "четвёртая": 4, "пятая": 5,
    "الأول": 1, "الاول": 1, "الأولى": 1, "الثاني": 2, "الثانية": 2, "الثالث": 3, "الثالثة": 3,
    "الرابع": 4, "الرابعة": 4, "الخامس": 5, "الخامسة": 5, "السادس": 6, "السادسة": 6, "السابع": 7,
    "السابعة": 7, "الثامن": 8, "الثامنة": 8, "التاسع": 9, "التاسعة": 9, "العاشر": 10, "العاشرة": 10,
}  # fmt: skip
_UN_ORDINAL = re.compile(
    r"^(Chapitre|CHAPITRE|Partie|PARTIE|Capítulo|CAPÍTULO|Parte|PARTE|Глава|ГЛАВА|Часть|ЧАСТЬ|"
    r"Раздел|РАЗДЕЛ|الفصل|الجزء|الباب|الفرع)\s+(" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + r")"
    r"(?![\w\u0600-\u06ff])\s*[:.\-–—]?\s*(.*)$",
    re.IGNORECASE,
)
_DECISION = re.compile(r"^(决定|決定|决议|決議|Decision|Resolution)\s*(\d{2,3}/\d{1,4})$")  # 决定 75/401
# Russian UN documents letter their sections А. Б. В. (always with the dot: А and В alone are words).
_SECTION_CYRILLIC = re.compile(rf"^([{CYRILLIC_LETTERS}])[.．]\s*(\S.*)$")
_ALL_CAPS = re.compile(r"^[A-Z][A-Z0-9 ,:;&'’\-–()/]{2,80}$")
_PAREN_LATIN = re.compile(r"^[（(]([a-z])[)）]\s*(\S.*)$")
_DECIMAL = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")
_NUMBERED = re.compile(r"^(\d{1,4})\s*([.．、])(?!\d)\s*(.*)$")
# Arabic UN documents number chapters أولا - … (I.), sections ألف - … (A.), by the letters' names.
_AR_CHAPTERS = ("أولا", "ثانيا", "ثالثا", "رابعا", "خامسا", "سادسا", "سابعا", "ثامنا", "تاسعا", "عاشرا")
_AR_LETTERS = ("ألف", "باء", "جيم", "دال", "هاء", "واو", "زاي", "حاء", "طاء", "ياء", "كاف", "لام", "ميم")
_AR_CHAPTER = re.compile(r"^(" + "|".join(_AR_CHAPTERS) + r")\u064b?\s*-\s*(\S.*)$")
_AR_SECTION = re.compile(r"^(" + "|".join(_AR_LETTERS) + r")\s*-\s*(\S.*)$")
_NUMBERED_AR = re.compile(r"^(\d{1,4})\s?(-)\s*(?=[\u0600-\u06ff])(.*)$")
_FOOTNOTE_SUP = re.compile(rf"^([{_SUPERSCRIPTS}]+)\s*(\S.*)$")
_FOOTNOTE_STAR = re.compile(r"^(\*{1,3}|†|‡)\s*(\S.*)$")
_FOOTNOTE_MD = re.compile(r"^\[\^([^\]]+)\]:\s*(.*)$")
_FOOTNOTE_BRACKET = re.compile(r"^\[(\d{1,3})\]\s*(\S.*)$")
_FIGURE = re.compile(
    rf"^(图|圖|表|专栏|專欄|Figure|Table|Box)\s*([{_CN_NUM}\d]+|[IVX]+)(?![\u4e00-\u9fff]{{2}})\s*[.:：．]?\s*(.*)$"
)
_CAPTION_TAIL = re.compile(r"^[（(][^（()）]{1,20}[）)]$|^(资料来源|来源|注|說明|说明|Source|Note)\s*[:：]")
# Unnumbered headings that stand at the top level: preambles (in the six UN languages), general
# and supplementary provisions, back matter of reports.
_SPECIAL_TOP = re.compile(
    r"^(序言|序言部分|前言|序|引言|附则|附則|附录|附錄|结束语|(?:附[:：]?)?名词解释|名詞解釋|名词注释|名词说明|注释|后记|後記|"
    r"Preamble|PREAMBLE|Préambule|PRÉAMBULE|Preámbulo|PREÁMBULO|Преамбула|ПРЕАМБУЛА|الديباجة|"
    r"Annex(?:\s+[IVX\d]+)?)$"
)
# A preamble holds only its own text: the articles or chapters after it are its siblings.
_PREAMBLE = re.compile(
    r"^(序言|序言部分|前言|序|引言|Preamble|PREAMBLE|Préambule|PRÉAMBULE|Preámbulo|PREÁMBULO|Преамбула|ПРЕАМБУЛА|الديباجة)$"
)
_ANNEX = re.compile(
    rf"^(附件|附錄|附录|附表|Annex|ANNEX|Appendix)\s*([IVX]+\b|[{_CN_NUM}\d]*)\s*"
    r"(?:(?<=[\dIVX一二三四五六七八九十])[.．:：、]|[.．])?\s*([^:：].*)?$"
)
_ATTACHMENT_LIST = re.compile(r"^(附件|附录)\s*[:：]")
_ANNEX_COLON = re.compile(
    r"^(附件|附錄|附录|附表|Annex|ANNEX|Appendix)\s*[:：]$"
)  # 附件： alone, the annex below
_RULE = re.compile(r"^[_＿]{5,}$|^[-—–]{3,}$|^[*]{3,}$|^={3,}$")
_LEGAL_RANKS = {
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
_WORD_RANKS = {
    "part": 10,
    "parte": 10,
    "partie": 10,
    "часть": 10,
    "الجزء": 10,
    "chapter": 20,
    "capítulo": 20,
    "chapitre": 20,
    "глава": 20,
    "الفصل": 20,
    "section": 25,
    "sección": 25,
    "раздел": 25,
    "الباب": 10,
    "الفرع": 25,
    "article": 90,
    "artículo": 90,
    "статья": 90,
    "المادة": 90,
}
ARTICLE_RANK = 90
# Leaves of the tree: numbering inside them is their items, never a heading.
LEAF_FAMILIES = frozenset({"article", "decision"})
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
_ROMAN_U = "".join(chr(c) for c in range(0x2160, 0x2189))


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


@dataclass(frozen=True, slots=True)
class Context:
    """What the whole document says about how to read a line."""

    markdown: bool = False
    star_refs: bool = False


Builder = Callable[["Scheme", str, "re.Match[str]", Context], "_Cand | None"]


@dataclass(frozen=True, slots=True)
class Scheme:
    """One row of the table: a numbering style (or another line shape) and how to read it.

    Attributes:
        family: Name of the scheme (``article``, ``paren-cn``, ``num``...).
        example: How it is written, for the reader of this table.
        pattern: Matches the line start.
        rank: Usual depth (lower holds higher); 0 for shapes that are not headings.
        build: Turns a match into a candidate, or ``None`` to let the next row try.
        first: The characters a line of this scheme can start with ("" for any): lets a line
            skip the rows it cannot match.
    """

    family: str
    example: str
    pattern: re.Pattern[str]
    rank: int
    build: Builder
    first: str = ""


def read_value(s: str) -> int | None:
    """Integer value of any numeral a scheme writes (``十二``, ``12``, ``XII``, ``Ⅻ``, ``premier``)."""
    s = s.strip().rstrip(".．、")
    if s.lower() in ("premier", "première", "primero", "1er"):
        return 1
    if s.isdigit():
        return int(s)
    return cn_to_int(s) if cn_to_int(s) is not None else roman_to_int(s)


def _int_or_none(s: str) -> int | None:
    s = s.strip().rstrip(".．、")
    return int(s) if s.isdigit() else cn_to_int(s)


# ----------------------------------------------------------------- run-in titles

_RUN_IN_LIMIT = 30  # a lead-in longer than this is a heading only when its run says so (runs.py)
_LONG_RUN_IN = 90
_LONG_OK = frozenset({"paren-cn", "cn-dun"})


def _run_in(
    title: str, commas: bool = True, alone: bool = False, limit: int = _RUN_IN_LIMIT
) -> tuple[str, int] | None:
    """``指导思想。以…`` → (``指导思想``, offset of ``以``) when the lead-in is short.

    Args:
        title: Text after the numbering label.
        commas: Whether the lead-in may contain commas (``坚持稳中求进，经济实力迈上新台阶。``).
        alone: Accept a lead-in with nothing after it (``完善基层公共文化设施网络。``).
        limit: Longest lead-in accepted.
    """
    inner = r"[^。！？!?；;：:]" if commas else r"[^。！？!?；;，,：:、]"
    m = re.match(rf"^({inner}{{2,{limit}}})([。．！!])\s*", title)
    if m is None:
        return None
    if m.end() >= len(title) and not alone:
        return None
    return m.group(1).strip(), m.end()


# ----------------------------------------------------------------- builders


def _note(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if scheme.family == "note-star" and (not ctx.star_refs or (ctx.markdown and m.group(1) == "*")):
        return None
    return _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))


def _shape(kind: str) -> Builder:
    def build(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
        return _Cand(kind)

    return build


def _artifact(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    return _Cand("artifact") if _is_artifact(t) else None


def _legal(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    unit = m.group(2)
    label = t[: m.end()].replace(" ", "").replace("\u3000", "")
    rest = t[m.end() :]
    value = cn_to_int(m.group(1).split("-")[0])
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
            rank=ARTICLE_RANK,
            label=label,
            title=art_title,
            family="article",
            value=value,
            body=t[body_at:],
            body_offset=body_at,
        )
    title = rest.strip(" \u3000").lstrip("：:").strip(" \u3000")  # 第一章：宗旨及原则
    if not _heading_shaped(title) and title:
        return _Cand("plain")
    return _Cand(
        "heading", rank=_LEGAL_RANKS[unit], label=label, title=title, family=f"legal-{unit}", value=value
    )


def _word_label(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    """``Article 12``, ``Article premier``, ``Artículo 1``, ``Статья 1``, ``المادة 1``, ``Chapter IV``."""
    if m.group(3) and not _heading_shaped(m.group(3)):
        return None
    word = m.group(1).lower()
    rank = _WORD_RANKS[word]
    return _Cand(
        "heading",
        rank=rank,
        label=f"{m.group(1)} {m.group(2)}",
        title=(m.group(3) or "").strip(),
        family="article" if rank == ARTICLE_RANK else f"en-{word}",
        value=read_value(m.group(2)),
    )


def _ordinal_label(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    """``Chapitre premier``, ``Capítulo primero``, ``Глава первая``, ``الفصل الأول``: unit and ordinal."""
    if m.group(3) and not _heading_shaped(m.group(3)):
        return None
    word = m.group(1).lower()
    rank = _WORD_RANKS.get(word, 20)
    return _Cand(
        "heading",
        rank=rank,
        label=f"{m.group(1)} {m.group(2)}",
        title=(m.group(3) or "").strip(),
        family=f"en-{word}",
        value=_ORDINALS.get(m.group(2).lower()),
    )


def _decision(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    """``决定 75/401`` alone on a line (volumes of decisions): a leaf, its title on the next line."""
    label = "".join(t.split())
    return _Cand(
        "heading", rank=scheme.rank, label=label, family="decision", value=int(m.group(2).split("/")[1])
    )


def _all_caps(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if sum(ch.isalpha() for ch in t) < 4 or _ends_sentence(t):
        return None
    return _Cand("heading", rank=scheme.rank, label=None, title=t, family="caps")


def _annex(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if m.group(3) and not _heading_shaped(m.group(3)):
        return None
    label = (m.group(1) + (" " if m.group(1)[0].isascii() and m.group(2) else "") + m.group(2)).strip()
    return _Cand(
        "heading",
        rank=scheme.rank,
        label=label,
        title=(m.group(3) or "").strip(),
        family="annex",
        value=read_value(m.group(2)) if m.group(2) else 1,
    )


def _annex_colon(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    return _Cand("heading", rank=scheme.rank, label=m.group(1), title="", family="annex", value=1)


def _special(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if len(t) > 12 or not _SPECIAL_TOP.match(re.sub(r"\s+", "", t)):  # 序　言 is 序言
        return None
    family = "preamble" if _PREAMBLE.match(re.sub(r"\s+", "", t)) else "special"
    return _Cand("heading", rank=scheme.rank, label=None, title=t, family=family)


def _figure(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if m.group(3) and not _heading_shaped(m.group(3)):
        return None
    return _Cand("figure", label=m.group(1) + m.group(2), title=m.group(3))


def _titled(
    scheme: Scheme, t: str, m: re.Match[str], *, allow_run_in: bool = True, label_raw: bool = False
) -> _Cand:
    """A label then a title: a heading if the title is heading-shaped or a short run-in lead."""
    family, rank = scheme.family, scheme.rank
    value = read_value(m.group(1))
    title = m.group(2)
    label = t[: m.start(2)].strip() if label_raw else m.group(1)
    if label_raw:
        label = label.replace("(", "（").replace(")", "）").replace(" ", "")
    if not title:
        return _Cand("heading", rank=rank, label=label, title="", family=family, value=value)
    if _heading_shaped(title):
        return _Cand("heading", rank=rank, label=label, title=title.strip(), family=family, value=value)
    if allow_run_in:
        run_in = _run_in(title, commas=family != "paren-num", alone=family == "paren-cn")
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
        long = _run_in(title, alone=family == "paren-cn", limit=_LONG_RUN_IN) if family in _LONG_OK else None
        if long is not None:
            # （二）健全…机制，推动…结出新硕果。正文…: a heading only if its run says so (runs.py).
            head, body_at = long
            body = title[body_at:]
            return _Cand(
                "plain",
                rank=0,
                label=label,
                title=head,
                family=family,
                value=value,
                body=body,
                body_offset=m.start(2) + body_at if body else 0,
                marker="long-run-in",
            )
    # Not a heading by its shape; remember the numbering so a run can still claim it.
    return _Cand("plain", label=label, value=value, family=family, marker="numbered-text")


def _chapter_cn(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    sep = t[len(m.group(1)) :].lstrip()[:1]
    row = scheme if sep == "、" else _ROW_CN_DOT
    return _titled(row, t, m)


def _chapter_roman(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if roman_to_int(m.group(1)) is None:
        return None
    return _titled(scheme, t, m, allow_run_in=False)


def _ar_numbered(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    """``أولا - مقدمة`` (chapter I), ``باء - …`` (section B): the Arabic forms of I. and A."""
    c = _titled(scheme, t, m, allow_run_in=False)
    names = _AR_CHAPTERS if scheme.family == "roman" else _AR_LETTERS
    c.value = names.index(m.group(1)) + 1
    return c


def _letter(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    c = _titled(scheme, t, m, allow_run_in=False)
    c.value = letter_value(m.group(1)) or 0
    if c.kind == "heading" and not (len(t) > 1 and t[1] in ".．"):
        c.family = "letter-nodot"
    return c


def _paren(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if scheme.family == "paren-num" and not m.group(2):
        return None
    return _titled(scheme, t, m, label_raw=True)


def _numbered(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if not m.group(3):
        return None
    title = m.group(3)
    cand = _Cand(
        "numbered",
        value=int(m.group(1)),
        label=m.group(1),
        body=title,
        body_offset=m.start(3),
        family="num-full" if m.group(2) == "．" else "num",
        full_body=title,
    )
    if _heading_shaped(title):
        cand.title = title
        cand.rank = scheme.rank
    else:
        run_in = _run_in(title)
        if run_in is not None:
            cand.title, body_at = run_in
            cand.rank = scheme.rank
            cand.marker = "run-in"
            cand.body = title[body_at:]
            cand.body_offset = m.start(3) + body_at
    return cand


def _paren_latin(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    if not _heading_shaped(m.group(2)) or ctx.markdown:
        return None
    # UN sub-sub-headings: (a) 数据交易 — short, no sentence end (items in prose end with ；/。).
    return _Cand(
        "heading",
        rank=scheme.rank,
        label=f"({m.group(1)})",
        title=m.group(2).strip(),
        family="paren-latin",
        value=ord(m.group(1)) - 96,
    )


def _decimal(scheme: Scheme, t: str, m: re.Match[str], ctx: Context) -> _Cand | None:
    rest = m.group(2)
    if not _heading_shaped(rest) and not re.match(r"[\d%‰亿万千百元美倍年月日个名人项次]", rest):
        # 3.1 as a paragraph number (some reports number paragraphs by chapter).
        return _Cand("numbered", label=m.group(1), body=rest, body_offset=m.start(2), full_body=rest)
    if _heading_shaped(rest) and not re.match(r"[\d%]", rest):
        # 1.1 / 2.3.1 outline numbering: one level deeper per dot, below "1." headings.
        depth = m.group(1).count(".")
        return _Cand(
            "heading",
            rank=scheme.rank + 2 * depth,
            label=m.group(1),
            title=rest.strip(),
            family=f"decimal{depth}",
            value=int(m.group(1).split(".")[-1]),
        )
    return None


_ROW_CN_DOT = Scheme("cn-dot", "一. 导言", _CHAPTER_CN, 30, _chapter_cn)

SCHEMES: tuple[Scheme, ...] = (
    Scheme("note-md", "[^1]: 注文", _FOOTNOTE_MD, 0, _note, "["),
    Scheme("note-sup", "¹ 注文", _FOOTNOTE_SUP, 0, _note, _SUPERSCRIPTS),
    Scheme("artifact", "21-04567 / 7/24 / A/75/1", re.compile(r"^"), 0, _artifact),
    Scheme("note-star", "* 注文 (when the text has * references)", _FOOTNOTE_STAR, 0, _note, "*†‡"),
    Scheme("note-bracket", "[1] 注文", _FOOTNOTE_BRACKET, 0, _note, "["),
    Scheme("rule", "__________", _RULE, 0, _shape("rule"), "_＿-—–*="),
    Scheme("legal", "第一编/章/节/目/条, 第 1 條, 第一百二十条之一", _LEGAL, 20, _legal, "第"),
    Scheme("en-label", "Part/Chapter/Section/Article 1, Article premier", _EN_LABEL, 20, _word_label, "PCSA"),
    Scheme(
        "un-label", "Artículo 1, Статья 1, المادة 1, Chapitre II", _UN_LABEL, 20, _word_label, "ACPСГЧРال"
    ),
    Scheme(
        "un-ordinal",
        "Chapitre premier, Capítulo primero, الفصل الأول",
        _UN_ORDINAL,
        20,
        _ordinal_label,
        "CPcpГЧРгчрا",
    ),
    Scheme("decision", "决定 75/401, Decision 75/540", _DECISION, 70, _decision, "决決DR"),
    Scheme("caps", "INTRODUCTION", _ALL_CAPS, 35, _all_caps, _UPPER),
    Scheme("annex", "附件一, 附件1：标题, Annex II", _ANNEX, 5, _annex, "附A"),
    Scheme("annex", "附件：(alone on its line)", _ANNEX_COLON, 5, _annex_colon, "附A"),
    Scheme("special", "序言, Preamble, 附则, 名词解释", re.compile(r"^"), 5, _special),
    Scheme("figure", "图一, 表 1, Figure II", _FIGURE, 0, _figure, "图圖表专專FTB"),
    Scheme("cn-dun", "一、总体要求", _CHAPTER_CN, 30, _chapter_cn, _CN_NUM),
    Scheme("roman", "IV. Title", _CHAPTER_ROMAN, 30, _chapter_roman, "IVXLC"),
    Scheme("roman", "Ⅱ. 标题 (Unicode Roman numerals)", _CHAPTER_ROMAN_U, 30, _chapter_roman, _ROMAN_U),
    Scheme("letter", "A. 标题, D 标题", _SECTION_LETTER, 40, _letter, _UPPER),
    Scheme("letter", "Б. Развитие (Russian section B)", _SECTION_CYRILLIC, 40, _letter, CYRILLIC_LETTERS),
    Scheme("roman", "أولا - مقدمة (Arabic chapter I)", _AR_CHAPTER, 30, _ar_numbered, "أثرخسعت"),
    Scheme("letter", "ألف - … (Arabic section A)", _AR_SECTION, 40, _ar_numbered, "أبجدهوزحطيكلم"),
    Scheme("paren-cn", "（一）指导思想", _PAREN_CN, 40, _paren, "（("),
    Scheme("num", "1. 正文 / 1．标题 / 1、", _NUMBERED, 50, _numbered, _DIGITS),
    Scheme("num", "1 - نص (paragraph numbers of Arabic UN documents)", _NUMBERED_AR, 50, _numbered, _DIGITS),
    Scheme("paren-num", "（1）事项", _PAREN_NUM, 60, _paren, "（("),
    Scheme("paren-latin", "(a) 小标题", _PAREN_LATIN, 55, _paren_latin, "（("),
    Scheme("decimal", "1.1 标题, 3.2 正文", _DECIMAL, 50, _decimal, _DIGITS),
)


@functools.cache
def _rows_for(first: str) -> tuple[Scheme, ...]:
    """The rows a line starting with ``first`` can match, in table order."""
    digit = first.isdecimal()  # \d in a pattern is any decimal digit (Arabic-Indic ٣ too)
    return tuple(s for s in SCHEMES if not s.first or first in s.first or (digit and s.first == _DIGITS))


def match_line(t: str, ctx: Context) -> _Cand | None:
    """The first row of :data:`SCHEMES` that claims the line (ASCII-folded numbering)."""
    for scheme in _rows_for(t[:1]):
        m = scheme.pattern.match(t)
        if m is None:
            continue
        cand = scheme.build(scheme, t, m, ctx)
        if cand is not None:
            return cand
    return None
