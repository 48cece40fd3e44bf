"""Fixtures shared by every test: redirected folders and the sample briefing."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core import paths
from reader.core.library import Library
from reader.core.model import Document
from reader.core.parser import parse_text


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads or writes the real user's library, caches or settings."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv(paths.HOME_ENV, str(home / "library"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    return home


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The bundled sample briefing (never edited: make variants in tmp_path)."""
    p = paths.sample_path()
    assert p.is_file(), p
    return p


@pytest.fixture(scope="session")
def sample_text(sample_path: Path) -> str:
    """The sample briefing's text."""
    return sample_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_doc(sample_text: str) -> Document:
    """The sample briefing parsed (shared: treat as read-only)."""
    return parse_text(sample_text, source_name=paths.SAMPLE_NAME)


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty library in a temporary folder."""
    return Library.open(tmp_path / "library")
