"""The n-gram segments: every term's rows and counts equal Python's ``in`` and ``str.count``."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.grams import PLAIN, Segment, SegmentCorrupt, encode_segment
from index.segstore import parse_meta, row_meta

# A small alphabet makes repeated characters, overlapping matches and shared bigrams common;
# 𠀀 is outside the BMP (two UTF-16 units, four UTF-8 bytes), é and Ж two bytes.
ALPHABET = "ab 和平𠀀éЖ1"


def _segment(tmp_path: Path, norms: list[str]) -> Segment:
    path = tmp_path / "s.seg"
    kinds = list(range(len(norms)))
    origs = [f"<{n}>" for n in norms]
    metas = [f'["b{i}",null,[],"paragraph"]' for i in range(len(norms))]
    path.write_bytes(encode_segment(norms, kinds, origs, metas))
    return Segment.open(path)


def _assert_finds_as_python(seg: Segment, norms: list[str], terms: list[str]) -> None:
    """Each term's rows and counts are those of Python's ``in`` and ``str.count``."""
    for t in terms:
        rows, counts = seg.find(t)
        expected = [(i, n.count(t)) for i, n in enumerate(norms) if t in n]
        assert list(zip(rows.tolist(), counts.tolist(), strict=True)) == expected, t


@settings(max_examples=60, deadline=None)
@given(
    norms=st.lists(st.text(alphabet=ALPHABET, max_size=30), min_size=1, max_size=25),
    terms=st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=5), min_size=1, max_size=8),
)
def test_find_equals_python_in_and_count(
    tmp_path_factory: pytest.TempPathFactory, norms: list[str], terms: list[str]
) -> None:
    _assert_finds_as_python(_segment(tmp_path_factory.mktemp("g"), norms), norms, terms)


def test_rows_read_back_as_written(tmp_path: Path) -> None:
    norms = ["维和行动", "", "𠀀x", "aaa"]
    seg = _segment(tmp_path, norms)
    assert [seg.text(i) for i in range(seg.rows)] == norms
    assert [seg.orig(i) for i in range(seg.rows)] == [f"<{n}>" for n in norms]
    assert seg.meta(2) == '["b2",null,[],"paragraph"]'
    assert seg.kinds.tolist() == [0, 1, 2, 3]
    expected = [(n, f"<{n}>", f'["b{i}",null,[],"paragraph"]') for i, n in enumerate(norms)]
    seg = Segment.open(seg.path)  # text() above read the offset arrays: a segment that has not
    assert seg.offsets is None
    assert [seg.hit_texts(i) for i in range(seg.rows)] == expected  # offsets read row by row
    assert len(seg.off) == seg.rows + 1
    assert seg.offsets is not None
    assert [seg.hit_texts(i) for i in range(seg.rows)] == expected  # from the arrays
    seg.verify()


def test_row_meta_parses_back_whatever_it_wrote() -> None:
    for meta in (("p1", "1", ("第一章", "A/75 “x”"), "paragraph"), ("", None, (), "title")):
        assert parse_meta(row_meta(*meta)) == meta
    assert parse_meta(' ["h1", null, ["a"], "heading"] ') == ("h1", None, ("a",), "heading")
    with pytest.raises(ValueError, match="Extra data"):
        parse_meta('["h1", null, [], "heading"] x')


def test_counts_above_a_byte_are_recounted_from_the_text(tmp_path: Path) -> None:
    norms = ["和" * 300 + "平", "和平" * 260, "和"]
    seg = _segment(tmp_path, norms)
    for t in ("和", "和平", "和和", "平"):
        rows, counts = seg.find(t)
        assert list(zip(rows.tolist(), counts.tolist(), strict=True)) == [
            (i, n.count(t)) for i, n in enumerate(norms) if t in n
        ]


def test_damaged_segment_files_are_refused(tmp_path: Path) -> None:
    seg = _segment(tmp_path, ["维和行动需要改革", "推进维和改革"])
    data = seg.path.read_bytes()
    seg.path.write_bytes(data[:-3])
    with pytest.raises(SegmentCorrupt):
        Segment.open(seg.path)
    flipped = bytearray(data)
    flipped[-2] ^= 0xFF
    seg.path.write_bytes(bytes(flipped))
    reopened = Segment.open(seg.path)
    with pytest.raises(SegmentCorrupt):
        reopened.verify()


@settings(max_examples=40, deadline=None)
@given(
    norms=st.lists(st.text(alphabet="ab哈", max_size=40), min_size=1, max_size=12),
    terms=st.lists(st.text(alphabet="ab哈", min_size=2, max_size=6), min_size=1, max_size=6),
)
def test_positional_counts_equal_str_count_on_self_overlapping_terms(
    tmp_path_factory: pytest.TempPathFactory, norms: list[str], terms: list[str]
) -> None:
    # Three letters make bordered terms (aa, aba, 哈哈哈, abab) and overlapping matches the rule.
    _assert_finds_as_python(_segment(tmp_path_factory.mktemp("o"), norms), norms, terms)


def test_overlapping_matches_count_as_str_count_does(tmp_path: Path) -> None:
    norms = ["哈哈哈哈哈", "abababa", "aaaa", "哈哈哈 aba 哈哈哈", "x"]
    seg = _segment(tmp_path, norms)
    for t in ("哈哈哈", "哈哈", "aba", "abab", "aa", "aaa", "哈哈哈 a"):
        rows, counts = seg.find(t)
        assert list(zip(rows.tolist(), counts.tolist(), strict=True)) == [
            (i, n.count(t)) for i, n in enumerate(norms) if t in n
        ], t
    # 5 哈: positions find three overlapping 哈哈哈, str.count one.
    assert seg.find("哈哈哈")[1].tolist()[0] == 1


def test_a_rare_start_among_common_bigrams_is_checked_on_the_rows_themselves(tmp_path: Path) -> None:
    # 和平 and 平和 occur thousands of times, xy and 平x a few: the few candidate rows are read
    # (one of them holds xy and 和平 but not 和平xy) and must give what positions would.
    norms = ["和平" * 40 for _ in range(200)]
    norms[17] = "和平xy和平x和平xy"
    norms[90] = "xy 和平 x和平z"
    norms[150] = "和平x和平y" + "和平xy" * 3
    terms = ["和平xy", "平和平xy", "和平x和平", "和平xy和平", "xy和平和"]
    _assert_finds_as_python(_segment(tmp_path, norms), norms, terms)


def test_a_term_never_matches_across_two_rows(tmp_path: Path) -> None:
    seg = _segment(tmp_path, ["维和", "行动", "维和行动"])
    rows, counts = seg.find("维和行动")
    assert rows.tolist() == [2]
    assert counts.tolist() == [1]
    assert seg.find("和行")[0].tolist() == [2]


def test_a_segment_of_very_many_distinct_characters_still_finds_every_term(tmp_path: Path) -> None:
    # More than 65 536 distinct characters: bigram ids no longer pack beside a position.
    chars = [chr(c) for c in range(0x4E00, 0x9FFF)] + [chr(c) for c in range(0x20000, 0x2E000)]
    assert len(chars) > 1 << 16
    text = "".join(chars)
    norms = [text[: len(text) // 2], text[len(text) // 2 :], text[100:120] * 2]
    seg = _segment(tmp_path, norms)
    for t in (text[100:104], text[-5:], text[len(text) // 2 - 2 : len(text) // 2 + 2], text[119] + text[100]):
        rows, counts = seg.find(t)
        assert list(zip(rows.tolist(), counts.tolist(), strict=True)) == [
            (i, n.count(t)) for i, n in enumerate(norms) if t in n
        ], t


def test_a_segment_of_an_older_format_is_refused(tmp_path: Path) -> None:
    seg = _segment(tmp_path, ["维和行动"])
    data = seg.path.read_bytes()
    head, _, body = data.partition(b"\n")
    old = head.replace(b'"format": 4', b'"format": 3')
    assert old != head
    seg.path.write_bytes(old + b"\n" + body)
    with pytest.raises(SegmentCorrupt):
        Segment.open(seg.path)


def test_row_flags_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "f.seg"
    norms = ["维和", "ab", ""]
    path.write_bytes(encode_segment(norms, [0, 0, 0], norms, ["[]"] * 3, [PLAIN, 0, PLAIN]))
    assert Segment.open(path).flags.tolist() == [PLAIN, 0, PLAIN]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), max_size=40))
def test_distinct_is_numpy_unique_on_sorted_values(values: list[int]) -> None:
    import numpy as np

    from index.grams import distinct

    for dtype in (np.int64, np.uint32):
        a = np.sort(np.asarray(values, dtype=dtype))
        got, expected = distinct(a), np.unique(a)
        assert got.dtype == expected.dtype
        assert got.tolist() == expected.tolist()
