"""Looser word matches: every jieba word of a term present as a word of the row, ranked by Whoosh.

The rows holding a word as a whole word are read from the word index's row
postings (:mod:`index.word_rows`: per word, compact arrays of rows written
with each Whoosh segment), so a loose total is array intersections: no words
text is read, and nothing is held per row but the row → Whoosh docnum map a
scored page needs.  Whoosh is asked only to score the loose rows a page reaches.
"""

from __future__ import annotations

import heapq
import itertools
import os
import threading
from array import array
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from index.exact import Terms, contains_mask, exact_rows, filter_rows, intersect, union
from index.grams import Rows
from index.lifecycle import KEY_SEP, IndexLifecycle
from index.store import Snapshot, StoreCorrupt
from index.word_rows import RowsFile, list_files, newest, rows_dir, set_aside
from index.words import Whoosh, segment

_EMPTY = np.zeros(0, dtype=np.int64)
_RETRIES = 3
"""Times a loose pass starts again when a rows file was merged away or set aside meanwhile."""


@dataclass
class _View:
    """The row postings files as one snapshot sees them: per file, which documents count and where."""

    files: list[RowsFile]
    alive: list[npt.NDArray[np.bool_]]
    """Per file, per document, whether its rows are the snapshot's words of that document."""
    shift: list[npt.NDArray[np.int64]]
    """Per file, per document, snapshot row minus local row."""
    uniform: list[int | None] = field(default_factory=list)
    """Per file, the one shift of all its documents when every one is live with the same shift (the
    file of a bulk job's batch: consecutive documents of the snapshot), else ``None``."""

    def __post_init__(self) -> None:
        if not self.uniform:
            self.uniform = [
                int(sh[0]) if len(sh) and bool(al.all()) and bool((sh == sh[0]).all()) else None
                for al, sh in zip(self.alive, self.shift, strict=True)
            ]


def _joined(parts: list[Rows], blocks: bool) -> Rows:
    """A word's rows from its files' parts, ascending (each live document's rows are in one file).

    Parts of uniform files cover disjoint blocks of rows: ordered by their first rows they are
    already one ascending run, so only other parts need a sort.
    """
    if not parts:
        return _EMPTY
    if len(parts) == 1:
        return parts[0]
    if blocks:
        parts = sorted(parts, key=lambda p: int(p[0]))
        if all(int(a[-1]) < int(b[0]) for a, b in itertools.pairwise(parts)):
            return np.concatenate(parts)
    return np.sort(np.concatenate(parts))


class _Stale(Exception):
    """A rows file went away or was set aside during a look-up: build the view again."""


class WordMatcher:
    """Loose matching over a lifecycle's snapshot and word index, with its per-snapshot caches."""

    def __init__(self, life: IndexLifecycle) -> None:
        self.life = life
        self._docnum_cache: tuple[Whoosh, Snapshot, array[int]] | None = None
        self._segment_keys: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        self._view_lock = threading.Lock()
        self._view: tuple[Snapshot, tuple[object, ...], _View] | None = None

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
        wanted = word_groups
        if len(groups) == 1:
            # A row holding a one-word term as that word contains the term: an exact hit.
            wanted = [[ws for ws, t in zip(seg[0], groups[0], strict=True) if ws and ws != [t]]]
            if not wanted[0]:
                return 0, []
        rows = self._word_rows(terms.snap, wanted)
        rows = filter_rows(terms, rows, strict_groups, excluded, titles, ranges)
        # Drop the exact hits (every group contained as typed).
        if len(rows):
            exact = exact_rows(terms, groups, [], None, titles)
            rows = rows[~contains_mask(rows, exact)]
        if want <= 0 or not len(rows):
            return len(rows), []
        row_list = rows.tolist()
        return len(row_list), self._scored(terms.snap, row_list, word_groups, want)

    def _word_rows(self, snap: Snapshot, word_groups: list[list[list[str]]]) -> Rows:
        """Rows where, for every group, all words of one alternative are whole words of the row."""
        words = sorted({w for g in word_groups for ws in g for w in ws})
        found: dict[str, Rows] = {}
        for attempt in range(_RETRIES + 1):
            try:
                found = self._whole_rows(snap, words)
                break
            except _Stale:
                if attempt == _RETRIES:
                    return _EMPTY
        out: Rows | None = None
        for g in word_groups:
            alts = []
            for ws in g:
                r = found[ws[0]]
                for w in ws[1:]:
                    r = intersect(r, found[w])
                alts.append(r)
            rows = union(alts)
            out = rows if out is None else intersect(out, rows)
        return out if out is not None else _EMPTY

    def _whole_rows(self, snap: Snapshot, words: list[str]) -> dict[str, Rows]:
        """Per word, the snapshot's rows (ascending) holding it as a whole word."""
        view = self._view_of(snap)
        encoded = [w.encode("utf-8") for w in words]
        parts: list[list[Rows]] = [[] for _ in words]
        whole = [True] * len(words)
        """Per word, whether each part came from a uniform file (a block of the snapshot's rows)."""
        for fi, (f, alive, shift) in enumerate(zip(view.files, view.alive, view.shift, strict=True)):
            if not alive.any():
                continue
            try:
                with open(f.path, "rb", buffering=0) as fh:
                    found = f.lookup(fh, encoded)
            except FileNotFoundError as exc:
                self._view = None  # merged away by a writer meanwhile
                raise _Stale from exc
            except (OSError, StoreCorrupt) as exc:
                self._set_aside(f, alive, exc)
                raise _Stale from exc
            same = view.uniform[fi]
            for i, local in enumerate(found):
                if not len(local):
                    continue
                if same is not None:
                    # Every document live, one shift: the file's rows are a block of the snapshot's.
                    parts[i].append(local.astype(np.int64) + same)
                    continue
                whole[i] = False
                k = np.searchsorted(f.starts, local, side="right") - 1
                ok = alive[k]
                parts[i].append(local[ok].astype(np.int64) + shift[k[ok]])
        out = {}
        for w, p, blocks in zip(words, parts, whole, strict=True):
            out[w] = _joined(p, blocks)
        return out

    def _set_aside(self, f: RowsFile, alive: npt.NDArray[np.bool_], exc: Exception) -> None:
        """A damaged rows file: its documents' words are indexed again by the next sync."""
        life = self.life
        for k in np.flatnonzero(alive).tolist():
            doc_id = f.docs[k][0]
            life.problems.append(f"words of {doc_id} unusable: {exc}")
            life.words_broken.add(doc_id)
        set_aside(f.path)
        self._view = None

    def _view_of(self, snap: Snapshot) -> _View:
        """The rows files as ``snap`` sees them (cached until the snapshot or the word index changes)."""
        life = self.life
        folder = rows_dir(life.words_dir)
        with self._view_lock:
            key = self._view_key(folder)
            cached = self._view
            if cached is not None and cached[0] is snap and cached[1] == key:
                return cached[2]
            problems: list[str] = []
            files = list_files(folder, problems)
            life.problems.extend(problems)
            latest = newest(files)
            alive = [np.zeros(len(f.docs), dtype=bool) for f in files]
            shift = [np.zeros(len(f.docs), dtype=np.int64) for f in files]
            revisions = life.word_revisions
            broken = life.words_broken
            for i, d in enumerate(snap.docs):
                if revisions.get(d.doc_id) != d.revision or d.doc_id in broken:
                    continue  # awaiting words: no loose rows
                fi, k = latest.get(d.doc_id, (-1, -1))
                held = files[fi].docs[k] if k >= 0 else None
                if held is None or held[1] != d.revision or held[2] != d.rows:
                    # Indexed again by the next sync (words_pending lists it).
                    life.problems.append(f"words of {d.doc_id} unusable: its word rows are missing")
                    broken.add(d.doc_id)
                    continue
                alive[fi][k] = True
                shift[fi][k] = snap.doc_start[i] - int(files[fi].starts[k])
            view = _View(files, alive, shift)
            self._view = (snap, self._view_key(folder), view)
            return view

    def _view_key(self, folder: os.PathLike[str]) -> tuple[object, ...]:
        """What, besides the snapshot, a view depends on: the word index's commits, its files, the broken."""
        life = self.life
        try:
            stamp = os.stat(folder).st_mtime_ns
        except OSError:
            stamp = -1
        return (life.words_gen, stamp, len(life.words_broken), id(life.word_revisions))

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
        """Read the row postings' headers for ``snap`` ahead of the first loose search (no postings)."""
        self._view_of(snap)

    def _docnums(self, snap: Snapshot, searcher: Whoosh) -> array[int]:
        """Per row, its Whoosh document number (-1 if not in the word index).

        Built once per searcher generation and snapshot.  Each Whoosh
        segment's (document, row in document) per docnum is taken from the
        row postings file written with it (its header lists the same rows in
        the same order), else read from Whoosh's stored keys (a segment Whoosh
        merged); either is kept while the segment lives, as two small integer
        arrays, so a new document costs only its own segment.
        """
        cached = self._docnum_cache
        if cached is not None and cached[0] is searcher and cached[1] is snap:
            return cached[2]
        out = np.full(snap.rows, -1, dtype=np.int64)
        seen: dict[str, tuple[list[str], np.ndarray, np.ndarray]] = {}
        starts = np.asarray(snap.doc_start[:-1], dtype=np.int64)
        sizes = np.diff(np.asarray(snap.doc_start, dtype=np.int64))
        written = {f.segment: f for f in self._view_of(snap).files if f.segment is not None}
        for reader, offset in searcher.reader().leaf_readers():
            seg_id = reader.segment().segment_id()
            keys = self._segment_keys.get(seg_id)
            if keys is None:
                f = written.get(seg_id)
                keys = _file_rows(f, reader) if f is not None else None
                if keys is None:
                    keys = _segment_rows(reader)
            seen[seg_id] = keys
            names, doc_of, row_in_doc = keys
            if not names:
                continue
            where = np.asarray([snap.by_id.get(n, -1) for n in names], dtype=np.int64)[doc_of]
            # Deleted Whoosh documents have no row (-1); a row past its document's end is stale.
            live = (where >= 0) & (row_in_doc >= 0)
            live[live] &= row_in_doc[live] < sizes[where[live]]
            docnums = np.flatnonzero(live)
            out[starts[where[docnums]] + row_in_doc[docnums]] = offset + docnums
        self._segment_keys = seen
        result = array("q", out.tobytes())
        self._docnum_cache = (searcher, snap, result)
        return result


def _file_rows(f: RowsFile, reader: Whoosh) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """A Whoosh segment's documents as :func:`_segment_rows` gives them, from its rows file's header."""
    n = reader.doc_count_all()
    if f.rows != n:
        return None
    names = [doc for doc, _, _ in f.docs]
    counts = np.diff(f.starts)
    doc_of = np.repeat(np.arange(len(names), dtype=np.int32), counts)
    row_in_doc = np.arange(n, dtype=np.int64) - np.repeat(f.starts[:-1], counts)
    deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
    row_in_doc[deleted] = -1
    return names, doc_of, row_in_doc


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
