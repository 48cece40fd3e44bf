"""The parser on realistic variations of the styles it must recognise (red-team fixtures).

Each ``tests/fixtures/texts/redteam_*.{txt,md}`` has a ``<stem>.yaml`` in the format described in
``test_parser_styles.py``, written by reading the text, never by running the parser.  The files
are decoded from bytes with ``decode_bytes`` (not ``read_text``) so a fixture saved with CRLF line
ends reaches the parser with them.  Extra key: ``line_ends: crlf`` asserts the file on disk really
has CRLF line ends (so a checkout that normalised them would not silently weaken the test).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from reader.core.decode import decode_bytes
from reader.core.model import Document
from reader.core.parser import parse_text
from tests.core.test_parser_styles import (
    CHECKS,
    FIXTURES,
    _assert_consistent,
    _assert_lossless,
    _expected_outline,
    _heading,
    _norm,
    _outline_lines,
    _squash,
)

REDTEAM = sorted(p for p in FIXTURES.glob("redteam_*") if p.suffix in {".txt", ".md"})


def _source(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path.name)


def _expect(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    return dict(data)


@functools.cache
def _doc(name: str) -> Document:
    path = FIXTURES / name
    return parse_text(_source(path), doc_id=path.stem, source_name=name)


def _ids(p: Path) -> str:
    return p.stem.removeprefix("redteam_")


# Checks shared by every red-team round (each round's tests call them on its own fixtures).


def check_outline(path: Path) -> None:
    """The tree matches the expected outline."""
    doc = _doc(path.name)
    actual = _outline_lines(doc.tree)
    assert actual == _expected_outline(_expect(path).get("outline", ""), actual)


def check_paragraph_numbers(path: Path) -> None:
    """Numbered paragraphs carry the expected numbers, in order."""
    numbers = [b.number for b in _doc(path.name).paragraphs() if b.number is not None]
    assert numbers == _expect(path)["paragraph_numbers"]


def check_metadata(path: Path, norm: Callable[[str], str]) -> None:
    """Title, symbol and language as expected (titles compared through ``norm``)."""
    exp = _expect(path)
    doc = _doc(path.name)
    if "title" in exp:
        assert norm(doc.title) == norm(exp["title"])
    if "title_contains" in exp:
        assert norm(exp["title_contains"]) in norm(doc.title)
    if "symbol" in exp:
        assert doc.symbol == exp["symbol"]
    if "language" in exp:
        assert doc.language == exp["language"]


def spot_cases(paths: list[Path], ids: Callable[[Path], str]) -> list[Any]:
    """One pytest case per spot check of every fixture."""
    return [
        pytest.param(path.name, check, id=f"{ids(path)}-{i}-{check['type']}")
        for path in paths
        for i, check in enumerate(_expect(path).get("checks", []))
    ]


def check_spot(name: str, check: dict[str, Any]) -> None:
    """Run one spot check of the fixture ``name``."""
    CHECKS[str(check["type"])](_doc(name), check)


def check_invariants(path: Path) -> None:
    """Lossless spans and a tree that agrees with the heading blocks."""
    _assert_lossless(_source(path), _doc(path.name))
    _assert_consistent(_doc(path.name))


def test_there_are_redteam_fixtures() -> None:
    assert len(REDTEAM) >= 10


@pytest.mark.parametrize("path", REDTEAM, ids=_ids)
def test_outline(path: Path) -> None:
    check_outline(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM if "paragraph_numbers" in _expect(p)], ids=_ids)
def test_paragraph_numbers(path: Path) -> None:
    check_paragraph_numbers(path)


@pytest.mark.parametrize("path", [p for p in REDTEAM if "under" in _expect(p)], ids=_ids)
def test_paragraphs_under_headings(path: Path) -> None:
    doc = _doc(path.name)
    wrong = []
    for heading_path, numbers in _expect(path)["under"].items():
        node = _heading(doc, str(heading_path).split("/"))
        for n in numbers:
            para = doc.paragraph(n)
            if para is None or para.parent != node.block:
                wrong.append((n, heading_path, None if para is None else doc.path(para.id)))
    assert not wrong, f"(paragraph, expected heading, actual path): {wrong}"


@pytest.mark.parametrize("path", [p for p in REDTEAM if "paragraph_starts" in _expect(p)], ids=_ids)
def test_paragraph_starts(path: Path) -> None:
    doc = _doc(path.name)
    starts = [_squash(s) for s in _expect(path)["paragraph_starts"]]
    texts = [_squash(b.text) for b in doc.paragraphs()]
    assert [t[: len(s)] for t, s in zip(texts, starts, strict=False)] == starts
    assert len(texts) == len(starts)


@pytest.mark.parametrize("path", REDTEAM, ids=_ids)
def test_metadata(path: Path) -> None:
    check_metadata(path, _norm)


@pytest.mark.parametrize("path", [p for p in REDTEAM if _expect(p).get("line_ends") == "crlf"], ids=_ids)
def test_fixture_really_has_crlf(path: Path) -> None:
    data = path.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n") > 10


@pytest.mark.parametrize(("name", "check"), spot_cases(REDTEAM, _ids))
def test_spot_check(name: str, check: dict[str, Any]) -> None:
    check_spot(name, check)


@pytest.mark.parametrize("path", REDTEAM, ids=_ids)
def test_invariants(path: Path) -> None:
    check_invariants(path)
