"""Quote a passage with its citation, ready to paste into a statement.

``“…”（A/75/563，第37段）`` in a Chinese document, ``"…" (A/75/563, para. 37)``
in any other; in a law or treaty the article is cited (``第十条``,
``Article 10``), in a resolution a preambular paragraph by its count
(``序言部分第3段``).  The document is named by its symbol, else by its title
(``《…》`` in Chinese).  Qt-free: the reading view's "Copy with citation" and
exporters share it.
"""

from __future__ import annotations

from reader.core.goto import enclosing_article, preambular_paragraphs
from reader.core.model import BlockKind, Document


def _chinese(document: Document) -> bool:
    return document.language.lower().startswith("zh")


def place(document: Document, block_id: str) -> str:
    """Where a block is, as cited: ``第37段`` / ``para. 37``, ``第十条`` / ``Article 10``, or a heading."""
    zh = _chinese(document)
    block = document.get_block(block_id)
    if block is None:
        return ""
    if block.kind is BlockKind.PARAGRAPH and block.number:
        return f"第{block.number}段" if zh else f"para. {block.number}"
    if block.kind is BlockKind.FOOTNOTE and block.number:
        return f"脚注{block.number}" if zh else f"footnote {block.number}"
    if block.kind is BlockKind.PARAGRAPH:
        # A resolution's preambular paragraphs have no numbers: they are cited by their count.
        preamble = [b.id for b in preambular_paragraphs(document)]
        if block_id in preamble:
            n = preamble.index(block_id) + 1
            return f"序言部分第{n}段" if zh else f"preambular para. {n}"
    article = enclosing_article(document, block_id)
    if article is not None and article.label:
        return article.label.strip()
    path = document.label_path(block_id)
    return path[-1].display if path else ""


def document_name(document: Document) -> str:
    """The symbol, else the title (``《…》`` in a Chinese document)."""
    if document.symbol:
        return document.symbol
    title = document.title or document.id
    return f"《{title}》" if _chinese(document) and not title.startswith("《") else title


def cite(document: Document, block_id: str) -> str:
    """The citation alone: ``A/75/563，第37段``, ``《…》第十条``, ``A/75/563, para. 37``."""
    name, where = document_name(document), place(document, block_id)
    if not where:
        return name
    if _chinese(document):
        # 《标题》第十条 reads as one phrase; a symbol takes a comma.
        return f"{name}{where}" if name.endswith("》") else f"{name}，{where}"
    return f"{name}, {where}"


def quote_with_citation(document: Document, block_id: str, quote: str) -> str:
    """``“quote”（citation）`` or ``"quote" (citation)``, the quote's line breaks folded to spaces."""
    text = " ".join(quote.split())
    if _chinese(document):
        return f"“{text}”（{cite(document, block_id)}）"
    return f'"{text}" ({cite(document, block_id)})'
