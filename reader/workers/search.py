"""The search service used by the window: one engine, warmed up and synced in workers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from index.types import BuildReport, NoteRecord, SearchResults
from reader.core.library import Library
from reader.workers.jobs import Job, JobContext

if TYPE_CHECKING:
    from index import SearchEngine
    from reader.core.searching import LibrarySearch

RESULT_LIMIT = 200


class SearchService:
    """Owns the library's :class:`LibrarySearch`; hands out jobs for warm-up, sync and queries.

    The index is the same one the command line keeps (same document conversion and
    revision keys), so neither re-indexes what the other has done.
    """

    def __init__(self, library: Library) -> None:
        self.library = library
        self._index: LibrarySearch | None = None
        self._made = threading.Lock()

    @property
    def index(self) -> LibrarySearch:
        """The library's search, made on first use (by the warm-up worker, after the first paint)."""
        with self._made:
            if self._index is None:
                # Imported here: the engine and numpy cost start-up time the window need not wait for.
                from reader.core.searching import LibrarySearch

                self._index = LibrarySearch(self.library)
            return self._index

    @property
    def engine(self) -> SearchEngine:
        """The index's engine (see :attr:`index`)."""
        return self.index.engine

    def sync_job(self, *, words: bool) -> Job[str]:
        """Bring the exact store in line with the library and, with ``words``, index its words meanwhile.

        The job says ``stage("exact", failures)`` once exact search holds every
        document (the words may still be under way); the word documents are
        counted in ``part_progress("words", …)``.  Returns the documents that
        could not be indexed, one line.
        """

        def run(ctx: JobContext) -> str:
            self.engine.open()

            def ready(report: BuildReport) -> None:
                ctx.stage("exact", "; ".join(report.failed))

            def word_progress(done: int, total: int) -> None:
                ctx.part_progress("words", done, total)

            report = self.index.sync(progress=ctx.progress, cancel=ctx.cancelled, words=words,
                                     word_progress=word_progress, exact_ready=ready)  # fmt: skip
            if words and not ctx.cancelled():
                self.engine.warm_up()
            return "; ".join(report.failed)

        return Job(run, name="index")

    def search_job(
        self,
        query: str,
        scope: str,
        doc_id: str | None,
        notes: Callable[[], list[NoteRecord]],
        limit: int = RESULT_LIMIT,
    ) -> Job[SearchResults]:
        """A query in ``scope`` (``doc``, ``library`` or ``notes``), its first ``limit`` results."""

        def run(_ctx: JobContext) -> SearchResults:
            if scope == "notes":
                self.engine.set_notes(notes())
                results = self.engine.search(f"in:notes {query}", limit=limit)
                results.query = query
                return results
            return self.engine.search(query, limit=limit, doc=doc_id if scope == "doc" else None)

        return Job(run, name="search")
