"""Assemble blocks from classified units: the walk that emits headings, paragraphs, notes, tables."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from reader.core.model import Block, BlockKind, Document, LineHint, Span
from reader.core.parsing.classify import _Classifier, _mark_markdown, _mark_rule_notes, _mark_toc
from reader.core.parsing.metadata import (
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
from reader.core.parsing.runs import _find_numbered_sequence, resolve_runs
from reader.core.parsing.schemes import _CAPTION_TAIL, _Cand
from reader.core.parsing.text import (
    _MD_HEADING,
    _SUPERSCRIPTS,
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
)

_ITEM_FAMILIES = frozenset(
    {"paren-cn", "paren-num", "cn-dun", "cn-dot", "num", "num-full", "paren-latin", "letter", "letter-nodot"}
    | {f"decimal{d}" for d in range(1, 4)}
)
_SUP_REF = re.compile(rf"(?<=[^\s{_SUPERSCRIPTS}])\s?([{_SUPERSCRIPTS}]+)")


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
    hints = hints or {}
    units = _split_units(text, hints)
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
    resolve_runs(cands)
    official = _find_numbered_sequence(cands)
    legal = sum(1 for c in cands if c.family == "article") >= 2  # 款 numbers are not paragraph numbers

    has_structure = (
        any(c.kind == "heading" for c in cands)
        or bool(official)
        or any(c.kind == "numbered" and c.rank for c in cands)
    )
    first_struct = next(
        (
            i
            for i, c in enumerate(cands)
            if c.kind == "heading" or i in official or (c.kind == "numbered" and c.rank)
        ),
        len(units),
    )
    if not has_structure:
        first_struct = _leading_titles(units, cands)
    first_struct = _end_of_front_matter(units, cands, first_struct)

    b = _Builder(text)
    consumed: set[int] = set()
    pending_para: Block | None = None  # last paragraph that may continue after a page break

    def emit_para(i: int, u: _Unit, c: _Cand, number: str | None, body: str, kind: BlockKind) -> Block:
        prefix = {BlockKind.PARAGRAPH: "t", BlockKind.TEXT: "t", BlockKind.FRONT_MATTER: "fm"}[kind]
        if number is not None and kind is BlockKind.PARAGRAPH and re.fullmatch(r"[\w.\-]+", number):
            bid = b.unique(f"p{number}")
        else:
            bid = b.next_id(prefix)
        return b.add(
            Block(
                id=bid,
                kind=kind,
                text=clean_inline(_strip_md(body) if markdown else body),
                spans=tuple(u.spans),
                number=number,
            )
        )

    i = 0
    n = len(units)
    while i < n:
        if i in consumed:
            i += 1
            continue
        u, c = units[i], cands[i]

        # A paragraph cut by a page break continues here: skip artefacts and
        # footnotes that the page break put in between.
        if pending_para is not None and _is_continuation(pending_para.text, u, c):
            pending_para.text = _join(pending_para.text, clean_inline(u.text))
            pending_para.spans = (*pending_para.spans, *u.spans)
            i += 1
            continue
        if c.kind not in ("artifact", "footnote", "rule"):
            pending_para = None

        if c.kind == "toc":
            b.add(Block(id=b.next_id("fm"), kind=BlockKind.FRONT_MATTER, text=u.text, spans=tuple(u.spans)))
            i += 1
            continue
        if c.kind == "footnote":
            bid = b.unique(_footnote_id(c.marker)) if c.marker else b.next_id("fn")
            b.add(
                Block(
                    id=bid,
                    kind=BlockKind.FOOTNOTE,
                    text=clean_inline(c.body),
                    spans=tuple(u.spans),
                    number=c.marker or None,
                )
            )
            i += 1
            continue
        if c.kind == "yaml":
            b.add(Block(id=b.next_id("fm"), kind=BlockKind.FRONT_MATTER, text=u.text, spans=tuple(u.spans)))
            i += 1
            continue
        if c.kind in ("rule", "code") or (c.kind == "artifact" and has_structure):
            b.add(Block(id=b.next_id("t"), kind=BlockKind.TEXT, text=u.text, spans=tuple(u.spans)))
            i += 1
            continue
        if c.kind == "row" and i >= first_struct:
            rows: list[list[str]] = []
            spans_t: list[Span] = []
            texts: list[str] = []
            j = i
            while j < n and cands[j].kind == "row":
                rows.append(_table_cells(units[j].text) or [units[j].text])
                spans_t.extend(units[j].spans)
                texts.append(units[j].text)
                j += 1
            b.add(
                Block(
                    id=b.next_id("tbl"),
                    kind=BlockKind.TABLE,
                    text="\n".join(texts),
                    spans=tuple(spans_t),
                    cells=rows,
                )
            )
            i = j
            continue
        if c.kind == "table":
            cells = [list(r) for r in (u.hint.cells or ())] if u.hint else None
            b.add(
                Block(
                    id=b.next_id("tbl"), kind=BlockKind.TABLE, text=u.text, spans=tuple(u.spans), cells=cells
                )
            )
            i += 1
            continue
        if c.kind == "figure":
            spans = list(u.spans)
            parts = [u.text]
            j = i + 1
            while j < n and j - i <= 4:
                cj = cands[j]
                tj = units[j].text
                if cj.kind == "plain" and (
                    _CAPTION_TAIL.match(tj) or (_heading_shaped(tj) and len(tj) <= 80)
                ):
                    parts.append(tj)
                    spans.extend(units[j].spans)
                    consumed.add(j)
                    j += 1
                    continue
                break
            label = c.label or ""
            num_m = re.search(rf"([{_CN_NUM}\d]+|[IVX]+)$", label)
            fig_value = (cn_to_int(num_m.group(1)) or roman_to_int(num_m.group(1))) if num_m else None
            b.add(
                Block(
                    id=b.next_id("fig"),
                    kind=BlockKind.FIGURE,
                    text=clean_inline(" ".join(parts)),
                    spans=tuple(spans),
                    number=str(fig_value) if fig_value is not None else None,
                    label=label or None,
                )
            )
            i += 1
            continue

        if i < first_struct:
            kind = BlockKind.FRONT_MATTER
            body = u.text
            m = _MD_HEADING.match(body)
            if m:
                body = m.group(2)
            emit_para(i, u, c, None, body, kind)
            i += 1
            continue

        # Headings ------------------------------------------------------
        if c.kind == "heading":
            # Articles are leaves: numbering inside an article is its 款/项, never a heading.
            is_item = b.in_article() and c.family in _ITEM_FAMILIES
            letter_ok = True
            if c.family == "letter-nodot":
                prev = b.last_value("letter") or b.last_value("letter-nodot") or 0
                letter_ok = c.value == prev + 1
            if c.family in ("letter", "letter-nodot") and b.stack:
                # The no-dot form must continue the lettering of its chapter.
                pass
            if not is_item and letter_ok:
                if (
                    not c.title
                    and not c.body
                    and (c.family != "article" or len(units[i + 1].text if i + 1 < n else "") <= 15)
                    and i + 1 < n
                    and cands[i + 1].kind == "plain"
                    and _heading_shaped(units[i + 1].text)
                    and units[i + 1].hint is None
                ):
                    # "附件一" / "第一章" alone on a line, its title on the next one.
                    c.title = units[i + 1].text
                    b.open_heading(c, _join(u.text, " " + units[i + 1].text), [*u.spans, *units[i + 1].spans])
                    consumed.add(i + 1)
                    i += 1
                    continue
                if c.marker == "setext" and i + 1 < n:
                    b.open_heading(c, u.text, [*u.spans, *units[i + 1].spans])
                    consumed.add(i + 1)
                    i += 1
                    continue
                if c.marker == "run-in" and c.body:
                    (s0, _e0) = u.spans[0]
                    cut = s0 + c.body_offset
                    hspans = [(s0, cut)]
                    htext = text[s0:cut].rstrip()
                    hspans = [(s0, s0 + len(htext))]
                    b.open_heading(c, htext, hspans)
                    body_span = [(cut, u.spans[0][1]), *u.spans[1:]]
                    body_unit = _Unit(c.body, body_span, u.line)
                    pending_para = emit_para(i, body_unit, c, None, c.body, BlockKind.PARAGRAPH)
                elif c.family == "article" and c.body:
                    (s0, _e0) = u.spans[0]
                    cut = s0 + c.body_offset
                    htext = text[s0:cut].rstrip()
                    b.open_heading(c, htext, [(s0, s0 + len(htext))])
                    body_unit = _Unit(c.body, [(cut, u.spans[0][1]), *u.spans[1:]], u.line)
                    pending_para = emit_para(i, body_unit, c, None, c.body, BlockKind.PARAGRAPH)
                else:
                    b.open_heading(c, u.text, list(u.spans))
                i += 1
                continue
            emit_para(i, u, c, None, u.text, BlockKind.PARAGRAPH)
            pending_para = b.blocks[-1]
            i += 1
            continue

        if c.kind == "numbered":
            if i in official:
                pending_para = emit_para(i, u, c, c.label, c.full_body or c.body, BlockKind.PARAGRAPH)
                i += 1
                continue
            if c.rank and not b.in_article():
                cands[i] = dataclasses.replace(c, kind="heading")
                continue  # handled as a heading on the next turn of the loop
            # A numbered item outside the official numbering.  Where the number is not a
            # paragraph number (a document with official numbering, or 款 restarting in every
            # article of a law) it stays in the text; otherwise (PRC items) it is kept in
            # ``number``.  Either way no character is lost.
            keep = official or legal
            pending_para = emit_para(
                i,
                u,
                c,
                None if keep else c.label,
                u.text if keep else (c.full_body or c.body),
                BlockKind.PARAGRAPH,
            )
            i += 1
            continue

        # plain text or an artefact in a document without structure
        pending_para = emit_para(i, u, c, None, u.text, BlockKind.PARAGRAPH)
        i += 1

    _mark_closing_lines(b.blocks)
    _link_footnotes(b.blocks)
    blocks = sorted(b.blocks, key=lambda blk: blk.spans[0][0] if blk.spans else 0)
    doc_title = title or _find_title(blocks, b.roots, text, source_name)
    doc_symbol = symbol or _find_symbol(blocks, source_name)
    return Document(
        id=doc_id,
        title=doc_title,
        source=text,
        blocks=blocks,
        tree=b.roots,
        symbol=doc_symbol,
        language=detect_language(text),
        source_hash=source_hash,
        source_name=source_name,
    )
