"""The parser on a third round of red-team documents (``tests/fixtures/texts/redteam3_*``).

Expectations (``<stem>.yaml``, format described in ``test_parser_styles.py``) were written by
reading the text, never by running the parser.  The probes are Chinese UN documents as delegates
get them from ODS (.txt or copied from the PDF) and two PRC genres: an ACABQ budget report with
tables written as space-separated columns, an HRC report copied from the PDF with every line
hard-wrapped and no blank lines, a Secretary-General's note transmitting a report in an annex,
a report with ``第一章`` chapters and ``一、`` inside them, a list of General Assembly decisions,
a negotiation draft resolution with bracketed words, a treaty with parts, a preamble and
``1.`` paragraphs inside articles, a statement with a salutation and no headings, and a white
paper with ``前言``/``结束语`` and unnumbered sub-headings.

Cases the parser does not handle yet go in ``KNOWN_GAPS`` (strict expected failures, as in
``test_parser_redteam2.py``).  The checks themselves are shared with the earlier rounds.
"""

from __future__ import annotations

from pathlib import Path

import pytest

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
from tests.core.test_parser_redteam2 import check_no_swallow, check_numbered_ids, check_under
from tests.core.test_parser_styles import FIXTURES, _squash

REDTEAM3 = sorted(p for p in FIXTURES.glob("redteam3_*") if p.suffix in {".txt", ".md"})


def _ids(p: Path) -> str:
    return p.stem.removeprefix("redteam3_")


# Test id → why the parser still fails it.
KNOWN_GAPS: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _known_gap(request: pytest.FixtureRequest) -> None:
    reason = KNOWN_GAPS.get(request.node.name)
    if reason is not None:
        request.applymarker(pytest.mark.xfail(reason=f"parser gap: {reason}", strict=True))


def test_there_are_redteam3_fixtures() -> None:
    assert len(REDTEAM3) >= 8
    assert all(p.with_suffix(".yaml").is_file() for p in REDTEAM3)


@pytest.mark.parametrize("path", REDTEAM3, ids=_ids)
def test_outline(path: Path) -> None:
    check_outline(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM3 if "paragraph_numbers" in _expect(p)], ids=_ids)
def test_paragraph_numbers(path: Path) -> None:
    check_paragraph_numbers(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM3 if "under" in _expect(p)], ids=_ids)
def test_paragraphs_under_headings(path: Path) -> None:
    check_under(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM3 if "paragraph_starts" in _expect(p)], ids=_ids)
def test_paragraph_starts(path: Path) -> None:
    doc = _doc(path.name)
    starts = _expect(path)["paragraph_starts"]
    texts = [_squash(b.text) for b in doc.paragraphs()]
    assert len(texts) == len(starts), [t[:12] for t in texts]
    pairs = enumerate(zip(texts, starts, strict=True))
    bad = [(i, t[:20], s) for i, (t, s) in pairs if not t.startswith(_squash(s))]
    assert not bad, f"(index, paragraph opening, expected opening): {bad}"


@pytest.mark.parametrize("path", REDTEAM3, ids=_ids)
def test_metadata(path: Path) -> None:
    check_metadata(path, _squash)


@pytest.mark.parametrize(("name", "check"), spot_cases(REDTEAM3, _ids))
def test_spot_check(name: str, check: dict[str, object]) -> None:
    check_spot(name, check)


@pytest.mark.parametrize("path", REDTEAM3, ids=_ids)
def test_invariants(path: Path) -> None:
    check_invariants(path)


@pytest.mark.parametrize("path", REDTEAM3, ids=_ids)
def test_no_paragraph_swallows_a_heading_line(path: Path) -> None:
    check_no_swallow(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM3 if _expect(p).get("paragraph_numbers")], ids=_ids)
def test_numbered_paragraph_ids(path: Path) -> None:
    check_numbered_ids(path)
