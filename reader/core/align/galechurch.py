"""Length-based alignment of two sequences of text blocks (Gale & Church, 1993).

Gale and Church observed that the length of a translated passage is roughly
proportional to the length of its source: ``len_b ≈ c · len_a`` with a variance
``s²`` that grows with the length.  For a candidate bead of ``la`` and ``lb``
characters,

    δ = (lb − c·la) / sqrt(la · s²)

is close to a standard normal variable, and the cost of the bead is
``−log P(bead type) − log P(|δ| at least this large)``.  A dynamic programme
over the six bead types (1-1, 1-0, 0-1, 2-1, 1-2, 2-2) finds the cheapest
monotone alignment.  ``c`` and ``s²`` are estimated per document pair by the
caller (see :mod:`reader.core.align.structure`), which is what makes the same
code work for Chinese↔English (``c`` ≈ 3) and French↔Spanish (``c`` ≈ 1).

The search is confined to a diagonal band so that two long unstructured
documents still align in linear-ish time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Prior probabilities of the bead types, from the published paper (Table 5).
BEAD_PRIORS: dict[tuple[int, int], float] = {
    (1, 1): 0.89,
    (1, 0): 0.0099 / 2,
    (0, 1): 0.0099 / 2,
    (2, 1): 0.089 / 2,
    (1, 2): 0.089 / 2,
    (2, 2): 0.011,
}
_BEAD_COST = {bead: -math.log(p) for bead, p in BEAD_PRIORS.items()}

# How much a bead type lowers the confidence we report, beyond the length fit.
_BEAD_TRUST = {(1, 1): 1.0, (2, 1): 0.8, (1, 2): 0.8, (2, 2): 0.6, (1, 0): 0.4, (0, 1): 0.4}

MAX_BAND = 32
"""Widest half-band the search doubles to (beyond the size difference): then the best path inside is kept."""

DEFAULT_VARIANCE = 6.8
"""The paper's variance per character for European language pairs."""


@dataclass(frozen=True, slots=True)
class Bead:
    """One aligned group: ``a`` and ``b`` are index ranges into the two inputs."""

    a: tuple[int, ...]
    b: tuple[int, ...]
    delta: float

    @property
    def confidence(self) -> float:
        """Probability-like trust in the bead: length fit times the bead type's trust."""
        kind = (len(self.a), len(self.b))
        fit = math.erfc(abs(self.delta) / math.sqrt(2.0))
        return round(_BEAD_TRUST[kind] * fit, 3)


def delta(la: float, lb: float, ratio: float, variance: float) -> float:
    """The normalised length difference of a bead (0 when both sides are empty)."""
    if la == 0 and lb == 0:
        return 0.0
    # A side of length 0 still has a spread: use the mean of the two expected lengths.
    base = max((la + lb / ratio) / 2.0, 1.0)
    return (lb - ratio * la) / math.sqrt(base * variance)


def _cost(la: float, lb: float, bead: tuple[int, int], ratio: float, variance: float) -> tuple[float, float]:
    if bead in ((1, 0), (0, 1)):
        return _BEAD_COST[bead], 0.0
    d = delta(la, lb, ratio, variance)
    tail = math.erfc(abs(d) / math.sqrt(2.0))
    return _BEAD_COST[bead] - math.log(max(tail, 1e-300)), d


def bead_cost(la: float, lb: float, na: int, nb: int, ratio: float, variance: float) -> float:
    """Cost of one bead of ``na`` and ``nb`` blocks, beyond the paper's six types too.

    A 1-k bead with k > 2 (eight preamble clauses against one run-on
    paragraph) gets the 1-2 prior divided by ten for each extra block.
    """
    bead = (na, nb)
    if bead in _BEAD_COST:
        return _cost(la, lb, bead, ratio, variance)[0]
    extra = max(na, nb) - 2
    prior = BEAD_PRIORS[(1, 2)] * 0.1**extra
    d = delta(la, lb, ratio, variance)
    return -math.log(prior) - math.log(max(math.erfc(abs(d) / math.sqrt(2.0)), 1e-300))


def beads_cost(beads: list[Bead], a: list[int], b: list[int], ratio: float, variance: float) -> float:
    """Total cost of an alignment (to compare it with another one)."""
    return sum(
        bead_cost(sum(a[i] for i in bd.a), sum(b[j] for j in bd.b), len(bd.a), len(bd.b), ratio, variance)
        for bd in beads
    )


def align_lengths(
    a: list[int],
    b: list[int],
    ratio: float = 1.0,
    variance: float = DEFAULT_VARIANCE,
    band: int | None = None,
) -> list[Bead]:
    """The cheapest monotone alignment of two length sequences, as beads in order.

    Args:
        a: Lengths of the blocks of side A.
        b: Lengths of the blocks of side B.
        ratio: Expected ``len_b / len_a``.
        variance: ``s²``, the variance of ``len_b − c·len_a`` per unit of ``len_a``.
        band: Half-width of the diagonal band searched first; the band doubles
            while the best path runs along its edge.
    """
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    width = band if band is not None else 4 + abs(n - m)
    cap = max(MAX_BAND, width)
    while True:
        beads, touched = _banded(a, b, ratio, variance, width)
        # The cap bounds time and memory on hostile input (two long texts that
        # disagree everywhere); real translations stay near the diagonal.
        if not touched or width >= max(n, m) or width >= cap:
            return beads
        width *= 2


def _banded(a: list[int], b: list[int], ratio: float, variance: float, width: int) -> tuple[list[Bead], bool]:
    """Dynamic programme inside a diagonal band; also says whether the path touched its edge."""
    n, m = len(a), len(b)
    pa = [0]
    for x in a:
        pa.append(pa[-1] + x)
    pb = [0]
    for y in b:
        pb.append(pb[-1] + y)
    inf = math.inf
    lo_of = [max(0, int(i * m / n) - width) for i in range(n + 1)]
    hi_of = [min(m, int(i * m / n) + width) for i in range(n + 1)]
    cost = [[inf] * (hi_of[i] - lo_of[i] + 1) for i in range(n + 1)]
    back: list[list[tuple[int, int, float]]] = [
        [(0, 0, 0.0)] * (hi_of[i] - lo_of[i] + 1) for i in range(n + 1)
    ]
    cost[0][0 - lo_of[0]] = 0.0
    steps = list(_BEAD_COST.items())
    sq = math.sqrt(2.0)
    for i in range(n + 1):
        lo, hi = lo_of[i], hi_of[i]
        row, brow = cost[i], back[i]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            best, best_step = inf, (0, 0, 0.0)
            for (di, dj), prior in steps:
                pi, pj = i - di, j - dj
                if pi < 0 or pj < lo_of[pi] or pj > hi_of[pi]:
                    continue
                prev = cost[pi][pj - lo_of[pi]]
                if prev == inf:
                    continue
                if di == 0 or dj == 0:
                    c, d = prior, 0.0
                else:
                    # delta() inlined: this loop is the whole cost of unstructured text.
                    la, lb = pa[i] - pa[pi], pb[j] - pb[pj]
                    base = (la + lb / ratio) * 0.5
                    d = (lb - ratio * la) / math.sqrt((base if base > 1.0 else 1.0) * variance)
                    tail = math.erfc((d if d >= 0 else -d) / sq)
                    c = prior - math.log(tail if tail > 1e-300 else 1e-300)
                if prev + c < best:
                    best, best_step = prev + c, (di, dj, d)
            row[j - lo] = best
            brow[j - lo] = best_step
    beads: list[Bead] = []
    touched = False
    i, j = n, m
    while i > 0 or j > 0:
        di, dj, d = back[i][j - lo_of[i]]
        if (j == lo_of[i] and lo_of[i] > 0) or (j == hi_of[i] and hi_of[i] < m):
            touched = True
        beads.append(Bead(tuple(range(i - di, i)), tuple(range(j - dj, j)), d))
        i, j = i - di, j - dj
    beads.reverse()
    return beads, touched
