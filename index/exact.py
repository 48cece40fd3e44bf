"""The exact-match layer at query time: rows containing every term, as typed after normalisation.

Exact containment is the recall guarantee (whatever Ctrl+F finds, search
finds).  Rows are found through the snapshot's :meth:`~index.store.Snapshot.find_rows`
and narrowed with ``in`` mapped over the candidates in C; this module is the
only query-side code that asks the snapshot for rows, so a different
exact-match index replaces the snapshot's ``find_rows`` without touching the
lifecycle or the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress, repeat
from operator import not_

from index.store import Snapshot

Scans = dict[tuple[str, int, int], list[int]]
"""Rows found per ``(needle, range start, range stop)``, shared by the exact and the loose pass."""


def exact_rows(
    snap: Snapshot,
    groups: list[list[str]],
    excluded: list[str],
    ranges: list[range],
    titles: bool,
    via_word: dict[str, str],
    scans: Scans,
) -> list[int]:
    """Rows (in order) containing a term of every OR group, none of ``excluded``, in scope.

    ``via_word`` maps a term to a word it contains whose scan the loose pass
    needs anyway: the term's rows are then taken from that scan (kept in
    ``scans``), so the text is scanned once, not twice.
    """

    def rows_with(t: str, rg: range) -> list[int]:
        word = via_word.get(t)
        if word is None:
            return snap.find_rows(t, rg.start, rg.stop)
        key = (word, rg.start, rg.stop)
        cand = scans.get(key)
        if cand is None:
            cand = scans[key] = snap.find_rows(word, rg.start, rg.stop)
        texts = list(map(snap.norms.__getitem__, cand))
        return list(compress(cand, map(str.__contains__, texts, repeat(t))))

    # Most selective-looking group first: the longest term is usually the rarest.
    order = sorted(range(len(groups)), key=lambda i: -min(len(t) for t in groups[i]))
    first = groups[order[0]]
    rows: list[int] = []
    for rg in ranges:
        if len(first) == 1:
            rows.extend(rows_with(first[0], rg))
        else:
            found: set[int] = set()
            for t in first:
                found.update(rows_with(t, rg))
            rows.extend(sorted(found))
    return filter_rows(snap, rows, [groups[gi] for gi in order[1:]], excluded, titles)


def filter_rows(
    snap: Snapshot, rows: list[int], groups: list[list[str]], excluded: list[str], titles: bool
) -> list[int]:
    """Keep the rows matching every group, none of ``excluded``, and the scope.

    Each filter maps ``in`` over the candidates in C: no Python step per row.
    """
    norms = snap.norms
    for group in groups:
        rows = list(compress(rows, matches_any(list(map(norms.__getitem__, rows)), group)))
    if excluded:
        texts = list(map(norms.__getitem__, rows))
        for t in excluded:
            keep = list(map(not_, map(str.__contains__, texts, repeat(t))))
            rows, texts = list(compress(rows, keep)), list(compress(texts, keep))
    return list(compress(rows, map((snap.head if titles else snap.body).__getitem__, rows)))


def matches_any(texts: list[str], group: list[str]) -> Iterable[bool]:
    """Per text, whether it contains any term of an OR group (evaluated in C)."""
    if len(group) == 1:
        return map(str.__contains__, texts, repeat(group[0]))
    return map(any, zip(*(map(str.__contains__, texts, repeat(t)) for t in group), strict=True))


def matches_any_all(texts: list[str], alternatives: list[list[str]]) -> Iterable[bool]:
    """Per text, whether it contains every string of at least one alternative (evaluated in C)."""
    if len(alternatives) == 1:
        return has_all(texts, alternatives[0])
    return map(any, zip(*(has_all(texts, ws) for ws in alternatives), strict=True))


def has_all(texts: list[str], words: list[str]) -> Iterable[bool]:
    """Per text, whether it contains every word (evaluated in C)."""
    if len(words) == 1:
        return map(str.__contains__, texts, repeat(words[0]))
    return map(all, zip(*(map(str.__contains__, texts, repeat(w)) for w in words), strict=True))
