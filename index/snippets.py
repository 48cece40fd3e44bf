"""Hits for a page: a window of the original block text around the first match, with highlights.

Only the page's hits are made, by normalising the block with an offset map
(no jieba, no index), so spans are drawn on the original text.
"""

from __future__ import annotations

from bisect import bisect_right

from index.grams import PLAIN
from index.normalize import IDENTITY, Normalizer
from index.segstore import parse_meta
from index.store import Snapshot
from index.types import SearchHit
from index.worddict import query_words_loaded
from index.words import segment

SNIPPET_CHARS = 120

Spans = tuple[tuple[int, int], ...]


def snippet(
    normalizer: Normalizer, original: str, terms: list[str], known: str | None = None, plain: bool = False
) -> tuple[str, Spans, Spans]:
    """A window of ``original`` around the first match, its spans, and the spans in the whole text.

    ``known`` is the normal form of ``original`` where it is at hand (the row's indexed text),
    ``plain`` whether the original is plain (see :meth:`index.normalize.Normalizer.plain`).
    """
    norm, omap = normalizer.offset_map(original, known, plain)
    found: list[tuple[int, int]] = []
    identity = omap is IDENTITY
    nst, ost = omap.nst, omap.ost
    for t in terms:
        if not t:
            continue
        size = len(t)
        pos = norm.find(t)
        while pos != -1:
            if identity:
                found.append((pos, pos + size))
            else:
                # OffsetMap.span, inlined: a top hit of a common word has many matches.
                k = bisect_right(nst, pos) - 1
                last = pos + size - 1
                m = bisect_right(nst, last) - 1
                found.append((ost[k] + pos - nst[k], ost[m] + last - nst[m] + 1))
            pos = norm.find(t, pos + size)
    merged: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    if len(original) <= SNIPPET_CHARS:
        start, end = 0, len(original)
    else:
        first = merged[0][0] if merged else 0
        start = max(0, min(first - SNIPPET_CHARS // 3, len(original) - SNIPPET_CHARS))
        end = start + SNIPPET_CHARS
    spans = tuple((max(s, start) - start, min(e, end) - start) for s, e in merged if s < end and e > start)
    return original[start:end], spans, tuple(merged)


def block_hit(
    normalizer: Normalizer, snap: Snapshot, row: int, terms: list[str], score: float, exact: bool
) -> SearchHit:
    """The hit of one row (read from its segment); a loose hit highlights the terms' words."""
    return page_hits(normalizer, snap, [(score, row, exact)], terms)[0]


_FIELDS = SearchHit.__slots__
_SETTERS = [SearchHit.__dict__[name].__set__ for name in _FIELDS]
"""The slots' own setters: a frozen dataclass's ``__init__`` goes through ``object.__setattr__``
once per field (~5 µs a hit of a page's ~12); this is the same object, built in a third of it."""


def _new_hit(values: tuple[object, ...]) -> SearchHit:
    hit = object.__new__(SearchHit)
    for set_value, value in zip(_SETTERS, values, strict=True):
        set_value(hit, value)
    return hit


def page_hits(
    normalizer: Normalizer, snap: Snapshot, page: list[tuple[float, int, bool]], terms: list[str]
) -> list[SearchHit]:
    """The hits of a page's ``(score, row, exact)`` (read from their segments); loose ones highlight words."""
    words: list[str] | None = None
    out = []
    for score, row, exact in page:
        if exact:
            highlight = terms
        else:
            if words is None:
                words = [w for t in terms for w in (segment(t) if query_words_loaded() else [t])]
            highlight = words
        entry, _j = snap.locate(row)
        seg, srow = snap.where(row)
        norm, orig, meta = seg.hit_texts(srow)
        block_id, number, path, kind = parse_meta(meta)
        plain = bool(int(seg.flags[srow]) & PLAIN)
        text, spans, block_spans = snippet(normalizer, orig, highlight, norm, plain)
        # In SearchHit's field order: doc_id … exact, note_id, doc_title, symbol.
        out.append(_new_hit((entry.doc_id, block_id, number, path, kind, text, spans, block_spans,
                             score, exact, None, entry.title, entry.symbol)))  # fmt: skip
    return out
