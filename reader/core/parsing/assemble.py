"""Assemble blocks from classified units: the walk that emits headings, paragraphs, notes, tables."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from reader.core.model import Block, BlockKind, Document, LineHint, Span
from reader.core.parsing.classify import (
    _Classifier,
    _mark_kicker,
    _mark_markdown,
    _mark_rule_notes,
    _mark_toc,
)
from reader.core.parsing.metadata import (
    _CORRIGENDUM,
    _end_of_front_matter,
    _find_symbol,
    _find_title,
    _footnote_id,
    _leading_titles,
    _link_footnotes,
    _mark_closing_lines,
    detect_language,
)
from reader.core.parsing.numerals import _CN_NUM, cn_to_int, roman_to_int
from reader.core.parsing.runs import (
    _find_numbered_sequence,
    corrigendum_items,
    resolve_runs,
    unnumbered_subheadings,
)
from reader.core.parsing.schemes import _CAPTION_TAIL, LEAF_FAMILIES, _Cand
from reader.core.parsing.text import (
    _MD_HEADING,
    _heading_shaped,
    _join,
    _strip_md,
    _table_cells,
    clean_inline,
)
from reader.core.parsing.tree import _Builder
from reader.core.parsing.units import (
    _blank_separated,
    _is_continuation,
    _merge_groups,
    _merge_indented,
    _split_units,
    _Unit,
    split_run_on,
)

_ITEM_FAMILIES = frozenset(
    {"paren-cn", "paren-num", "cn-dun", "cn-dot", "num", "num-full", "paren-latin", "letter", "letter-nodot"}
    | {f"decimal{d}" for d in range(1, 4)}
)


def parse_text(
    text: str,
    *,
    doc_id: str = "",
    source_name: str = "",
    source_hash: str = "",
    hints: Mapping[int, LineHint] | None = None,
    title: str | None = None,
    symbol: str | None = None,
) -> Document:
    r"""Parse decoded text (line ends ``\n``) into a Document.

    Args:
        text: The decoded source.
        doc_id: Library id of the document (empty for an ad-hoc parse).
        source_name: File name, used for the title when none is found.
        source_hash: Hash of the original file (the revision).
        hints: Structure known from a richer format, keyed by line index.
        title: Title known from the file's properties.
        symbol: Document symbol known from the file.

    Returns:
        The document.  Never raises for any ``str``.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    units = split_run_on(_split_units(text, hints or {}))
    markdown = (
        source_name.lower().endswith((".md", ".markdown"))
        or sum(1 for u in units[:400] if _MD_HEADING.match(u.text)) >= 2
    )
    star_refs = bool(re.search(r"[^\s*]\*(?!\*)", text[:20000]))
    cls = _Classifier(markdown, star_refs)
    units = _merge_groups(units, cls) if _blank_separated(units) else _merge_indented(units, cls)
    cands = [cls.classify(u) for u in units]
    if markdown:
        _mark_markdown(units, cands)
    _mark_rule_notes(units, cands)
    _mark_toc(units, cands)
    _mark_kicker(units, cands)
    resolve_runs(cands)
    unnumbered_subheadings(units, cands)
    walk = _Walk(text, units, cands, markdown)
    walk.run()
    b = walk.b
    _mark_closing_lines(b.blocks)
    _link_footnotes(b.blocks)
    blocks = sorted(b.blocks, key=lambda blk: blk.spans[0][0] if blk.spans else 0)
    return Document(
        id=doc_id,
        title=title or _find_title(blocks, b.roots, text, source_name),
        source=text,
        blocks=blocks,
        tree=b.roots,
        symbol=symbol or _find_symbol(blocks, source_name),
        language=detect_language(text),
        source_hash=source_hash,
        source_name=source_name,
    )


class _Walk:
    """One pass over the classified units, emitting blocks and opening headings."""

    def __init__(self, text: str, units: list[_Unit], cands: list[_Cand], markdown: bool) -> None:
        self.text, self.units, self.cands, self.markdown = text, units, cands, markdown
        corrigendum = any(_CORRIGENDUM.match(u.text) for u in units[:40])
        self.official = corrigendum_items(cands) if corrigendum else _find_numbered_sequence(cands)
        self.legal = (
            sum(1 for c in cands if c.family in LEAF_FAMILIES) >= 2
        )  # 款 numbers are not paragraph numbers
        self.has_structure = (
            any(c.kind == "heading" for c in cands)
            or bool(self.official)
            or any(c.kind == "numbered" and c.rank for c in cands)
        )
        first = next(
            (
                i
                for i, c in enumerate(cands)
                if c.kind == "heading" or i in self.official or (c.kind == "numbered" and c.rank)
            ),
            len(units),
        )
        if not self.has_structure:
            first = _leading_titles(units, cands)
        self.first_struct = _end_of_front_matter(units, cands, first)
        self.b = _Builder(text)
        self.consumed: set[int] = set()
        self.pending: Block | None = None  # last paragraph that may continue after a page break

    def emit_para(self, u: _Unit, number: str | None, body: str, kind: BlockKind) -> Block:
        """Add a paragraph, text or front-matter block (``p<number>`` ids for numbered paragraphs)."""
        b = self.b
        prefix = {BlockKind.PARAGRAPH: "t", BlockKind.TEXT: "t", BlockKind.FRONT_MATTER: "fm"}[kind]
        if number is not None and kind is BlockKind.PARAGRAPH and re.fullmatch(r"[\w.\-]+", number):
            bid = b.unique(f"p{number}")
        else:
            bid = b.next_id(prefix)
        text = clean_inline(_strip_md(body) if self.markdown else body)
        return b.add(Block(id=bid, kind=kind, text=text, spans=tuple(u.spans), number=number))

    def _simple(self, u: _Unit, prefix: str, kind: BlockKind) -> None:
        self.b.add(Block(id=self.b.next_id(prefix), kind=kind, text=u.text, spans=tuple(u.spans)))

    def run(self) -> None:
        """Walk every unit once."""
        i, n = 0, len(self.units)
        while i < n:
            i = i + 1 if i in self.consumed else self.step(i)

    def step(self, i: int) -> int:
        """Handle unit ``i``; return the index of the next unit to handle."""
        u, c = self.units[i], self.cands[i]
        # A paragraph cut by a page break continues here: skip artefacts and
        # footnotes that the page break put in between.
        pending = self.pending
        if pending is not None and _is_continuation(pending.text, u, c):
            pending.text = _join(pending.text, clean_inline(u.text))
            pending.spans = (*pending.spans, *u.spans)
            return i + 1
        if c.kind not in ("artifact", "footnote", "rule"):
            self.pending = None
        if c.kind != "heading" and c.value is not None and self.b.in_article():
            self.b.leaf_items.add(c.family)  # numbering used inside this leaf: its items
        if c.kind in ("toc", "yaml"):
            self._simple(u, "fm", BlockKind.FRONT_MATTER)
        elif c.kind == "footnote":
            bid = self.b.unique(_footnote_id(c.marker)) if c.marker else self.b.next_id("fn")
            note = Block(id=bid, kind=BlockKind.FOOTNOTE, text=clean_inline(c.body), spans=tuple(u.spans))
            note.number = c.marker or None
            self.b.add(note)
        elif c.kind in ("rule", "code") or (c.kind == "artifact" and self.has_structure):
            self._simple(u, "t", BlockKind.TEXT)
        elif c.kind == "row" and i >= self.first_struct:
            return self.rows(i)
        elif c.kind == "table":
            cells = [list(r) for r in (u.hint.cells or ())] if u.hint else None
            self.b.add(
                Block(
                    id=self.b.next_id("tbl"),
                    kind=BlockKind.TABLE,
                    text=u.text,
                    spans=tuple(u.spans),
                    cells=cells,
                )
            )
        elif c.kind == "figure":
            self.figure(i)
        elif i < self.first_struct:
            m = _MD_HEADING.match(u.text)
            self.emit_para(u, None, m.group(2) if m else u.text, BlockKind.FRONT_MATTER)
        elif c.kind == "heading":
            return self.heading(i)
        elif c.kind == "numbered":
            return self.numbered(i)
        else:  # plain text, or an artefact in a document without structure
            self.pending = self.emit_para(u, None, u.text, BlockKind.PARAGRAPH)
        return i + 1

    def rows(self, i: int) -> int:
        """Consecutive table rows written as lines become one table."""
        rows: list[list[str]] = []
        spans: list[Span] = []
        texts: list[str] = []
        j = i
        while j < len(self.units) and self.cands[j].kind == "row":
            rows.append(_table_cells(self.units[j].text) or [self.units[j].text])
            spans.extend(self.units[j].spans)
            texts.append(self.units[j].text)
            j += 1
        block = Block(
            id=self.b.next_id("tbl"), kind=BlockKind.TABLE, text="\n".join(texts), spans=tuple(spans)
        )
        block.cells = rows
        self.b.add(block)
        return j

    def figure(self, i: int) -> None:
        """A caption (图一 …) with the unit and source lines under it."""
        u, c = self.units[i], self.cands[i]
        spans = list(u.spans)
        parts = [u.text]
        j = i + 1
        while j < len(self.units) and j - i <= 4:
            tj = self.units[j].text
            if self.cands[j].kind != "plain" or not (
                _CAPTION_TAIL.match(tj) or (_heading_shaped(tj) and len(tj) <= 80)
            ):
                break
            parts.append(tj)
            spans.extend(self.units[j].spans)
            self.consumed.add(j)
            j += 1
        label = c.label or ""
        num_m = re.search(rf"([{_CN_NUM}\d]+|[IVX]+)$", label)
        fig_value = (cn_to_int(num_m.group(1)) or roman_to_int(num_m.group(1))) if num_m else None
        self.b.add(
            Block(
                id=self.b.next_id("fig"),
                kind=BlockKind.FIGURE,
                text=clean_inline(" ".join(parts)),
                spans=tuple(spans),
                number=str(fig_value) if fig_value is not None else None,
                label=label or None,
            )
        )

    def heading(self, i: int) -> int:
        """Open a heading (or, for numbering inside an article, emit the item as a paragraph)."""
        u, c, b = self.units[i], self.cands[i], self.b
        # Articles are leaves: numbering inside an article is its 款/项, never a heading —
        # unless it continues a heading above the leaf (B. after A. > 决定 75/402).
        above = b.last_value(c.family)
        continues = above is not None and c.value == above + 1 and c.family not in b.leaf_items
        is_item = b.in_article() and c.family in _ITEM_FAMILIES and not continues
        if is_item:
            b.leaf_items.add(c.family)
        if c.family == "letter-nodot":  # the no-dot form must continue the lettering of its chapter
            prev = b.last_value("letter") or b.last_value("letter-nodot") or 0
            is_item = is_item or c.value != prev + 1
        if is_item:
            self.pending = self.emit_para(u, None, u.text, BlockKind.PARAGRAPH)
            return i + 1
        nxt = self.units[i + 1] if i + 1 < len(self.units) else None
        if nxt is not None and self._title_below(c, nxt, self.cands[i + 1]):
            # "附件一" / "第一章" alone on a line, its title on the next one.
            c.title = nxt.text
            b.open_heading(c, _join(u.text, " " + nxt.text), [*u.spans, *nxt.spans])
            self.consumed.add(i + 1)
            return i + 1
        if c.marker == "setext" and nxt is not None:
            b.open_heading(c, u.text, [*u.spans, *nxt.spans])
            self.consumed.add(i + 1)
            return i + 1
        if c.body and (c.marker == "run-in" or c.family == "article"):
            # 第一条 正文 / （一）指导思想。正文: label (and lead-in) are the heading, the rest a paragraph.
            s0 = u.spans[0][0]
            cut = s0 + c.body_offset
            htext = self.text[s0:cut].rstrip()
            b.open_heading(c, htext, [(s0, s0 + len(htext))])
            body = _Unit(c.body, [(cut, u.spans[0][1]), *u.spans[1:]], u.line)
            self.pending = self.emit_para(body, None, c.body, BlockKind.PARAGRAPH)
        else:
            b.open_heading(c, u.text, list(u.spans))
        return i + 1

    @staticmethod
    def _title_below(c: _Cand, nxt: _Unit, nc: _Cand) -> bool:
        """A bare label whose title is the next line (an article's only when that line is short)."""
        return (
            not c.title
            and not c.body
            # An article's title below it is short: 用语 / Use of terms / Scope of application.
            and (c.family != "article" or len(nxt.text) <= (60 if nxt.text.isascii() else 15))
            and nc.kind == "plain"
            and _heading_shaped(nxt.text)
            and nxt.hint is None
        )

    def numbered(self, i: int) -> int:
        """A ``1.`` line: an official paragraph number, a numbered heading, or an item."""
        u, c = self.units[i], self.cands[i]
        if i in self.official:
            self.pending = self.emit_para(u, c.label, c.full_body or c.body, BlockKind.PARAGRAPH)
            return i + 1
        if c.rank and not self.b.in_article():
            self.cands[i] = dataclasses.replace(c, kind="heading")
            return i  # handled as a heading on the next step
        # A numbered item outside the official numbering.  Where the number is not a
        # paragraph number (a document with official numbering, or 款 restarting in every
        # article of a law) it stays in the text; otherwise (PRC items) it is kept in
        # ``number``.  Either way no character is lost.
        keep = bool(self.official) or self.legal
        number = None if keep else c.label
        self.pending = self.emit_para(
            u, number, u.text if keep else (c.full_body or c.body), BlockKind.PARAGRAPH
        )
        return i + 1
