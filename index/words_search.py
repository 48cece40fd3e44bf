"""Looser word matches: every jieba word of a term present as a word of the row, ranked by Whoosh.

A row holding a word as a jieba token holds it as a substring, so the rows
that could match are found by the exact layer (every word of a term as a
substring, but not every term); those are checked against each row's stored
words (``SEP w1 SEP w2 … SEP``, so ``SEP+w+SEP in row`` is a whole-word test,
mapped in C), and Whoosh is asked only to score the loose rows a page needs.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from collections import OrderedDict
from itertools import compress, repeat

import numpy as np

from index.exact import Terms, contains_mask, exact_rows, filter_rows, matches_any_all
from index.grams import Rows
from index.lifecycle import KEY_SEP, IndexLifecycle
from index.store import DocEntry, Snapshot, StoreCorrupt, read_words_text, words_file_name, wrap_words
from index.words import WORD_SEP, Whoosh, segment

WORDS_CACHE_CHARS = 16_000_000
"""Row words kept in memory, in characters (at most ~40 MB): the documents of recent loose candidates."""


class WordMatcher:
    """Loose matching over a lifecycle's snapshot and word index, with its per-snapshot caches."""

    def __init__(self, life: IndexLifecycle) -> None:
        self.life = life
        self._docnum_cache: tuple[Whoosh, Snapshot, array[int]] | None = None
        self._segment_keys: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._words_lock = threading.Lock()
        self._doc_words: OrderedDict[str, tuple[str, str, list[int]]] = OrderedDict()
        """Recently read documents' words: id → (revision, all rows' words, each row's start); LRU."""
        self._doc_words_chars = 0

    def loose(
        self,
        terms: Terms,
        groups: list[list[str]],
        phrases: list[list[str]],
        excluded: list[str],
        ranges: list[range] | None,
        titles: bool,
        want: int,
    ) -> tuple[int, list[tuple[float, int]]]:
        """Rows matching every term's jieba words but not the terms themselves.

        Returns their exact number and the best ``want`` of them as ``(score,
        row)``, best first.  A quoted phrase never loosens: a group made only of
        phrases must still match one of them exactly.
        """
        seg = [[segment(t) for t in g] for g in groups]
        loosenable = [
            # One word loosens too when it is an English word key (rights → right).
            (len(w) > 1 or w != [t]) and t not in ph
            for g, sg, ph in zip(groups, seg, phrases, strict=False)
            for t, w in zip(g, sg, strict=True)
        ]
        if not any(loosenable):
            return 0, []
        strict_groups = [ph for g, ph in zip(groups, phrases, strict=False) if ph and len(ph) == len(g)]
        word_groups = [g for g in ([ws for ws in g if ws] for g in seg) if g]
        if not word_groups:
            return 0, []
        rows = self._candidates(terms, groups, seg, word_groups)
        rows = filter_rows(terms, rows, strict_groups, excluded, titles, ranges)
        # Drop the exact hits (every group contained as typed).
        if len(rows):
            exact = exact_rows(terms, groups, [], None, titles)
            rows = rows[~contains_mask(rows, exact)]
        if not len(rows):
            return 0, []
        # Whole-word test on the stored words of each candidate, mapped in C:
        # the same rows Whoosh's postings would give, without asking Whoosh.
        row_list = rows.tolist()
        texts = self.words_of_rows(terms.snap, row_list)
        checks = [matches_any_all(texts, [[wrap_words(w) for w in ws] for ws in g]) for g in word_groups]
        keep = checks[0] if len(checks) == 1 else map(all, zip(*checks, strict=True))
        row_list = list(compress(row_list, keep))
        if want <= 0 or not row_list:
            return len(row_list), []
        return len(row_list), self._scored(terms.snap, row_list, word_groups, want)

    @staticmethod
    def _candidates(
        terms: Terms, groups: list[list[str]], seg: list[list[list[str]]], word_groups: list[list[list[str]]]
    ) -> Rows:
        """Rows where every word group is satisfied by substrings (a superset of the word matches)."""
        first = word_groups[0]
        rest = word_groups[1:]
        if len(groups) == 1:
            # A row matching a one-word term through that word contains the term:
            # it is an exact hit, so only the other terms can yield loose rows.
            first = [ws for ws, t in zip(seg[0], groups[0], strict=True) if ws and ws != [t]]
            rest = []
        if not first:
            return np.zeros(0, dtype=np.int64)
        found = [terms.all_of(ws) for ws in first]
        rows = found[0] if len(found) == 1 else np.unique(np.concatenate(found))
        for g in rest:
            alts = [terms.all_of(ws) for ws in g]
            rows = np.intersect1d(rows, np.unique(np.concatenate(alts)), assume_unique=True)
        return rows

    def _scored(
        self, snap: Snapshot, rows: list[int], word_groups: list[list[list[str]]], want: int
    ) -> list[tuple[float, int]]:
        """The best ``want`` loose rows by Whoosh's BM25F (only a page short of exact hits asks)."""
        from whoosh import query as wq

        def words_q(ws: list[str]) -> Whoosh:
            return wq.And([wq.Or([wq.Term("body", w), wq.Term("head", w)]) for w in ws])

        q = wq.And([wq.Or([words_q(ws) for ws in g]) for g in word_groups])
        with self.life.whoosh_lock:
            searcher = self.life.whoosh_searcher()
            docnum_of = self._docnums(snap, searcher)
            pairs = sorted((docnum_of[r], r) for r in rows if docnum_of[r] >= 0)
            matched: list[tuple[float, int]] = []
            m = q.matcher(searcher)
            for dn, row in pairs:
                if not m.is_active():
                    break
                if m.id() < dn:
                    m.skip_to(dn)
                    if not m.is_active():
                        break
                if m.id() == dn:
                    matched.append((float(m.score()), row))
        best = heapq.nlargest(want, ((s, -r) for s, r in matched))
        return [(s, -nr) for s, nr in best]

    def row_words(self, snap: Snapshot) -> None:
        """Warm the words cache with the documents read last (a no-op on a new process: nothing is read)."""
        with self._words_lock:
            for doc_id in list(self._doc_words):
                if doc_id not in snap.by_id:
                    self._forget(doc_id)

    def words_of_rows(self, snap: Snapshot, rows: list[int]) -> list[str]:
        """The wrapped words of some rows of ``snap`` (ascending), ``""`` where a document awaits words.

        Only the documents holding those rows are read, from their words
        files; the most recently used are kept up to :data:`WORDS_CACHE_CHARS`
        characters, so memory does not grow with the library.
        """
        if not rows:
            return []
        starts = snap.doc_start
        which = (
            np.searchsorted(
                np.asarray(starts, dtype=np.int64), np.asarray(rows, dtype=np.int64), side="right"
            )
            - 1
        )
        out: list[str] = []
        at = 0
        for k, n in zip(*np.unique(which, return_counts=True), strict=True):
            d = snap.docs[int(k)]
            words = self._words_of(d)
            part = rows[at : at + int(n)]
            at += int(n)
            if words is None:
                out.extend(repeat("", len(part)))
            else:
                text, row_start = words
                base = starts[int(k)]
                for r in part:
                    j = r - base
                    out.append(WORD_SEP + text[row_start[j] : row_start[j + 1]] + WORD_SEP)
        return out

    def _words_of(self, d: DocEntry) -> tuple[str, list[int]] | None:
        """One document's words and row starts (cached), or ``None`` while it awaits word indexing."""
        life = self.life
        if life.word_revisions.get(d.doc_id) != d.revision or d.doc_id in life.words_broken:
            return None
        with self._words_lock:
            hit = self._doc_words.get(d.doc_id)
            if hit is not None and hit[0] == d.revision:
                self._doc_words.move_to_end(d.doc_id)
                return hit[1], hit[2]
        try:
            text, row_start = read_words_text(
                life.store_dir / words_file_name(d.doc_id), d.doc_id, d.revision, d.rows
            )
        except (OSError, StoreCorrupt) as exc:
            # Indexed again by the next sync (words_pending lists it).
            life.problems.append(f"words of {d.doc_id} unusable: {exc}")
            life.words_broken.add(d.doc_id)
            return None
        with self._words_lock:
            self._forget(d.doc_id)
            self._doc_words[d.doc_id] = (d.revision, text, row_start)
            self._doc_words_chars += len(text) + 4 * len(row_start)
            while self._doc_words_chars > WORDS_CACHE_CHARS and len(self._doc_words) > 1:
                self._forget(next(iter(self._doc_words)))
        return text, row_start

    def _forget(self, doc_id: str) -> None:
        old = self._doc_words.pop(doc_id, None)
        if old is not None:
            self._doc_words_chars -= len(old[1]) + 4 * len(old[2])

    def _docnums(self, snap: Snapshot, searcher: Whoosh) -> array[int]:
        """Per row, its Whoosh document number (-1 if not in the word index).

        Built once per searcher generation and snapshot.  Each Whoosh
        segment's keys are read once and kept while the segment lives, as two
        small integer arrays (document, row in document), so a new document
        costs only its own segment and the map stays ~8 bytes per row.
        """
        cached = self._docnum_cache
        if cached is not None and cached[0] is searcher and cached[1] is snap:
            return cached[2]
        out = np.full(snap.rows, -1, dtype=np.int64)
        seen: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        starts = np.asarray(snap.doc_start[:-1], dtype=np.int64)
        for reader, offset in searcher.reader().leaf_readers():
            seg_id = reader.segment().segment_id()
            keys = self._segment_keys.get(seg_id)
            if keys is None:
                keys = _segment_rows(reader)
            seen[seg_id] = keys
            names, doc_of, row_in_doc = keys
            if not names:
                continue
            where = np.asarray([snap.by_id.get(n, -1) for n in names], dtype=np.int64)[doc_of]
            sizes = np.diff(np.asarray(snap.doc_start, dtype=np.int64))
            # Deleted Whoosh documents have no row (-1); a row past its document's end is stale.
            live = (where >= 0) & (row_in_doc >= 0)
            live[live] &= row_in_doc[live] < sizes[where[live]]
            docnums = np.flatnonzero(live)
            out[starts[where[docnums]] + row_in_doc[docnums]] = offset + docnums
        self._segment_keys = seen
        result = array("q", out.tobytes())
        self._docnum_cache = (searcher, snap, result)
        return result


def _segment_rows(reader: Whoosh) -> tuple[list[str], np.ndarray, np.ndarray]:
    """A Whoosh segment's documents as (document ids, per docnum its document's index, its row there)."""
    n = reader.doc_count_all()
    names: list[str] = []
    index_of: dict[str, int] = {}
    doc_of = np.full(n, 0, dtype=np.int32)
    row_in_doc = np.full(n, -1, dtype=np.int64)
    for docnum, fields in reader.iter_docs():
        doc_id, _, j = fields["key"].rpartition(KEY_SEP)
        k = index_of.get(doc_id)
        if k is None:
            k = index_of[doc_id] = len(names)
            names.append(doc_id)
        doc_of[docnum] = k
        row_in_doc[docnum] = int(j)
    return names, doc_of, row_in_doc
