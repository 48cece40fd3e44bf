"""Index lifecycle: what is on disk, loading it, writing it, keeping it in step, checking it.

Layout of an index folder (a cache of the library, rebuilt whenever in doubt)::

    meta.json      schema version, normaliser rules, documents (revision, title, rows, segment), segments
    segments/*.seg n-gram segments: normalised rows and their postings (exact matching, read with pread)
    store/*.blk    per document: original and normalised block texts (snippets, rebuilding)
    words/         Whoosh index of jieba words (looser word matches, their ranking), and beside its
                   segments the row postings ``rows-*.wrw`` (:mod:`index.word_rows`; loose matching)
    words-incoming/ Whoosh segments and their row postings written by word-index workers, moved into
                   words/ as each is committed
    writer.lock    one writer at a time, across threads and processes

Nothing here executes a query: :mod:`index.executor` reads the published
:class:`~index.store.Snapshot` and the word index this module keeps.
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from index.locking import WriterLock
from index.normalize import Normalizer
from index.segmenting import EAGER_DOCS, WordPipeline
from index.segstore import SEGMENT_CHARS, SegmentSet, members_first
from index.segworker import KEY_SEP as KEY_SEP
from index.segworker import StagingTarget, WordJob
from index.store import (
    KIND_CODES,
    DocEntry,
    Snapshot,
    StoreCorrupt,
    StoredDoc,
    read_store_file,
    store_file_name,
    write_store_file,
)
from index.types import BuildReport, CancelFn, IndexDoc, IndexHealth, ProgressFn
from index.words import Whoosh, joined_words_of_rows, load_jieba

# 5: n-gram segments; 6: English word keys (index.words.english_key); 7: bigram positions (segment format 4)
SCHEMA_VERSION = 7
"""Bump when the store format, the Whoosh schema or ranking inputs change: old indexes are rebuilt."""

_HEAD_CODES = frozenset((KIND_CODES["title"], KIND_CODES["heading"]))
_MIN_TIMED = SEGMENT_CHARS // 4
"""A bulk job also writes a segment every 10 s once it holds this much text."""
LEGACY_WORDS_SUFFIX = ".wds"
"""Per-document words files, written before the row postings held the same words (removed at load)."""
_STORED_CACHE = 64
"""Store records kept in memory (the documents of the pages last shown)."""


def _write_json(path: Path, obj: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        # json.dumps, not json.dump: only the one-shot form uses the C encoder (manifest ~4x faster).
        fh.write(json.dumps(obj, ensure_ascii=False))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class IndexLifecycle:
    """The index's state on disk and in memory, and every write to it; safe to share between threads.

    Reads take :attr:`snapshot` (immutable) and never wait; writes go through
    :attr:`lock` (one writer across threads and processes).

    Args:
        index_dir: The index folder (created when missing).
        cache_dir: Per-user cache folder for jieba's dictionary cache.
        normalizer: The normaliser of indexed text and queries.
        lock_timeout: Seconds to wait for another process's writer.
    """

    def __init__(
        self,
        index_dir: Path,
        *,
        cache_dir: Path,
        normalizer: Normalizer,
        lock_timeout: float,
    ) -> None:
        self.index_dir = Path(index_dir)
        self.cache_dir = cache_dir
        self.normalizer = normalizer
        self.lock = WriterLock(self.index_dir / "writer.lock", timeout=lock_timeout)
        self.state_lock = threading.RLock()
        self.whoosh_lock = threading.RLock()
        self.snapshot: Snapshot | None = None
        self.docs: dict[str, DocEntry] = {}
        self.segments = SegmentSet(self.index_dir / "segments", self.normalizer.plain)
        self._stored: OrderedDict[str, StoredDoc] = OrderedDict()
        self._stored_lock = threading.Lock()
        self.word_revisions: dict[str, str] = {}
        """Documents held by the word index, with the revision indexed."""
        self.problems: list[str] = []
        self.words_broken: set[str] = set()
        """Documents whose words file was found damaged (indexed again by the next sync)."""
        self.words_gen = 0
        """Bumped by every word-index commit (query-side caches key on it)."""
        self.ix: Whoosh = None
        self._searcher: Whoosh = None
        self._meta_stamp: tuple[int, int, int] | None = None
        """The manifest as this process last read or wrote it (another writer changes it)."""

    # ------------------------------------------------------------ state
    @property
    def store_dir(self) -> Path:
        """Folder of the per-document store files."""
        return self.index_dir / "store"

    @property
    def incoming_dir(self) -> Path:
        """Staging folder of Whoosh segments written but not yet committed (emptied by each word job)."""
        return self.index_dir / "words-incoming"

    @property
    def words_dir(self) -> Path:
        """Folder of the Whoosh word index."""
        return self.index_dir / "words"

    @property
    def meta_path(self) -> Path:
        """The index's manifest."""
        return self.index_dir / "meta.json"

    @property
    def segments_dir(self) -> Path:
        """Folder of the n-gram segments."""
        return self.segments.folder

    def _meta(self) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "normalizer": self.normalizer.signature,
            "docs": {
                d.doc_id: {
                    "revision": d.revision,
                    "file": store_file_name(d.doc_id),
                    "title": d.title,
                    "symbol": d.symbol,
                    "rows": d.rows,
                    "segment": d.segment,
                    "chars": d.chars,
                }
                for d in self.docs.values()
            },
            "segments": self.segments.manifest(),
            "words": dict(self.word_revisions),
        }

    def save_meta(self) -> None:
        """Write the manifest (after the data it lists)."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        _write_json(self.meta_path, self._meta())
        self._meta_stamp = self._stamp()

    def _stamp(self) -> tuple[int, int, int] | None:
        try:
            st = self.meta_path.stat()
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def refresh(self) -> None:
        """Reload the state when another process wrote the index since we read it (call holding the lock).

        The manifest is always replaced (new inode), so a changed stamp means
        another writer: acting on our stale view would add its documents' word
        postings a second time.
        """
        if self.snapshot is not None and self._stamp() != self._meta_stamp:
            with self.state_lock:
                self.snapshot = None
                self.close_whoosh()
                self.open()

    def publish(self) -> None:
        """Make the current documents visible to searches."""
        segs = [(sid, seg, members) for sid, (seg, members) in self.segments.open.items()]
        self.snapshot = Snapshot.build(list(self.docs.values()), segs, self.stored)

    def stored(self, entry: DocEntry) -> StoredDoc:
        """A document's full store record, read from its ``.blk`` file (a few are cached).

        Raises:
            StoreCorrupt: The file is damaged or belongs to another revision
                (recorded as a problem; the next sync indexes the document again).
        """
        with self._stored_lock:
            hit = self._stored.get(entry.doc_id)
            if hit is not None and hit.revision == entry.revision:
                self._stored.move_to_end(entry.doc_id)
                return hit
        try:
            stored = self._read_stored(entry)
        except OSError as exc:
            self.problems.append(f"store of {entry.doc_id} unusable: {exc}")
            raise StoreCorrupt(str(exc)) from exc
        except StoreCorrupt as exc:
            self.problems.append(f"store of {entry.doc_id} unusable: {exc}")
            raise
        with self._stored_lock:
            self._stored[entry.doc_id] = stored
            while len(self._stored) > _STORED_CACHE:
                self._stored.popitem(last=False)
        return stored

    def open(self) -> None:
        """Load the index from disk (idempotent); problems found are remembered for :meth:`check`."""
        if self.snapshot is not None:
            return
        with self.state_lock:
            if self.snapshot is None:
                self._meta_stamp = self._stamp()
                self.problems = self._load()
                self.publish()

    def _read_meta(self, problems: list[str]) -> dict[str, Any] | None:
        """The manifest if usable for this schema and normaliser, else ``None`` (problems appended)."""
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
        return meta

    def _read_stored(self, entry: DocEntry) -> StoredDoc:
        stored = read_store_file(self.store_dir / store_file_name(entry.doc_id))
        if stored.doc_id != entry.doc_id or stored.revision != entry.revision:
            raise StoreCorrupt("store file belongs to another document or revision")
        if len(stored.norms) != entry.rows:
            raise StoreCorrupt("store file rows disagree with the index")
        return stored

    def _load(self) -> list[str]:
        """Read the manifest and map the segments; store files are only checked to exist."""
        problems: list[str] = []
        self.docs, self.word_revisions = {}, {}
        self.segments.open = {}
        meta = self._read_meta(problems)
        if meta is None:
            if problems:
                self.wipe()
            return problems
        docs, words, segs = meta.get("docs"), meta.get("words"), meta.get("segments")
        if not isinstance(docs, dict) or not isinstance(words, dict) or not isinstance(segs, dict):
            problems.append("index manifest malformed")
            self.wipe()
            return problems
        listed = {str(k): [(str(d), int(r)) for d, r in v] for k, v in segs.items() if isinstance(v, list)}
        bad = self.segments.load(listed, problems)
        firsts = {sid: members_first(m) for sid, m in listed.items()}
        member_rows = {sid: dict(m) for sid, m in listed.items()}
        present = set(os.listdir(self.store_dir)) if self.store_dir.is_dir() else set()
        wanted_files: set[str] = set()
        for doc_id, info in docs.items():
            name = store_file_name(doc_id)
            wanted_files.add(name)
            try:
                entry = DocEntry(doc_id, str(info["title"]), info["symbol"], str(info["revision"]),
                                 int(info["rows"]), str(info["segment"]), 0, int(info["chars"]))  # fmt: skip
                entry.first = firsts[entry.segment][doc_id]
                if member_rows[entry.segment][doc_id] != entry.rows:
                    raise StoreCorrupt("its rows disagree with its segment's")
                if entry.segment in bad or name not in present:
                    raise StoreCorrupt("its segment or store file is missing or damaged")
            except (KeyError, TypeError, ValueError, StoreCorrupt) as exc:
                problems.append(f"store of {doc_id} unusable: {exc}")
                self._drop_files(doc_id, words)
                continue
            self.docs[doc_id] = entry
        for name in present - wanted_files:
            if not name.endswith(LEGACY_WORDS_SUFFIX):  # the words files of earlier versions: no damage
                problems.append(f"stray store file {name} removed")
            (self.store_dir / name).unlink(missing_ok=True)
        self.word_revisions = {k: v for k, v in words.items() if isinstance(v, str)}
        return problems

    def _drop_files(self, doc_id: str, words: dict[str, object]) -> None:
        """Forget a damaged document's files; its words are indexed again when sync re-adds it."""
        (self.store_dir / store_file_name(doc_id)).unlink(missing_ok=True)
        if doc_id in words:
            # Whoosh still holds its postings: no revision matches, so the next
            # sync indexes its words again and replaces them.
            words[doc_id] = ""

    def wipe(self) -> None:
        """Forget everything on disk (the library is the source of truth)."""
        self.close_whoosh()
        for sub in (self.store_dir, self.words_dir, self.incoming_dir, self.segments_dir):
            shutil.rmtree(sub, ignore_errors=True)
        self.meta_path.unlink(missing_ok=True)
        self.docs, self.word_revisions = {}, {}
        self.segments.open = {}

    def indexed(self) -> dict[str, str]:
        """Documents held by the index: ``{doc_id: revision}``."""
        self.open()
        return {d.doc_id: d.revision for d in self.docs.values()}

    def words_pending(self) -> list[str]:
        """Documents whose words are not (or not at their revision) in the word index."""
        self.open()
        return [
            d.doc_id
            for d in self.docs.values()
            if self.word_revisions.get(d.doc_id) != d.revision or d.doc_id in self.words_broken
        ]

    # ------------------------------------------------------------ whoosh
    @staticmethod
    def _schema() -> Whoosh:
        from whoosh.fields import ID, STORED, TEXT, Schema

        from index.analysis import word_analyzer

        return Schema(
            # Stored only: the row → docnum map reads it, no query does (indexed, it cost a term per row).
            key=STORED(),
            doc=ID(),
            body=TEXT(analyzer=word_analyzer(), phrase=False),
            head=TEXT(analyzer=word_analyzer(), phrase=False, field_boost=2.0),
        )

    def open_whoosh(self) -> Whoosh:
        """Open (or create) the word index; a broken one is replaced by an empty one."""
        with self.whoosh_lock:
            if self.ix is not None:
                return self.ix
            from whoosh import index as windex

            try:
                if windex.exists_in(str(self.words_dir)):
                    ix = windex.open_dir(str(self.words_dir))
                    with ix.searcher() as s:
                        s.doc_count()
                    self.ix = ix
                    return ix
                if self.word_revisions:
                    self.problems.append("word index missing")
            except Exception as exc:
                self.problems.append(f"word index unreadable ({type(exc).__name__}: {exc})")
            shutil.rmtree(self.words_dir, ignore_errors=True)
            self.words_dir.mkdir(parents=True, exist_ok=True)
            self.word_revisions = {}
            self.ix = windex.create_in(str(self.words_dir), self._schema())
            return self.ix

    def close_whoosh(self) -> None:
        """Close the word index and its searcher."""
        with self.whoosh_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self.ix is not None:
                self.ix.close()
                self.ix = None

    def whoosh_searcher(self) -> Whoosh:
        """A searcher of the word index, refreshed when a commit made it stale."""
        with self.whoosh_lock:
            ix = self.open_whoosh()
            if self._searcher is None:
                self._searcher = ix.searcher()
            elif not self._searcher.up_to_date():
                self._searcher = self._searcher.refresh()
            return self._searcher

    def write_words(self, docs: list[tuple[DocEntry, list[str]]], remove: Iterable[str] = ()) -> None:
        """Replace the word postings of some documents (with their rows' joined words) in one commit.

        The rows become one new Whoosh segment written by
        :mod:`index.word_segments` (Whoosh's format and statistics, without its
        per-posting writer) and its row postings; replaced and removed
        documents are deleted in the same commit.  A crash before the commit
        leaves the documents' words pending in the manifest: indexed again.
        """
        from index.word_rows import write_word_rows
        from index.word_segments import WordRow, count_rows, write_segment

        ix = self.open_whoosh()
        rows: list[WordRow] = []
        for d, joined in docs:
            kinds = self.segments.kinds(d)
            prefix = d.doc_id + KEY_SEP
            for j, (kind, words) in enumerate(zip(kinds, joined, strict=True)):
                field = "head" if kind in _HEAD_CODES else "body"
                rows.append(WordRow(prefix + str(j), d.doc_id, {field: words}))
        # New files only (the writer lock is held): searches keep scoring meanwhile.  The segment and
        # the same rows' per-word postings beside it (loose matching reads them) come from one counting.
        counts = count_rows(ix.schema, rows) if rows else None
        segment = write_segment(ix, rows, counts=counts) if counts is not None else None
        write_word_rows(self.words_dir, rows, {d.doc_id: d.revision for d, _ in docs},
                        segment.segment_id() if segment is not None else None, remove,
                        counted=counts.row_words(rows) if counts is not None else None)  # fmt: skip
        self._commit_words([d for d, _ in docs], segment, remove)

    def _commit_words(self, entries: list[DocEntry], segment: Whoosh, remove: Iterable[str] = ()) -> None:
        """Commit a written segment (or none) of ``entries``' words; drop their old words and ``remove``'s."""
        from index.word_segments import commit_segments

        remove = list(remove)
        gone = [*remove, *(d.doc_id for d in entries if d.doc_id in self.word_revisions)]
        with self.whoosh_lock:
            commit_segments(self.open_whoosh(), [segment] if segment is not None else [], gone,
                            timeout=self.lock.timeout)  # fmt: skip
        for doc_id in remove:
            self.word_revisions.pop(doc_id, None)
        for d in entries:
            self.word_revisions[d.doc_id] = d.revision
            self.words_broken.discard(d.doc_id)
        self.words_gen += 1

    def _word_job(self, d: DocEntry) -> WordJob:
        """What a word-index worker needs of a document: id, revision, which rows are headings, its rows."""
        heads = bytes(k in _HEAD_CODES for k in self.segments.kinds(d))
        return d.doc_id, d.revision, heads, self.segments.norms(d)

    def _take_incoming(self, segment: Whoosh) -> None:
        """Move a staged segment's files into the word index (they are unreferenced until the commit)."""
        if segment is None:
            return
        from index.word_rows import install_staged_rows

        stem = segment.segment_id() + "."  # Whoosh names its files "<segment id>.<kind>"
        for path in self.incoming_dir.iterdir():
            if path.name.startswith(stem):
                os.replace(path, self.words_dir / path.name)
        # The batch's row postings, written by the worker beside its segment.
        install_staged_rows(self.incoming_dir, self.words_dir, segment.segment_id())

    # ------------------------------------------------------------ writing
    def add(self, doc: IndexDoc, *, words: bool) -> None:
        """Store one document (exact matching at once), then its words if asked."""
        self.open()
        stored = StoredDoc.from_index_doc(doc, self.normalizer)
        with self.lock, self.state_lock:
            self.refresh()
            self._store([stored])
            if words:
                load_jieba(self.cache_dir)
                self.write_words([(self.docs[doc.doc_id], joined_words_of_rows(stored.norms))])
                self.save_meta()

    def _store(self, batch: list[StoredDoc]) -> None:
        """Write store files and one segment for ``batch``, then the manifest; publish."""
        if not batch:
            return
        for d in batch:
            write_store_file(self.store_dir, d)
        seg_id, firsts = self.segments.write(batch)
        for d in batch:
            chars = sum(map(len, d.norms))
            rows, first = len(d.norms), firsts[d.doc_id]
            entry = DocEntry(d.doc_id, d.title, d.symbol, d.revision, rows, seg_id, first, chars)
            self.docs[d.doc_id] = entry
        gone = self.segments.compact(self.docs)
        self.save_meta()
        self.segments.unlink(gone)
        self.publish()

    def index_words(self, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> int:
        """Bring the word index up to date with the store; return documents done.

        Worker processes (:mod:`index.segmenting`) segment the documents in a few
        large batches and write each batch's words files and Whoosh segment
        into :attr:`incoming_dir`; this process moves each finished segment
        into the word index and commits it, then records its documents in the
        manifest.  A crash or cancel loses no committed batch; staged files of
        uncommitted ones are removed by the next word job.
        """
        with self.lock, self.state_lock:
            self.open()
            self.refresh()
            pending = self.words_pending()
            return self._words_alongside(pending, None, len(pending), progress, cancel)

    def _words_alongside(
        self, first: list[str], store: Callable[[Callable[[list[str]], None]], object] | None, total: int,
        progress: ProgressFn | None, cancel: CancelFn | None, exact_ready: Callable[[], None] | None = None,
    ) -> int:  # fmt: skip
        """Index the words of ``first`` and, with ``store``, of what it stores meanwhile; return the count.

        ``store(on_stored)`` stores documents for exact matching and calls
        ``on_stored`` with each stored batch's ids: their words are dealt to
        the workers at once (:class:`~index.segmenting.WordPipeline`), so both
        indexes are built at the same time, and each finished batch is
        committed between two stored ones.  ``exact_ready`` is called when
        ``store`` has returned (exact search is complete; words may follow).
        """
        done = segmented = 0
        if progress is not None:
            progress(0, total)

        def on_doc() -> None:
            nonlocal segmented
            segmented += 1
            if progress is not None:
                # Per document segmented (its postings follow with its batch), as the window counts.
                progress(min(segmented, total), total)

        def commit(finished: Iterable[tuple[list[DocEntry], Whoosh]]) -> None:
            nonlocal done
            for entries, segment in finished:
                with self.state_lock:
                    self._take_incoming(segment)
                    self._commit_words(entries, segment)
                    self.save_meta()
                done += len(entries)

        ix = self.open_whoosh()
        shutil.rmtree(self.incoming_dir, ignore_errors=True)
        target = StagingTarget(self.incoming_dir, ix.schema, ix.indexname)
        pipe = WordPipeline(self._current_word_job, target, self.cache_dir, cancel, on_doc)
        try:
            if store is not None and total >= EAGER_DOCS:
                pipe.prestart()
            commit(pipe.add([d for d in map(self.docs.get, first) if d is not None]))
            if store is not None:
                store(lambda ids: commit(pipe.add([self.docs[i] for i in ids if i in self.docs])))
            if exact_ready is not None and not pipe.cancelled():
                exact_ready()
            commit(pipe.finish())
        finally:
            pipe.close()
            shutil.rmtree(self.incoming_dir, ignore_errors=True)
        if done:
            from index.word_rows import compact

            compact(self.words_dir)  # once for the whole job, not per batch
        if progress is not None:
            progress(done, total)
        return done

    def _current_word_job(self, d: DocEntry) -> WordJob:
        # The document's entry as it is now: a merge of small segments may have moved its rows.
        return self._word_job(self.docs[d.doc_id])

    def remove(self, doc_id: str) -> bool:
        """Drop a document from the index; return whether it was there."""
        self.open()
        with self.lock, self.state_lock:
            self.refresh()
            if doc_id not in self.docs and doc_id not in self.word_revisions:
                return False
            self.docs.pop(doc_id, None)
            self.publish()
            (self.store_dir / store_file_name(doc_id)).unlink(missing_ok=True)
            gone = self.segments.drop_dead(self.docs)
            self.save_meta()
            self.segments.unlink(gone)
            if doc_id in self.word_revisions:
                self.write_words([], remove=[doc_id])
                self.save_meta()
            return True

    def clear(self) -> None:
        """Empty the index (on disk too)."""
        with self.lock, self.state_lock:
            self.wipe()
            self.problems = []
            self.publish()
            self.save_meta()

    def _add_all(
        self, docs: Iterable[tuple[IndexDoc, Callable[[], None]]], cancel: CancelFn | None,
        on_stored: Callable[[list[str]], None] | None = None,
    ) -> bool:  # fmt: skip
        """Store documents in segments of about :data:`SEGMENT_CHARS` (the first after a second).

        Each item's callback runs once the document is read, ``on_stored``
        with the ids of each batch once it is stored (and searchable).
        Returns whether it was cancelled; what was read before is stored either way.
        """
        last = time.perf_counter()
        cancelled = False
        first = True
        batch: list[StoredDoc] = []
        chars = 0
        for doc, after in docs:
            if cancel is not None and cancel():
                cancelled = True
                break
            stored = StoredDoc.from_index_doc(doc, self.normalizer)
            batch.append(stored)
            chars += sum(map(len, stored.norms))
            after()
            # The first batch is published after a second (the library becomes searchable at
            # once); later ones when full, so a bulk job writes few, large segments.
            waited = time.perf_counter() - last
            if chars >= SEGMENT_CHARS or (first and waited > 1.0) or (waited > 10.0 and chars >= _MIN_TIMED):
                with self.state_lock:
                    self.refresh()
                    self._store(batch)
                if on_stored is not None:
                    on_stored([d.doc_id for d in batch])
                batch, chars, last, first = [], 0, time.perf_counter(), False
        with self.state_lock:
            self.refresh()
            self._store(batch)
            self.publish()
        if on_stored is not None and batch:
            on_stored([d.doc_id for d in batch])
        return cancelled

    def sync(
        self,
        wanted: Mapping[str, str],
        load: Callable[[str], IndexDoc],
        *,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        words: bool = True,
        word_progress: ProgressFn | None = None,
        exact_ready: Callable[[BuildReport], None] | None = None,
    ) -> BuildReport:
        """Make the index hold exactly ``wanted`` (``{doc_id: revision}``), loading what changed.

        With ``words``, the word index is built at the same time (see
        :meth:`_words_alongside`); its documents are counted in ``progress``
        after the exact steps, or in ``word_progress`` alone when given.
        ``exact_ready`` is called with the report so far once exact search
        holds every document (not when cancelled before).
        """
        started = time.perf_counter()
        self.open()
        report = BuildReport()
        with self.lock:
            # What to do is decided holding the lock, on the index as it is now.
            self.refresh()
            return self._sync_locked(wanted, load, progress, cancel, words, report, started,
                                     word_progress, exact_ready)  # fmt: skip

    def _sync_locked(
        self,
        wanted: Mapping[str, str],
        load: Callable[[str], IndexDoc],
        progress: ProgressFn | None,
        cancel: CancelFn | None,
        words: bool,
        report: BuildReport,
        started: float,
        word_progress: ProgressFn | None = None,
        exact_ready: Callable[[BuildReport], None] | None = None,
    ) -> BuildReport:
        held = self.indexed()
        stale = [d for d in held if d not in wanted]
        todo = [d for d, rev in wanted.items() if held.get(d) != rev]
        todo_set = set(todo)
        # Documents already awaiting words (an earlier job's), except those about to be replaced.
        first = [d for d in self.words_pending() if d not in todo_set and d in wanted] if words else []
        word_total = len(first) + len(todo)
        exact_total = len(stale) + len(todo)
        total = exact_total + (word_total if word_progress is None else 0)
        done = words_done = 0

        def step() -> None:
            nonlocal done
            done += 1
            if progress is not None:
                progress(done + words_done, total)

        def on_words(d: int, t: int) -> None:
            nonlocal words_done
            if word_progress is not None:
                word_progress(d, t)
            elif progress is not None:
                words_done = d
                progress(done + words_done, total)

        def loaded() -> Iterable[tuple[IndexDoc, Callable[[], None]]]:
            for doc_id in todo:
                if cancel is not None and cancel():
                    report.cancelled = True
                    return
                try:
                    doc = load(doc_id)
                except Exception as exc:
                    report.failed.append(f"{doc_id}: {exc}")
                    continue
                if doc_id in held:
                    report.updated += 1
                else:
                    report.added += 1
                yield doc, step

        for doc_id in stale:
            self.remove(doc_id)
            report.removed += 1
            step()
        ready = None if exact_ready is None else lambda: exact_ready(report)
        if words:
            self._words_alongside(first, lambda on_stored: self._add_all(loaded(), None, on_stored),
                                  word_total, on_words, cancel, ready)  # fmt: skip
            if cancel is not None and cancel() and self.words_pending():
                report.cancelled = True
        else:
            self._add_all(loaded(), None)
            if ready is not None and not report.cancelled:
                ready()
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
        """Throw the index away and index ``docs`` again."""
        started = time.perf_counter()
        report = BuildReport()

        def step() -> None:
            report.added += 1
            if progress is not None:
                progress(report.added, total or report.added)

        def store(on_stored: Callable[[list[str]], None]) -> None:
            report.cancelled = self._add_all(((d, step) for d in docs), cancel, on_stored)

        with self.lock:
            self.clear()
            self._words_alongside([], store, 0, None, cancel)
            report.cancelled = report.cancelled or bool(self.words_pending())
        report.elapsed_s = time.perf_counter() - started
        return report

    # ------------------------------------------------------------ checking
    def check(self, *, repair: bool = True) -> IndexHealth:
        """Verify the index; with ``repair``, drop whatever is broken (``sync`` re-adds it)."""
        health = IndexHealth()
        holder = self._stale_lock_holder()
        with self.lock, self.state_lock:
            self.snapshot = None
            self.close_whoosh()
            self.open()
            problems = list(self.problems)
            if holder:
                problems.append(f"stale writer lock left by {holder}")
            ix = self.open_whoosh()
            problems.extend(p for p in self.problems if p not in problems)
            with ix.searcher() as s:
                word_docs = s.doc_count()
            problems.extend(self._check_store())
            problems.extend(self._check_word_rows())
            held = self.word_revisions
            expected = sum(d.rows for d in self.docs.values() if held.get(d.doc_id) == d.revision)
            if word_docs != expected:
                problems.append(f"word index holds {word_docs} blocks, expected {expected}")
                if repair:
                    self.close_whoosh()
                    shutil.rmtree(self.words_dir, ignore_errors=True)
                    self.word_revisions = {}
                    self.open_whoosh()
                    word_docs = 0
            if repair:
                self.save_meta()
            self.problems = []
            health.ok = not problems
            health.problems = problems
            health.repaired = repair and bool(problems)
            health.documents = len(self.docs)
            health.blocks = sum(d.rows for d in self.docs.values())
            health.words_docs = word_docs
        return health

    def _check_store(self) -> list[str]:
        """Read every segment and store file whole; drop the documents of damaged ones (sync re-adds them)."""
        problems = []
        drop: set[str] = set()
        for seg_id, msg in list(self.segments.verify()):
            problems.append(f"segment {seg_id} unusable: {msg}")
            drop.update(d for d, _ in self.segments.members(seg_id))
            self.segments.forget(seg_id)
        with self._stored_lock:
            self._stored.clear()
        for entry in list(self.docs.values()):
            if entry.doc_id in drop:
                continue
            try:
                self._read_stored(entry)
            except (OSError, StoreCorrupt) as exc:
                problems.append(f"store of {entry.doc_id} unusable: {exc}")
                drop.add(entry.doc_id)
        for doc_id in drop:
            if self.docs.pop(doc_id, None) is not None:
                self._drop_files(doc_id, self.word_revisions)  # type: ignore[arg-type]
        if drop:
            self.save_meta()
            self.publish()
        return problems

    def _check_word_rows(self) -> list[str]:
        """Read every row-postings file whole (loose matching reads them); damaged ones are set aside.

        A document whose newest rows (at its indexed revision) are in no
        readable file is marked broken: the next sync indexes its words again.
        """
        from index.word_rows import list_files, newest, set_aside

        problems: list[str] = []
        files = list_files(self.words_dir, problems)  # unreadable headers are set aside and reported
        bad: set[int] = set()
        for i, f in enumerate(files):
            try:
                f.verify()
            except (OSError, StoreCorrupt) as exc:
                problems.append(f"word rows file {f.path.name} unusable: {exc}")
                set_aside(f.path)
                bad.add(i)
        latest = newest(files)
        for d in self.docs.values():
            if self.word_revisions.get(d.doc_id) != d.revision:
                continue
            at, k = latest.get(d.doc_id, (-1, -1))
            if at < 0 or k < 0 or at in bad or files[at].docs[k][1] != d.revision:
                problems.append(f"words of {d.doc_id} unusable: its row postings are missing or damaged")
                self.words_broken.add(d.doc_id)
        return problems

    def _stale_lock_holder(self) -> str:
        """The holder recorded in a lock file we could take (its writer died mid-write)."""
        holder = self.lock.holder()
        return holder if holder.startswith("pid ") and holder != f"pid {os.getpid()}" else ""
