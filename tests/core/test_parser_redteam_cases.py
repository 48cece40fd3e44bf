"""Tests particular to single red-team fixtures (their shared checks: ``test_parser_redteam.py``)."""

from __future__ import annotations

from reader.core.model import BlockKind
from tests.core.test_parser_redteam import _doc


def test_restarting_numbers_keep_unique_ids() -> None:
    doc = _doc("redteam2_un_restart_numbering_zh.txt")
    numbered = [b for b in doc.paragraphs() if b.number is not None]
    assert len(numbered) == 10
    assert len({b.id for b in numbered}) == 10
    # Each chapter's paragraph 1 is reachable by walking the tree, not only by number.
    firsts = [
        b.id
        for root in doc.tree
        for b in doc.blocks_under(root.block)
        if b.kind is BlockKind.PARAGRAPH and b.number == "1"
    ]
    assert len(firsts) == 4


def test_annex_paragraph_ids_are_unique_and_body_ids_official() -> None:
    doc = _doc("redteam2_un_ods_chapters_zh.txt")
    body_twelve = doc.paragraph("12")
    assert body_twelve is not None
    assert body_twelve.id == "p12"
    first = doc.paragraph("1")
    assert first is not None
    assert first.id == "p1"
    assert "本报告述及" in first.text
