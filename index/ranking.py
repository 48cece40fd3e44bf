"""Ranking of exact hits: BM25 saturation of term frequency, block-kind weight, a phrase bonus.

Score = Σ over terms of ``tf·(k1+1)/(tf + k1·(1−b+b·len/avglen))``, plus a
bonus when consecutive single terms occur together, times the row's kind
weight (title 3, heading 2 … footnote 0.8).  Term frequencies come from the
n-gram postings (:class:`index.exact.Terms`), so no text is read; the
arithmetic is numpy float64 in the same order as the scalar formula, so
scores are bit-identical to it.  Loose word matches are ranked by Whoosh
(see :mod:`index.words_search`).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from index.exact import Terms, contains_mask
from index.grams import Rows
from index.store import BM25_K1

PHRASE_BONUS = 3.0


def rank_exact(terms: Terms, rows: Rows, groups: list[list[str]], want: int) -> list[tuple[float, int]]:
    """Top ``want`` exact rows as ``(score, row)``, best first, ties in document order."""
    if not len(rows) or want <= 0:
        return []
    snap = terms.snap
    denom = snap.denom(rows)
    k1p = BM25_K1 + 1
    scores: np.ndarray | None = None
    for group in groups:
        for t in group:
            tf = terms.tf(t, rows)
            part = tf * k1p
            part /= tf + denom
            # 0.0 + x is x for every x ≥ 0, so the first term's part is the sum so far.
            scores = part if scores is None else scores + part
    assert scores is not None
    singles = [g[0] for g in groups if len(g) == 1]
    if len(singles) > 1:
        for a, c in pairwise(singles):
            together = contains_mask(rows, terms.rows(a + c)) | contains_mask(rows, terms.rows(a + " " + c))
            scores = scores + together * PHRASE_BONUS
    scores = scores * snap.weights(rows)
    order = top_order(rows, scores, want)
    return list(zip(scores[order].tolist(), rows[order].tolist(), strict=True))


def top_order(rows: Rows, scores: np.ndarray, want: int) -> np.ndarray:
    """Indexes of the ``want`` best scores, best first, ties by row: ``lexsort((rows, -scores))[:want]``."""
    n = len(scores)
    if n <= max(256, 4 * want):
        return np.lexsort((rows, -scores))[:want]
    # Only scores at least the want-th best can be on the page: sort those (ties included) alone.
    kth = np.partition(scores, n - want)[n - want]
    sel = np.flatnonzero(scores >= kth)
    return sel[np.lexsort((rows[sel], -scores[sel]))[:want]]
