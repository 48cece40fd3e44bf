"""The aligner on small texts written for the purpose: keys, Gale–Church, pairs and their methods."""

from __future__ import annotations

import pytest

from reader.core.align import LOW_CONFIDENCE, align
from reader.core.align.galechurch import align_lengths
from reader.core.align.labels import Key, number_value, roman_number, unit_key
from reader.core.model import Block, BlockKind, Document
from reader.core.parsing.numerals import chinese_number


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("第一条", "article", "1"),
        ("第二十九條", "article", "29"),
        ("第一百零五条", "article", "105"),
        ("Article 1", "article", "1"),
        ("Article premier", "article", "1"),
        ("Article 1er", "article", "1"),
        ("Artículo 30", "article", "30"),
        ("Статья 5", "article", "5"),
        ("المادة 1", "article", "1"),
        ("المادة ١٢", "article", "12"),
        ("第三章", "chapter", "3"),
        ("Chapter IV", "chapter", "4"),
        ("Chapitre premier", "chapter", "1"),
        ("Capítulo II", "chapter", "2"),
        ("Глава III", "chapter", "3"),
        ("الفصل الأول", "chapter", "1"),
        ("الفصل الثالث", "chapter", "3"),
        ("Preamble", "preamble", ""),
        ("ПРЕАМБУЛА", "preamble", ""),
        ("Préambule", "preamble", ""),
        ("الديباجة", "preamble", ""),
        ("序言", "preamble", ""),
    ],
)
def test_unit_words_of_every_language_give_one_key(text: str, kind: str, number: str) -> None:
    assert unit_key(text) == Key(kind, number)


@pytest.mark.parametrize("text", ["Articles of faith", "Chapterhouse", "第一", "Whereas recognition"])
def test_ordinary_text_is_not_a_unit(text: str) -> None:
    assert unit_key(text) is None


def test_numbers_in_several_styles() -> None:
    assert chinese_number("一百二十三") == 123
    assert chinese_number("十五") == 15
    assert chinese_number("二十") == 20
    assert roman_number("XIV") == 14
    assert roman_number("IIII") is None
    assert number_value("（三）") == 3
    assert number_value("B.") == 2
    assert number_value("٣") == 3


def test_gale_church_finds_a_split_paragraph() -> None:
    # B splits A's second paragraph in two and is about twice as long overall.
    beads = align_lengths([100, 200, 50], [200, 180, 230, 100], ratio=2.0)
    assert [(bd.a, bd.b) for bd in beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]


def test_gale_church_leaves_out_a_block_the_other_side_lacks() -> None:
    # A block of 250 merges with no neighbour (100+250 and 250+300 fit nothing).
    beads = align_lengths([100, 300, 100], [100, 250, 300, 100], ratio=1.0)
    assert [(bd.a, bd.b) for bd in beads] == [((0,), (0,)), ((), (1,)), ((1,), (2,)), ((2,), (3,))]


def _doc(doc_id: str, blocks: list[tuple[str, str, str | None]]) -> Document:
    """A document from (kind, text, label-or-number) rows; headings get level 1."""
    out: list[Block] = []
    for k, (kind, text, mark) in enumerate(blocks):
        if kind == "h":
            out.append(Block(f"h{k}", BlockKind.HEADING, text, label=mark, level=1, title=text))
        else:
            out.append(Block(f"p{k}", BlockKind.PARAGRAPH, text, number=mark))
    return Document(doc_id, blocks[0][1], "", out, [])


ZH = _doc(
    "zh",
    [
        ("h", "序言", None),
        ("p", "鉴于甲方和乙方的合作关系对于双方都很重要，", None),
        ("p", "鉴于双方希望进一步加强合作，", None),
        ("h", "第一条", "第一条"),
        ("p", "本协定适用于双方之间的一切合作。", None),
        ("h", "第二条", "第二条"),
        ("p", "双方应当互相通报与本协定有关的一切信息，并应当在收到请求后三十日内答复。", None),
        ("h", "第三条", "第三条"),
        ("p", "本协定自签署之日起生效。", None),
    ],
)

EN = _doc(
    "en",
    [
        ("h", "Preamble", None),
        ("p", "Whereas the cooperation between Party A and Party B is of importance to both,", None),
        ("p", "Whereas both parties wish to strengthen their cooperation further,", None),
        ("h", "Article 1", "Article 1"),
        ("p", "This Agreement applies to all cooperation between the parties.", None),
        ("h", "Article 2", "Article 2"),
        ("p", "The parties shall inform each other of all information relating to this Agreement.", None),
        ("p", "They shall reply within thirty days of receiving a request.", None),
        ("h", "Article 3", "Article 3"),
        ("p", "This Agreement shall enter into force on the date of its signature.", None),
    ],
)


def test_units_pair_by_number_and_their_bodies_inside() -> None:
    al = align(ZH, EN)
    by_label = {p.label: p for p in al.pairs if p.label}
    assert by_label["preamble"].method == "label"
    assert [by_label[n].method for n in "123"] == ["number"] * 3
    assert by_label["2"].a == ("h5",)
    assert by_label["2"].b == ("h5",)
    # Article 2: one Chinese paragraph, two English ones → one pair of 1 and 2 blocks.
    assert al.pair_of("a", "p6") is not None
    assert al.counterpart("a", "p6") == ("p6", "p7")
    assert al.pair_of("a", "p6").method == "length"  # type: ignore[union-attr]
    # Preamble clauses: same count on both sides, paired in order.
    assert al.counterpart("a", "p1") == ("p1",)
    assert al.pair_of("a", "p2").method == "order"  # type: ignore[union-attr]


def test_every_block_is_in_exactly_one_pair_in_document_order() -> None:
    al = align(ZH, EN)
    seen_a = [bid for p in al.pairs for bid in p.a]
    seen_b = [bid for p in al.pairs for bid in p.b]
    assert seen_a == [b.id for b in ZH.blocks]
    assert seen_b == [b.id for b in EN.blocks]
    assert all(0.0 <= p.confidence <= 1.0 for p in al.pairs)


def test_a_missing_article_leaves_a_one_sided_pair_shown_as_low() -> None:
    short = _doc(
        "en2",
        [
            (k, t, m)
            for k, t, m in [
                ("h", "Preamble", None),
                ("p", "Whereas both parties wish to strengthen their cooperation,", None),
                ("h", "Article 1", "Article 1"),
                ("p", "This Agreement applies to all cooperation between the parties.", None),
                ("h", "Article 3", "Article 3"),
                ("p", "This Agreement shall enter into force on the date of its signature.", None),
            ]
        ],
    )
    al = align(ZH, short)
    assert al.counterpart("a", "h3") == ("h2",)
    assert al.counterpart("a", "h7") == ("h4",)
    # Article 2 (heading and body) has no counterpart: shown as such.
    lonely = [p for p in al.pairs if not p.b]
    assert {bid for p in lonely for bid in p.a} >= {"h5", "p6"}
    assert all(p.confidence < LOW_CONFIDENCE and p.method == "none" for p in lonely)


def test_contract_json_and_swapped_view() -> None:
    al = align(ZH, EN)
    js = al.to_json()
    assert js["a"] == "zh"
    assert js["b"] == "en"
    assert set(js["pairs"][0]) == {"a", "b", "label", "method", "confidence"}
    back = al.swapped()
    assert back.counterpart("a", "p7") == ("p6",)


def test_numbered_paragraphs_pair_by_number_even_when_one_is_missing() -> None:
    a = _doc("a", [("p", f"第{n}段的内容，长度大致相同。", str(n)) for n in range(1, 8)])
    b = _doc(
        "b", [("p", f"Contents of paragraph {n}, of similar length.", str(n)) for n in range(1, 8) if n != 4]
    )
    al = align(a, b)
    numbered = {str(p.label): p for p in al.pairs if p.method == "number"}
    assert sorted(numbered, key=int) == ["1", "2", "3", "5", "6", "7"]
    assert al.counterpart("a", "p3") == ()  # paragraph 4 is on side A only


def test_two_long_texts_that_disagree_everywhere_still_align_in_bounded_work() -> None:
    # Lengths that never fit each other: the band grows to its cap and stops there.
    a = [7, 3000, 11, 2500] * 100
    b = [2900, 5, 2600, 13, 1] * 80
    beads = align_lengths(a, b, ratio=1.0)
    assert [i for bd in beads for i in bd.a] == list(range(len(a)))
    assert [j for bd in beads for j in bd.b] == list(range(len(b)))
