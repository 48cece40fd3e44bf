"""Search in the other UN scripts: accents, Cyrillic ё, Arabic marks and tatweel, English inflections."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from index import IndexDoc, SearchEngine
from index.normalize import Normalizer
from reader.core.importers import load_path
from reader.core.searching import to_index_doc

UDHR = Path(__file__).resolve().parent.parent / "fixtures" / "corpus" / "udhr"


@pytest.fixture(scope="module")
def udhr(tmp_path_factory: pytest.TempPathFactory) -> tuple[SearchEngine, dict[str, IndexDoc]]:
    """An engine holding the French, Spanish, Russian, Arabic and English UDHR."""
    root = tmp_path_factory.mktemp("udhr-index")
    engine = SearchEngine(root / "index", cache_dir=root / "cache")
    docs = {}
    for stem in ("fra", "spa", "rus", "arb", "eng"):
        doc = load_path(UDHR / f"{stem}.txt")
        doc.id = stem
        docs[stem] = to_index_doc(doc)
        engine.add_document(docs[stem])
    return engine, docs


def _hits(engine: SearchEngine, query: str, doc: str, words: bool = False) -> set[str]:
    res = engine.search(f"{query} doc:{doc}", limit=10_000, words=words)
    return {h.block_id for h in res.hits if h.doc_id == doc}


def _blocks_with(doc: IndexDoc, word: str) -> set[str]:
    return {b.block_id for b in doc.blocks if word in b.text}


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@pytest.mark.parametrize(
    ("doc", "word"),
    [("fra", "Préambule"), ("fra", "égaux"), ("fra", "sécurité"), ("spa", "Artículo"), ("spa", "protección")],
)
def test_latin_without_accents_or_in_capitals_finds_the_accented_text(
    udhr: tuple[SearchEngine, dict[str, IndexDoc]], doc: str, word: str
) -> None:
    engine, docs = udhr
    expected = _blocks_with(docs[doc], word)
    assert expected
    assert _hits(engine, _strip_accents(word), doc) >= expected
    assert _hits(engine, word.upper(), doc) >= expected


@pytest.mark.parametrize("word", ["Статья", "преамбула", "свободы", "человека"])
def test_cyrillic_in_any_case_finds_the_text(
    udhr: tuple[SearchEngine, dict[str, IndexDoc]], word: str
) -> None:
    engine, docs = udhr
    expected = {b.block_id for b in docs["rus"].blocks if word.casefold() in b.text.casefold()}
    assert expected
    assert _hits(engine, word.upper(), "rus") >= expected
    assert _hits(engine, word.lower(), "rus") >= expected


def test_cyrillic_yo_and_ye_find_each_other() -> None:
    n = Normalizer()
    assert n.normalize("её") == n.normalize("ее")


_HARAKAT = re.compile("[\u064b-\u065f\u0670\u0640]")


def test_arabic_without_vowel_marks_finds_the_marked_text(
    udhr: tuple[SearchEngine, dict[str, IndexDoc]],
) -> None:
    engine, docs = udhr
    # Words of the Arabic text that carry marks (harakat, shadda) as written.
    marked = sorted({w for b in docs["arb"].blocks for w in b.text.split() if _HARAKAT.search(w)})
    assert len(marked) >= 10
    for word in marked[:25]:
        bare = _HARAKAT.sub("", word).strip("،.؛:")
        expected = {b.block_id for b in docs["arb"].blocks if word in b.text}
        assert _hits(engine, bare, "arb") >= expected, word


def test_arabic_tatweel_and_hamza_forms_are_folded() -> None:
    n = Normalizer()
    assert n.normalize("الديـــباجة") == n.normalize("الديباجة")
    assert n.normalize("الإعلان") == n.normalize("الاعلان")
    assert n.normalize("مَادّة") == n.normalize("مادة")


def test_offsets_still_map_back_through_folded_marks() -> None:
    n = Normalizer()
    text = "Préambule — مَادّة"
    folded, offsets = n.normalize_map(text)
    assert len(offsets) == len(folded) + 1
    start = folded.index("مادة")
    assert text[offsets[start] : offsets[start + 3] + 1] == "مَادّة"


@pytest.mark.parametrize(
    ("query", "inflected"), [("freedoms", "freedom"), ("rights", "right"), ("nation", "nations")]
)
def test_english_word_queries_find_inflected_forms(
    udhr: tuple[SearchEngine, dict[str, IndexDoc]], query: str, inflected: str
) -> None:
    engine, docs = udhr
    pattern = re.compile(rf"\b{inflected}\b", re.IGNORECASE)
    only_other = {
        b.block_id
        for b in docs["eng"].blocks
        if pattern.search(b.text) and not re.search(rf"\b{query}\b", b.text, re.IGNORECASE)
    }
    assert only_other  # the text has the other form on its own somewhere
    assert _hits(engine, query, "eng", words=True) >= only_other
