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
from pathlib import Path
from typing import Any

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


def is_word(text: str) -> bool:
    """A token worth indexing: not only spaces and punctuation."""
    return any(unicodedata.category(c)[0] in "LN" for c in text)


def segment(text: str) -> list[str]:
    """The words of (already normalised) text, in order, punctuation dropped."""
    jieba = load_jieba()
    # No HMM, as in indexing (index.analysis): queries must split the same way,
    # and the HMM only guesses unknown words, which exact containment finds anyway.
    return [w for w in jieba.lcut(text, HMM=False) if is_word(w)]
