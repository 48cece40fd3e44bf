"""Ranking of exact hits: BM25 saturation of term frequency, block-kind weight, a phrase bonus.

Score = Σ over terms of ``tf·(k1+1)/(tf + k1·(1−b+b·len/avglen))``, plus a
bonus when consecutive single terms occur together, times the row's kind
weight (title 3, heading 2 … footnote 0.8).  The per-row length term and the
weights are precomputed per snapshot; every per-hit step is a ``map``/``zip``
run in C.  Loose word matches are ranked by Whoosh (see :mod:`index.words_search`).
"""

from __future__ import annotations

import heapq
from itertools import pairwise, repeat
from operator import add, mul, neg, or_, truediv

from index.store import BM25_K1, Snapshot

PHRASE_BONUS = 3.0


def rank_exact(
    snap: Snapshot, rows: list[int], groups: list[list[str]], want: int
) -> list[tuple[float, int]]:
    """Top ``want`` exact rows as ``(score, row)``, best first, ties in document order."""
    if not rows or want <= 0:
        return []
    # Every step is a map/zip run in C over the hits: a common term (tens of
    # thousands of rows) costs a few milliseconds, not a Python loop per hit.
    texts = list(map(snap.norms.__getitem__, rows))
    denom = list(map(snap.denom.__getitem__, rows))
    k1p = BM25_K1 + 1
    scores: list[float] = [0.0] * len(rows)
    for group in groups:
        for t in group:
            tfs = list(map(str.count, texts, repeat(t)))
            sat = map(truediv, map(mul, tfs, repeat(k1p)), map(add, tfs, denom))
            scores = list(map(add, scores, sat))
    singles = [g[0] for g in groups if len(g) == 1]
    if len(singles) > 1:
        for a, c in pairwise(singles):
            joined = map(str.__contains__, texts, repeat(a + c))
            spaced = map(str.__contains__, texts, repeat(a + " " + c))
            together = map(or_, joined, spaced)
            scores = list(map(add, scores, map(mul, together, repeat(PHRASE_BONUS))))
    scores = list(map(mul, scores, map(snap.weights.__getitem__, rows)))
    return top(scores, rows, want)


def top(scores: list[float], rows: list[int], want: int) -> list[tuple[float, int]]:
    """The best ``want`` ``(score, row)`` pairs, best first, ties in row order."""
    if want >= len(rows):
        best = sorted(zip(scores, map(neg, rows), strict=True), reverse=True)
    else:
        best = heapq.nlargest(want, zip(scores, map(neg, rows), strict=True))
    return [(s, -nr) for s, nr in best]
