"""Align two language versions of one document: structure first, lengths inside.

1. Every block that names a unit gets a language-independent key
   (:mod:`reader.core.align.labels`): articles and chapters by number,
   numbered paragraphs by number, headings by level and number, the preamble
   by name.
2. The two key sequences are matched in order (a longest-common-subsequence
   style match, so a unit missing on one side only shifts nothing else).
3. Between two matched units, the blocks of each side (an article's
   paragraphs, a preamble's clauses, unnumbered text) are paired by order when
   their counts agree and their lengths fit, otherwise by the Gale–Church
   length method, whose ratio and variance are estimated on the matched units
   of this very document pair.

Every pair carries the method that made it and a confidence in ``[0, 1]``;
below :data:`LOW_CONFIDENCE` the reader is told so.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from reader.core.align.galechurch import DEFAULT_VARIANCE, align_lengths, bead_cost, beads_cost, delta
from reader.core.align.labels import Key, block_key, shared_label
from reader.core.model import Block, Document

LOW_CONFIDENCE = 0.5
"""Pairs below this are shown as doubtful, never silently glued."""

NO_COUNTERPART = 0.3
"""Confidence of a block left without counterpart: a real difference or a missed match."""

AMBIGUOUS = 0.45
"""Ceiling of the pairs of a unit where one side has a block the other lacks."""


@dataclass(frozen=True, slots=True)
class Pair:
    """Blocks of A and of B that say the same thing (a side may be empty)."""

    a: tuple[str, ...]
    b: tuple[str, ...]
    label: str | None
    method: str  # "number" | "label" | "order" | "length" | "none"
    confidence: float

    @property
    def low(self) -> bool:
        """True when the pair should be shown as doubtful."""
        return self.confidence < LOW_CONFIDENCE

    def to_json(self) -> dict[str, Any]:
        """The pair in the ``align --json`` contract."""
        return {
            "a": list(self.a),
            "b": list(self.b),
            "label": self.label,
            "method": self.method,
            "confidence": self.confidence,
        }


@dataclass(slots=True)
class Alignment:
    """The pairs of two documents in document order, with lookup by block id."""

    a: str
    b: str
    pairs: list[Pair]
    ratio: float = 1.0
    variance: float = DEFAULT_VARIANCE
    _of_a: dict[str, int] = field(default_factory=dict, repr=False)
    _of_b: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        """Index pairs by the blocks they hold."""
        for k, p in enumerate(self.pairs):
            for bid in p.a:
                self._of_a[bid] = k
            for bid in p.b:
                self._of_b[bid] = k

    def pair_of(self, side: str, block_id: str) -> Pair | None:
        """The pair holding a block of side ``"a"`` or ``"b"``."""
        k = (self._of_a if side == "a" else self._of_b).get(block_id)
        return None if k is None else self.pairs[k]

    def counterpart(self, side: str, block_id: str) -> tuple[str, ...]:
        """Ids on the other side paired with a block (empty if none)."""
        p = self.pair_of(side, block_id)
        if p is None:
            return ()
        return p.b if side == "a" else p.a

    def nearest_counterpart(self, side: str, block_id: str) -> tuple[str, ...]:
        """The counterpart, or for a block without one, the counterpart of the closest block before it."""
        k = (self._of_a if side == "a" else self._of_b).get(block_id)
        if k is None:
            return ()
        for pair in reversed(self.pairs[: k + 1]):
            other = pair.b if side == "a" else pair.a
            if other:
                return other
        for pair in self.pairs[k + 1 :]:
            other = pair.b if side == "a" else pair.a
            if other:
                return other
        return ()

    def swapped(self) -> Alignment:
        """The same alignment seen from B."""
        pairs = [Pair(p.b, p.a, p.label, p.method, p.confidence) for p in self.pairs]
        return Alignment(self.b, self.a, pairs, 1.0 / self.ratio if self.ratio else 1.0, self.variance)

    def to_json(self) -> dict[str, Any]:
        """The ``align --json`` contract."""
        return {"a": self.a, "b": self.b, "pairs": [p.to_json() for p in self.pairs]}


def text_length(block: Block) -> int:
    """Length used for alignment: characters that are not spaces."""
    text = block.text
    return len(text) - text.count(" ")


@dataclass(slots=True)
class Anchors:
    """Matched structural units of two documents (indices into their blocks)."""

    keys_a: list[Key | None]
    keys_b: list[Key | None]
    matched: list[tuple[int, int]]

    @property
    def keyed(self) -> tuple[int, int]:
        """How many blocks carry a key on each side."""
        return sum(k is not None for k in self.keys_a), sum(k is not None for k in self.keys_b)


def _keys(blocks: Sequence[Block], title: str) -> list[Key | None]:
    keys = [block_key(x) for x in blocks]
    title = title.strip()
    for k, x in enumerate(blocks[:5]):
        # The title line is a unit of its own in every language version.
        if keys[k] is None and title and x.text.strip() == title:
            keys[k] = Key("title", "")
            break
    return keys


def match_anchors(a: Sequence[Block], b: Sequence[Block], title_a: str = "", title_b: str = "") -> Anchors:
    """Match the keyed blocks of two block lists in order."""
    keys_a = _keys(a, title_a)
    keys_b = _keys(b, title_b)
    ia = [i for i, k in enumerate(keys_a) if k is not None]
    ib = [j for j, k in enumerate(keys_b) if k is not None]
    sm = SequenceMatcher(None, [keys_a[i] for i in ia], [keys_b[j] for j in ib], autojunk=False)
    matched: list[tuple[int, int]] = []
    for blk in sm.get_matching_blocks():
        for t in range(blk.size):
            matched.append((ia[blk.a + t], ib[blk.b + t]))
    return Anchors(keys_a, keys_b, matched)


def unit_lengths(
    a: Sequence[Block], b: Sequence[Block], matched: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Lengths of each matched unit (its anchor up to the next matched anchor) on both sides."""
    la = [text_length(x) for x in a]
    lb = [text_length(x) for x in b]
    out = []
    ends = [*matched[1:], (len(a), len(b))]
    for (i, j), (ni, nj) in zip(matched, ends, strict=True):
        out.append((sum(la[i:ni]), sum(lb[j:nj])))
    return out


def estimate(units: list[tuple[int, int]], total_a: int, total_b: int) -> tuple[float, float]:
    """Gale–Church ``c`` and ``s²`` for this pair of documents."""
    ratio = total_b / total_a if total_a and total_b else 1.0
    samples = [(lb - ratio * la) ** 2 / la for la, lb in units if la > 0 and lb > 0]
    # Median of a chi-square(1) variable is 0.455: a robust variance estimate
    # that a few mismatched units cannot blow up.
    variance = statistics.median(samples) / 0.455 if len(samples) >= 5 else 0.0
    # The paper's s² is per character of European text; a script pair with a
    # larger ratio spreads more, so never go below the scaled default.
    floor = DEFAULT_VARIANCE * max(ratio, 1.0 / ratio)
    return ratio, min(max(variance, floor), 400.0)


def align(doc_a: Document, doc_b: Document) -> Alignment:
    """Align two documents block by block."""
    a, b = doc_a.blocks, doc_b.blocks
    anchors = match_anchors(a, b, doc_a.title, doc_b.title)
    units = unit_lengths(a, b, anchors.matched)
    ratio, variance = estimate(units, sum(map(text_length, a)), sum(map(text_length, b)))
    shared = {k.kind for i, _ in anchors.matched if (k := anchors.keys_a[i]) is not None}
    seg = _Segmenter(anchors, shared, ratio, variance)
    pairs: list[Pair] = []
    prev_a, prev_b = 0, 0
    for (i, j), (ua, ub) in zip(anchors.matched, units, strict=True):
        pairs.extend(seg.pairs(a, b, (prev_a, i), (prev_b, j)))
        key = anchors.keys_a[i]
        assert key is not None
        fit = math.erfc(abs(delta(ua, ub, ratio, variance)) / math.sqrt(2.0))
        method = "number" if key.number and not key.kind.startswith("h") else "label"
        confidence = round(0.75 + 0.25 * min(1.0, fit * 10), 3)
        pairs.append(Pair((a[i].id,), (b[j].id,), shared_label(key), method, confidence))
        prev_a, prev_b = i + 1, j + 1
    pairs.extend(seg.pairs(a, b, (prev_a, len(a)), (prev_b, len(b))))
    return Alignment(doc_a.id, doc_b.id, pairs, ratio, variance)


@dataclass(slots=True)
class _Segmenter:
    """Pairs the blocks between two matched units."""

    anchors: Anchors
    shared: set[str]
    ratio: float
    variance: float

    def pairs(
        self, a: Sequence[Block], b: Sequence[Block], span_a: tuple[int, int], span_b: tuple[int, int]
    ) -> list[Pair]:
        """Pairs of one segment; a unit present on one side only stays one-sided."""
        cut_a = self._first_unit(self.anchors.keys_a, span_a)
        cut_b = self._first_unit(self.anchors.keys_b, span_b)
        if (cut_a is None) == (cut_b is None):
            return _segment(a[slice(*span_a)], b[slice(*span_b)], self.ratio, self.variance)
        # A unit of the shared structure (an article, a chapter) that only one
        # side has: what precedes it is aligned, the unit itself has no counterpart.
        if cut_a is not None:
            head = _segment(a[span_a[0] : cut_a], b[slice(*span_b)], self.ratio, self.variance)
            return head + [Pair((x.id,), (), None, "none", NO_COUNTERPART) for x in a[cut_a : span_a[1]]]
        assert cut_b is not None
        head = _segment(a[slice(*span_a)], b[span_b[0] : cut_b], self.ratio, self.variance)
        return head + [Pair((), (y.id,), None, "none", NO_COUNTERPART) for y in b[cut_b : span_b[1]]]

    def _first_unit(self, keys: list[Key | None], span: tuple[int, int]) -> int | None:
        for k in range(*span):
            key = keys[k]
            if key is not None and key.kind in self.shared:
                return k
        return None


def _segment(a: Sequence[Block], b: Sequence[Block], ratio: float, variance: float) -> list[Pair]:
    """Pair the blocks between two matched units."""
    if not a or not b:
        return [Pair((x.id,), (), None, "none", NO_COUNTERPART) for x in a] + [
            Pair((), (y.id,), None, "none", NO_COUNTERPART) for y in b
        ]
    la, lb = [text_length(x) for x in a], [text_length(y) for y in b]
    ids_a, ids_b = tuple(x.id for x in a), tuple(y.id for y in b)
    total_a, total_b = sum(la), sum(lb)
    fit = math.erfc(abs(delta(total_a, total_b, ratio, variance)) / math.sqrt(2.0))
    if len(a) == 1 and len(b) == 1:
        # One body each between two matched units: the structure has paired them.
        return [Pair(ids_a, ids_b, None, "order", round(0.7 + 0.3 * fit, 3))]
    beads = align_lengths(la, lb, ratio, variance)
    if min(len(a), len(b)) == 1:
        # One block against several (clauses run together in one language): a
        # 1-k bead the six bead types cannot express; keep it if it costs less.
        glue = bead_cost(total_a, total_b, len(a), len(b), ratio, variance)
        if glue < beads_cost(beads, la, lb, ratio, variance):
            # Bounded by matched units on both sides, the group can only be wrong
            # if one side holds extra text: never low, less sure when lengths differ.
            return [Pair(ids_a, ids_b, None, "length", round(0.55 + 0.35 * fit, 3))]
    by_order = len(a) == len(b) and all(len(bd.a) == 1 and len(bd.b) == 1 for bd in beads)
    # A block left over on one side makes every pairing of the unit uncertain:
    # lengths alone rarely tell which of two similar paragraphs is the missing one.
    cap = AMBIGUOUS if any(not bd.a or not bd.b for bd in beads) else 1.0
    out = []
    for bd in beads:
        ids_a = tuple(a[k].id for k in bd.a)
        ids_b = tuple(b[k].id for k in bd.b)
        if not ids_a or not ids_b:
            out.append(Pair(ids_a, ids_b, None, "none", NO_COUNTERPART))
        elif by_order:
            fit = bd.confidence
            out.append(Pair(ids_a, ids_b, None, "order", round(0.7 + 0.3 * fit, 3)))
        else:
            out.append(Pair(ids_a, ids_b, None, "length", min(bd.confidence, cap)))
    return out
