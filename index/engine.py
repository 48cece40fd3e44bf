"""The search engine's facade: one object over the index lifecycle and query execution.

Exact hits (the block contains every term as typed, after normalisation)
come from the exact-match layer (:mod:`index.exact`) and are always complete;
they are ranked by :mod:`index.ranking`.  Whoosh adds looser matches
(:mod:`index.words_search`), ranked below every exact hit.  What is on disk,
and every write to it, is :mod:`index.lifecycle`'s; this class only wires the
parts together and keeps the public API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from index.executor import QueryExecutor
from index.lifecycle import SCHEMA_VERSION, IndexLifecycle
from index.locking import WriterLock
from index.normalize import Normalizer
from index.notes import NotesIndex
from index.types import (
    BuildReport,
    CancelFn,
    IndexDoc,
    IndexHealth,
    NoteRecord,
    ProgressFn,
    SearchResults,
)
from index.worddict import load_query_words, query_words_loaded
from index.words import Whoosh
from index.words_search import WordMatcher

__all__ = ["SCHEMA_VERSION", "SearchEngine"]


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
        self.life = IndexLifecycle(
            self.index_dir, cache_dir=self.cache_dir, normalizer=self.normalizer, lock_timeout=lock_timeout
        )
        self._words = WordMatcher(self.life)
        self._notes = NotesIndex(self.normalizer)
        self._executor = QueryExecutor(self.life, self._words, self._notes)

    # ------------------------------------------------------------ state
    @property
    def lock(self) -> WriterLock:
        """One writer at a time, across threads and processes."""
        return self.life.lock

    @property
    def store_dir(self) -> Path:
        """Folder of the per-document store files."""
        return self.life.store_dir

    @property
    def words_dir(self) -> Path:
        """Folder of the Whoosh word index."""
        return self.life.words_dir

    @property
    def meta_path(self) -> Path:
        """The index's manifest."""
        return self.life.meta_path

    @property
    def words_ready(self) -> bool:
        """True when query terms can be cut into words (:mod:`index.worddict`) without waiting."""
        return query_words_loaded()

    @property
    def _ix(self) -> Whoosh:
        """The open Whoosh index, or ``None`` (tests check that exact search never opens it)."""
        return self.life.ix

    def open(self) -> None:
        """Load the index from disk (idempotent); problems found are remembered for :meth:`check`."""
        self.life.open()

    def warm_up(self) -> None:
        """Load the store, the query word dictionary and the word index; call from a worker thread."""
        self.life.open()
        load_query_words(self.cache_dir)
        self.life.whoosh_searcher()
        snap = self.life.snapshot
        if snap is not None:
            self._words.row_words(snap)

    def indexed(self) -> dict[str, str]:
        """Documents held by the index: ``{doc_id: revision}``."""
        return self.life.indexed()

    def words_pending(self) -> list[str]:
        """Documents whose words are not (or not at their revision) in the word index."""
        return self.life.words_pending()

    # ------------------------------------------------------------ writing
    def add_document(self, doc: IndexDoc, *, words: bool = True) -> None:
        """Add a document or replace its indexed revision.

        The exact store is written and published first, so the document is
        searchable as soon as this returns (or even before word indexing
        finishes, when ``words`` is false and :meth:`index_words` runs later).
        """
        self.life.add(doc, words=words)

    def index_words(self, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> int:
        """Bring the word index up to date with the store; return documents done."""
        return self.life.index_words(progress=progress, cancel=cancel)

    def remove_document(self, doc_id: str) -> bool:
        """Drop a document from the index; return whether it was there."""
        return self.life.remove(doc_id)

    def clear(self) -> None:
        """Empty the index (on disk too)."""
        self.life.clear()

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

        Exact matching of each document is available as soon as its segment
        is written; with ``words``, worker processes index the words of the
        documents stored so far at the same time, in batches.  ``progress``
        counts the exact steps, then the word documents unless
        ``word_progress`` is given for them; ``exact_ready`` is called with the
        report so far once exact search holds every document (words may still
        follow).
        Cancelling keeps every document finished so far; a later sync
        continues.  A document whose loader raises is skipped and reported in
        ``failed``.
        """
        return self.life.sync(wanted, load, progress=progress, cancel=cancel, words=words,
                              word_progress=word_progress, exact_ready=exact_ready)  # fmt: skip

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
        return self.life.rebuild(docs, total=total, progress=progress, cancel=cancel)

    def check(self, *, repair: bool = True) -> IndexHealth:
        """Verify the index; with ``repair``, drop whatever is broken (``sync`` re-adds it).

        Problems found: unreadable or foreign manifest, schema or normaliser
        change, corrupt or missing store files, an unreadable word index, a word
        index whose size disagrees with the store, a stale writer lock.
        """
        return self.life.check(repair=repair)

    def close(self) -> None:
        """Release open files (the engine reopens on next use)."""
        self.life.close_whoosh()

    # ------------------------------------------------------------ notes
    def set_notes(self, notes: Iterable[NoteRecord]) -> None:
        """Replace the annotation notes searchable with ``in:notes``."""
        self._notes.set(notes)

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
        return self._executor.search(query, limit=limit, offset=offset, doc=doc, words=words)
