"""Word segmentation with jieba, loaded lazily; the analyzer input of the word index.

jieba takes ~0.7 s and ~60 MB to load its dictionary, so nothing here imports
it at module import time: :func:`load_jieba` does, once, from whichever thread
asks first (the GUI asks from a worker).  We use a private ``jieba.Tokenizer``
whose dictionary cache lives in our per-user cache folder (keyed by jieba's
version), not in the shared temp dir.  A dictionary trimmed of rare words was
measured and rejected: it saved ~44 MB but split domain terms that jieba lists
as rare (特派团, 问责制, 伙伴关系 have frequency 3), which changed word matches
and slowed those queries.  We never import ``jieba.analyse`` (0.5 s, 120 MB,
stop words that hurt recall).
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

Whoosh = Any
"""Whoosh and jieba publish no types; their objects are ``Any`` under this name."""

_lock = threading.Lock()
_tokenizer: Whoosh = None


def default_cache_dir() -> Path:
    """Where jieba's files go when the caller names no cache folder (per user, never shared)."""
    uid = os.getuid() if hasattr(os, "getuid") else os.getpid()
    return Path(tempfile.gettempdir()) / f"briefing-reader-{uid}"


def load_jieba(cache_dir: Path | None = None) -> Whoosh:
    """Create the private jieba tokenizer (idempotent, thread-safe); return it."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = make_tokenizer(cache_dir if cache_dir is not None else default_cache_dir())
    return _tokenizer


def dictionary_cache(cache_dir: Path) -> Path:
    """The file jieba's parsed dictionary is cached in (keyed by jieba's version)."""
    import jieba

    return cache_dir / f"jieba-{jieba.__version__}.cache"


def dictionary_cached(cache_dir: Path) -> bool:
    """True when jieba's dictionary cache exists, so a new process loads jieba from it quickly."""
    return dictionary_cache(cache_dir).is_file()


def make_tokenizer(cache_dir: Path) -> Whoosh:
    """A new, initialised jieba tokenizer caching its dictionary in ``cache_dir``."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tok = jieba.Tokenizer()
    tok.tmp_dir = str(cache_dir)
    tok.cache_file = str(dictionary_cache(cache_dir))
    tok.initialize()
    return tok


def jieba_loaded() -> bool:
    """True once :func:`load_jieba` has finished."""
    return _tokenizer is not None


def is_word(text: str) -> bool:
    """A token worth indexing: not only spaces and punctuation."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def segment(text: str) -> list[str]:
    """The words of (already normalised) text, in order, punctuation dropped; English words as stems."""
    from index.worddict import cut

    # jieba's no-HMM cut, as in indexing (index.analysis): queries must split the same way,
    # and the HMM only guesses unknown words, which exact containment finds anyway.  The
    # compact dictionary gives jieba's words without loading jieba (~90 MB) in a search.
    return [english_key(w) for w in cut(text) if is_word(w)]


_stem: Any = None
_stems: dict[str, str] = {}


def english_key(word: str) -> str:
    """The word an English word is indexed and queried under, so that ``rights`` finds ``right``.

    Whoosh's own English stemmer (``stemmer_for_language("en")``: Snowball English, Porter2),
    trimmed so that the key is always a substring of the word: the engine finds
    candidate rows by substring before it compares words, and ``country`` →
    ``countri`` would hide them (``countr`` does not).  Other words pass unchanged.
    """
    if len(word) < 4 or not word.isascii() or not word.isalpha():
        return word
    key = _stems.get(word)
    if key is not None:
        return key
    global _stem
    if _stem is None:
        from whoosh.lang import stemmer_for_language

        _stem = stemmer_for_language("en")
    key = _stem(word)
    if key.endswith("i"):
        key = key[:-1]  # the stemmer's y→i: happy/happiness share "happ"
    if key not in word:
        n = 0
        while n < min(len(key), len(word)) and key[n] == word[n]:
            n += 1
        key = key[:n]
    if len(key) < 3:
        key = word
    if len(_stems) < 200_000:
        _stems[word] = key
    return key


WORD_SEP = "\x1e"
"""Joins the words of a row for the word index (normalisation drops control characters, so never in text)."""

_word_cache: dict[str, str] = {}
"""A token seen → the one copy of it the run cache's words share ("" when it is no word to index).

The words of a new run are slices of it, a new string each; without one shared copy per word
the run cache of a 20 MB build held ~1.2 KB a run (117 MB), with it ~0.4 KB (42 MB)."""
_block_cache: dict[str, tuple[str, ...]] = {}
_BLOCK_CACHE_MAX = 400_000
_HAN_BLOCK: re.Pattern[str] | None = None


def _han_blocks() -> re.Pattern[str]:
    """The splitter jieba itself uses: it segments each run of Han characters and alphanumerics alone."""
    global _HAN_BLOCK
    if _HAN_BLOCK is None:
        import jieba

        _HAN_BLOCK = jieba.re_han_default
    return _HAN_BLOCK


def joined_words(text: str) -> str:
    """The words of (already normalised) text joined with :data:`WORD_SEP`, as the word index takes them.

    jieba cuts each run between punctuation independently, so the words of a
    run are remembered: official texts repeat their clauses (titles, standard
    phrases, numbered formulas), and a repeated run costs a dictionary look-up
    instead of jieba's DAG.  A new run of Han characters and alphanumerics is
    cut by :func:`cut_han_block`.  The result is exactly ``tok.cut(text)``'s.
    """
    tok = load_jieba()
    cache = _block_cache
    han = _han_blocks().fullmatch
    out: list[str] = []
    for blk in _han_blocks().split(text):
        if not blk:
            continue
        words = cache.get(blk)
        if words is None:
            cut = cut_han_block(tok, blk) if han(blk) else tok.cut(blk, HMM=False)
            words = tuple(_kept(cut))
            if len(cache) < _BLOCK_CACHE_MAX:
                cache[blk] = words
        out.extend(words)
    return WORD_SEP.join(out)


_ENG_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
"""jieba's ``re_eng``: single characters of these are glued into one token."""


def cut_han_block(tok: Whoosh, sentence: str) -> list[str]:
    """The words of one run of Han characters and alphanumerics, as jieba cuts it without HMM.

    jieba builds a dict of lists (the DAG), then a dict of tuples (the route)
    with a generator per character; this makes one backward pass over two
    lists, with the same arithmetic in the same order, ``(log(freq) -
    log(total)) + route``, and the same tie rule (the longer word), so the
    route and the words are identical (a test compares them on real text).
    """
    from math import log

    freq = tok.FREQ
    get = freq.get
    logtotal = log(tok.total)
    single = log(1) - logtotal  # a character no word starts with: jieba's ``FREQ.get(c) or 1``
    n = len(sentence)
    score = [0.0] * (n + 1)
    end = list(range(1, n + 2))
    for k in range(n - 1, -1, -1):
        best: float | None = None
        j = k + 1
        frag = sentence[k]
        f = get(frag)
        while f is not None:
            if f:
                sc = log(f) - logtotal + score[j]
                if best is None or sc >= best:
                    best, end[k] = sc, j
            if j >= n:
                break
            j += 1
            frag = sentence[k:j]
            f = get(frag)
        score[k] = single + score[k + 1] if best is None else best
    words: list[str] = []
    buf = ""
    x = 0
    eng = _ENG_CHARS
    while x < n:
        y = end[x]
        w = sentence[x:y]
        if y - x == 1 and w in eng:
            buf += w
        else:
            if buf:
                words.append(buf)
                buf = ""
            words.append(w)
        x = y
    if buf:
        words.append(buf)
    return words


def _kept(words: Iterable[str]) -> Iterator[str]:
    known = _word_cache
    for w in words:
        word = known.get(w)
        if word is None:
            word = w if is_word(w) else ""
            if len(known) < 200_000:
                known[w] = word
        if word:
            yield word
            key = english_key(word)
            if key != word:
                yield key


def joined_words_of_rows(texts: list[str]) -> list[str]:
    """:func:`joined_words` of each text (one task of a worker process)."""
    return [joined_words(t) for t in texts]
