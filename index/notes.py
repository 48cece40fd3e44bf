"""Annotation notes searchable with ``in:notes``: a small in-memory list fed by the annotation store."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from index.normalize import Normalizer
from index.snippets import snippet
from index.store import Snapshot, StoreCorrupt
from index.types import NoteRecord, SearchHit, SearchResults


class NotesIndex:
    """The notes with their normalised text."""

    def __init__(self, normalizer: Normalizer) -> None:
        self.normalizer = normalizer
        self._notes: list[tuple[NoteRecord, str]] = []

    def set(self, notes: Iterable[NoteRecord]) -> None:
        """Replace the notes."""
        norm = self.normalizer.normalize
        self._notes = [(n, norm(n.text)) for n in notes if n.text.strip()]

    def search(
        self,
        snap: Snapshot,
        groups: list[list[str]],
        excluded: list[str],
        doc_idx: list[int] | None,
        results: SearchResults,
    ) -> None:
        """Fill ``results`` with the notes containing every group and none of ``excluded``."""
        if not groups:
            return
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
            results.hits.append(self._hit(snap, rec, n, positives))

    def _hit(self, snap: Snapshot, rec: NoteRecord, norm: str, positives: list[str]) -> SearchHit:
        text, spans, block_spans = snippet(self.normalizer, rec.text, positives)
        number: str | None = None
        path: tuple[str, ...] = ()
        di = snap.by_id.get(rec.doc_id)
        if di is not None:
            with contextlib.suppress(ValueError, StoreCorrupt):
                d = snap.stored(snap.docs[di])
                j = d.block_ids.index(rec.block_id)
                number, path = d.numbers[j], d.paths[j]
        return SearchHit(
            doc_id=rec.doc_id,
            block_id=rec.block_id,
            number=number,
            path=path,
            kind="note",
            snippet=text,
            spans=spans,
            block_spans=block_spans,
            score=float(sum(norm.count(t) for t in positives)),
            note_id=rec.note_id,
        )
