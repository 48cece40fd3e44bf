"""The table of numbering schemes: how each numbering is written and how to read its value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.core.parsing.numerals import _CN_NUM, cn_to_int
from reader.core.parsing.text import _SUPERSCRIPTS

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
