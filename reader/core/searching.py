"""Search over a library: keeps the index (a cache) in step with the library's documents.

``index/`` knows nothing about documents on disk; this module converts a parsed
:class:`~reader.core.model.Document` into the index's input and decides what
to (re)index.  A search on a library whose index is stale syncs first, so
``briefing-reader import X`` followed by ``briefing-reader search Y`` needs no
extra step.  The GUI runs :meth:`LibrarySearch.sync` in a worker instead and
searches with ``sync=False``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from index import (
    BuildReport,
    CancelFn,
    IndexBlock,
    IndexDoc,
    IndexHealth,
    NoteRecord,
    ProgressFn,
    SearchEngine,
    SearchResults,
)
from reader.core.library import DocumentRecord, Library
from reader.core.model import Block, BlockKind, Document

NotesProvider = Callable[[], Iterable[NoteRecord]]
"""Returns every annotation note of the library, for ``in:notes``."""


def index_revision(record: DocumentRecord) -> str:
    """What the index remembers of a record: its revision plus title and symbol (they can be edited)."""
    extra = hashlib.sha1(f"{record.title}\x1f{record.symbol or ''}".encode()).hexdigest()[:8]
    return f"{record.current}:{extra}"


def block_text(document: Document, block_id: str) -> str:
    """The searchable text of a block (a table's cells when it has no text of its own)."""
    block = document.block(block_id)
    if block.text or not block.cells:
        return block.text
    return "\n".join("\t".join(row) for row in block.cells)


def _run_in_body(document: Document, heading: Block, nxt: Block | None) -> Block | None:
    """The paragraph that continues ``heading`` on the same source line (``第十条 紫荆花…``), if any."""
    if nxt is None or nxt.kind is not BlockKind.PARAGRAPH or nxt.parent != heading.id:
        return None
    if not heading.spans or not nxt.spans:
        return None
    gap = document.source[heading.spans[-1][1] : nxt.spans[0][0]]
    return nxt if "\n" not in gap else None


def passages(document: Document) -> list[IndexBlock]:
    """The document's blocks as search passages.

    A heading and the run-in text after its label on the same line (an article's
    ``第十条`` and ``紫荆花…``, ``（一）指导思想。`` and its paragraph) are one passage, so AND
    terms and phrases may span the label; the passage keeps the heading's id, so a hit
    points at the article.
    """
    out: list[IndexBlock] = []
    blocks = document.blocks
    skip = False
    for k, b in enumerate(blocks):
        if skip:
            skip = False
            continue
        text = block_text(document, b.id)
        if b.kind is BlockKind.HEADING:
            body = _run_in_body(document, b, blocks[k + 1] if k + 1 < len(blocks) else None)
            if body is not None:
                text = f"{text} {body.text}"
                skip = True
        out.append(
            IndexBlock(
                block_id=b.id,
                kind=b.kind.value if isinstance(b.kind, BlockKind) else str(b.kind),
                # An article heading's number is its value for aligning languages, not a ¶ number.
                number=b.number if b.kind is not BlockKind.HEADING else None,
                text=text,
                path=tuple(document.path(b.id)),
            )
        )
    return out


def to_index_doc(
    document: Document, *, title: str | None = None, symbol: str | None = None, revision: str | None = None
) -> IndexDoc:
    """Convert a parsed document into the index's input (heading paths included)."""
    return IndexDoc(
        doc_id=document.id,
        title=title if title is not None else document.title,
        symbol=symbol if symbol is not None else document.symbol,
        revision=revision if revision is not None else document.source_hash,
        blocks=tuple(passages(document)),
    )


class LibrarySearch:
    """The library's search index: sync, search, rebuild, check.

    Args:
        library: The library (``reader.core.library.Library``).
        fold_traditional: Fold Traditional Chinese to Simplified when matching.
        notes: Optional provider of annotation notes for ``in:notes``.
    """

    def __init__(
        self, library: Library, *, fold_traditional: bool = True, notes: NotesProvider | None = None
    ) -> None:
        self.library = library
        self.engine = SearchEngine(
            library.index_dir, cache_dir=library.cache_dir, fold_traditional=fold_traditional
        )
        self._notes = notes

    def wanted(self) -> dict[str, str]:
        """What the index should hold: ``{doc_id: index revision}`` of the library's current documents."""
        return {rec.id: index_revision(rec) for rec in self.library.documents()}

    def is_stale(self) -> bool:
        """True when the index does not hold exactly the library's current documents."""
        return self.engine.indexed() != self.wanted() or bool(self.engine.words_pending())

    def _load(self, records: dict[str, DocumentRecord]) -> Callable[[str], IndexDoc]:
        def load(doc_id: str) -> IndexDoc:
            rec = records[doc_id]
            document = self.library.load(doc_id)
            return to_index_doc(document, title=rec.title, symbol=rec.symbol, revision=index_revision(rec))

        return load

    def sync(
        self,
        *,
        progress: ProgressFn | None = None,
        cancel: CancelFn | None = None,
        words: bool = True,
        word_progress: ProgressFn | None = None,
        exact_ready: Callable[[BuildReport], None] | None = None,
    ) -> BuildReport:
        """Add, update and remove documents so the index matches the library (as ``SearchEngine.sync``)."""
        records = {rec.id: rec for rec in self.library.documents()}
        wanted = {doc_id: index_revision(rec) for doc_id, rec in records.items()}
        return self.engine.sync(wanted, self._load(records), progress=progress, cancel=cancel, words=words,
                                word_progress=word_progress, exact_ready=exact_ready)  # fmt: skip

    def rebuild(self, *, progress: ProgressFn | None = None, cancel: CancelFn | None = None) -> BuildReport:
        """Throw the index away and index the whole library again."""
        self.engine.clear()
        return self.sync(progress=progress, cancel=cancel)

    def check(self, *, repair: bool = True, progress: ProgressFn | None = None) -> IndexHealth:
        """Check the index; with ``repair``, fix what is broken and re-sync from the library."""
        health = self.engine.check(repair=repair)
        if repair:
            stale = self.is_stale()
            if stale:
                if health.ok:
                    health.problems.append("index out of date with the library")
                    health.ok = False
                self.sync(progress=progress)
                health.repaired = True
            health.documents = len(self.engine.indexed())
            recheck = self.engine.check(repair=False)
            health.blocks, health.words_docs = recheck.blocks, recheck.words_docs
        return health

    def refresh_notes(self) -> None:
        """Re-read annotation notes from the provider (after notes changed)."""
        if self._notes is not None:
            self.engine.set_notes(self._notes())

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        offset: int = 0,
        doc: str | None = None,
        sync: bool = True,
        words: bool | None = True,
    ) -> SearchResults:
        """Search the library, syncing a stale index first when ``sync`` is true."""
        if sync and self.is_stale():
            self.sync(words=words is not False)
        if self._notes is not None and "in:notes" in query.lower():
            self.refresh_notes()
        results = self.engine.search(query, limit=limit, offset=offset, doc=doc, words=words)
        unread = unreadable_notice(self.library)
        if unread:
            results.notice = f"{results.notice}; {unread}" if results.notice else unread
        return results

    def document_changed(self, document: Document, record: DocumentRecord | None = None) -> None:
        """Index one document now (after an import or a rename), without a full sync."""
        if record is not None:
            rev = index_revision(record)
            doc = to_index_doc(document, title=record.title, symbol=record.symbol, revision=rev)
        else:
            doc = to_index_doc(document)
        self.engine.add_document(doc)

    def document_removed(self, doc_id: str) -> None:
        """Drop one document from the index."""
        self.engine.remove_document(doc_id)


def unreadable_notice(library: Library) -> str:
    """One line saying which documents could not be read (so are not searched), or ``""``."""
    problems = library.problems
    if not problems:
        return ""
    names = ", ".join(p.folder.name for p in problems[:3]) + (" ..." if len(problems) > 3 else "")
    count = f"{len(problems)} document" + ("s" if len(problems) > 1 else "")
    return f"{count} could not be read and {'were' if len(problems) > 1 else 'was'} not searched ({names})"


def library_notes(library: object) -> NotesProvider:
    """A provider reading every note of the library from the annotation files (no lock taken)."""

    def provide() -> Iterable[NoteRecord]:
        from reader.core.annotations import AnnotationStore

        store = AnnotationStore(library, lock=False)  # type: ignore[arg-type]
        return [NoteRecord(n.doc_id, n.note_id, n.block_id, n.text) for n in store.iter_note_texts()]

    return provide
