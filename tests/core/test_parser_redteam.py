"""The parser on realistic variations of the styles it must recognise: three red-team rounds.

Each ``tests/fixtures/texts/redteam{,2,3}_*.{txt,md}`` has a ``<stem>.yaml`` in the format
described in ``test_parser_styles.py``, written by reading the text, never by running the parser.
The files are decoded from bytes with ``decode_bytes`` (not ``read_text``) so a fixture saved
with CRLF line ends reaches the parser with them.  Extra key: ``line_ends: crlf`` asserts the file
on disk really has CRLF line ends (so a checkout that normalised them would not silently weaken
the test).

The rounds: (1) the styles the parser was built for, varied; (2) UN documents as exported from
ODS/Word (``第一章`` + title line, ``A．``, ``12.　``/``12.文本``, ``(a)`` sub-sub-headings, two
annexes with their own chapters, an addendum, a corrigendum, numbering restarting per chapter, a
symbol on the first line), PRC 部分/附表/版记, a 条例 with a 目录 and ``1.`` sub-items, a judicial
interpretation, English decimal paragraph numbers and ALL-CAPS headings, a bilingual memorandum,
a bare list of recommendations and a chapter copied onto one line; (3) Chinese UN documents as
delegates get them from ODS (.txt or copied from the PDF) and two PRC genres: an ACABQ budget
report with tables as space-separated columns, an HRC report copied from the PDF with every line
hard-wrapped and no blank lines, a Secretary-General's note transmitting a report in an annex, a
report with ``第一章`` chapters and ``一、`` inside them, a list of General Assembly decisions, a
negotiation draft with bracketed words, a treaty with parts, a preamble and ``1.`` paragraphs
inside articles, a statement with a salutation and no headings, and a white paper with
``前言``/``结束语`` and unnumbered sub-headings; (4) the front page of UN documents as the ODS
.txt export lays it out (letterhead columns joined by one tab, the session block with the agenda
item's own title), one report in the six UN languages and an HRC report.

Every round runs the same checks.  Cases the parser does not handle yet go in ``KNOWN_GAPS`` and
run as strict expected failures: each one that starts passing fails the suite until it is
removed from the list.  Tests particular to one fixture live in ``test_parser_redteam_cases.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.core.decode import decode_bytes
from reader.core.model import BlockKind, Document
from reader.core.parser import parse_text
from tests.core.test_parser_styles import (
    CHECKS,
    FIXTURES,
    _assert_consistent,
    _assert_lossless,
    _expect,
    _expected_outline,
    _heading,
    _norm,
    _outline_lines,
    _squash,
)

ROUNDS = ("redteam_", "redteam2_", "redteam3_", "redteam4_")
REDTEAM = sorted(
    p for r in ROUNDS for p in FIXTURES.glob(f"{r}*") if p.suffix in {".txt", ".md"}
)

# Test id → why the parser still fails it (most are debatable expectations, see the YAML comments).
KNOWN_GAPS: dict[str, str] = {}


def _source(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path.name)


@functools.cache
def _doc(name: str) -> Document:
    path = FIXTURES / name
    return parse_text(_source(path), doc_id=path.stem, source_name=name)


def _ids(p: Path) -> str:
    return p.stem


def _having(key: str) -> list[Path]:
    return [p for p in REDTEAM if key in _expect(p)]


@pytest.fixture(autouse=True)
def _known_gap(request: pytest.FixtureRequest) -> None:
    reason = KNOWN_GAPS.get(request.node.name)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=f"parser gap: {reason}", strict=True))


@pytest.mark.parametrize(
    ("prefix", "at_least"), [("redteam_", 10), ("redteam2_", 10), ("redteam3_", 8), ("redteam4_", 9)]
)
def test_there_are_fixtures_of_every_round(prefix: str, at_least: int) -> None:
    round_ = [p for p in REDTEAM if p.stem.startswith(prefix)]
    assert len(round_) >= at_least
    assert all(p.with_suffix(".yaml").is_file() for p in round_)


@pytest.mark.parametrize("path", REDTEAM, ids=_ids)
def test_outline(path: Path) -> None:
    doc = _doc(path.name)
    actual = _outline_lines(doc.tree)
    assert actual == _expected_outline(_expect(path).get("outline", ""), actual)


@pytest.mark.parametrize("path", _having("paragraph_numbers"), ids=_ids)
def test_paragraph_numbers(path: Path) -> None:
    numbers = [b.number for b in _doc(path.name).paragraphs() if b.number is not None]
    assert numbers == _expect(path)["paragraph_numbers"]


@pytest.mark.parametrize("path", _having("under"), ids=_ids)
def test_paragraphs_under_headings(path: Path) -> None:
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


@pytest.mark.parametrize("path", _having("paragraph_starts"), ids=_ids)
def test_paragraph_starts(path: Path) -> None:
    texts = [_squash(b.text) for b in _doc(path.name).paragraphs()]
    starts = [_squash(s) for s in _expect(path)["paragraph_starts"]]
    assert len(texts) == len(starts), [t[:12] for t in texts]
    bad = [(i, t[:20], s) for i, (t, s) in enumerate(zip(texts, starts, strict=True)) if not t.startswith(s)]
    assert not bad, f"(index, paragraph opening, expected opening): {bad}"


@pytest.mark.parametrize("path", REDTEAM, ids=_ids)
def test_metadata(path: Path) -> None:
    exp = _expect(path)
    doc = _doc(path.name)
    # The first round compares titles with CJK spacing dropped, the later ones with all spacing.
    norm: Callable[[str], str] = _norm if path.stem.startswith("redteam_") else _squash
    if "title" in exp:
        assert norm(doc.title) == norm(exp["title"])
    if "title_contains" in exp:
        assert norm(exp["title_contains"]) in norm(doc.title)
    if "symbol" in exp:
        assert doc.symbol == exp["symbol"]
    if "language" in exp:
        assert doc.language == exp["language"]


@pytest.mark.parametrize("path", [p for p in REDTEAM if _expect(p).get("line_ends") == "crlf"], ids=_ids)
def test_fixture_really_has_crlf(path: Path) -> None:
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10


@pytest.mark.parametrize(
    ("name", "check"),
    [
        pytest.param(path.name, check, id=f"{_ids(path)}-{i}-{check['type']}")
        for path in REDTEAM
        for i, check in enumerate(_expect(path).get("checks", []))
    ],
)
def test_spot_check(name: str, check: dict[str, Any]) -> None:
    CHECKS[str(check["type"])](_doc(name), check)


@pytest.mark.parametrize("path", REDTEAM, ids=_ids)
def test_invariants(path: Path) -> None:
    """Lossless spans and a tree that agrees with the heading blocks."""
    _assert_lossless(_source(path), _doc(path.name))
    _assert_consistent(_doc(path.name))


# From the second round on: the first round's laws cite their articles in the text (违反第 5-1 條).
@pytest.mark.parametrize("path", [p for p in REDTEAM if not p.stem.startswith("redteam_")], ids=_ids)
def test_no_paragraph_swallows_a_heading_line(path: Path) -> None:
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


@pytest.mark.parametrize("path", _having("paragraph_numbers"), ids=_ids)
def test_numbered_paragraph_ids(path: Path) -> None:
    """Every numbered paragraph has a ``p…`` id (the id scheme the team brief fixes), all distinct."""
    doc = _doc(path.name)
    ids = [(b.number, b.id) for b in doc.paragraphs() if b.number is not None]
    assert [i for i in ids if not i[1].startswith("p")] == []
    assert len({i for _, i in ids}) == len(ids)
