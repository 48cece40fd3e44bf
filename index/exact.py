"""The exact-match layer at query time: rows containing every term, as typed after normalisation.

Exact containment is the recall guarantee (whatever Ctrl+F finds, search
finds).  Each term's rows and counts come from the n-gram segments
(:meth:`index.store.Snapshot.term`, once per query); groups, exclusions,
scope and ``doc:`` ranges are sorted-array set operations in numpy, so the
cost follows the matching rows, never the corpus.  This module is the only
query-side code that asks the snapshot for rows.
"""

from __future__ import annotations

import numpy as np

from index.grams import Counts, Rows, distinct
from index.store import Snapshot

_EMPTY = np.zeros(0, dtype=np.int64)
_DENSE = 1024
"""From this many rows on both sides, set operations scatter into a table over the row range
(linear) instead of sorting or binary-searching (n log n)."""


class Terms:
    """Rows and counts of each term for one query over one snapshot (each term looked up once)."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self._found: dict[str, tuple[Rows, Counts]] = {}
        self._kept: tuple[str, Rows, Counts] | None = None
        """A term's counts for exactly the rows :func:`exact_rows` kept of it (a one-term query)."""

    def __call__(self, term: str) -> tuple[Rows, Counts]:
        """Rows (sorted) containing ``term`` and its count in each."""
        hit = self._found.get(term)
        if hit is None:
            hit = self._found[term] = self.snap.term(term)
        return hit

    def tf(self, term: str, rows: Rows) -> np.ndarray:
        """The term's count in each of ``rows`` (0 where absent), as floats."""
        kept = self._kept
        if kept is not None and kept[0] == term and kept[1] is rows:
            return kept[2].astype(np.float64)
        return counts_at(rows, *self(term))

    def rows(self, term: str) -> Rows:
        """Rows (sorted) containing ``term``."""
        return self(term)[0]

    def any_of(self, group: list[str]) -> Rows:
        """Rows containing any term of an OR group."""
        if len(group) == 1:
            return self.rows(group[0])
        return union([self.rows(t) for t in group])

    def all_of(self, words: list[str]) -> Rows:
        """Rows containing every word (as substrings)."""
        out = self.rows(words[0])
        for w in words[1:]:
            out = intersect(out, self.rows(w))
        return out


def union(parts: list[Rows]) -> Rows:
    """The sorted union of sorted, duplicate-free row arrays."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    if sum(map(len, parts)) < _DENSE:
        return distinct(np.sort(np.concatenate(parts)))
    mark = np.zeros(max(int(p[-1]) for p in parts) + 1, dtype=bool)
    for p in parts:
        mark[p] = True
    return np.flatnonzero(mark)


def intersect(a: Rows, b: Rows) -> Rows:
    """The sorted intersection of two sorted, duplicate-free row arrays."""
    if min(len(a), len(b)) < _DENSE:
        return np.intersect1d(a, b, assume_unique=True)
    out: Rows = a[contains_mask(a, b)]
    return out


def exact_rows(
    terms: Terms, groups: list[list[str]], excluded: list[str], ranges: list[range] | None, titles: bool
) -> Rows:
    """Rows (sorted) containing a term of every OR group, none of ``excluded``, in scope and in ``ranges``."""
    if len(groups) == 1 and len(groups[0]) == 1:
        return _one_term(terms, groups[0][0], excluded, ranges, titles)
    # Smallest group first keeps every intersection small.
    found = sorted((terms.any_of(g) for g in groups), key=len)
    rows = found[0] if found else _EMPTY
    for other in found[1:]:
        rows = intersect(rows, other)
    return filter_rows(terms, rows, [], excluded, titles, ranges)


def _one_term(terms: Terms, term: str, excluded: list[str], ranges: list[range] | None, titles: bool) -> Rows:
    """:func:`exact_rows` of one term, remembering its counts on the rows kept (see :meth:`Terms.tf`)."""
    found, counts = terms(term)
    if not len(found):
        return found
    snap = terms.snap
    if titles:
        keep = snap.heads(found)
    elif len(found) > 4 * len(snap.docs):
        # Many rows: find the few document titles among them instead of reading a flag per row.
        titles_at = snap.titles_in(found)
        if not len(titles_at) and not excluded and ranges is None:
            terms._kept = (term, found, counts)
            return found
        keep = np.ones(len(found), dtype=bool)
        keep[titles_at] = False
    else:
        keep = snap.body.take(found)
    for t in excluded:
        keep &= ~contains_mask(found, terms.rows(t))
    if ranges is not None:
        keep &= contains_mask(found, in_ranges(found, ranges))
    rows: Rows = found[keep]
    terms._kept = (term, rows, counts[keep])
    return rows


def filter_rows(
    terms: Terms,
    rows: Rows,
    groups: list[list[str]],
    excluded: list[str],
    titles: bool,
    ranges: list[range] | None,
) -> Rows:
    """Keep the rows matching every group, none of ``excluded``, the scope and the ranges."""
    for group in groups:
        rows = intersect(rows, terms.any_of(group))
    for t in excluded:
        if len(rows):
            rows = rows[~contains_mask(rows, terms.rows(t))]
    if ranges is not None:
        rows = in_ranges(rows, ranges)
    snap = terms.snap
    return rows[snap.heads(rows) if titles else snap.body[rows]]


def in_ranges(rows: Rows, ranges: list[range]) -> Rows:
    """The rows (sorted) inside any of ``ranges`` (sorted, disjoint document ranges)."""
    if not ranges:
        return _EMPTY
    bounds = np.searchsorted(rows, [x for rg in ranges for x in (rg.start, rg.stop)])
    parts = [rows[a:b] for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    return np.concatenate(parts) if parts else _EMPTY


def contains_mask(rows: Rows, found: Rows) -> np.ndarray:
    """Per row of ``rows``, whether it is in ``found`` (both sorted, duplicate-free)."""
    if not len(rows) or not len(found):
        return np.zeros(len(rows), dtype=bool)
    if min(len(rows), len(found)) < _DENSE:
        idx = np.minimum(np.searchsorted(found, rows), len(found) - 1)
        return np.asarray(found[idx] == rows)
    table = np.zeros(max(int(found[-1]), int(rows[-1])) + 1, dtype=bool)
    table[found] = True
    return table.take(rows)


def counts_at(rows: Rows, found: Rows, counts: Counts) -> np.ndarray:
    """The counts of ``found`` aligned to ``rows`` (0 where absent), as floats."""
    if not len(found) or not len(rows):
        return np.zeros(len(rows), dtype=np.float64)
    if len(rows) == len(found) and (rows is found or np.array_equal(rows, found)):
        return counts.astype(np.float64)  # a one-term query: every row of the term
    if min(len(rows), len(found)) >= _DENSE and len(rows) * 8 >= len(found):
        table = np.zeros(max(int(found[-1]), int(rows[-1])) + 1, dtype=np.float64)
        table[found] = counts
        return table.take(rows)
    out = np.zeros(len(rows), dtype=np.float64)
    idx = np.minimum(np.searchsorted(found, rows), len(found) - 1)
    hit = found[idx] == rows
    out[hit] = counts[idx[hit]]
    return out
