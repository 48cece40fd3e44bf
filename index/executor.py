"""Query execution: from the query as typed to a page of ranked hits.

Exact hits come from :mod:`index.exact` and are ranked by :mod:`index.ranking`;
looser word matches from :mod:`index.words_search` rank below every exact hit;
the page's snippets come from :mod:`index.snippets`; ``in:notes`` goes to
:mod:`index.notes`.  Only the published snapshot is read: a search never waits
for a writer.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from index.exact import Terms, exact_rows
from index.lifecycle import IndexLifecycle
from index.notes import NotesIndex
from index.query import ParsedQuery, Scope, Term, parse_query
from index.ranking import rank_exact
from index.snippets import page_hits
from index.store import Snapshot
from index.types import SearchResults
from index.worddict import load_query_words, query_words_loaded
from index.words_search import WordMatcher


class QueryExecutor:
    """Runs queries against a lifecycle's current snapshot."""

    def __init__(self, life: IndexLifecycle, words: WordMatcher, notes: NotesIndex) -> None:
        self.life = life
        self.normalizer = life.normalizer
        self.words = words
        self.notes = notes

    def search(
        self, query: str, *, limit: int, offset: int, doc: str | None, words: bool | None
    ) -> SearchResults:
        """One page of results (see :meth:`index.engine.SearchEngine.search`)."""
        started = time.perf_counter()
        self.life.open()
        snap = self.life.snapshot
        assert snap is not None
        parsed = parse_query(query)
        if doc:
            parsed.docs.append(doc)
        results = SearchResults(query=query, offset=offset, limit=limit, notice=parsed.notice)
        limit = max(0, limit)
        offset = max(0, offset)
        if parsed.scope is Scope.NOTES:
            groups = [g for g in (self._norm_terms(group) for group in parsed.groups) if g]
            if groups:
                doc_idx = self._doc_ranges(snap, parsed.docs)
                self.notes.search(snap, groups, self._norm_terms(parsed.excluded), doc_idx, results)
        else:
            self._search_blocks(snap, parsed, results, words)
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    def _norm_terms(self, terms: Iterable[Term]) -> list[str]:
        out = []
        for t in terms:
            n = self.normalizer.normalize(t.text)
            if n:
                out.append(n)
        return out

    def _doc_ranges(self, snap: Snapshot, specs: list[str]) -> list[int] | None:
        """Indexes of the documents a ``doc:`` filter names, or ``None`` for all."""
        if not specs:
            return None
        norm = self.normalizer.normalize
        wanted = [norm(s) for s in specs]
        out = []
        for i, d in snap.iter_docs():
            names = {norm(d.doc_id)}
            if d.symbol:
                names.add(norm(d.symbol))
            if any(w in names or any(n.startswith(w) for n in names) for w in wanted):
                out.append(i)
        return out

    def _search_blocks(
        self, snap: Snapshot, parsed: ParsedQuery, results: SearchResults, words: bool | None
    ) -> None:
        groups = [g for g in (self._norm_terms(group) for group in parsed.groups) if g]
        excluded = self._norm_terms(parsed.excluded)
        if not groups:
            return
        doc_idx = self._doc_ranges(snap, parsed.docs)
        ranges = [snap.doc_rows(i) for i in doc_idx] if doc_idx is not None else None
        titles = parsed.scope is Scope.TITLES
        loose_on = words is not False and (words or query_words_loaded())
        terms = Terms(snap)
        rows = exact_rows(terms, groups, excluded, ranges, titles)

        positives = [t for g in groups for t in g]
        want = results.offset + results.limit
        ranked_exact = rank_exact(terms, rows, groups, want)
        results.exact_total = len(rows)

        loose_total = 0
        loose: list[tuple[float, int]] = []
        if loose_on:
            load_query_words(self.life.cache_dir)  # words=True may arrive before warm_up
            phrases = [self._norm_terms(t for t in g if t.phrase) for g in parsed.groups]
            loose_total, loose = self.words.loose(
                terms, groups, phrases, excluded, ranges, titles, max(0, want - len(rows))
            )
        elif words is None:
            results.partial = any(len(t) > 2 for t in positives)
        results.total = len(rows) + loose_total

        page: list[tuple[float, int, bool]] = [(s, r, True) for s, r in ranked_exact]
        if len(page) < want and loose:
            page.extend((s, r, False) for s, r in loose[: want - len(page)])
        results.hits.extend(page_hits(self.normalizer, snap, page[results.offset : want], positives))
