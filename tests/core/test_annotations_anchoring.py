"""Anchors on the sample and re-anchoring on edited copies of it.

The edited copies are the revisions named in the issue: a paragraph inserted
(everything after it renumbered), text reworded, a paragraph deleted.  The
helpers that make them are imported by the other annotation tests.
"""

from __future__ import annotations

import hashlib
import re

import pytest

from reader.core.annotations import AnchorStatus, Reanchorer, anchor_text, make_anchor
from reader.core.annotations.model import CONTEXT_CHARS, Anchor
from reader.core.model import BlockKind, Document
from reader.core.parser import parse_text

INSERTED = (
    "新插入的段落：秘书处将于下一届会议前就远程医疗支助的费用和可行性提交一份单独的报告，供各会员国审议。"
)

# Quotes used below, all taken from the sample.
P20_QUOTE = "管理战略、政策和合规部和业务支助部以巩固改革作为工作重点"
P20_REWORDED = "管理战略、政策和合规部与业务支助部以巩固改革为工作重点"
P20_GONE = "精简流程,支持权能得到增强的管理人员"
P20_REWRITTEN = "优化各项工作程序并向各级主管下放更多决策权"


def parse(text: str, doc_id: str = "sample") -> Document:
    """Parse text the way the library does (revision hash = SHA-256 of the UTF-8 bytes)."""
    return parse_text(text, doc_id=doc_id, source_hash=hashlib.sha256(text.encode("utf-8")).hexdigest())


def _paragraph_lines(text: str) -> dict[int, int]:
    doc = parse(text)
    out: dict[int, int] = {}
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH and block.number and block.number.isdigit():
            out[int(block.number)] = doc.source.count("\n", 0, block.spans[0][0])
    return out


def _renumber(lines: list[str], where: dict[int, int], first: int, delta: int) -> None:
    for number, index in where.items():
        if number >= first:
            lines[index] = re.sub(r"^\s*\d+\.", f"{number + delta}.", lines[index], count=1)


def insert_paragraph(text: str, after: int, body: str = INSERTED) -> str:
    """A new numbered paragraph after paragraph ``after``; later paragraphs renumbered."""
    lines = text.split("\n")
    where = _paragraph_lines(text)
    _renumber(lines, where, after + 1, +1)
    at = where[after] + 1
    lines[at:at] = ["", f"{after + 1}. {body}"]
    return "\n".join(lines)


def delete_paragraph(text: str, number: int) -> str:
    """Paragraph ``number`` removed; later paragraphs renumbered."""
    lines = text.split("\n")
    where = _paragraph_lines(text)
    _renumber(lines, where, number + 1, -1)
    del lines[where[number]]
    return "\n".join(lines)


def reword(text: str, number: int, old: str, new: str) -> str:
    """Replace ``old`` by ``new`` inside paragraph ``number`` only."""
    lines = text.split("\n")
    index = _paragraph_lines(text)[number]
    assert old in lines[index], old
    lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines)


def reworded_sample(text: str) -> str:
    """Paragraph 20 lightly reworded in one place and rewritten in another."""
    return reword(reword(text, 20, P20_QUOTE, P20_REWORDED), 20, P20_GONE, P20_REWRITTEN)


@pytest.fixture(scope="module")
def original(sample_text: str) -> Document:
    return parse(sample_text)


# Each case: name -> (block, quote or None for the whole block).
ANCHORS: dict[str, tuple[str, str | None]] = {
    "p5": ("p5", "29 个会员国和一个伙伴组织"),
    "p11_whole": ("p11", None),
    "p15": ("p15", "联合国科索沃临时行政当局特派团(科索沃特派团)加大了对减轻家庭暴力"),
    "p15_short": ("p15", "维和行动"),
    "p15_kosovo": ("p15", "科索沃特派团"),
    "p20": ("p20", P20_QUOTE),
    "p20_gone": ("p20", P20_GONE),
    "p37": ("p37", "《2018 至 2028 年军警人员性别均等战略》"),
    "h2": ("h2", None),
}


@pytest.fixture(scope="module")
def anchors(original: Document) -> dict[str, Anchor]:
    return {name: make_anchor(original, block, quote=quote) for name, (block, quote) in ANCHORS.items()}


def _place(anchors: dict[str, Anchor], revision: Document) -> dict[str, Anchor]:
    mover = Reanchorer(revision)
    return {name: mover.place(anchor) for name, anchor in anchors.items()}


def test_make_anchor_records_quote_context_paragraph_and_revision(original: Document) -> None:
    block = original.block("p37")
    start = block.text.index("性别均等")
    anchor = make_anchor(original, "p37", start, start + 4)
    assert anchor.quote == "性别均等"
    assert anchor.paragraph == "37"
    assert anchor.revision == original.source_hash
    assert len(anchor.revision) == 64
    assert anchor.prefix == block.text[start - CONTEXT_CHARS : start]
    assert anchor.suffix == block.text[start + 4 : start + 4 + CONTEXT_CHARS]
    assert anchor_text(original, anchor) == "性别均等"


def test_make_anchor_whole_block_and_heading_has_no_paragraph(original: Document) -> None:
    anchor = make_anchor(original, "h2")
    assert anchor.quote == original.block("h2").text
    assert (anchor.prefix, anchor.suffix, anchor.paragraph) == ("", "", None)


@pytest.mark.parametrize(
    ("block", "start", "end", "quote", "message"),
    [
        ("p37", 5, 5, None, "outside"),
        ("p37", -1, 3, None, "outside"),
        ("p37", 0, 10_000, None, "outside"),
        ("p37", None, None, "不在这里的文字", "not in block"),
        ("p37", 0, 3, "性别均等", "is not the quote"),
    ],
)
def test_make_anchor_rejects_bad_input(
    original: Document, block: str, start: int | None, end: int | None, quote: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        make_anchor(original, block, start, end, quote=quote)


def test_make_anchor_unknown_block(original: Document) -> None:
    with pytest.raises(KeyError):
        make_anchor(original, "p9999")


def test_same_revision_is_unchanged(original: Document, anchors: dict[str, Anchor]) -> None:
    placed = _place(anchors, original)
    assert all(placed[name] is anchors[name] for name in anchors)


def test_paragraph_inserted(sample_text: str, original: Document, anchors: dict[str, Anchor]) -> None:
    revision = parse(insert_paragraph(sample_text, 10))
    assert revision.block("p11").text == INSERTED
    placed = _place(anchors, revision)
    status = {name: a.status for name, a in placed.items()}
    assert status == {
        "p5": AnchorStatus.EXACT,
        "p11_whole": AnchorStatus.CONTEXT,
        "p15": AnchorStatus.CONTEXT,
        "p15_short": AnchorStatus.CONTEXT,
        "p15_kosovo": AnchorStatus.CONTEXT,
        "p20": AnchorStatus.CONTEXT,
        "p20_gone": AnchorStatus.CONTEXT,
        "p37": AnchorStatus.CONTEXT,
        "h2": AnchorStatus.EXACT,
    }
    # Renumbered paragraphs follow their text, never the old number.
    assert [placed[n].block for n in ("p11_whole", "p15", "p15_short", "p20", "p37")] == [
        "p12",
        "p16",
        "p16",
        "p21",
        "p38",
    ]
    for name, anchor in placed.items():
        assert anchor_text(revision, anchor) == anchors[name].quote
        assert anchor.revision == revision.source_hash
        assert anchor.previous[-1].block == anchors[name].block
        assert anchor.confidence >= 0.9
    assert placed["p37"].paragraph == "38"


def test_text_reworded(sample_text: str, original: Document, anchors: dict[str, Anchor]) -> None:
    revision = parse(reworded_sample(sample_text))
    placed = _place(anchors, revision)
    fuzzy = placed["p20"]
    assert fuzzy.status is AnchorStatus.FUZZY
    assert fuzzy.block == "p20"
    assert anchor_text(revision, fuzzy) == P20_REWORDED
    assert 0.75 <= fuzzy.confidence < 1.0
    # Rewritten beyond recognition: an orphan keeping the old quote and paragraph number.
    gone = placed["p20_gone"]
    assert gone.status is AnchorStatus.ORPHAN
    assert (gone.quote, gone.paragraph, gone.block) == (P20_GONE, "20", "p20")
    assert gone.revision == original.source_hash
    assert gone.checked == revision.source_hash
    assert gone.confidence == 0.0
    assert not gone.needs_reanchor(revision.source_hash)
    others = {n: a.status for n, a in placed.items() if n not in ("p20", "p20_gone")}
    assert set(others.values()) == {AnchorStatus.EXACT}


def test_paragraph_deleted(sample_text: str, original: Document, anchors: dict[str, Anchor]) -> None:
    revision = parse(delete_paragraph(sample_text, 15))
    placed = _place(anchors, revision)
    assert placed["p15"].status is AnchorStatus.ORPHAN
    # "维和行动" occurs dozens of times elsewhere: still an orphan, never attached to other text.
    assert revision.source.count("维和行动") > 10
    assert placed["p15_short"].status is AnchorStatus.ORPHAN
    assert placed["p15_short"].paragraph == "15"
    # "科索沃特派团" also occurs verbatim in another paragraph, in other words around it.
    assert revision.block("p24").text.count("科索沃特派团") == 1
    assert placed["p15_kosovo"].status is AnchorStatus.ORPHAN
    assert placed["p37"].status is AnchorStatus.CONTEXT
    assert placed["p37"].block == "p36"
    assert placed["p20"].block == "p19"
    assert placed["p5"].status is AnchorStatus.EXACT
    assert placed["p11_whole"].status is AnchorStatus.EXACT


def test_orphan_placed_again_when_text_returns(
    sample_text: str, original: Document, anchors: dict[str, Anchor]
) -> None:
    deleted = parse(delete_paragraph(sample_text, 15))
    orphan = Reanchorer(deleted).place(anchors["p15"])
    assert orphan.is_orphan
    back = Reanchorer(original).place(orphan)
    assert back.status is AnchorStatus.EXACT
    assert back.block == "p15"
    assert anchor_text(original, back) == anchors["p15"].quote


def test_whole_paragraph_reworded_moves_to_whole_paragraph(sample_text: str, original: Document) -> None:
    anchor = make_anchor(original, "p20")
    revision = parse(reword(sample_text, 20, P20_QUOTE, P20_REWORDED))
    placed = Reanchorer(revision).place(anchor)
    assert placed.status is AnchorStatus.FUZZY
    assert (placed.block, placed.start, placed.end) == ("p20", 0, len(revision.block("p20").text))
    assert placed.confidence > 0.9


def test_history_is_bounded(sample_text: str, original: Document, anchors: dict[str, Anchor]) -> None:
    versions = [parse(insert_paragraph(sample_text, 10, INSERTED + "版" * k)) for k in range(1, 9)]
    anchor = anchors["p37"]
    for revision in versions:
        anchor = Reanchorer(revision).place(anchor)
    assert anchor.status is AnchorStatus.EXACT
    assert anchor.block == "p38"
    assert len(anchor.previous) == 5
    assert anchor.previous[-1].revision == versions[-2].source_hash
