"""Fixtures for the search index tests: real engines over real Whoosh indexes in tmp dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import IndexBlock, IndexDoc, SearchEngine
from reader.core.model import Document
from reader.core.searching import to_index_doc


def make_doc(doc_id: str, texts: list[str], *, title: str = "", kinds: list[str] | None = None) -> IndexDoc:
    """A small hand-made document: one block per text (``t0``, ``t1``...)."""
    kinds = kinds or ["paragraph"] * len(texts)
    blocks = tuple(
        IndexBlock(f"t{i}", kind, str(i + 1) if kind == "paragraph" else None, text, ())
        for i, (text, kind) in enumerate(zip(texts, kinds, strict=True))
    )
    return IndexDoc(doc_id, title or doc_id, None, f"rev-{doc_id}-{len(texts)}", blocks)


@pytest.fixture(scope="session")
def sample_index_doc(sample_doc: Document) -> IndexDoc:
    """The sample briefing as the index sees it."""
    return to_index_doc(sample_doc)


@pytest.fixture(scope="module")
def sample_engine(tmp_path_factory: pytest.TempPathFactory, sample_doc: Document) -> SearchEngine:
    """An engine holding the sample (shared by read-only tests of a module)."""
    root = tmp_path_factory.mktemp("idx")
    engine = SearchEngine(root / "index", cache_dir=root / "cache")
    engine.add_document(to_index_doc(sample_doc))
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> SearchEngine:
    """An empty engine in tmp_path."""
    return SearchEngine(tmp_path / "index", cache_dir=tmp_path / "cache", lock_timeout=1.0)
