"""The parser on a second round of red-team documents (``tests/fixtures/texts/redteam2_*``).

Expectations (``<stem>.yaml``, format described in ``test_parser_styles.py``) were written by
reading the text, never by running the parser.  The probes: UN documents as exported from
ODS/Word (``第一章`` + title line, ``A．``, ``12.　``/``12.文本``, ``(a)`` sub-sub-headings, two
annexes with their own chapters, an addendum, a corrigendum, numbering restarting per chapter, a
symbol on the first line), PRC 部分/附表/版记, a 条例 with a 目录 and ``1.`` sub-items, a
judicial interpretation, English decimal paragraph numbers and ALL-CAPS headings, a bilingual
memorandum, a bare list of recommendations and a chapter copied onto one line.

``test_parser_styles.py`` skips the red-team fixtures; this module runs them.  Cases the parser
does not handle yet are listed in ``KNOWN_GAPS`` and run as strict expected failures: each
one that starts passing fails the suite until it is removed from the list.  Extra checks here:
numbered paragraphs have unique ``p…`` ids, and no paragraph swallows a line the outline lists
as a heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.model import BlockKind
from tests.core.test_parser_redteam import (
    _doc,
    _expect,
    check_invariants,
    check_metadata,
    check_outline,
    check_paragraph_numbers,
    check_spot,
    spot_cases,
)
from tests.core.test_parser_styles import FIXTURES, _heading, _squash

REDTEAM2 = sorted(p for p in FIXTURES.glob("redteam2_*") if p.suffix in {".txt", ".md"})


def _ids(p: Path) -> str:
    return p.stem.removeprefix("redteam2_")


# Test id → why the parser still fails it (most are debatable expectations, see the YAML comments).
KNOWN_GAPS: dict[str, str] = {
}


@pytest.fixture(autouse=True)
def _known_gap(request: pytest.FixtureRequest) -> None:
    reason = KNOWN_GAPS.get(request.node.name)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=f"parser gap: {reason}", strict=True))


def test_there_are_redteam2_fixtures() -> None:
    assert len(REDTEAM2) >= 10
    assert all(p.with_suffix(".yaml").is_file() for p in REDTEAM2)


def check_under(path: Path) -> None:
    """Numbered paragraphs sit directly under the heading the expectation names."""
    doc = _doc(path.name)
    wrong = []
    for heading_path, numbers in _expect(path)["under"].items():
        node = _heading(doc, str(heading_path).split("/"))
        # Numbers may repeat (annexes, restarting chapters): look only inside this heading.
        inside = {b.number: b for b in doc.blocks_under(node.block) if b.kind is BlockKind.PARAGRAPH}
        for n in numbers:
            para = inside.get(n)
            if para is None or para.parent != node.block:
                wrong.append((n, heading_path, None if para is None else doc.path(para.id)))
    assert not wrong, f"(paragraph, expected heading, actual path): {wrong}"


def check_no_swallow(path: Path) -> None:
    """No paragraph or text block contains a line that the expected outline lists as a heading."""
    doc = _doc(path.name)
    outline = [line.strip() for line in _expect(path).get("outline", "").splitlines() if line.strip()]
    wanted = {_squash(label + title.split("‖")[0]) for label, _, title in (o.partition("|") for o in outline)}
    wanted = {w for w in wanted if len(w) >= 4}
    swallowed = []
    for b in doc.blocks:
        if b.kind in {BlockKind.PARAGRAPH, BlockKind.TEXT}:
            raw = _squash(doc.raw(b))
            swallowed += [(b.id, w) for w in wanted if w in raw and raw != w]
    assert not swallowed, f"(block, heading text inside it): {swallowed}"


def check_numbered_ids(path: Path) -> None:
    """Every numbered paragraph has a ``p…`` id (the id scheme the team brief fixes), all distinct."""
    doc = _doc(path.name)
    ids = [(b.number, b.id) for b in doc.paragraphs() if b.number is not None]
    assert [i for i in ids if not i[1].startswith("p")] == []
    assert len({i for _, i in ids}) == len(ids)


@pytest.mark.parametrize("path", REDTEAM2, ids=_ids)
def test_outline(path: Path) -> None:
    check_outline(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM2 if "paragraph_numbers" in _expect(p)], ids=_ids)
def test_paragraph_numbers(path: Path) -> None:
    check_paragraph_numbers(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM2 if "under" in _expect(p)], ids=_ids)
def test_paragraphs_under_headings(path: Path) -> None:
    check_under(path)


@pytest.mark.parametrize("path", REDTEAM2, ids=_ids)
def test_metadata(path: Path) -> None:
    check_metadata(path, _squash)


@pytest.mark.parametrize(("name", "check"), spot_cases(REDTEAM2, _ids))
def test_spot_check(name: str, check: dict[str, object]) -> None:
    check_spot(name, check)


@pytest.mark.parametrize("path", REDTEAM2, ids=_ids)
def test_invariants(path: Path) -> None:
    check_invariants(path)


@pytest.mark.parametrize("path", REDTEAM2, ids=_ids)
def test_no_paragraph_swallows_a_heading_line(path: Path) -> None:
    check_no_swallow(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM2 if _expect(p).get("paragraph_numbers")], ids=_ids)
def test_numbered_paragraph_ids(path: Path) -> None:
    check_numbered_ids(path)


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
