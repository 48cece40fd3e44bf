"""Tests of the compact query dictionary (index.worddict): jieba's words without jieba."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from index import SearchEngine
from index.worddict import RE_HAN, RE_SKIP, WordDict, cut_with, dict_path, write_dictionary
from index.words import _ENG_CHARS, english_key, is_word, load_jieba
from tests.index.conftest import make_doc

ROOT = Path(__file__).resolve().parents[2]


def _real_lines() -> list[str]:
    from index.normalize import Normalizer

    corpus = ROOT / "tests" / "fixtures" / "corpus"
    norm = Normalizer(fold_traditional=True)
    paths = sorted((corpus / "laws").glob("*.txt"))[:12] + sorted(corpus.rglob("*.md"))[:6]
    return [norm.normalize(t) for p in paths for t in p.read_text(encoding="utf-8").splitlines() if t.strip()]


@pytest.fixture(scope="module")
def compact(tmp_path_factory: pytest.TempPathFactory) -> WordDict:
    folder = tmp_path_factory.mktemp("cache")
    return WordDict.decode(write_dictionary(folder).read_bytes())


def test_the_splitters_are_jiebas() -> None:
    import jieba

    assert RE_HAN.pattern == jieba.re_han_default.pattern
    assert RE_SKIP.pattern == jieba.re_skip_default.pattern
    assert {chr(c) for c in range(0x80) if jieba.re_eng.match(chr(c))} == set(_ENG_CHARS)


def test_every_dictionary_entry_and_prefix_answers_as_jiebas_dict(compact: WordDict) -> None:
    tok = load_jieba()
    assert compact.total == tok.total
    assert len(compact) < len(tok.FREQ)  # the prefixes are not stored
    differing = [k for k, f in tok.FREQ.items() if compact.get(k) != f]
    assert differing == []
    rng = random.Random(3)
    text = "".join(_real_lines()[:400])
    frags = {text[a : a + rng.randint(1, 6)] for a in (rng.randrange(len(text) - 6) for _ in range(30_000))}
    assert any(f not in tok.FREQ for f in frags)
    assert [f for f in frags if compact.get(f) != tok.FREQ.get(f)] == []


def test_cut_is_jiebas_cut_word_for_word_on_real_text_and_its_substrings(compact: WordDict) -> None:
    tok = load_jieba()
    lines = _real_lines()
    assert sum(map(len, lines)) > 100_000
    assert [t for t in lines if cut_with(compact, t) != tok.lcut(t, HMM=False)] == []
    rng = random.Random(11)
    subs = []
    for _ in range(20_000):
        t = rng.choice(lines)
        n = rng.randint(1, 16)
        a = rng.randrange(max(1, len(t) - n))
        subs.append(t[a : a + n])
    subs += ["A/75/563 号文件", "维持和平 rights", "  ", "", "𠀀和平", "Ω和平ωé", "a+b#c&d.e_f%g-h 维和"]
    assert [s for s in subs if cut_with(compact, s) != tok.lcut(s, HMM=False)] == []
    # segment(): the same words, punctuation dropped, English words as keys.
    expected = [[english_key(w) for w in tok.lcut(s, HMM=False) if is_word(w)] for s in subs[:2000]]
    got = [[english_key(w) for w in cut_with(compact, s) if is_word(w)] for s in subs[:2000]]
    assert got == expected


def test_a_damaged_dictionary_file_is_written_again_by_another_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import worddict

    path = write_dictionary(tmp_path)
    good = path.read_bytes()
    path.write_bytes(good[:-10])
    with pytest.raises(ValueError, match="damaged"):
        WordDict.decode(path.read_bytes())

    def not_here(cache_dir: Path) -> Path:
        raise AssertionError("parsed in the search process")

    monkeypatch.setattr(worddict, "write_dictionary", not_here)
    assert worddict._load(tmp_path).get("和平") == load_jieba().FREQ["和平"]
    assert path.read_bytes() == good


def test_a_search_process_finds_loose_words_without_importing_jieba(tmp_path: Path) -> None:
    engine = SearchEngine(tmp_path / "index", cache_dir=tmp_path / "cache")
    engine.add_document(make_doc("d1", ["维和行动需要改革", "推进维和改革", "改革维和"]))
    res = engine.search("维和改革", words=True)
    expected = [res.total, [[h.block_id, h.exact, h.snippet, [list(s) for s in h.spans]] for h in res.hits]]
    engine.close()
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
        "from index import SearchEngine;"
        "e = SearchEngine(Path(sys.argv[2]), cache_dir=Path(sys.argv[3])); e.warm_up();"
        "r = e.search('维和改革', words=True);"
        "hits = [[h.block_id, h.exact, h.snippet, [list(s) for s in h.spans]] for h in r.hits];"
        "print(json.dumps([['jieba' in sys.modules, e.words_ready], r.total, hits], ensure_ascii=False))"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(ROOT), str(tmp_path / "index"), str(tmp_path / "cache")],
        capture_output=True, text=True, check=True, encoding="utf-8",
    )  # fmt: skip
    flags, total, hits = json.loads(out.stdout)
    assert flags == [False, True]
    assert [total, hits] == expected
    assert dict_path(tmp_path / "cache").is_file()
