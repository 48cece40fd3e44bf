"""Plain data exchanged with the search engine: what goes in, what comes out.

Nothing here knows about the reader's document model; ``reader.core.searching``
converts a ``Document`` into an :class:`IndexDoc`.  All offsets are Python code
points; the UI converts to UTF-16 units at its boundary.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field

# Every ``index`` module imports this one first (through ``index/__init__``), so this runs before
# numpy is imported.  numpy's OpenBLAS starts a thread per core on import; search does no linear
# algebra, and on a busy 2-core machine that start made numpy's import 100–170 ms slower (a
# third of a cold start).  An explicit setting of the variable is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ProgressFn = Callable[[int, int], None]
"""``progress(done, total)``: called from the thread doing the work."""

CancelFn = Callable[[], bool]
"""Returns true when the caller wants the work to stop (``threading.Event().is_set`` fits)."""

TITLE_BLOCK = ""
"""Block id of the pseudo-block that holds a document's title (hits of ``in:title``)."""


@dataclass(frozen=True, slots=True)
class IndexBlock:
    """One searchable block of a document.

    Attributes:
        block_id: Stable id within the document (``p37``, ``h3.2``, ``fn1``).
        kind: Block kind as a string (``paragraph``, ``heading``, ``footnote``...).
        number: Official number as written (``"37"``), or ``None``.
        text: The block's display text; hits and spans refer to it.
        path: Heading titles from the top of the document down to the block.
    """

    block_id: str
    kind: str
    number: str | None
    text: str
    path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexDoc:
    """A document as the index sees it: identity, revision and its blocks in order."""

    doc_id: str
    title: str
    symbol: str | None
    revision: str
    blocks: tuple[IndexBlock, ...] = ()


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """An annotation's note text, searchable with ``in:notes``."""

    doc_id: str
    note_id: str
    block_id: str
    text: str


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One matching block (or note) with a highlighted snippet.

    Attributes:
        doc_id: Document id.
        block_id: Block id (``""`` for a document-title hit).
        number: Official paragraph number, or ``None``.
        path: Heading titles down to the block.
        kind: Block kind (``paragraph``, ``heading``, ``title``, ``note``...).
        snippet: A window of the original block text (or note text).
        spans: Highlights as ``(start, end)`` code points into ``snippet``.
        block_spans: The same highlights as code points into the whole block
            text, for highlighting in the reading view.
        score: Ranking score; higher is better.  Only comparable within one search.
        exact: True when the block contains the query exactly (after
            normalisation); false for looser word matches, which rank below.
        note_id: For ``in:notes`` hits, the note's id.
        doc_title: The document's title, for display.
        symbol: The document's symbol (``A/75/563``), if any.
    """

    doc_id: str
    block_id: str
    number: str | None
    path: tuple[str, ...]
    kind: str
    snippet: str
    spans: tuple[tuple[int, int], ...]
    block_spans: tuple[tuple[int, int], ...]
    score: float
    exact: bool = True
    note_id: str | None = None
    doc_title: str = ""
    symbol: str | None = None

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON shape of a hit (contract keys first, extras after)."""
        out: dict[str, object] = {
            "doc": self.doc_id,
            "block": self.block_id,
            "number": self.number,
            "path": list(self.path),
            "snippet": self.snippet,
            "spans": [list(s) for s in self.spans],
            "score": round(self.score, 4),
            "kind": self.kind,
            "exact": self.exact,
        }
        if self.note_id is not None:
            out["note"] = self.note_id
        return out


@dataclass(slots=True)
class SearchResults:
    """A page of hits, the exact total, and how the query was understood.

    Attributes:
        query: The query as typed.
        total: Number of hits in all pages (exact plus looser word matches).
        exact_total: How many of them contain the query exactly.
        hits: This page, best first.
        offset: Index of the first hit of this page in the full ranking.
        limit: Page size asked for.
        elapsed_ms: Wall time of the search.
        partial: True when word matching was skipped because jieba had not
            loaded yet (exact hits are complete; looser ones may follow).
        notice: A one-line remark for the user (e.g. a malformed query was
            searched as plain text), or ``""``.
    """

    query: str
    total: int = 0
    exact_total: int = 0
    hits: list[SearchHit] = field(default_factory=list)
    offset: int = 0
    limit: int = 20
    elapsed_ms: float = 0.0
    partial: bool = False
    notice: str = ""

    def to_json(self) -> dict[str, object]:
        """The CLI's JSON shape: ``{"query", "total", "elapsed_ms", "hits", ...}``."""
        return {
            "query": self.query,
            "total": self.total,
            "elapsed_ms": round(self.elapsed_ms, 2),
            "hits": [h.to_json() for h in self.hits],
            "exact_total": self.exact_total,
            "offset": self.offset,
            "partial": self.partial,
            "notice": self.notice,
        }


@dataclass(slots=True)
class IndexHealth:
    """What :meth:`SearchEngine.check` found.

    Attributes:
        ok: True when the index was usable as found (no repair needed).
        problems: One line per problem found (corrupt store, stale lock...).
        repaired: True when the check rebuilt or repaired something.
        documents: Documents indexed after the check.
        blocks: Blocks held by the exact-match store.
        words_docs: Blocks held by the Whoosh word index.
    """

    ok: bool = True
    problems: list[str] = field(default_factory=list)
    repaired: bool = False
    documents: int = 0
    blocks: int = 0
    words_docs: int = 0

    def to_json(self) -> dict[str, object]:
        """JSON shape for ``index check --json``."""
        return {
            "ok": self.ok,
            "problems": list(self.problems),
            "repaired": self.repaired,
            "documents": self.documents,
            "blocks": self.blocks,
            "words_docs": self.words_docs,
        }


@dataclass(slots=True)
class BuildReport:
    """Outcome of a bulk (re)build or a sync."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    cancelled: bool = False
    elapsed_s: float = 0.0
    failed: list[str] = field(default_factory=list)
