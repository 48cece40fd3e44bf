"""The parser on the real corpus (``tests/fixtures/corpus/``), against structure read from the documents.

Expectations come from :mod:`tests.core.corpus_truth` (the ``.md`` headings of each law, the
numbering sequences of the work reports, the article lines of the UDHR), never from the parser.
Per-family figures are in ``docs/PARSER.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reader.core.importers import load_path
from reader.core.model import BlockKind, Document, Heading
from reader.core.parser import parse_text
from tests.core.corpus_truth import (
    CORPUS,
    Node,
    docx_paragraphs,
    law_outline,
    law_title,
    report_outline,
    squash,
    udhr_articles,
)
from tests.core.lossless import assert_accounted
from tests.core.test_parser_styles import _assert_consistent, _assert_lossless

LAWS = sorted((CORPUS / "laws").glob("*.txt"))
REPORTS = sorted((CORPUS / "reports").glob("*.docx"))
UDHR = sorted((CORPUS / "udhr").glob("*.txt"))


def _actual(doc: Document) -> list[Node]:
    out = []
    for h in doc.headings():
        label = squash(h.label or "")
        if re.fullmatch(r"第.+[条條]", label):
            out.append(Node(h.level, label, article=True))
        else:
            out.append(Node(h.level, squash((h.label or "") + h.title)))
    return out


def test_corpus_is_complete() -> None:
    assert (len(LAWS), len(REPORTS), len(UDHR)) == (150, 16, 7)
    assert all(p.with_suffix(".md").is_file() for p in LAWS)


@pytest.mark.parametrize("path", LAWS, ids=lambda p: p.stem)
def test_law_tree_is_the_markdown_tree(path: Path) -> None:
    md = path.with_suffix(".md").read_text(encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    doc = parse_text(text, source_name=path.name)
    expected, actual = law_outline(md), _actual(doc)
    if expected and expected[-1].article is None:  # an annex: compare the start of its text
        annex = expected.pop()
        annex = Node(1, annex.text.rstrip("：:"), article=None)  # 附件： is the label 附件
        tail = actual[len(expected) :]
        assert len(tail) == 1, f"annex expected as one heading, got {tail}"
        assert (tail[0].level, tail[0].text[: len(annex.text)]) == (1, annex.text)
        actual = actual[: len(expected)]
    assert actual == expected
    assert squash(doc.title) == law_title(md)
    _assert_lossless(text, doc)
    _assert_consistent(doc)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_report_chapters_and_sections_are_found(path: Path) -> None:
    expected = report_outline(docx_paragraphs(path))
    assert sum(1 + len(sections) for _, sections in expected) >= 3
    doc = load_path(path)
    assert_accounted(doc)

    def starts(node: Heading, paragraph: str, label: str) -> bool:
        return squash(node.label or "").strip("（）()") == label and paragraph.startswith(
            squash(node.display)
        )

    missing = []
    nodes = list(doc.headings())
    for chapter, sections in expected:
        if chapter:
            label = chapter.split("、", 1)[0]
            found = [h for h in nodes if starts(h, chapter, label)]
            if not found:
                missing.append(chapter[:30])
                continue
            pool = found[0].children
        else:  # sections under an unnumbered chapter: headings, siblings of each other
            pool = nodes
        seen: list[Heading] = []
        for section in sections:
            sub = re.match(r"^[（(]([一二三四五六七八九十]+)[）)]", section)
            assert sub is not None
            hit = next((k for k in pool if k not in seen and starts(k, section, sub.group(1))), None)
            if hit is None:
                missing.append(section[:30])
            else:
                seen.append(hit)
        assert len({id(h.parent) for h in seen}) <= 1, "sections of one chapter under different parents"
    assert not missing, f"chapters or sections not found under their chapter: {missing}"


@pytest.mark.parametrize("path", UDHR, ids=lambda p: p.stem)
def test_udhr_preamble_and_thirty_articles_are_siblings(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert udhr_articles(path.stem, text) == list(range(1, 31))
    doc = parse_text(text, source_name=path.name)
    roots = doc.tree
    assert len(roots) == 31
    assert not roots[0].label  # the preamble, unnumbered
    articles = [doc.block(h.block) for h in roots[1:]]
    assert [b.number for b in articles] == [str(n) for n in range(1, 31)]
    assert all(not h.children for h in roots)
    assert all(b.kind is BlockKind.HEADING and b.level == 1 for b in articles)
    _assert_lossless(text, doc)
    # The file names are the corpus's language codes (ISO 639-3 with script).
    codes = {"arb": "ar", "cmn_hans": "zh-Hans", "cmn_hant": "zh-Hant", "eng": "en", "fra": "fr"}
    assert doc.language == codes.get(path.stem, {"rus": "ru", "spa": "es"}.get(path.stem))
