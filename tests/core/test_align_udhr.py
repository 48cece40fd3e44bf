"""The UDHR in seven language versions: every pair aligns article by article, paragraphs inside.

The expected units come from the text files themselves, read by this test's
own line rules (an article line is the article word of the language and a
number; what follows up to the next such line is the article), not from the
parser or the aligner.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from reader.core.align import align
from reader.core.importers import load_path
from reader.core.model import Document

UDHR = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "udhr"
STEMS = ("arb", "cmn_hans", "cmn_hant", "eng", "fra", "rus", "spa")

_CN = dict(zip("一二三四五六七八九", range(1, 10), strict=True))


def _chinese(numeral: str) -> int:
    """一 to 三十 (all the UDHR needs)."""
    if "十" not in numeral:
        return _CN[numeral]
    tens, _, units = numeral.partition("十")
    return (_CN[tens] if tens else 1) * 10 + (_CN[units] if units else 0)


ARTICLE_LINE = (
    (re.compile(r"^第([一二三四五六七八九十]+)[条條]$"), _chinese),
    (re.compile(r"^(?:Article|Artículo|Статья|المادة) (\d+)$"), int),
    (re.compile(r"^Article (premier)$"), lambda _: 1),
)
PREAMBLE_LINE = re.compile(r"^(序言|Preamble|Préambule|Preámbulo|ПРЕАМБУЛА|الديباجة)$")


@dataclass
class Units:
    """Heading line and body lines of the preamble (key 0) and of each article (key n)."""

    heading: dict[int, str]
    body: dict[int, list[str]]


@cache
def units_of(stem: str) -> Units:
    """Read the file's units with this test's own rules."""
    heading: dict[int, str] = {}
    body: dict[int, list[str]] = {}
    current: int | None = None
    for raw in (UDHR / f"{stem}.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            continue
        number = None
        if PREAMBLE_LINE.match(line):
            number = 0
        for rx, value in ARTICLE_LINE:
            m = rx.match(line)
            if m:
                number = value(m.group(1))
        if number is not None:
            current = number
            heading[number] = line
            body[number] = []
        elif current is not None:
            body[current].append(line)
    return Units(heading, body)


@cache
def parsed(stem: str) -> Document:
    """The file as the reader parses it."""
    doc = load_path(UDHR / f"{stem}.txt")
    doc.id = stem
    return doc


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@cache
def _bodies(stem: str) -> dict[int, str]:
    return {n: _squeeze("".join(lines)) for n, lines in units_of(stem).body.items()}


@cache
def unit_of_block(stem: str, text: str) -> int | None:
    """The unit whose body lines contain the block's text (blocks may join wrapped lines)."""
    t = _squeeze(text)
    for n, body in _bodies(stem).items():
        if t and t in body:
            return n
    return None


@pytest.mark.parametrize("stem", STEMS)
def test_each_text_has_a_preamble_and_thirty_articles(stem: str) -> None:
    assert sorted(units_of(stem).heading) == list(range(31))


@pytest.mark.parametrize(("x", "y"), list(itertools.combinations(STEMS, 2)))
def test_pair_aligns_article_by_article_with_paragraphs_inside(x: str, y: str) -> None:
    a, b = parsed(x), parsed(y)
    alignment = align(a, b)
    ux, uy = units_of(x), units_of(y)
    # Units: the preamble and articles 1–30, each paired heading to heading.
    for n in range(31):
        label = "preamble" if n == 0 else str(n)
        pairs = [p for p in alignment.pairs if p.label == label]
        assert len(pairs) == 1, (label, pairs)
        (pair,) = pairs
        assert pair.method == ("label" if n == 0 else "number")
        assert [a.block(i).text.strip() for i in pair.a] == [ux.heading[n]]
        assert [b.block(i).text.strip() for i in pair.b] == [uy.heading[n]]
        assert not pair.low
    # Paragraphs: every body block of unit n in one version pairs with blocks of unit n in the other.
    for pair in alignment.pairs:
        units_a = {unit_of_block(x, a.block(i).text) for i in pair.a}
        units_b = {unit_of_block(y, b.block(i).text) for i in pair.b}
        if pair.label is not None or units_a == {None} or units_b == {None}:
            continue
        if pair.a and pair.b:
            assert units_a == units_b, (pair, units_a, units_b)
        else:
            # A one-sided block only where the two texts' line counts for that unit differ.
            (unit,) = units_a | units_b
            assert unit is not None
            assert len(ux.body[unit]) != len(uy.body[unit]), (pair, unit)
    for n in range(1, 31):
        body_a = [bl.id for bl in a.blocks if unit_of_block(x, bl.text) == n]
        paired = [i for i in body_a if alignment.counterpart("a", i)]
        assert paired, (n, body_a)
        if len(ux.body[n]) == len(uy.body[n]):
            assert paired == body_a, n
