"""Expected structure of the real corpus, read from the documents themselves (never from the parser).

* Laws: the ``.md`` headings are the chapter tree of the ``.txt`` (``##`` is level 1, ``###``
  level 2); every line opening with ``第X条`` is an article, a leaf under the innermost heading
  before it.
* Work reports (.docx): paragraphs opening with ``一、``, ``二、`` … in sequence are chapters, and
  ``（一）``, ``（二）`` … in sequence after a chapter are its sections.
* UDHR: a preamble and 30 articles, numbered 1 to 30 in every language.

The code here is deliberately simple and shares nothing with ``reader.core``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "corpus"

_CN = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_value(s: str) -> int:
    """Value of a Chinese numeral below 1000 (``十二`` → 12, ``一百零五`` → 105)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            cur = _CN[ch]
    return total + cur


def squash(s: str) -> str:
    """Text without any whitespace."""
    return "".join(s.split())


@dataclass(frozen=True)
class Node:
    """One expected heading: depth in the tree and its text (label and title, no whitespace)."""

    level: int
    text: str
    article: bool | None = False  # None: an annex, matched on the start of its text


_ARTICLE = re.compile(r"^第([零〇一二三四五六七八九十百千\d]+)条")


_ANNEX_LINE = re.compile(r"^(附件|附录|附表)[一二三四五六七八九十\d]*[：:]?\S{0,30}$")


def law_outline(md: str) -> list[Node]:
    """The tree of a law's ``.txt`` from its ``.md``: headings, then articles under them.

    The ``.md`` marks no annex: an ``附件``/``附录`` line standing alone after the last article
    is expected as a top-level heading (``Node.text`` then holds only the start of its text),
    with nothing inside it a heading.
    """
    out: list[Node] = []
    depth = 0
    for raw in md.splitlines():
        line = raw.strip().replace("**", "")
        if _ANNEX_LINE.match(line) and any(n.article for n in out):
            out.append(Node(1, squash(line), article=None))
            break
        if line.startswith("##"):
            hashes = len(line) - len(line.lstrip("#"))
            depth = hashes - 1
            out.append(Node(depth, squash(line.lstrip("#"))))
            continue
        m = _ARTICLE.match(line)
        if m:
            out.append(Node(depth + 1, f"第{m.group(1)}条", article=True))
    return out


def law_title(md: str) -> str:
    """The ``#`` line of a law's Markdown."""
    for line in md.splitlines():
        if line.startswith("# "):
            return squash(line[2:])
    return ""


_CHAPTER = re.compile(r"^([一二三四五六七八九十]+)、")
_SECTION = re.compile(r"^[（(]([一二三四五六七八九十]+)[）)]")


def report_outline(paragraphs: list[str]) -> list[tuple[str, list[str]]]:
    """Chapters (``一、`` … in sequence) and their sections (``（一）`` … in sequence).

    Returns a list of (chapter paragraph, [section paragraphs]), whitespace removed; sections
    met before any numbered chapter are listed under an empty chapter.
    """
    out: list[tuple[str, list[str]]] = []
    for raw in paragraphs:
        text = squash(raw)
        m = _SECTION.match(text)
        if m and cn_value(m.group(1)) == 1 and all(not c for c, _ in out):
            out.append(("", []))  # sections before any numbered chapter (unnumbered chapters)
        m = _CHAPTER.match(text)
        if m and cn_value(m.group(1)) == sum(1 for c, _ in out if c) + 1:
            out.append((text, []))
            continue
        m = _SECTION.match(text)
        if m and out and cn_value(m.group(1)) == len(out[-1][1]) + 1:
            out[-1][1].append(text)
    return out


def docx_paragraphs(path: Path) -> list[str]:
    """Paragraph texts of a .docx, in order, read with python-docx directly."""
    import docx  # only the report checks need python-docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


UDHR_ARTICLE = {
    "cmn_hans": re.compile(r"^第([一二三四五六七八九十]+)条$"),
    "cmn_hant": re.compile(r"^第([一二三四五六七八九十]+)條$"),
    "eng": re.compile(r"^Article (\d+)$"),
    "fra": re.compile(r"^Article (premier|\d+)$"),
    "spa": re.compile(r"^Artículo (\d+)$"),
    "rus": re.compile(r"^Статья (\d+)$"),
    "arb": re.compile(r"^المادة (\d+)$"),
}


def udhr_articles(lang: str, text: str) -> list[int]:
    """Article numbers of a UDHR text, from its own article lines."""
    pattern = UDHR_ARTICLE[lang]
    out: list[int] = []
    for line in text.splitlines():
        m = pattern.match(line.strip())
        if m:
            v = m.group(1)
            out.append(1 if v == "premier" else cn_value(v))
    return out
