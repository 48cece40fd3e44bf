"""Copy with citation: the quote and where it is, in the document's own convention."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from reader.core.citation import cite, quote_with_citation
from reader.core.importers import load_path
from reader.core.model import Document

TEXTS = Path(__file__).parents[1] / "fixtures" / "texts"


def test_chinese_un_paragraph(sample_doc: Document) -> None:
    doc = replace(sample_doc, symbol="A/75/563")
    block = doc.paragraph("37")
    assert block is not None
    quote = block.text[:12]
    assert quote_with_citation(doc, block.id, quote) == f"“{quote}”（A/75/563，第37段）"


def test_english_un_paragraph() -> None:
    doc = load_path(TEXTS / "un_report_en.txt")
    block = doc.paragraph("3")
    assert block is not None
    assert doc.symbol
    quote = block.text[:20]
    assert quote_with_citation(doc, block.id, quote) == f'"{quote}" ({doc.symbol}, para. 3)'


def test_law_cites_the_article_of_a_body_paragraph() -> None:
    doc = load_path(TEXTS / "legal_code_parts.txt")
    article = next(b for b in doc.blocks if b.label == "第十条")
    body = doc.blocks[doc.index_of(article.id) + 1]
    assert cite(doc, body.id) == f"《{doc.title}》第十条"
    assert quote_with_citation(doc, body.id, body.text[:8]).endswith("第十条）")


def test_english_treaty_cites_article() -> None:
    doc = load_path(Path(__file__).parents[1] / "fixtures" / "texts" / "un_report_en.txt")
    # Without an article the innermost heading is cited.
    heading = next(b for b in doc.blocks if b.label == "A")
    assert cite(doc, heading.id).endswith("A. Background")


def test_a_resolution_cites_a_preambular_paragraph_by_its_count() -> None:
    text = (TEXTS / "un_ga_resolution.txt").read_text(encoding="utf-8")
    doc = load_path(TEXTS / "un_ga_resolution.txt")
    # The second line after 大会， that ends with a comma, read from the file: the second preambular
    # paragraph (its symbol, A/RES/75/293, is in the letterhead).
    second = [line for line in text.split("大会，", 1)[1].splitlines() if line.endswith("，")][1]
    block = next(b for b in doc.blocks if b.text.startswith(second[:12]))
    assert cite(doc, block.id) == "A/RES/75/293，序言部分第2段"
    operative = doc.paragraph("2")
    assert operative is not None
    assert cite(doc, operative.id) == "A/RES/75/293，第2段"
    spanish = load_path(TEXTS / "redteam4_ga_resolution_es_tabs.txt")
    first = next(b for b in spanish.blocks if b.text.startswith("Recordando"))
    assert cite(spanish, first.id) == "A/RES/76/1, preambular para. 1"
