"""Paragraph-by-paragraph alignment of language versions (Qt-free).

``align(doc_a, doc_b)`` returns an :class:`Alignment`: pairs of block ids in
document order, each with the method that made it and a confidence.
"""

from reader.core.align.structure import LOW_CONFIDENCE, Alignment, Pair, align

__all__ = ["LOW_CONFIDENCE", "Alignment", "Pair", "align"]
