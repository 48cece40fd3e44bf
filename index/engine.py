"""The search engine: exact containment from an in-memory store, jieba words through Whoosh.

Layout of an index folder (a cache of the library, rebuilt whenever in doubt)::

    meta.json      schema version, normaliser rules, documents and revisions held
    store/*.blk    per document: original and normalised block texts (exact matching)
    words/         Whoosh index of jieba words (looser word matches)
    writer.lock    one writer at a time, across threads and processes

Exact hits (the block contains every term as typed, after normalisation) come
from scanning the store and are always complete; they are ranked by a BM25
saturation of term frequency, weighted by block kind, with a bonus when the
terms appear next to each other.  Whoosh adds looser matches (all the jieba
words of a term present, not necessarily together), ranked below every exact
hit by its BM25F score.  Word matching waits for jieba; exact search does not.
"""

from __future__ import annotations

import contextlib
import heapq
import json
import logging
import os
import shutil
import sys
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import compress, pairwise, repeat
from operator import add, mul, neg, not_, or_, truediv
from pathlib import Path
from typing import Any

from index.locking import WriterLock
from index.normalize import Normalizer, map_span
from index.query import ParsedQuery, Scope, Term, parse_query
from index.store import (
    BM25_B,
    BM25_K1,
    Snapshot,
    StoreCorrupt,
    StoredDoc,
    encode_words,
    read_store_file,
    read_words_file,
    store_file_name,
    words_file_name,
    wrap_words,
    write_bytes_atomic,
    write_store_file,
)
from index.types import (
    BuildReport,
    CancelFn,
    IndexDoc,
    IndexHealth,
    NoteRecord,
    ProgressFn,
    SearchHit,
    SearchResults,
)
from index.words import (
    Whoosh,
    jieba_loaded,
    joined_words_of_rows,
    load_jieba,
    segment,
)

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5  # 5: English word keys (index.words.english_key)
"""Bump when the store format, the Whoosh schema or ranking inputs change: old indexes are rebuilt."""

_POOL_WORKERS = 2
_POOL_MIN_CHARS = 1_000_000
"""Below this much text, starting worker processes (~0.5 s each) costs more than it saves."""
_WORDS_BATCH_CHARS = 2_000_000

SNIPPET_CHARS = 120
_BM25_K1 = BM25_K1
_BM25_B = BM25_B
_PHRASE_BONUS = 3.0
_KEY_SEP = "\x1f"


class _WorkerFailed(Exception):
    """A segmentation worker could not start or died; ``done`` documents were segmented."""

    def __init__(self, done: int, reason: str) -> None:
        super().__init__(reason)
        self.done = done


def _write_json(path: Path, obj: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class SearchEngine:
    """Full-text search over indexed documents; safe to share between threads.

    Reads (``search``) work on an immutable snapshot and never wait for a
    writer; writes (``add_document``, ``remove_document``, ``rebuild``,
    ``sync``) go through one writer at a time.  Nothing here touches Qt; the
    GUI runs ``warm_up``, ``sync`` and ``rebuild`` in a worker.

    Args:
        index_dir: The index folder (created when missing).
        cache_dir: Per-user cache folder for jieba's dictionary cache.
        fold_traditional: Fold Traditional Chinese to Simplified when matching.
        lock_timeout: Seconds to wait for another process's writer.
    """

    def __init__(
        self,
        index_dir: Path,
        *,
        cache_dir: Path | None = None,
        fold_traditional: bool = True,
        lock_timeout: float = 10.0,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.cache_dir = cache_dir if cache_dir is not None else self.index_dir.parent / "cache"
        self.normalizer = Normalizer(fold_traditional=fold_traditional, cache_dir=self.cache_dir)
        self.lock = WriterLock(self.index_dir / "writer.lock", timeout=lock_timeout)
        self._state_lock = threading.RLock()
        self._whoosh_lock = threading.RLock()
        self._snapshot: Snapshot | None = None
        self._docs: dict[str, StoredDoc] = {}
        self._words: dict[str, str] = {}
        self._problems: list[str] = []
        self._ix: Whoosh = None
        self._searcher: Whoosh = None
        self._notes: list[tuple[NoteRecord, str]] = []
        self._docnum_cache: tuple[Whoosh, Snapshot, array[int]] | None = None
        self._segment_keys: dict[str, list[str]] = {}
        self._row_words_lock = threading.Lock()
        self._row_words_cache: tuple[Snapshot, int, list[str]] | None = None
        self._words_gen = 0
        self._words_broken: set[str] = set()

    # ------------------------------------------------------------ state
    @property
    def store_dir(self) -> Path:
        """Folder of the per-document store files."""
        return self.index_dir / "store"

    @property
    def words_dir(self) -> Path:
        """Folder of the Whoosh word index."""
        return self.index_dir / "words"

    @property
    def meta_path(self) -> Path:
        """The index's manifest."""
        return self.index_dir / "meta.json"

    @property
    def words_ready(self) -> bool:
        """True when jieba has loaded, so word matching is available without waiting."""
        return jieba_loaded()

    def _meta(self) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "normalizer": self.normalizer.signature,
            "docs": {
                d.doc_id: {"revision": d.revision, "file": store_file_name(d.doc_id)}
                for d in self._docs.values()
            },
            "words": dict(self._words),
        }

    def _save_meta(self) -> None:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        _write_json(self.meta_path, self._meta())

    def _publish(self) -> None:
        """Make the current documents visible to searches."""
        docs = sorted(self._docs.values(), key=lambda d: d.doc_id)
        self._snapshot = Snapshot.build(docs)

    def open(self) -> None:
        """Load the index from disk (idempotent); problems found are remembered for :meth:`check`."""
        if self._snapshot is not None:
            return
        with self._state_lock:
            if self._snapshot is None:
                self._problems = self._load()
                self._publish()

    def _load(self) -> list[str]:
        problems: list[str] = []
        self._docs, self._words = {}, {}
        meta: dict[str, Any] | None = None
        if self.meta_path.is_file():
            try:
                loaded = json.loads(self.meta_path.read_text(encoding="utf-8"))
                meta = loaded if isinstance(loaded, dict) else None
                if meta is None:
                    problems.append("index manifest is not a JSON object")
            except (OSError, ValueError) as exc:
                problems.append(f"index manifest unreadable ({type(exc).__name__})")
        elif self.store_dir.exists() or self.words_dir.exists():
            problems.append("index manifest missing (half-written index)")
        if meta is not None and meta.get("schema_version") != SCHEMA_VERSION:
            problems.append(f"index schema {meta.get('schema_version')} != {SCHEMA_VERSION}")
            meta = None
        elif meta is not None and meta.get("normalizer") != self.normalizer.signature:
            problems.append("normalisation rules changed")
            meta = None
        if meta is None:
            if problems:
                self._wipe()
            return problems
        docs = meta.get("docs")
        words = meta.get("words")
        if not isinstance(docs, dict) or not isinstance(words, dict):
            problems.append("index manifest malformed")
            self._wipe()
            return problems
        wanted_files: set[str] = set()
        for doc_id, info in docs.items():
            name = store_file_name(doc_id)
            wanted_files.update((name, words_file_name(doc_id)))
            try:
                stored = read_store_file(self.store_dir / name)
                foreign = isinstance(info, dict) and info.get("revision") != stored.revision
                if stored.doc_id != doc_id or foreign:
                    raise StoreCorrupt("store file belongs to another document or revision")
            except (OSError, StoreCorrupt) as exc:
                problems.append(f"store of {doc_id} unusable: {exc}")
                (self.store_dir / name).unlink(missing_ok=True)
                (self.store_dir / words_file_name(doc_id)).unlink(missing_ok=True)
                continue
            self._docs[doc_id] = stored
        if self.store_dir.is_dir():
            for path in self.store_dir.iterdir():
                if path.name not in wanted_files:
                    problems.append(f"stray store file {path.name} removed")
                    path.unlink(missing_ok=True)
        self._words = {k: v for k, v in words.items() if isinstance(v, str)}
        return problems

    def _wipe(self) -> None:
        """Forget everything on disk (the library is the source of truth)."""
        self._close_whoosh()
        for sub in (self.store_dir, self.words_dir):
            shutil.rmtree(sub, ignore_errors=True)
        self.meta_path.unlink(missing_ok=True)
        self._docs, self._words = {}, {}

    # ------------------------------------------------------------ whoosh
    def _schema(self) -> Whoosh:
        from whoosh.fields import ID, TEXT, Schema

        from index.analysis import word_analyzer

        return Schema(
            key=ID(stored=True, unique=True),
            doc=ID(),
            body=TEXT(analyzer=word_analyzer(), phrase=False),
            head=TEXT(analyzer=word_analyzer(), phrase=False, field_boost=2.0),
        )

    def _open_whoosh(self) -> Whoosh:
        """Open (or create) the word index; a broken one is replaced by an empty one."""
        with self._whoosh_lock:
            if self._ix is not None:
                return self._ix
            from whoosh import index as windex

            try:
                if windex.exists_in(str(self.words_dir)):
                    ix = windex.open_dir(str(self.words_dir))
                    with ix.searcher() as s:
                        s.doc_count()
                    self._ix = ix
                    return ix
                if self._words:
                    self._problems.append("word index missing")
            except Exception as exc:
                self._problems.append(f"word index unreadable ({type(exc).__name__}: {exc})")
            shutil.rmtree(self.words_dir, ignore_errors=True)
            self.words_dir.mkdir(parents=True, exist_ok=True)
            self._words = {}
            self._ix = windex.create_in(str(self.words_dir), self._schema())
            return self._ix

    def _close_whoosh(self) -> None:
        with self._whoosh_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    def _whoosh_searcher(self) -> Whoosh:
        with self._whoosh_lock:
            ix = self._open_whoosh()
            if self._searcher is None:
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            return self._searcher

    def _write_words(self, docs: list[tuple[StoredDoc, list[str]]], remove: Iterable[str] = ()) -> None:
        """Replace the word postings of some documents (with their rows' joined words) in one commit."""
        with self._whoosh_lock:
            ix = self._open_whoosh()
            # Separate segment files: a compound segment is copied into memory when opened (~2× its size).
            writer = ix.writer(timeout=self.lock.timeout, limitmb=256, compound=False)
            try:
                for doc_id in remove:
                    writer.delete_by_term("doc", doc_id)
                for d, joined in docs:
                    write_bytes_atomic(self.store_dir / words_file_name(d.doc_id), encode_words(d, joined))
                    if d.doc_id in self._words:
                        writer.delete_by_term("doc", d.doc_id)
                    for block_id, kind, words in zip(d.block_ids, d.kinds, joined, strict=True):
                        heading = kind in ("title", "heading")
                        writer.add_document(
                            key=d.doc_id + _KEY_SEP + block_id,
                            doc=d.doc_id,
                            body="" if heading else words,
                            head=words if heading else "",
                        )
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
        for doc_id in remove:
            self._words.pop(doc_id, None)
        for d, joined in docs:
            d.words = [wrap_words(j) for j in joined]
            self._words[d.doc_id] = d.revision
            self._words_broken.discard(d.doc_id)
        self._words_gen += 1

    def _segmented(
        self, docs: list[StoredDoc], cancel: CancelFn | None
    ) -> Iterator[tuple[StoredDoc, list[str]]]:
        """Each document with its rows' joined words, in order; stops early when cancelled.

        A bulk job segments in worker processes (jieba is pure Python and holds
        the GIL) while this process feeds Whoosh; a small one, or a frozen app
        (whose executable cannot be re-run as a worker), segments here.
        """
        chars = sum(len(n) for d in docs for n in d.norms)
        workers = min(_POOL_WORKERS, os.cpu_count() or 1)
        if chars < _POOL_MIN_CHARS or workers < 2 or getattr(sys, "frozen", False):
            load_jieba(self.cache_dir)
            for d in docs:
                if cancel is not None and cancel():
                    return
                yield d, joined_words_of_rows(d.norms)
            return
        try:
            yield from self._segmented_by_workers(docs, workers, cancel)
        except _WorkerFailed as exc:
            # A worker that cannot start or dies costs speed, never the index.
            log.warning("segmentation workers failed (%s); segmenting in this process", exc)
            load_jieba(self.cache_dir)
            for d in docs[exc.done :]:
                if cancel is not None and cancel():
                    return
                yield d, joined_words_of_rows(d.norms)

    def _segmented_by_workers(
        self, docs: list[StoredDoc], workers: int, cancel: CancelFn | None
    ) -> Iterator[tuple[StoredDoc, list[str]]]:
        """Documents dealt round-robin to ``python -m index.segworker`` processes, answers read in order."""
        import subprocess

        from index.segworker import read_message, write_message

        load_jieba(self.cache_dir)  # writes jieba's dictionary cache once; the workers read it
        # -I: neither the working folder nor PYTHONPATH may shadow this very package.
        package_root = str(Path(__file__).resolve().parent.parent)
        code = "import sys; sys.path.insert(0, sys.argv[1]); import index.segworker as w; sys.exit(w.main())"
        procs: list[subprocess.Popen[bytes]] = []
        done = 0
        try:
            for _ in range(workers):
                procs.append(
                    subprocess.Popen(
                        [sys.executable, "-I", "-c", code, package_root, str(self.cache_dir)],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                    )
                )

            def feed(k: int) -> None:
                # One feeder per worker: writing a request can block while the
                # worker writes an answer we have not read yet.
                stdin = procs[k].stdin
                assert stdin is not None
                with contextlib.suppress(OSError, ValueError):
                    for d in docs[k::workers]:
                        write_message(stdin, d.norms)
                    stdin.close()

            feeders = [threading.Thread(target=feed, args=(k,), daemon=True) for k in range(workers)]
            for t in feeders:
                t.start()
            for i, d in enumerate(docs):
                if cancel is not None and cancel():
                    return
                stdout = procs[i % workers].stdout
                assert stdout is not None
                try:
                    joined = read_message(stdout)
                except (OSError, ValueError) as exc:
                    raise _WorkerFailed(done, str(exc)) from exc
                if joined is None or len(joined) != len(d.norms):
                    raise _WorkerFailed(done, "worker ended early")
                done += 1
                yield d, joined
        except OSError as exc:
            raise _WorkerFailed(done, str(exc)) from exc
        finally:
            for p in procs:
                p.kill()
                p.wait()
                for f in (p.stdin, p.stdout):
                    if f is not None:
                        with contextlib.suppress(OSError):
                            f.close()

    # ------------------------------------------------------------ writing
    def warm_up(self) -> None:
        """Load the store, jieba and the word index; call from a worker thread."""
        self.open()
        load_jieba(self.cache_dir)
        self._whoosh_searcher()
        snap = self._snapshot
        if snap is not None:
            self._row_words(snap)

    def indexed(self) -> dict[str, str]:
        """Documents held by the index: ``{doc_id: revision}``."""
        self.open()
        return {d.doc_id: d.revision for d in self._docs.values()}

    def words_pending(self) -> list[str]:
        """Documents whose words are not (or not at their revision) in the word index."""
        self.open()
        return [
            d.doc_id
            for d in self._docs.values()
            if self._words.get(d.doc_id) != d.revision or d.doc_id in self._words_broken
        ]

    def add_document(self, doc: IndexDoc, *, words: bool = True) -> None:
        """Add a document or replace its indexed revision.

        The exact store is written and published first, so the document is
        searchable as soon as this returns (or even before word indexing
        finishes, when ``words`` is false and :meth:`index_words` runs later).
        """
        self._add(doc, words=words, publish=True)

    def _add(self, doc: IndexDoc, *, words: bool, publish: bool) -> None:
        """Store a document; with ``publish`` false the caller publishes after a batch."""
        self.open()
        stored = StoredDoc.from_index_doc(doc, self.normalizer)
        with self.lock, self._state_lock:
            write_store_file(self.store_dir, stored)
            self._docs[doc.doc_id] = stored
            if publish or words:
                self._publish()
            self._save_meta()
            if words:
                load_jieba(self.cache_dir)
                self._write_words([(stored, joined_words_of_rows(stored.norms))])
                self._save_meta()

    def index_words(self, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> int:
        """Bring the word index up to date with the store; return documents done."""
        pending = self.words_pending()
        done = 0
        with self.lock, self._state_lock:
            docs = [d for d in map(self._docs.get, pending) if d is not None]
            batch: list[tuple[StoredDoc, list[str]]] = []
            batch_chars = 0
            for item in self._segmented(docs, cancel):
                batch.append(item)
                batch_chars += sum(map(len, item[0].norms))
                if batch_chars > _WORDS_BATCH_CHARS:
                    self._write_words(batch)
                    self._save_meta()
                    done += len(batch)
                    batch, batch_chars = [], 0
                    if progress is not None:
                        progress(done, len(pending))
            if batch:
                self._write_words(batch)
                self._save_meta()
                done += len(batch)
            if progress is not None:
                progress(done, len(pending))
        return done

    def remove_document(self, doc_id: str) -> bool:
        """Drop a document from the index; return whether it was there."""
        self.open()
        with self.lock, self._state_lock:
            if doc_id not in self._docs and doc_id not in self._words:
                return False
            self._docs.pop(doc_id, None)
            self._publish()
            (self.store_dir / store_file_name(doc_id)).unlink(missing_ok=True)
            (self.store_dir / words_file_name(doc_id)).unlink(missing_ok=True)
            self._save_meta()
            if doc_id in self._words:
                self._write_words([], remove=[doc_id])
                self._save_meta()
            return True

    def clear(self) -> None:
        """Empty the index (on disk too)."""
        with self.lock, self._state_lock:
            self._wipe()
            self._problems = []
            self._publish()
            self._save_meta()

    def sync(
        self,
        wanted: Mapping[str, str],
        load: Callable[[str], IndexDoc],
        *,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        words: bool = True,
    ) -> BuildReport:
        """Make the index hold exactly ``wanted`` (``{doc_id: revision}``), loading what changed.

        Exact matching of each document is available as soon as its store file
        is written; word indexing follows in batches.  Cancelling keeps every
        document finished so far; a later sync continues.  A document whose
        loader raises is skipped and reported in ``failed``.
        """
        started = time.perf_counter()
        self.open()
        report = BuildReport()
        held = self.indexed()
        stale = [d for d in held if d not in wanted]
        todo = [d for d, rev in wanted.items() if held.get(d) != rev]
        word_todo = len(self.words_pending()) + len(todo) if words else 0
        total = len(stale) + len(todo) + word_todo
        done = 0
        last_publish = time.perf_counter()
        with self.lock:
            for doc_id in stale:
                self.remove_document(doc_id)
                report.removed += 1
                done += 1
                if progress is not None:
                    progress(done, total)
            for doc_id in todo:
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                try:
                    doc = load(doc_id)
                except Exception as exc:
                    report.failed.append(f"{doc_id}: {exc}")
                    continue
                if doc_id in held:
                    report.updated += 1
                else:
                    report.added += 1
                # Republishing joins every row; doing it per document would be quadratic.
                now = time.perf_counter()
                self._add(doc, words=False, publish=now - last_publish > 1.0)
                if now - last_publish > 1.0:
                    last_publish = now
                done += 1
                if progress is not None:
                    progress(done, total)
            with self._state_lock:
                self._publish()
            if words and not report.cancelled:
                base = done

                def word_progress(d: int, _t: int) -> None:
                    if progress is not None:
                        progress(base + d, total)

                self.index_words(progress=word_progress, cancel=cancel)
                if cancel is not None and cancel() and self.words_pending():
                    report.cancelled = True
        report.elapsed_s = time.perf_counter() - started
        return report

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        *,
        total: int | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
    ) -> BuildReport:
        """Throw the index away and index ``docs`` again.

        Cancelling leaves a usable index holding the documents finished so
        far; :meth:`sync` completes it later.
        """
        started = time.perf_counter()
        report = BuildReport()
        with self.lock:
            self.clear()
            last_publish = time.perf_counter()
            for doc in docs:
                if cancel is not None and cancel():
                    report.cancelled = True
                    break
                now = time.perf_counter()
                self._add(doc, words=False, publish=now - last_publish > 1.0)
                if now - last_publish > 1.0:
                    last_publish = now
                report.added += 1
                if progress is not None:
                    progress(report.added, total or report.added)
            with self._state_lock:
                self._publish()
            if not report.cancelled:
                self.index_words(cancel=cancel)
                report.cancelled = bool(self.words_pending())
        report.elapsed_s = time.perf_counter() - started
        return report

    def check(self, *, repair: bool = True) -> IndexHealth:
        """Verify the index; with ``repair``, drop whatever is broken (``sync`` re-adds it).

        Problems found: unreadable or foreign manifest, schema or normaliser
        change, corrupt or missing store files, an unreadable word index, a word
        index whose size disagrees with the store, a stale writer lock.
        """
        health = IndexHealth()
        holder = self._stale_lock_holder()
        with self.lock, self._state_lock:
            self._snapshot = None
            self._close_whoosh()
            self.open()
            problems = list(self._problems)
            if holder:
                problems.append(f"stale writer lock left by {holder}")
            ix = self._open_whoosh()
            problems.extend(p for p in self._problems if p not in problems)
            with ix.searcher() as s:
                word_docs = s.doc_count()
            expected = sum(
                len(d.norms) for d in self._docs.values() if self._words.get(d.doc_id) == d.revision
            )
            if word_docs != expected:
                problems.append(f"word index holds {word_docs} blocks, expected {expected}")
                if repair:
                    self._close_whoosh()
                    shutil.rmtree(self.words_dir, ignore_errors=True)
                    self._words = {}
                    self._open_whoosh()
                    word_docs = 0
            if repair:
                self._save_meta()
            self._problems = []
            health.ok = not problems
            health.problems = problems
            health.repaired = repair and bool(problems)
            health.documents = len(self._docs)
            health.blocks = sum(len(d.norms) for d in self._docs.values())
            health.words_docs = word_docs
        return health

    def _stale_lock_holder(self) -> str:
        """The holder recorded in a lock file we could take (its writer died mid-write)."""
        holder = self.lock.holder()
        return holder if holder.startswith("pid ") and holder != f"pid {_pid()}" else ""

    def close(self) -> None:
        """Release open files (the engine reopens on next use)."""
        self._close_whoosh()

    # ------------------------------------------------------------ notes
    def set_notes(self, notes: Iterable[NoteRecord]) -> None:
        """Replace the annotation notes searchable with ``in:notes``."""
        norm = self.normalizer.normalize
        self._notes = [(n, norm(n.text)) for n in notes if n.text.strip()]

    # ------------------------------------------------------------ searching
    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        doc: str | None = None,
        words: bool | None = None,
    ) -> SearchResults:
        """Search; never raises on any query text.

        Args:
            query: The query as typed (see :mod:`index.query`).
            limit: Page size.
            offset: Hits to skip (paging).
            doc: Restrict to one document (id or symbol), like ``doc:``.
            words: Include looser word matches: ``True`` waits for jieba if it
                has not loaded, ``None`` includes them only if it has (the GUI's
                choice), ``False`` never.
        """
        started = time.perf_counter()
        self.open()
        snap = self._snapshot
        assert snap is not None
        parsed = parse_query(query)
        if doc:
            parsed.docs.append(doc)
        results = SearchResults(query=query, offset=offset, limit=limit, notice=parsed.notice)
        limit = max(0, limit)
        offset = max(0, offset)
        if parsed.scope is Scope.NOTES:
            self._search_notes(snap, parsed, results)
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
        ranges = [snap.doc_rows(i) for i in doc_idx] if doc_idx is not None else [range(0, snap.rows)]
        titles = parsed.scope is Scope.TITLES

        loose_on = words is not False and (words or self.words_ready)
        phrases = [self._norm_terms(t for t in g if t.phrase) for g in parsed.groups]
        # Rows found per (needle, range), shared by the exact and the loose pass.
        scans: dict[tuple[str, int, int], list[int]] = {}
        # A one-group query whose term splits into words scans that term's longest
        # word anyway (loose candidates); its exact rows are the ones among those
        # that contain the term, so the text is scanned once instead of twice.
        via_word: dict[str, str] = {}
        if loose_on and len(groups) == 1:
            load_jieba(self.cache_dir)  # words=True may arrive before warm_up
            for t in groups[0]:
                ws = segment(t)
                if len(ws) > 1 and t not in phrases[0]:
                    via_word[t] = max(ws, key=len)

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
        rows = self._filter_rows(snap, rows, [groups[gi] for gi in order[1:]], excluded, titles)

        positives = [t for g in groups for t in g]
        want = results.offset + results.limit
        ranked_exact = self._rank_exact(snap, rows, groups, want)
        results.exact_total = len(rows)

        loose_total = 0
        loose: list[tuple[float, int]] = []
        if loose_on:
            load_jieba(self.cache_dir)  # words=True may arrive before warm_up
            loose_total, loose = self._loose(
                snap, groups, phrases, excluded, ranges, titles, max(0, want - len(rows)), scans
            )
        elif words is None:
            results.partial = any(len(t) > 2 for t in positives)
        results.total = len(rows) + loose_total

        page: list[tuple[float, int, bool]] = [(s, r, True) for s, r in ranked_exact]
        if len(page) < want and loose:
            page.extend((s, r, False) for s, r in loose[: want - len(page)])
        for score, row, is_exact in page[results.offset : want]:
            results.hits.append(self._hit(snap, row, positives, score, is_exact))

    @staticmethod
    def _filter_rows(
        snap: Snapshot, rows: list[int], groups: list[list[str]], excluded: list[str], titles: bool
    ) -> list[int]:
        """Keep the rows matching every group, none of ``excluded``, and the scope.

        Each filter maps ``in`` over the candidates in C: no Python step per row.
        """
        norms = snap.norms
        for group in groups:
            rows = list(compress(rows, _matches_any(list(map(norms.__getitem__, rows)), group)))
        if excluded:
            texts = list(map(norms.__getitem__, rows))
            for t in excluded:
                keep = list(map(not_, map(str.__contains__, texts, repeat(t))))
                rows, texts = list(compress(rows, keep)), list(compress(texts, keep))
        return list(compress(rows, map((snap.head if titles else snap.body).__getitem__, rows)))

    def _rank_exact(
        self, snap: Snapshot, rows: list[int], groups: list[list[str]], want: int
    ) -> list[tuple[float, int]]:
        """Top ``want`` exact rows as ``(score, row)``, best first, ties in document order."""
        if not rows or want <= 0:
            return []
        # Every step is a map/zip run in C over the hits: a common term (tens of
        # thousands of rows) costs a few milliseconds, not a Python loop per hit.
        texts = list(map(snap.norms.__getitem__, rows))
        denom = list(map(snap.denom.__getitem__, rows))
        k1p = _BM25_K1 + 1
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
                scores = list(map(add, scores, map(mul, together, repeat(_PHRASE_BONUS))))
        scores = list(map(mul, scores, map(snap.weights.__getitem__, rows)))
        if want >= len(rows):
            best = sorted(zip(scores, map(neg, rows), strict=True), reverse=True)
        else:
            best = heapq.nlargest(want, zip(scores, map(neg, rows), strict=True))
        return [(s, -nr) for s, nr in best]

    def _loose(
        self,
        snap: Snapshot,
        groups: list[list[str]],
        phrases: list[list[str]],
        excluded: list[str],
        ranges: list[range],
        titles: bool,
        want: int,
        scans: dict[tuple[str, int, int], list[int]],
    ) -> tuple[int, list[tuple[float, int]]]:
        """Rows matching every term's jieba words but not the terms themselves.

        Returns their exact number and the best ``want`` of them as ``(score,
        row)``, best first.  A quoted phrase never loosens: a group made only of
        phrases must still match one of them exactly.

        A row holding a word as a jieba token holds it as a substring, so the
        rows that could match are found by the in-memory scan (every word of a
        term as a substring, but not every term; ``scans`` holds the scans the
        exact pass already made); those are checked against each row's stored
        words, and only loose rows a page needs are scored by Whoosh.
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
        word_groups = [[ws for ws in g if ws] for g in seg]
        word_groups = [g for g in word_groups if g]
        if not word_groups:
            return 0, []
        # Candidates: every word group satisfied by substrings (a superset of the word matches).
        order = sorted(word_groups, key=lambda g: -min(max(map(len, ws)) for ws in g))
        first = order[0]
        if len(groups) == 1:
            # A row matching a one-word term through that word contains the term:
            # it is an exact hit, so only the other terms can yield loose rows.
            first = [ws for ws, t in zip(seg[0], groups[0], strict=True) if ws and ws != [t]]
        rows: list[int] = []
        for rg in ranges:
            hits: list[list[int]] = []
            for ws in first:
                longest = max(ws, key=len)
                hit = scans.get((longest, rg.start, rg.stop))
                if hit is None:
                    hit = snap.find_rows(longest, rg.start, rg.stop)
                rest = [w for w in ws if w is not longest]
                if rest:
                    hit = list(compress(hit, _has_all(list(map(snap.norms.__getitem__, hit)), rest)))
                hits.append(hit)
            # One word list is already sorted and unique; several are merged.
            rows.extend(hits[0] if len(hits) == 1 else sorted(set().union(*hits)))
        norms = snap.norms
        for g in order[1:]:
            texts = list(map(norms.__getitem__, rows))
            rows = list(compress(rows, map(any, zip(*(_has_all(texts, ws) for ws in g), strict=True))))
        rows = self._filter_rows(snap, rows, strict_groups, excluded, titles)
        # Drop the exact hits (every group contained as typed).
        if rows:
            texts = list(map(norms.__getitem__, rows))
            exact = map(all, zip(*(_matches_any(texts, g) for g in groups), strict=True))
            rows = list(compress(rows, map(not_, exact)))
        if not rows:
            return 0, []
        # Whole-word test on the stored words of each candidate, mapped in C:
        # the same rows Whoosh's postings would give, without asking Whoosh.
        row_words = self._row_words(snap)
        texts = list(map(row_words.__getitem__, rows))
        checks = [_matches_any_all(texts, [[wrap_words(w) for w in ws] for ws in g]) for g in word_groups]
        rows = list(compress(rows, checks[0] if len(checks) == 1 else map(all, zip(*checks, strict=True))))
        if want <= 0 or not rows:
            return len(rows), []
        from whoosh import query as wq

        def words_q(ws: list[str]) -> Whoosh:
            return wq.And([wq.Or([wq.Term("body", w), wq.Term("head", w)]) for w in ws])

        # Only a page that runs out of exact hits needs loose scores (BM25F from Whoosh).
        q = wq.And([wq.Or([words_q(ws) for ws in g]) for g in word_groups])
        with self._whoosh_lock:
            searcher = self._whoosh_searcher()
            docnum_of = self._docnums(snap, searcher)
            pairs = sorted((docnum_of[r], r) for r in rows if docnum_of[r] >= 0)
            matched: list[tuple[float, int]] = []
            m = q.matcher(searcher)
            score = True
            for dn, row in pairs:
                if not m.is_active():
                    break
                if m.id() < dn:
                    m.skip_to(dn)
                    if not m.is_active():
                        break
                if m.id() == dn:
                    matched.append((float(m.score()) if score else 0.0, row))
        best = heapq.nlargest(want, ((s, -r) for s, r in matched))
        return len(rows), [(s, -nr) for s, nr in best]

    def _row_words(self, snap: Snapshot) -> list[str]:
        """Per row of ``snap``, its wrapped words (``""`` while its document awaits word indexing).

        Words files are read on first use (never on the cold path of an
        exact search), then kept by their documents; the list is rebuilt
        when the snapshot or the word index changes.
        """
        cached = self._row_words_cache
        gen = self._words_gen
        if cached is not None and cached[0] is snap and cached[1] == gen:
            return cached[2]
        with self._row_words_lock:
            out: list[str] = []
            for d in snap.docs:
                words = d.words
                current = self._words.get(d.doc_id) == d.revision
                if words is None and current and d.doc_id not in self._words_broken:
                    try:
                        words = d.words = read_words_file(self.store_dir / words_file_name(d.doc_id), d)
                    except (OSError, StoreCorrupt) as exc:
                        # Indexed again by the next sync (words_pending lists it).
                        self._problems.append(f"words of {d.doc_id} unusable: {exc}")
                        self._words_broken.add(d.doc_id)
                if words is None or not current:
                    out.extend(repeat("", len(d.norms)))
                else:
                    out.extend(words)
            self._row_words_cache = (snap, gen, out)
        return out

    def _docnums(self, snap: Snapshot, searcher: Whoosh) -> array[int]:
        """Per row, its Whoosh document number (-1 if not in the word index).

        Built once per searcher generation and snapshot; the keys of each
        Whoosh segment are read once and kept while the segment lives, so a
        new document costs only its own segment.
        """
        cached = self._docnum_cache
        if cached is not None and cached[0] is searcher and cached[1] is snap:
            return cached[2]
        by_key = self._row_keys(snap)
        out = array("i", [-1]) * snap.rows
        seen: dict[str, list[str]] = {}
        for reader, offset in searcher.reader().leaf_readers():
            seg_id = reader.segment().segment_id()
            keys = self._segment_keys.get(seg_id)
            if keys is None:
                keys = [""] * reader.doc_count_all()
                for docnum, fields in reader.iter_docs():
                    keys[docnum] = fields["key"]
            seen[seg_id] = keys
            get = by_key.get
            for docnum, key in enumerate(keys):
                row = get(key)
                if row is not None and not reader.is_deleted(docnum):
                    out[row] = offset + docnum
        self._segment_keys = seen
        self._docnum_cache = (searcher, snap, out)
        return out

    def _row_keys(self, snap: Snapshot) -> dict[str, int]:
        cached = snap.keys
        if cached is None:
            cached = {}
            for i, d in snap.iter_docs():
                base = snap.doc_start[i]
                for j, block_id in enumerate(d.block_ids):
                    cached[d.doc_id + _KEY_SEP + block_id] = base + j
            snap.keys = cached
        return cached

    def _hit(self, snap: Snapshot, row: int, terms: list[str], score: float, exact: bool) -> SearchHit:
        d, j = snap.locate(row)
        original = d.origs[j]
        highlight = terms if exact else [w for t in terms for w in (segment(t) if jieba_loaded() else [t])]
        snippet, spans, block_spans = self._snippet(original, highlight)
        return SearchHit(
            doc_id=d.doc_id,
            block_id=d.block_ids[j],
            number=d.numbers[j],
            path=d.paths[j],
            kind=d.kinds[j],
            snippet=snippet,
            spans=spans,
            block_spans=block_spans,
            score=score,
            exact=exact,
            doc_title=d.title,
            symbol=d.symbol,
        )

    def _snippet(
        self, original: str, terms: list[str]
    ) -> tuple[str, tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
        """A window of ``original`` around the first match, with highlight spans."""
        norm, offsets = self.normalizer.normalize_map(original)
        found: list[tuple[int, int]] = []
        for t in terms:
            if not t:
                continue
            pos = norm.find(t)
            while pos != -1:
                found.append(map_span(offsets, pos, pos + len(t)))
                pos = norm.find(t, pos + len(t))
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
        spans = tuple(
            (max(s, start) - start, min(e, end) - start) for s, e in merged if s < end and e > start
        )
        return original[start:end], spans, tuple(merged)

    def _search_notes(self, snap: Snapshot, parsed: ParsedQuery, results: SearchResults) -> None:
        groups = [g for g in (self._norm_terms(group) for group in parsed.groups) if g]
        excluded = self._norm_terms(parsed.excluded)
        if not groups:
            return
        doc_idx = self._doc_ranges(snap, parsed.docs)
        allowed = {snap.docs[i].doc_id for i in doc_idx} if doc_idx is not None else None
        matched = [
            (rec, n)
            for rec, n in self._notes
            if (allowed is None or rec.doc_id in allowed)
            and all(any(t in n for t in g) for g in groups)
            and not any(t in n for t in excluded)
        ]
        results.total = results.exact_total = len(matched)
        positives = [t for g in groups for t in g]
        for rec, n in matched[results.offset : results.offset + results.limit]:
            snippet, spans, block_spans = self._snippet(rec.text, positives)
            number: str | None = None
            path: tuple[str, ...] = ()
            di = snap.by_id.get(rec.doc_id)
            if di is not None:
                d = snap.docs[di]
                with contextlib.suppress(ValueError):
                    j = d.block_ids.index(rec.block_id)
                    number, path = d.numbers[j], d.paths[j]
            results.hits.append(
                SearchHit(
                    doc_id=rec.doc_id,
                    block_id=rec.block_id,
                    number=number,
                    path=path,
                    kind="note",
                    snippet=snippet,
                    spans=spans,
                    block_spans=block_spans,
                    score=float(sum(n.count(t) for t in positives)),
                    note_id=rec.note_id,
                )
            )


def _matches_any(texts: list[str], group: list[str]) -> Iterable[bool]:
    """Per text, whether it contains any term of an OR group (evaluated in C)."""
    if len(group) == 1:
        return map(str.__contains__, texts, repeat(group[0]))
    return map(any, zip(*(map(str.__contains__, texts, repeat(t)) for t in group), strict=True))


def _matches_any_all(texts: list[str], alternatives: list[list[str]]) -> Iterable[bool]:
    """Per text, whether it contains every string of at least one alternative (evaluated in C)."""
    if len(alternatives) == 1:
        return _has_all(texts, alternatives[0])
    return map(any, zip(*(_has_all(texts, ws) for ws in alternatives), strict=True))


def _has_all(texts: list[str], words: list[str]) -> Iterable[bool]:
    """Per text, whether it contains every word (evaluated in C)."""
    if len(words) == 1:
        return map(str.__contains__, texts, repeat(words[0]))
    return map(all, zip(*(map(str.__contains__, texts, repeat(w)) for w in words), strict=True))


def _pid() -> int:
    return os.getpid()
