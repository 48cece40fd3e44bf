"""Fixtures for the reliability suite: a real library with the sample in it, and its bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.library import Library

PEAK_MB = 400
"""Peak memory (RSS) any hostile input may cost a CLI command; a normal import takes 40-120 MB."""

SECONDS = 60
"""Wall time any hostile input may cost a CLI command (a normal one takes 1-3 s on a busy machine)."""


@pytest.fixture
def library(tmp_path: Path, sample_path: Path) -> Library:
    """A library holding the sample briefing (imported in this process, which also creates its lock file)."""
    library = Library.open(tmp_path / "lib")
    library.import_file(sample_path)
    return library


def assert_one_line(stderr: str, *words: str) -> str:
    """The single error line, checked to name each of ``words``; never a traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]
