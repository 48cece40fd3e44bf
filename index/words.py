"""Word segmentation with jieba, loaded lazily, and the Whoosh analyzer over it.

jieba takes ~0.7 s to load its dictionary, so nothing here imports it at
module import time: :func:`load_jieba` does, once, from whichever thread asks
first (the GUI asks from a worker).  Its dictionary cache goes to our own
per-user cache folder, not the shared temp dir.  We never import
``jieba.analyse`` (0.5 s, 120 MB, stop words that hurt recall).
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from whoosh.analysis import Token, Tokenizer

Whoosh = Any
"""Whoosh and jieba publish no types; their objects are ``Any`` under this name."""

_lock = threading.Lock()
_jieba: Whoosh = None


def load_jieba(cache_dir: Path | None = None) -> Whoosh:
    """Import and initialise jieba (idempotent, thread-safe); return the module."""
    global _jieba
    if _jieba is not None:
        return _jieba
    with _lock:
        if _jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            if cache_dir is not None:
                cache_dir.mkdir(parents=True, exist_ok=True)
                jieba.dt.tmp_dir = str(cache_dir)
                jieba.dt.cache_file = str(cache_dir / "jieba.cache")
            jieba.initialize()
            _jieba = jieba
    return _jieba


def jieba_loaded() -> bool:
    """True once :func:`load_jieba` has finished."""
    return _jieba is not None


def _is_word(text: str) -> bool:
    """A token worth indexing: not only spaces and punctuation."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def segment(text: str) -> list[str]:
    """The words of (already normalised) text, in order, punctuation dropped."""
    jieba = load_jieba()
    return [w for w in jieba.lcut(text, HMM=True) if _is_word(w)]


class JiebaTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer yielding jieba words of normalised text (no stop words)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Whoosh,
    ) -> Iterator[Any]:
        """Yield one reused Whoosh token per word, Whoosh's analyzer protocol."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        jieba = load_jieba()
        pos = start_pos
        for word, start, end in jieba.tokenize(value):
            if not _is_word(word):
                continue
            t.original = t.text = word
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


def word_analyzer() -> Whoosh:
    """The analyzer of the word fields (text arrives already normalised)."""
    return JiebaTokenizer()
