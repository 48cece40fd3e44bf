"""The search service used by the window: one engine, warmed up and synced in workers."""

from __future__ import annotations

from collections.abc import Callable

from index.engine import SearchEngine
from index.types import IndexBlock, IndexDoc, NoteRecord, SearchResults
from reader.core.library import Library
from reader.core.model import Document
from reader.workers.jobs import Job, JobContext

RESULT_LIMIT = 200


def index_doc(doc: Document) -> IndexDoc:
    """The search engine's view of a parsed document."""
    blocks = tuple(
        IndexBlock(b.id, b.kind.value, b.number, b.text, tuple(doc.path(b.id)))
        for b in doc.blocks
        if b.text.strip()
    )
    return IndexDoc(doc.id, doc.title, doc.symbol, doc.source_hash, blocks)


class SearchService:
    """Owns the library's :class:`SearchEngine`; hands out jobs for warm-up, sync and queries."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.engine = SearchEngine(library.index_dir, cache_dir=library.cache_dir)

    def sync_job(self, *, words: bool) -> Job[str]:
        """Bring the index in line with the library (exact store first; words when ``words``)."""

        def run(ctx: JobContext) -> str:
            self.engine.open()
            wanted = {r.id: r.current for r in self.library.documents()}
            report = self.engine.sync(
                wanted,
                lambda doc_id: index_doc(self.library.load(doc_id)),
                progress=ctx.progress,
                cancel=ctx.cancelled,
                words=False,
            )
            if words:
                self.engine.index_words(progress=ctx.progress, cancel=ctx.cancelled)
                self.engine.warm_up()
            return "; ".join(report.failed)

        return Job(run, name="index")

    def search_job(
        self, query: str, scope: str, doc_id: str | None, notes: Callable[[], list[NoteRecord]]
    ) -> Job[SearchResults]:
        """A query in ``scope`` (``doc``, ``library`` or ``notes``)."""

        def run(_ctx: JobContext) -> SearchResults:
            if scope == "notes":
                self.engine.set_notes(notes())
                results = self.engine.search(f"in:notes {query}", limit=RESULT_LIMIT)
                results.query = query
                return results
            return self.engine.search(query, limit=RESULT_LIMIT, doc=doc_id if scope == "doc" else None)

        return Job(run, name="search")
