"""Go to a paragraph, article or section label: the resolver and the ``goto`` command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.goto import RefKind, parse_ref, resolve
from reader.core.importers import load_path
from reader.core.model import BlockKind, Document

TEXTS = Path(__file__).parents[1] / "fixtures" / "texts"


def _line_after_number(text: str, number: int) -> str:
    """The words after ``37.`` at the start of a line, read from the file itself."""
    m = re.search(rf"^\s*{number}\s*[.．]\s*(\S.{{0,12}})", text, re.MULTILINE)
    assert m, number
    return m.group(1)


@pytest.mark.parametrize(
    "ref", ["37", "¶37", "¶ 37", "第37段", "第三十七段", "para 37", "para. 37", "paragraph 37"]
)
def test_paragraph_references_reach_paragraph_37(sample_doc: Document, sample_text: str, ref: str) -> None:
    found = resolve(sample_doc, ref)
    assert found, ref
    best = found[0]
    assert best.kind is RefKind.PARAGRAPH
    assert best.number == "37"
    block = sample_doc.block(best.block)
    assert block.text.startswith(_line_after_number(sample_text, 37))


def test_section_labels_reach_headings_in_the_reader_chapter(sample_doc: Document, sample_text: str) -> None:
    # The second top-level chapter as written: a line "二. ..." in the file.
    m = re.search(r"^二\.\s*(\S+)", sample_text, re.MULTILINE)
    assert m
    chapter = resolve(sample_doc, "二.")
    assert chapter
    assert chapter[0].kind is RefKind.HEADING
    assert m.group(1) in sample_doc.block(chapter[0].block).text
    assert resolve(sample_doc, "二、")[0].block == chapter[0].block
    # "A." exists in several chapters: from inside chapter 二 the A under 二 comes first.
    inside = next(b.id for b in sample_doc.blocks if b.parent and b.parent.startswith(chapter[0].block + "."))
    best = resolve(sample_doc, "A.", near=inside)[0]
    assert sample_doc.block(best.block).parent == chapter[0].block
    assert resolve(sample_doc, "A.")[0].block != best.block  # from the top, chapter 一's A


@pytest.mark.parametrize("ref", ["第十条", "第10条", "第 10 条", "Article 10", "art. 10", "10"])
def test_articles_in_a_code(ref: str) -> None:
    doc = load_path(TEXTS / "legal_code_parts.txt")
    found = resolve(doc, ref)
    assert found, ref
    assert found[0].kind is RefKind.ARTICLE
    assert found[0].label == "第十条"
    assert found[0].number == "10"
    body = doc.blocks[doc.index_of(found[0].block) + 1]
    source = (TEXTS / "legal_code_parts.txt").read_text(encoding="utf-8")
    after = source.split("第十条", 1)[1].strip()
    assert after.startswith(body.text[:10])
    # The path names the article by its label, not by its empty title.
    assert found[0].path[-1] == "第十条"


def test_prc_chapter_labels_restart_in_every_part() -> None:
    source = (TEXTS / "legal_code_parts.txt").read_text(encoding="utf-8")
    doc = load_path(TEXTS / "legal_code_parts.txt")
    chapters = resolve(doc, "第二章")
    # 章 numbering restarts in every 编: each 第二章 in the file is offered, in document order.
    written = re.findall(r"^第二章\s+(.+)$", source, re.MULTILINE)
    assert len(written) >= 2
    assert [doc.block(t.block).text.replace("\u3000", "")[3:] for t in chapters] == [
        re.sub(r"\s", "", w) for w in written
    ]
    assert all(doc.block(t.block).kind is BlockKind.HEADING for t in chapters)


def test_english_report_paragraphs_and_sections() -> None:
    doc = load_path(TEXTS / "un_report_en.txt")
    source = (TEXTS / "un_report_en.txt").read_text(encoding="utf-8")
    best = resolve(doc, "para 3")[0]
    assert doc.block(best.block).text.startswith(_line_after_number(source, 3))
    assert resolve(doc, "II.")[0].label.startswith("II.")
    assert resolve(doc, "(a)") == []  # a lower-case item is not section A


@pytest.mark.parametrize("text", ["", "peacekeeping", "维和情报", "37 维和", "第", "¶", "A/75/563"])
def test_ordinary_searches_are_not_references(text: str) -> None:
    assert parse_ref(text) is None


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_goto_command_json(
    capsys: pytest.CaptureFixture[str], sample_path: Path, sample_doc: Document
) -> None:
    status, out, _ = run(capsys, "goto", str(sample_path), "第37段", "--json")
    assert status == 0
    got = json.loads(out)
    assert set(got) == {"block", "kind", "label", "number", "path"}
    assert got["kind"] == "paragraph"
    assert got["number"] == "37"
    assert got["path"] == sample_doc.path(got["block"])
    status, out, _ = run(capsys, "goto", str(sample_path), "¶37")
    assert status == 0
    assert out.startswith(got["block"] + "  ¶37")


def test_goto_command_no_match_is_one_line(capsys: pytest.CaptureFixture[str], sample_path: Path) -> None:
    status, out, err = run(capsys, "goto", str(sample_path), "第999段")
    assert status == 1
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith("briefing-reader: error: ")
    assert "第999段" in err


FIXTURES = sorted(p for p in TEXTS.iterdir() if p.suffix in (".txt", ".md"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_every_numbered_place_of_every_style_resolves(path: Path) -> None:
    doc = load_path(path)
    for block in doc.blocks:
        if block.kind is BlockKind.PARAGRAPH and block.number and block.number.replace(".", "").isdigit():
            assert block.id in [t.block for t in resolve(doc, f"¶{block.number}")], (block.id, block.number)
        if block.kind is BlockKind.HEADING and block.label:
            found = [t.block for t in resolve(doc, block.label)]
            if block.id not in found:  # a bare label (一, A, 1) is typed with its punctuation: 一. / A.
                found = [t.block for t in resolve(doc, block.label + ".")]
            assert block.id in found, (block.id, block.label)


UDHR = Path(__file__).parents[1] / "fixtures" / "corpus" / "udhr"


@pytest.mark.parametrize(("name", "word"), [("rus.txt", "Статья"), ("spa.txt", "Artículo")])
def test_an_article_label_in_another_language_is_a_place(name: str, word: str) -> None:
    text = (UDHR / name).read_text(encoding="utf-8")
    line = next(ln.strip() for ln in text.splitlines() if ln.strip().startswith(f"{word} 5"))
    doc = load_path(UDHR / name)
    found = resolve(doc, line)
    assert found, line
    block = doc.block(found[0].block)
    assert block.kind is BlockKind.HEADING
    assert (block.label or "").replace(" ", "") == line.replace(" ", "")
    # The next block is the article's text as written on the line after the label.
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    following = lines[lines.index(line) + 1]
    assert doc.blocks[doc.index_of(block.id) + 1].text.startswith(following[:10])


def test_a_word_that_labels_nothing_goes_nowhere(sample_doc: Document) -> None:
    assert resolve(sample_doc, "维持和平") == []


def _preamble_openings(text: str) -> list[str]:
    """The first words of each preambular paragraph, read from the file itself.

    They are the lines after the resolution's opening, before paragraph 1, that end with a comma.
    """
    body = re.split(r"^(?:大会|The General Assembly|La Asamblea General)[，,]\s*$", text, flags=re.MULTILINE)[
        1
    ]
    body = re.split(r"^\s*1\s*[.．]", body, flags=re.MULTILINE)[0]
    return [line.strip()[:10] for line in body.splitlines() if line.strip().endswith(("，", ","))]


@pytest.mark.parametrize(
    ("name", "refs", "label"),
    [
        ("un_ga_resolution.txt", ["PP{n}", "pp {n}", "序言部分第{n}段", "第{n}序言段"], "序言部分第{n}段"),
        ("redteam4_ga_resolution_es_tabs.txt", ["PP{n}", "preambular paragraph {n}"], "PP{n}"),
    ],
)
def test_preambular_paragraphs_are_counted_from_the_opening(name: str, refs: list[str], label: str) -> None:
    text = (TEXTS / name).read_text(encoding="utf-8")
    doc = load_path(TEXTS / name)
    openings = _preamble_openings(text)
    assert openings  # the fixture has a preamble
    for n, opening in enumerate(openings, start=1):
        for ref in refs:
            (target,) = resolve(doc, ref.format(n=n))
            assert doc.block(target.block).text.startswith(opening), (ref, n)
            assert target.label == label.format(n=n)
    assert resolve(doc, f"PP{len(openings) + 1}") == []  # past the preamble: nowhere


@pytest.mark.parametrize(
    "ref",
    [
        "OP2",
        "op. 2",
        "operative paragraph 2",
        "执行部分第2段",
        "执行部分第二段",
        "第2执行段",
        "the second operative paragraph",
        "Second operative para",
    ],
)
def test_operative_paragraphs_are_the_numbered_ones(ref: str) -> None:
    text = (TEXTS / "un_ga_resolution.txt").read_text(encoding="utf-8")
    doc = load_path(TEXTS / "un_ga_resolution.txt")
    (target,) = resolve(doc, ref)
    assert target.block == "p2"
    assert doc.block("p2").text.startswith(_line_after_number(text, 2))
    third = resolve(doc, "the third preambular paragraph")
    assert doc.block(third[0].block).text.startswith(_preamble_openings(text)[2])
