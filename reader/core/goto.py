"""Go to a place by what a delegate hears: ``37``, ``¶37``, ``第37段``, ``第十条``, ``Article 10``, ``A.``.

:func:`parse_ref` reads a reference as typed (Chinese or English, full- or
half-width); :func:`resolve` finds the blocks of a document it names, best
first.  Paragraph numbers are the official ones (``Block.number``), articles
are headings labelled ``第十条``/``Article 10``, section labels are heading
labels as written (``一``, ``A``, ``II``, ``（一）``).  Qt-free: the search box,
Ctrl+G and the ``goto`` command share it.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass

from reader.core.model import Block, BlockKind, Document
from reader.core.parser import cn_to_int, roman_to_int

_CN = "零〇一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾"
_NUM = rf"[0-9]+|[{_CN}]+"
_PARA_RES = (
    re.compile(r"^[¶§]\s*([0-9]+(?:\.[0-9]+)*)$"),
    re.compile(rf"^第\s*({_NUM})\s*段$"),
    re.compile(r"^(?:paras?|paragraph|pàrr|párr|para)\.?\s*([0-9]+(?:\.[0-9]+)*)$", re.IGNORECASE),
)
_BARE_RE = re.compile(r"^([0-9]+)$")
# A resolution's paragraphs as negotiators name them: OP2 / operative paragraph 2 / 执行部分第2段
# (its numbered paragraphs), PP3 / preambular paragraph 3 / 序言部分第三段 (the unnumbered ones
# between "The General Assembly," and paragraph 1), also "the second operative paragraph".
_ORDINALS = [
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"),
    *("eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth"),
    *("eighteenth", "nineteenth", "twentieth"),
]
_OP_RES = (
    re.compile(r"^op\.?\s*([0-9]+)$", re.IGNORECASE),
    re.compile(r"^operative\s+(?:paragraph|para)\.?\s*([0-9]+)$", re.IGNORECASE),
    re.compile(rf"^(?:执行部分|執行部分)\s*第\s*({_NUM})\s*段$"),
    re.compile(rf"^第\s*({_NUM})\s*(?:执行|執行)段$"),
)
_PP_RES = (
    re.compile(r"^pp\.?\s*([0-9]+)$", re.IGNORECASE),
    re.compile(r"^preambular\s+(?:paragraph|para)\.?\s*([0-9]+)$", re.IGNORECASE),
    re.compile(rf"^序言部分\s*第\s*({_NUM})\s*段$"),
    re.compile(rf"^第\s*({_NUM})\s*序言段$"),
)
_ORDINAL_RE = re.compile(
    rf"^(?:the\s+)?({'|'.join(_ORDINALS)})\s+(operative|preambular)\s+(?:paragraph|para)$", re.IGNORECASE
)
_ARTICLE_RES = (
    # 第十条, 第10条, 第一百二十条之一 (an inserted article), 第 1-1 條 (Taiwan style)
    re.compile(rf"^第\s*(?:{_NUM})(?:\s*-\s*[0-9]+)?\s*[条條](?:之\s*(?:{_NUM}))?$"),
    re.compile(r"^(?:article|art)\.?\s*(?:[0-9]+|[IVXLC]+)$", re.IGNORECASE),
)
_FOOTNOTE_RE = re.compile(rf"^(?:脚注|註|注|footnote|fn)\.?\s*({_NUM}|\*+)$", re.IGNORECASE)
# A heading label as written, with its punctuation: 一.  一、  A.  II.  （一）  (a)  第二章  Chapter II
_LABEL_CHARS = rf"[{_CN}]+|[A-Z]|[IVXLC]+|[0-9]+(?:\.[0-9]+)*"
_LABEL_RES = (
    re.compile(rf"^({_LABEL_CHARS})\s*[.、．:：]$"),
    re.compile(rf"^[（(]\s*({_LABEL_CHARS}|[a-z])\s*[)）]$"),
    re.compile(rf"^(第\s*(?:{_NUM})\s*(?:分编|分編|编|編|章|节|節|部分|篇|目|部))$"),
    re.compile(r"^((?:part|chapter|section|annex)\s+(?:[0-9]+|[IVXLC]+|[A-Z]))$", re.IGNORECASE),
    re.compile(rf"^((?:附件|附表|附录|附錄)\s*(?:[0-9]+|[{_CN}]+)?)$"),
)
_ARTICLE_LABEL = re.compile(rf"^第\s*({_NUM})(?:\s*-\s*([0-9]+))?\s*[条條](?:之\s*({_NUM}))?$")
_EN_ARTICLE_LABEL = re.compile(r"^(?:Article|art)\.?\s*([0-9]+|[IVXLC]+)$", re.IGNORECASE)
_PUNCT = str.maketrans("", "", " .、．:：()（）\u3000")


class RefKind(enum.StrEnum):
    """What a reference names; the values are part of the ``goto --json`` contract."""

    PARAGRAPH = "paragraph"
    ARTICLE = "article"
    HEADING = "heading"
    FOOTNOTE = "footnote"


@dataclass(frozen=True, slots=True)
class Ref:
    """A parsed reference: what kind of place and its number or label as typed."""

    kind: RefKind
    value: str
    bare: bool = False
    """A plain number (``37``): a paragraph, else an article or heading with that number."""
    preamble: bool = False
    """A resolution's preambular paragraph, counted (they have no numbers): ``PP3``."""


@dataclass(frozen=True, slots=True)
class Target:
    """A place a reference resolved to."""

    block: str
    kind: RefKind
    label: str
    """How to name it: ``¶37``, ``第十条``, ``Article 10``, ``A. Background``."""
    number: str
    """The number or label as written in the document (``37``, ``十``, ``A``)."""
    path: list[str]

    def to_json(self) -> dict[str, object]:
        """The ``goto --json`` shape."""
        return {
            "block": self.block,
            "kind": self.kind.value,
            "label": self.label,
            "number": self.number,
            "path": self.path,
        }


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def number_value(text: str) -> int | None:
    """The value of an Arabic, Chinese or Roman number (``10``, ``十``, ``X``), or ``None``."""
    text = _fold(text)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    return cn_to_int(text) if not text.isascii() else roman_to_int(text.upper())


def parse_ref(text: str) -> Ref | None:
    """Read a typed reference; ``None`` when it is not one (then it is an ordinary search)."""
    text = _fold(text)
    if not text or len(text) > 32:
        return None
    if m := _BARE_RE.match(text):
        return Ref(RefKind.PARAGRAPH, m.group(1), bare=True)
    if m := _ORDINAL_RE.match(text):
        value = str(_ORDINALS.index(m.group(1).lower()) + 1)
        return Ref(RefKind.PARAGRAPH, value, preamble=m.group(2).lower() == "preambular")
    for rxs, preamble in ((_OP_RES, False), (_PP_RES, True)):
        for rx in rxs:
            if m := rx.match(text):
                value = m.group(1)
                value = value if value.isascii() else str(number_value(value) or value)
                return Ref(RefKind.PARAGRAPH, value, preamble=preamble)
    for rx in _PARA_RES:
        if m := rx.match(text):
            value = m.group(1)
            return Ref(RefKind.PARAGRAPH, value if value.isascii() else str(number_value(value) or value))
    for rx in _ARTICLE_RES:
        if rx.match(text):
            return Ref(RefKind.ARTICLE, text)
    if m := _FOOTNOTE_RE.match(text):
        return Ref(RefKind.FOOTNOTE, m.group(1))
    for rx in _LABEL_RES:
        if m := rx.match(text):
            return Ref(RefKind.HEADING, m.group(1))
    return None


def _same_number(written: str | None, wanted: str) -> bool:
    if not written:
        return False
    written = _fold(written)
    if written == wanted:
        return True
    a, b = number_value(written), number_value(wanted)
    return a is not None and a == b


def article_key(label: str) -> tuple[int, int] | None:
    """``(number, insertion)`` of an article label: 第十条 (10, 0), 第十条之一 and 第10-1條 (10, 1)."""
    label = _fold(label)
    if m := _EN_ARTICLE_LABEL.match(label):
        value = number_value(m.group(1))
        return (value, 0) if value is not None else None
    m = _ARTICLE_LABEL.match(label)
    if m is None:
        return None
    value = number_value(m.group(1))
    sub = m.group(2) or m.group(3)
    inserted = number_value(sub) if sub else 0
    return (value, inserted) if value is not None and inserted is not None else None


def article_number(block: Block) -> int | None:
    """The article number of a heading labelled ``第十条`` / ``Article 10`` (``None`` otherwise)."""
    if block.kind is not BlockKind.HEADING:
        return None
    key = article_key(block.label or "")
    return key[0] if key is not None else None


def enclosing_article(document: Document, block_id: str) -> Block | None:
    """The article heading a block belongs to (the block itself if it is one)."""
    block = document.get_block(block_id)
    while block is not None:
        if article_number(block) is not None:
            return block
        block = document.get_block(block.parent) if block.parent else None
    return None


def _label_key(label: str) -> str:
    key = _fold(label).translate(_PUNCT)
    # "chapter ii" = "Chapter II", but (a) is not A.
    return key.casefold() if key.isascii() and len(key) > 3 else key


def _targets(document: Document, ref: Ref) -> list[Target]:
    out: list[Target] = []

    def add(block: Block, kind: RefKind, label: str, number: str) -> None:
        out.append(Target(block.id, kind, label, number, heading_path(document, block.id)))

    if ref.preamble:
        preamble = preambular_paragraphs(document)
        n = int(ref.value) if ref.value.isdigit() else 0
        if 1 <= n <= len(preamble):
            label = f"序言部分第{n}段" if document.language.startswith("zh") else f"PP{n}"
            add(preamble[n - 1], RefKind.PARAGRAPH, label, str(n))
        return out
    if ref.kind is RefKind.PARAGRAPH:
        for b in document.blocks:
            if b.kind is BlockKind.PARAGRAPH and _same_number(b.number, ref.value):
                add(b, RefKind.PARAGRAPH, f"¶{b.number}", b.number or "")
        if out or not ref.bare:
            return out
    if ref.kind is RefKind.ARTICLE or ref.bare:
        wanted = (int(ref.value), 0) if ref.bare else article_key(ref.value)
        for b in document.blocks:
            key = article_key(b.label or "") if b.kind is BlockKind.HEADING else None
            if wanted is not None and key == wanted:
                number = f"{key[0]}-{key[1]}" if key[1] else str(key[0])
                add(b, RefKind.ARTICLE, _fold(b.label or ""), number)
        if out or not ref.bare:
            return out
    if ref.kind is RefKind.FOOTNOTE:
        for b in document.blocks:
            if b.kind is BlockKind.FOOTNOTE and _same_number(b.number, ref.value):
                add(b, RefKind.FOOTNOTE, f"[{_fold(b.number or '')}]", _fold(b.number or ""))
        return out
    wanted_label = _label_key(ref.value)
    for node in document.headings():
        if node.label and _label_key(node.label) == wanted_label:
            block = document.block(node.block)
            add(block, RefKind.HEADING, node.display, node.label)
    if not out and _BARE_RE.match(ref.value):
        # "37." with no heading labelled 37 is paragraph 37 as printed.
        return _targets(document, Ref(RefKind.PARAGRAPH, ref.value))
    return out


def preambular_paragraphs(document: Document) -> list[Block]:
    """A resolution's preambular paragraphs, in order: after its opening, before paragraph 1.

    Without an opening line ("The General Assembly,", "大会，"), the unnumbered paragraphs
    before the first numbered one that end with a comma, as preambular paragraphs do.
    """
    from reader.core.parsing.metadata import is_resolution_opening

    blocks = document.blocks
    first = next((i for i, b in enumerate(blocks) if b.kind is BlockKind.PARAGRAPH and b.number), len(blocks))
    opening = next((i for i in range(first) if is_resolution_opening(blocks[i].text.strip())), None)
    start = opening + 1 if opening is not None else 0
    found = [b for b in blocks[start:first] if b.kind is BlockKind.PARAGRAPH]
    if opening is None:
        found = [b for b in found if b.text.rstrip().endswith(("，", ",", "،"))]
    return found


def heading_path(document: Document, block_id: str) -> list[str]:
    """Headings down to the block, by title (an article, which has none, by its label)."""
    return [h.title or h.display for h in document.label_path(block_id)]


def _rank(document: Document, targets: list[Target], near: str | None) -> list[Target]:
    """Several matches (a restarted numbering, ``A.`` in every chapter): the reader's chapter first."""
    if len(targets) < 2 or not near or document.get_block(near) is None:
        return targets
    here = document.index_of(near)
    chapter = {h.block for h in document.label_path(near)}

    def key(t: Target) -> tuple[int, int]:
        block = document.block(t.block)
        index = document.index_of(t.block)
        sibling = bool(block.parent and block.parent in chapter) or (block.parent is None and not chapter)
        ahead = index >= here
        return (0 if sibling else 1 if ahead else 2, index if ahead else index + len(document.blocks))

    return sorted(targets, key=key)


def resolve(document: Document, text: str, near: str | None = None) -> list[Target]:
    """Every place ``text`` names in ``document``, best first (``near``: the reader's block)."""
    ref = parse_ref(text)
    if ref is None:
        # Any label the parser gave a heading (决定 75/401, Статья 1, Article premier) is a place too.
        folded = _fold(text)
        if not folded or len(folded) > 24:
            return []
        ref = Ref(RefKind.HEADING, folded)
    return _rank(document, _targets(document, ref), near)
