"""Code points versus Qt's UTF-16 units, with 𠀀 (U+20000, outside the BMP)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.annotations import (
    from_utf16,
    make_anchor,
    span_from_utf16,
    span_to_utf16,
    to_utf16,
    utf16_length,
)
from tests.core.test_annotations_anchoring import parse

TEXT = "甲𠀀乙𠀁丙"  # code points: 甲0 𠀀1 乙2 𠀁3 丙4; UTF-16: 甲0 𠀀1-2 乙3 𠀁4-5 丙6


def test_lengths() -> None:
    assert len(TEXT) == 5
    assert utf16_length(TEXT) == 7
    assert utf16_length(TEXT) == len(TEXT.encode("utf-16-le")) // 2


@pytest.mark.parametrize(("cp", "u16"), [(0, 0), (1, 1), (2, 3), (3, 4), (4, 6), (5, 7)])
def test_both_directions(cp: int, u16: int) -> None:
    assert to_utf16(TEXT, cp) == u16
    assert from_utf16(TEXT, u16) == cp


def test_inside_a_surrogate_pair_rounds_to_the_character_start() -> None:
    assert from_utf16(TEXT, 2) == 1
    assert from_utf16(TEXT, 5) == 3


def test_clamping() -> None:
    assert to_utf16(TEXT, -3) == 0
    assert to_utf16(TEXT, 99) == 7
    assert from_utf16(TEXT, -1) == 0
    assert from_utf16(TEXT, 99) == 5


def test_spans_never_split_a_character() -> None:
    assert span_to_utf16(TEXT, 1, 2) == (1, 3)
    assert span_from_utf16(TEXT, 1, 3) == (1, 2)
    # A Qt selection ending between the halves of 𠀀 still covers all of it.
    assert span_from_utf16(TEXT, 0, 2) == (0, 2)


@given(st.text(alphabet=st.sampled_from("a甲𠀀😀\n"), max_size=40), st.data())
def test_round_trip(text: str, data: st.DataObject) -> None:
    cp = data.draw(st.integers(0, len(text)))
    assert from_utf16(text, to_utf16(text, cp)) == cp
    assert to_utf16(text, cp) == len(text[:cp].encode("utf-16-le")) // 2


def test_anchor_on_text_with_astral_characters() -> None:
    doc = parse("一. 标题\n\n1. 前文𠀀字的后文，引文在此。\n")
    block = doc.block("p1")
    assert "𠀀" in block.text
    # The UI gives a Qt selection of "𠀀字" in UTF-16 units; convert at the boundary.
    u16_start = len(block.text[: block.text.index("𠀀")].encode("utf-16-le")) // 2
    start, end = span_from_utf16(block.text, u16_start, u16_start + 3)
    anchor = make_anchor(doc, "p1", start, end)
    assert anchor.quote == "𠀀字"
    assert anchor.end - anchor.start == 2
    assert span_to_utf16(block.text, anchor.start, anchor.end) == (u16_start, u16_start + 3)
