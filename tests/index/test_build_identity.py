"""The exact build's bulk paths against plain statements of what they must compute.

A document's rows are folded together (:meth:`Normalizer.normalize_plain_all`),
a segment's postings are made with array passes (:func:`index.grams._postings`),
its text areas encoded at once (:func:`index.grams._joined`) and its row
metadata put together string by string (:func:`index.segstore.row_metas`).
Each is checked here against a slow statement written from the rules in the
modules' docstrings (character by character, row by row, with ``json.dumps``),
over real text from ``tests/fixtures`` and over synthetic text built to hit
every rule: full-width and compatibility forms, Traditional characters,
spaces of every kind, combining marks, control and format characters,
digits of other scripts, empty rows.
"""

from __future__ import annotations

import json
import unicodedata
import zlib
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.grams import PLAIN, _joined, _postings
from index.normalize import Normalizer, is_cjk
from index.segstore import SegmentSet, row_meta, row_metas
from index.store import KIND_CODES, OTHER_KIND, StoredDoc
from index.types import TITLE_BLOCK, IndexBlock, IndexDoc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

SPACES = " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000"
CONTROLS = "\x01\x07\x1b\x7f\x80\x9f"
FORMATS = "\u200b\u200c\u200d\u00ad\u2060\ufeff\u061c"  # vanish (category Cf)
TRICKY = (
    "ＡＢｃ，．１２３"  # full-width forms
    "㈠①ﬁ㍿²½™Å"  # compatibility forms: several characters from one, digits, a ligature
    "維持和平乾髮發後裡"  # Traditional characters
    "维和行动第年。，、《》"  # Simplified and CJK punctuation
    "éÉàñçøŁ\u0301\u0308"  # Latin with accents, combining marks typed alone
    "ёЁЖжأإآٱىيكتابً\u0651\u0652\u0640ٰ"  # Cyrillic ё, Arabic with harakat, shadda, sukun, tatweel
    "٣٤۵𝟙7x-/.(𠀀"  # digits of other scripts, a supplementary ideograph
    "¨´¸"  # spacing marks: NFKC makes them a space and a combining mark
)
ALPHABET = TRICKY + SPACES + CONTROLS + FORMATS


@pytest.fixture(scope="module")
def norm(tmp_path_factory: pytest.TempPathFactory) -> Normalizer:
    return Normalizer(cache_dir=tmp_path_factory.mktemp("cache"))


def expected_plain(norm: Normalizer, text: str) -> tuple[str, bool]:
    """``normalize_plain`` by the module doc's rules, a character and a run at a time.

    The one thing taken from the normaliser is what each character folds to (its
    character table, which the bulk path reads and does not change).
    """
    reps = [norm._table[ord(c)] for c in text]
    folded = "".join(reps)
    out: list[str] = []
    i = 0
    while i < len(folded):
        if folded[i] != " ":
            out.append(folded[i])
            i += 1
            continue
        j = i
        while j < len(folded) and folded[j] == " ":
            j += 1
        # A run of spaces is one space, except at either end, beside CJK, or between two digits.
        if i > 0 and j < len(folded):
            before, after = folded[i - 1], folded[j]
            if not (is_cjk(before) or is_cjk(after) or (before.isdigit() and after.isdigit())):
                out.append(" ")
        i = j
    # Plain: every character folds to exactly one, and to a space exactly when it is a blank.
    blank = [c.isspace() or unicodedata.category(c) == "Cc" for c in text]
    plain = all(len(r) == 1 for r in reps) and all((r == " ") == b for r, b in zip(reps, blank, strict=True))
    return "".join(out), plain


def assert_rows_fold_as_alone(norm: Normalizer, rows: list[str]) -> None:
    norms, plains = norm.normalize_plain_all(rows)
    expected = [expected_plain(norm, r) for r in rows]
    assert list(zip(norms, plains, strict=True)) == expected
    # The single-text path (what queries and older callers use) gives the same.
    assert [norm.normalize_plain(r) for r in rows] == expected


def fixture_documents() -> list[tuple[str, list[str]]]:
    """Real documents as rows: every line (empty ones too) of the fixture texts, laws and UDHRs."""
    paths = sorted((FIXTURES / "texts").glob("*.txt")) + sorted((FIXTURES / "texts").glob("*.md"))
    paths += sorted((FIXTURES / "corpus" / "udhr").glob("*.txt"))
    paths += sorted((FIXTURES / "corpus" / "laws").glob("*.txt"))[:25]
    return [(p.name, p.read_text(encoding="utf-8").split("\n")) for p in paths]


def test_real_documents_fold_row_by_row_as_the_rules_say(norm: Normalizer) -> None:
    docs = fixture_documents()
    assert len(docs) > 30
    seen: set[bool] = set()
    for _name, rows in docs:
        assert_rows_fold_as_alone(norm, rows)
        seen.update(expected_plain(norm, r)[1] for r in rows)
    assert seen == {True, False}  # both kinds of row occur in real text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=30), max_size=12))
def test_tricky_rows_fold_together_as_each_alone(norm: Normalizer, rows: list[str]) -> None:
    assert_rows_fold_as_alone(norm, rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, max_size=20), min_size=1, max_size=6))
def test_a_new_normaliser_learns_characters_in_any_order(
    tmp_path_factory: pytest.TempPathFactory, rows: list[str]
) -> None:
    fresh = Normalizer(cache_dir=tmp_path_factory.mktemp("c"))
    backwards = Normalizer(cache_dir=tmp_path_factory.mktemp("c"))
    # One meets the characters in the rows' order, the other in reverse, one row at a time.
    first = fresh.normalize_plain_all(rows)
    for r in reversed(rows):
        backwards.normalize_plain_all([r])
    assert backwards.normalize_plain_all(rows) == first
    assert list(zip(*first, strict=True)) == [expected_plain(fresh, r) for r in rows]


@pytest.mark.parametrize(
    "rows",
    [
        [],
        [""],
        ["", "", ""],
        [" ", "\u3000\t", "\x00"],
        ["a\x00b", "x  y"],  # the separator inside a row: folded one by one
        ["  2020 年 6 月  ", "94 000 多名", "1 234,5", "a  b", "和 平", "x\u200by", "㈠ 第一"],
        ["²  3", "٣ ٤", "１ ２", "a ¨ b", "¨", "a\u0301 b"],
    ],
)
def test_edge_rows(norm: Normalizer, rows: list[str]) -> None:
    assert_rows_fold_as_alone(norm, rows)


def test_rows_with_a_lone_surrogate_behave_as_alone(tmp_path: Path) -> None:
    # UTF-32 cannot hold one: such rows take the single-text path (OpenCC refuses them too).
    no_t2s = Normalizer(fold_traditional=False, cache_dir=tmp_path)
    rows = ["a\ud800 b", "维和"]
    assert no_t2s.normalize_plain_all(rows) == (["a\ud800 b", "维和"], [True, True])
    assert_rows_fold_as_alone(no_t2s, rows)
    with_t2s = Normalizer(cache_dir=tmp_path)
    with pytest.raises(UnicodeEncodeError):
        with_t2s.normalize_plain(rows[0])
    with pytest.raises(UnicodeEncodeError):
        with_t2s.normalize_plain_all(rows)


def test_switched_off_folds_fold_together_as_alone(tmp_path: Path) -> None:
    rows = [line for _name, lines in fixture_documents()[:12] for line in lines] + list(TRICKY)
    for norm in (
        Normalizer(fold_traditional=False, cache_dir=tmp_path),
        Normalizer(fold_marks=False, cache_dir=tmp_path),
    ):
        assert_rows_fold_as_alone(norm, rows)


def test_a_document_becomes_rows_each_folded_as_alone(norm: Normalizer) -> None:
    _name, lines = fixture_documents()[0]
    texts = [*lines, "a\x00b", "", *TRICKY]  # a NUL in a text is shown (and folded) as a space
    blocks = tuple(IndexBlock(f"b{i}", "paragraph", str(i), t, ("第一章", "一")) for i, t in enumerate(texts))
    doc = IndexDoc("d1", "標題\x00 x", "A/1", "r1", blocks)
    stored = StoredDoc.from_index_doc(doc, norm)
    shown = [t.replace("\x00", " ") for t in [doc.title, *texts]]
    assert stored.origs == shown
    expected = [expected_plain(norm, t) for t in shown]
    assert list(zip(stored.norms, stored.plains or [], strict=True)) == expected
    assert stored.block_ids == [TITLE_BLOCK, *(b.block_id for b in blocks)]
    assert stored.kinds == ["title", *(b.kind for b in blocks)]
    assert stored.numbers == [None, *(b.number for b in blocks)]
    assert stored.paths == [(), *(tuple(b.path) for b in blocks)]


def test_a_store_file_is_its_header_line_then_the_texts(norm: Normalizer) -> None:
    # The format of index/store.py's docstring: a compact JSON header line, then the original
    # texts and the normalised texts, concatenated.
    texts = [*fixture_documents()[1][1][:200], "", 'a"b\\c', "\x01", *TRICKY]
    blocks = tuple(IndexBlock(f"b{i}", "p", None, t, ("章", f"{i % 3}")) for i, t in enumerate(texts))
    stored = StoredDoc.from_index_doc(IndexDoc("d/1", "標題", None, "r", blocks), norm)
    body = ("".join(stored.origs) + "".join(stored.norms)).encode("utf-8")
    header = {
        "format": 1,
        "doc_id": "d/1",
        "title": "標題",
        "symbol": None,
        "revision": "r",
        "ids": stored.block_ids,
        "kinds": stored.kinds,
        "numbers": stored.numbers,
        "paths": [list(p) for p in stored.paths],
        "olen": [len(t) for t in stored.origs],
        "nlen": [len(t) for t in stored.norms],
        "bytes": len(body),
        "crc": zlib.crc32(body),
    }
    line = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert stored.encode() == line + b"\n" + body
    again = StoredDoc.decode(stored.encode())
    assert (again.origs, again.norms, again.paths) == (stored.origs, stored.norms, stored.paths)


# ---------------------------------------------------------------- postings
def expected_postings(norms: list[str]) -> dict[str, list[int]]:
    """A segment's posting arrays from their definition (:mod:`index.grams`), one row at a time."""
    rows_of: dict[int, dict[int, int]] = {}
    positions: dict[int, list[int]] = {}
    start = 0
    cst = [0]
    for row, text in enumerate(norms):
        for c in text:
            counts = rows_of.setdefault(ord(c), {})
            counts[row] = counts.get(row, 0) + 1
        for i, (a, b) in enumerate(pairwise(text)):
            key = (ord(a) << 21) | ord(b)
            counts = rows_of.setdefault(key, {})
            counts[row] = counts.get(row, 0) + 1
            positions.setdefault(key, []).append(start + i)
        start += len(text) + 1  # rows joined, a NUL after each
        cst.append(start)
    out: dict[str, list[int]] = {k: [] for k in ("keys", "gofs", "prow", "ptf", "pofs", "bpos")}
    for key in sorted(rows_of):
        out["keys"].append(key)
        out["gofs"].append(len(out["prow"]))
        out["pofs"].append(len(out["bpos"]))
        for row, n in sorted(rows_of[key].items()):
            out["prow"].append(row)
            out["ptf"].append(min(n, 255))
        out["bpos"].extend(positions.get(key, []))
    out["gofs"].append(len(out["prow"]))
    out["pofs"].append(len(out["bpos"]))
    out["cst"] = cst
    return out


def assert_postings(norms: list[str]) -> None:
    got = _postings(norms)
    expected = expected_postings(norms)
    for name, values in expected.items():
        assert got[name].tolist() == values, name
    dtypes = {"keys": np.uint64, "gofs": np.uint64, "prow": np.uint32, "ptf": np.uint8, "pofs": np.uint64}
    for name, dtype in {**dtypes, "bpos": np.uint32, "cst": np.uint32}.items():
        assert got[name].dtype == dtype, name


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="ab 和平𠀀éЖ1", max_size=30), max_size=25))
def test_postings_are_what_their_definition_says(norms: list[str]) -> None:
    assert_postings(norms)


def test_postings_of_real_rows_and_of_edge_cases(norm: Normalizer) -> None:
    rows = [r for _name, lines in fixture_documents()[:10] for r in lines]
    assert_postings(norm.normalize_plain_all(rows)[0])
    assert_postings([])
    assert_postings(["", ""])
    assert_postings(["a", "b", ""])  # characters but no bigram
    assert_postings(["哈" * 600, "哈哈", "x" * 300 + "y"])  # counts above a byte are capped
    assert_postings(["ab"[i % 2] * (i % 3) + "和" for i in range(70_000)])  # rows past 16 bits


def test_postings_when_character_and_row_numbers_need_more_than_32_bits() -> None:
    # 40 000 distinct characters (16 bits) in 70 000 rows (17 bits): a unigram's sort key is 64-bit.
    chars = [chr(0x20000 + i) for i in range(40_000)]
    assert_postings([chars[i % 40_000] + chars[(i * 7) % 40_000] for i in range(70_000)])


def test_postings_of_very_many_distinct_characters() -> None:
    # Over 65 536 distinct characters: no dense pair id fits beside a position (the other sort).
    chars = [chr(c) for c in range(0x4E00, 0x9FFF)] + [chr(c) for c in range(0x20000, 0x20000 + 50_000)]
    norms = ["".join(chars[i : i + 500]) for i in range(0, len(chars), 500)]
    norms.append("".join(chars[::997]))
    assert_postings(norms)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet='ab 和𠀀é\x01"\\', max_size=12), max_size=10))
def test_text_areas_are_each_text_and_a_nul(texts: list[str]) -> None:
    data, off = _joined(texts)
    assert data == b"".join(t.encode("utf-8") + b"\x00" for t in texts)
    sizes = [len(t.encode("utf-8")) + 1 for t in texts]
    assert off.tolist() == [sum(sizes[:i]) for i in range(len(texts) + 1)]


def test_a_text_holding_a_nul_still_gets_its_own_offsets() -> None:
    data, off = _joined(["a\x00b", "", "c"])
    assert data == b"a\x00b\x00\x00c\x00"
    assert off.tolist() == [0, 4, 5, 7]


# ---------------------------------------------------------------- row metadata
def expected_meta(block_id: object, number: object, path: object, kind: object) -> str:
    return json.dumps([block_id, number, list(path), kind], ensure_ascii=False, separators=(",", ":"))  # type: ignore[call-overload]


JSON_TEXT = st.text(alphabet='ab和"\\/\x00\x01\x1f\x7f\u2028\u2029é𠀀 \n\t', max_size=8)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(JSON_TEXT, st.none() | JSON_TEXT, st.lists(JSON_TEXT, max_size=3).map(tuple), JSON_TEXT),
        max_size=12,
    )
)
def test_row_metadata_is_json_dumps_of_each_row(
    rows: list[tuple[str, str | None, tuple[str, ...], str]],
) -> None:
    ids, numbers, paths, kinds = (list(c) for c in zip(*rows, strict=True)) if rows else ([], [], [], [])
    assert row_metas(ids, numbers, paths, kinds) == [expected_meta(*r) for r in rows]
    assert row_metas(ids, numbers, paths, kinds) == [row_meta(*r) for r in rows]


def test_row_metadata_of_other_types_is_still_json_dumps() -> None:
    rows: list[tuple[object, object, object, object]] = [
        ("p1", 7, ("a",), "paragraph"),  # a number that is not a string
        (3, None, (), "title"),
        ("p2", "2", ["a", "b"], "paragraph"),  # a path as a list
        ("p3", None, ("a", 1), "heading"),
        ("p4", None, (), None),
        ("p5", None, ("a", ["b"]), "x"),  # unhashable
        ("p6", None, "ab", "x"),  # a string as the path: its characters
        ("p7", None, ("a",), ["k"]),
    ]
    ids, numbers, paths, kinds = (list(c) for c in zip(*rows, strict=True))
    assert row_metas(ids, numbers, paths, kinds) == [expected_meta(*r) for r in rows]


def test_a_written_segment_reads_back_each_row_as_stored(norm: Normalizer, tmp_path: Path) -> None:
    kinds = ["paragraph", "heading", "list_item", "a kind of its own", "footnote"]
    docs = []
    for n, (_name, lines) in enumerate(fixture_documents()[:4]):
        blocks = tuple(
            IndexBlock(f"b{i}", kinds[i % len(kinds)], str(i) if i % 2 else None, t, ("一", f"{i // 9}"))
            for i, t in enumerate(lines)
        )
        docs.append(StoredDoc.from_index_doc(IndexDoc(f"d{n}", f"T{n}", None, "r", blocks), norm))
    segments = SegmentSet(tmp_path / "segments")
    seg_id, firsts = segments.write(docs)
    seg = segments.open[seg_id][0]
    rows = [(d, j) for d in docs for j in range(len(d.norms))]
    assert [firsts[d.doc_id] for d in docs] == [sum(len(e.norms) for e in docs[:i]) for i in range(len(docs))]
    assert seg.texts("text", 0, seg.rows) == [d.norms[j] for d, j in rows]
    assert seg.texts("orig", 0, seg.rows) == [d.origs[j] for d, j in rows]
    metas = [expected_meta(d.block_ids[j], d.numbers[j], d.paths[j], d.kinds[j]) for d, j in rows]
    assert seg.texts("meta", 0, seg.rows) == metas
    assert seg.kinds.tolist() == [KIND_CODES.get(d.kinds[j], OTHER_KIND) for d, j in rows]
    assert seg.flags.tolist() == [PLAIN if (d.plains or [])[j] else 0 for d, j in rows]
    assert OTHER_KIND in seg.kinds.tolist()
