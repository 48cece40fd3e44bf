"""Align the units of two versions by content and number, and classify each pair.

1. **Identical units in order.**  Each distinct unit text becomes one symbol and
   diff-match-patch diffs the two symbol strings: the equal runs are the
   longest order-preserving chain of identical units.  An article inserted
   early leaves every later article in this chain — unchanged if its number
   stayed, *renumbered* if not.
2. **Identical units out of order** are *moved*.
3. **Reworded units** are paired inside each gap between the chain's links by a
   small order-preserving alignment over a similarity (shared character
   pairs) with a bonus for the same number: *changed*.
4. **Reworded units out of order** (very similar text in another gap) are *moved*.
5. The rest are *deleted* (old side only) or *inserted* (new side only).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from diff_match_patch import diff_match_patch

from reader.core.compare.textdiff import Ops, diff_ops, traceback_pairs
from reader.core.compare.units import ARTICLE, Unit


class Status(enum.StrEnum):
    """What happened to a unit; the values are part of the CLI's JSON contract."""

    UNCHANGED = "unchanged"
    RENUMBERED = "renumbered"
    CHANGED = "changed"
    MOVED = "moved"
    INSERTED = "inserted"
    DELETED = "deleted"


PAIR_THRESHOLD = 0.45
"""Similarity above which two units in one gap are one changed unit, not a deletion plus an insertion."""

SAME_NUMBER_THRESHOLD = 0.25
"""Lower bar for units that also carry the same number (an article rewritten in place)."""

MOVE_THRESHOLD = 0.7
"""Similarity above which a unit found in another place counts as moved rather than deleted and inserted."""

MIN_MOVE_CHARS = 12
"""Shorter units are too common (``（删除）``, ``附则``) to be called moved when their text changed."""

_GAP_CELLS = 250_000
"""Largest gap (old units × new units) aligned exactly; larger gaps are aligned in a band."""

_MOVE_PAIRS = 250_000
"""Most left-over (old × new) pairs searched for reworded moves; beyond it they stay deleted + inserted."""


@dataclass(frozen=True, slots=True)
class UnitChange:
    """One line of the comparison: a unit in one or both versions and what happened to it."""

    status: Status
    old: Unit | None
    new: Unit | None
    ops: Ops

    @property
    def renumbered(self) -> bool:
        """Whether the unit's number or label differs between the versions."""
        return (
            self.old is not None
            and self.new is not None
            and (self.old.number != self.new.number or self.old.label != self.new.label)
        )

    @property
    def is_change(self) -> bool:
        """Whether a reader stepping through changes should stop here (anything but unchanged)."""
        return self.status is not Status.UNCHANGED


def _key(unit: Unit) -> tuple[bool, str]:
    # Headings pair with headings; an article body may pair with a paragraph (one parse may
    # have seen a run-in article where the other saw a heading).
    return (unit.kind == "heading", unit.text)


def _bigrams(text: str) -> frozenset[str]:
    squashed = "".join(text.split())
    if len(squashed) < 2:
        return frozenset({squashed}) if squashed else frozenset()
    return frozenset(squashed[i : i + 2] for i in range(len(squashed) - 1))


class _Similarity:
    """Character pairs of each unit, computed once (the Dice coefficient is taken over them)."""

    def __init__(self) -> None:
        self._cache: dict[int, frozenset[str]] = {}

    def grams(self, unit: Unit) -> frozenset[str]:
        key = id(unit)
        grams = self._cache.get(key)
        if grams is None:
            grams = self._cache[key] = _bigrams(unit.text)
        return grams


def _chain(old: Sequence[Unit], new: Sequence[Unit]) -> list[tuple[int, int]]:
    """Index pairs of identical units in the longest order-preserving chain (via diff-match-patch).

    Units whose text occurs on one side only cannot be in the chain; leaving them
    out first keeps the diff small (a rewritten law has hundreds) without changing it.
    """
    keys_old = [_key(u) for u in old]
    keys_new = [_key(u) for u in new]
    shared = set(keys_old) & set(keys_new)
    idx_old = [i for i, k in enumerate(keys_old) if k in shared]
    idx_new = [j for j, k in enumerate(keys_new) if k in shared]
    symbols: dict[tuple[bool, str], str] = {}
    for key in shared:
        point = 0xE000 + len(symbols)
        symbols[key] = chr(point if point < 0xF900 else 0x10000 + point - 0xF900)
    code_old = "".join(symbols[keys_old[i]] for i in idx_old)
    code_new = "".join(symbols[keys_new[j]] for j in idx_new)
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0  # an exact chain keeps the result deterministic; the strings are short
    pairs: list[tuple[int, int]] = []
    i = j = 0
    for kind, text in dmp.diff_main(code_old, code_new, False):
        if kind == 0:
            pairs.extend((idx_old[i + k], idx_new[j + k]) for k in range(len(text)))
            i += len(text)
            j += len(text)
        elif kind == -1:
            i += len(text)
        else:
            j += len(text)
    return pairs


def _match_identical_moves(
    old: Sequence[Unit], new: Sequence[Unit], free_old: set[int], free_new: set[int]
) -> list[tuple[int, int]]:
    by_key: dict[tuple[bool, str], list[int]] = defaultdict(list)
    for i in sorted(free_old):
        by_key[_key(old[i])].append(i)
    pairs = []
    for j in sorted(free_new):
        waiting = by_key.get(_key(new[j]))
        if waiting:
            pairs.append((waiting.pop(0), j))
    return pairs


def _pair_score(a: Unit, b: Unit, similarity: float) -> float:
    same_number = a.number is not None and a.number == b.number and a.kind == b.kind
    bar = SAME_NUMBER_THRESHOLD if same_number else PAIR_THRESHOLD
    if similarity < bar:
        return 0.0
    return similarity + (0.2 if same_number else 0.0)


def _align_gap(old: Sequence[Unit], new: Sequence[Unit], similar: _Similarity) -> list[tuple[int, int]]:
    """Order-preserving pairs (indices into the gap) maximising the summed pair scores."""
    n, m = len(old), len(new)
    if not n or not m:
        return []
    band = None if n * m <= _GAP_CELLS else max(50, abs(n - m) + 50)
    gains = _gains(old, new, similar, band)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, gain_row = score[i], score[i - 1], gains[i - 1]
        centre = i * m // n
        lo, hi = (1, m) if band is None else (max(1, centre - band), min(m, centre + band))
        for j in range(1, m + 1):
            best = prev[j] if prev[j] > row[j - 1] else row[j - 1]
            if lo <= j <= hi:
                gain = gain_row.get(j - 1, 0.0)
                if gain > 0 and prev[j - 1] + gain > best:
                    best = prev[j - 1] + gain
            row[j] = best
    return traceback_pairs(score)


def _gains(
    old: Sequence[Unit], new: Sequence[Unit], similar: _Similarity, band: int | None
) -> list[dict[int, float]]:
    """For each old unit, the scores of the new units it could pair with (sparse: most cannot).

    In a large gap only new units within ``band`` positions of the diagonal are scored.
    """
    grams_new = [similar.grams(u) for u in new]
    sizes_new = [len(g) for g in grams_new]
    heading_new = [u.kind == "heading" for u in new]
    n, m = len(old), len(new)
    out: list[dict[int, float]] = []
    for i, a in enumerate(old):
        ga = similar.grams(a)
        size_a = len(ga)
        heading_a = a.kind == "heading"
        row: dict[int, float] = {}
        if band is None:
            columns = range(m)
        else:
            centre = (i + 1) * m // n
            columns = range(max(0, centre - band - 1), min(m, centre + band))
        for j in columns:
            size_b = sizes_new[j]
            total = size_a + size_b
            # Dice can be no higher than this: skip pairs that cannot reach the lower bar.
            if total == 0 or 2 * min(size_a, size_b) < SAME_NUMBER_THRESHOLD * total:
                continue
            if heading_a != heading_new[j]:
                continue
            gain = _pair_score(a, new[j], 2 * len(ga & grams_new[j]) / total)
            if gain > 0:
                row[j] = gain
        out.append(row)
    return out


def _gaps(chain: list[tuple[int, int]], n: int, m: int) -> list[tuple[range, range]]:
    out = []
    prev_i = prev_j = -1
    for i, j in [*chain, (n, m)]:
        out.append((range(prev_i + 1, i), range(prev_j + 1, j)))
        prev_i, prev_j = i, j
    return out


def align(old: Sequence[Unit], new: Sequence[Unit]) -> list[UnitChange]:
    """Compare two unit lists; the result is in the new order, deleted units where they stood."""
    similar = _Similarity()
    chain = _chain(old, new)
    in_chain_old = {i for i, _ in chain}
    in_chain_new = {j for _, j in chain}
    free_old = set(range(len(old))) - in_chain_old
    free_new = set(range(len(new))) - in_chain_new
    moved = _match_identical_moves(old, new, free_old, free_new)
    free_old -= {i for i, _ in moved}
    free_new -= {j for _, j in moved}
    changed: list[tuple[int, int]] = []
    for gap_old, gap_new in _gaps(chain, len(old), len(new)):
        olds = [i for i in gap_old if i in free_old]
        news = [j for j in gap_new if j in free_new]
        for a, b in _align_gap([old[i] for i in olds], [new[j] for j in news], similar):
            changed.append((olds[a], news[b]))
    free_old -= {i for i, _ in changed}
    free_new -= {j for _, j in changed}
    moved_changed = _match_similar_moves(old, new, free_old, free_new, similar)
    free_old -= {i for i, _ in moved_changed}
    free_new -= {j for _, j in moved_changed}

    by_new: dict[int, UnitChange] = {}
    partner_of_old: dict[int, int] = {}
    for i, j in chain:
        status = Status.UNCHANGED
        if old[i].number != new[j].number or old[i].label != new[j].label:
            status = Status.RENUMBERED
        by_new[j] = UnitChange(status, old[i], new[j], [("=", new[j].text)] if new[j].text else [])
        partner_of_old[i] = j
    for i, j in moved:
        by_new[j] = UnitChange(Status.MOVED, old[i], new[j], [("=", new[j].text)] if new[j].text else [])
        partner_of_old[i] = j
    for pairs, status in ((changed, Status.CHANGED), (moved_changed, Status.MOVED)):
        for i, j in pairs:
            by_new[j] = UnitChange(status, old[i], new[j], diff_ops(old[i].text, new[j].text))
            partner_of_old[i] = j
    for j in free_new:
        by_new[j] = UnitChange(Status.INSERTED, None, new[j], [("+", new[j].text)] if new[j].text else [])
    return _in_new_order(old, by_new, partner_of_old, free_old, len(new))


def _match_similar_moves(
    old: Sequence[Unit],
    new: Sequence[Unit],
    free_old: set[int],
    free_new: set[int],
    similar: _Similarity,
) -> list[tuple[int, int]]:
    """Pairs of left-over units similar enough to be one unit moved (and reworded)."""
    olds = sorted(i for i in free_old if len(old[i].text) >= MIN_MOVE_CHARS)
    news = sorted(j for j in free_new if len(new[j].text) >= MIN_MOVE_CHARS)
    if len(olds) * len(news) > _MOVE_PAIRS:
        # A rewrite this large has no meaningful "moves"; bounded time matters more.
        return []
    candidates = []
    new_grams = [(j, similar.grams(new[j]), new[j].kind == "heading") for j in news]
    for i in olds:
        ga = similar.grams(old[i])
        heading = old[i].kind == "heading"
        for j, gb, heading_b in new_grams:
            total = len(ga) + len(gb)
            # The Dice bound again: most pairs are ruled out by their sizes alone.
            if heading != heading_b or not total or 2 * min(len(ga), len(gb)) < MOVE_THRESHOLD * total:
                continue
            score = 2 * len(ga & gb) / total
            if score >= MOVE_THRESHOLD:
                candidates.append((score, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    return pairs


def _in_new_order(
    old: Sequence[Unit],
    by_new: dict[int, UnitChange],
    partner_of_old: dict[int, int],
    deleted: set[int],
    n_new: int,
) -> list[UnitChange]:
    """New units in order; each deleted unit right after the new partner of the old unit before it."""
    after: dict[int, list[int]] = defaultdict(list)  # new index (-1: top) -> deleted old indices
    anchor = -1
    for i in range(len(old)):
        if i in partner_of_old and by_new[partner_of_old[i]].status is not Status.MOVED:
            anchor = partner_of_old[i]
        elif i in deleted:
            after[anchor].append(i)
    out: list[UnitChange] = []

    def flush(at: int) -> None:
        for i in after.get(at, ()):
            out.append(UnitChange(Status.DELETED, old[i], None, [("-", old[i].text)] if old[i].text else []))

    flush(-1)
    for j in range(n_new):
        out.append(by_new[j])
        flush(j)
    return out


def summary(changes: Sequence[UnitChange]) -> dict[str, int]:
    """Count of units per status, every status present (zeros included), in a fixed order."""
    counts = {status.value: 0 for status in Status}
    for change in changes:
        counts[change.status.value] += 1
    return counts


@dataclass(frozen=True, slots=True)
class MainSummary:
    """Counts of the document's main unit, and how many other parts changed.

    Attributes:
        kind: ``article``, ``paragraph``, or ``None`` (no unit dominates: every unit counted).
        counts: Units of that kind per status.
        others: Other units (headings, front matter…) changed, inserted, deleted or moved.
    """

    kind: str | None
    counts: dict[str, int]
    others: int


def main_summary(changes: Sequence[UnitChange]) -> MainSummary:
    """The figures behind :func:`summary_line` (the UI words them in its own language)."""
    units = [(c, c.new or c.old) for c in changes]
    kinds = [u.kind for _, u in units if u is not None]
    kind: str | None = None
    if kinds and kinds.count(ARTICLE) * 3 >= len(kinds):
        kind = ARTICLE
    elif kinds and kinds.count("paragraph") * 2 >= len(kinds):
        kind = "paragraph"
    main = [c for c, u in units if kind is None or (u is not None and u.kind == kind)]
    others = sum(
        1
        for c, u in units
        if kind is not None and u is not None and u.kind != kind and c.status not in _QUIET
    )
    return MainSummary(kind, summary(main), others)


def summary_line(changes: Sequence[UnitChange]) -> str:
    """``12 articles changed, 3 inserted, 1 deleted, 40 renumbered`` (paragraphs for other documents).

    The counts are of the document's main unit (articles of a law, numbered or plain
    paragraphs of a report); changes to headings, front matter and the like are added
    as one more figure.
    """
    figures = main_summary(changes)
    counts = figures.counts
    noun = {ARTICLE: "articles", "paragraph": "paragraphs"}.get(figures.kind or "", "units")
    if counts["changed"] == 1:
        noun = noun[:-1]
    parts = [
        f"{counts['changed']} {noun} changed",
        f"{counts['inserted']} inserted",
        f"{counts['deleted']} deleted",
        f"{counts['renumbered']} renumbered",
    ]
    if counts["moved"]:
        parts.append(f"{counts['moved']} moved")
    if figures.others:
        plural = "s" if figures.others != 1 else ""
        parts.append(f"{figures.others} other part{plural} (headings, front matter…) changed")
    return ", ".join(parts)


_QUIET = (Status.UNCHANGED, Status.RENUMBERED)
