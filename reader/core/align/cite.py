"""Citing a paragraph in another language version: ``A/75/563，第 37 段`` / ``A/75/563, para. 37``."""

from __future__ import annotations

from reader.core.align.structure import Alignment
from reader.core.annotations.export import Citer, citation
from reader.core.model import Document


def counterpart_citation(other: Document, alignment: Alignment, block_id: str) -> str:
    """How the other version cites the counterpart of ``block_id`` (side A of ``alignment``), or ``""``."""
    ids = alignment.counterpart("a", block_id)
    return citation(other, ids[0]) if ids else ""


def bilingual_citer(other: Document, alignment: Alignment) -> Citer:
    """An export citer giving each citation in the document's language and in ``other``'s.

    ``alignment`` aligns the exported document (side A) with ``other`` (side B).
    """

    def cite(document: Document, block_id: str, ref: str) -> str:
        own = citation(document, block_id, ref)
        theirs = counterpart_citation(other, alignment, block_id)
        return f"{own} / {theirs}" if theirs and theirs != own else own

    return cite
