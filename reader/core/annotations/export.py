"""Export a document's notes and bookmarks to Markdown or Word, grouped by chapter.

Each note comes with its quote and a citation a delegate can paste into a
statement: ``A/74/533，第 37 段`` (symbol, else title; the paragraph's official
number; for unnumbered blocks the heading path).  Notes that could not be
placed on the current revision are listed in their own section with their
quote and old paragraph number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from index.normalize import is_cjk
from reader.core.annotations.model import Bookmark, Note
from reader.core.annotations.store import DocumentNotes
from reader.core.atomic import atomic_write_bytes, atomic_write_text
from reader.core.model import BlockKind, Document

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

_LABELS = {
    "zh": {
        "notes": "批注",
        "bookmarks": "书签",
        "orphans": "无法在当前版本中定位的批注",
        "front": "正文前部分",
        "para": "第 {n} 段",
        "footnote": "脚注 {n}",
        "old_para": "原第 {n} 段",
        "sep": "，",
        "tags": "标签",
        "colour": "颜色",
        "author": "作者",
        "exported": "导出时间",
        "filters": "筛选",
        "fuzzy": "（位置为近似匹配，可信度 {c:.0%}）",
        "none": "（无）",
    },
    "en": {
        "notes": "Notes",
        "bookmarks": "Bookmarks",
        "orphans": "Notes that could not be placed in the current revision",
        "front": "Front matter",
        "para": "para. {n}",
        "footnote": "footnote {n}",
        "old_para": "formerly para. {n}",
        "sep": ", ",
        "tags": "Tags",
        "colour": "Colour",
        "author": "Author",
        "exported": "Exported",
        "filters": "Filter",
        "fuzzy": " (approximate position, confidence {c:.0%})",
        "none": "(none)",
    },
}


def _labels(document: Document) -> dict[str, str]:
    return _LABELS["zh" if document.language.lower().startswith("zh") else "en"]


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which notes to export: any of ``tags``, any of ``colours``, any of ``authors`` (empty = all)."""

    tags: frozenset[str] = frozenset()
    colours: frozenset[str] = frozenset()
    authors: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls, tags: Iterable[str] = (), colours: Iterable[str] = (), authors: Iterable[str] = ()
    ) -> ExportFilter:
        """Build a filter from any iterables."""
        return cls(frozenset(tags), frozenset(colours), frozenset(authors))

    def accepts(self, note: Note) -> bool:
        """Whether the note passes the filter."""
        if self.tags and not self.tags.intersection(note.tags):
            return False
        if self.colours and note.colour not in self.colours:
            return False
        return not (self.authors and note.author not in self.authors)

    def describe(self) -> str:
        """``tag=support, colour=yellow`` or ``""``."""
        parts = [f"tag={t}" for t in sorted(self.tags)] + [f"colour={c}" for c in sorted(self.colours)]
        parts += [f"author={a}" for a in sorted(self.authors)]
        return ", ".join(parts)


def citation(document: Document, block_id: str, ref: str | None = None) -> str:
    """How to cite a block: ``A/74/533，第 37 段``, or the heading path when it has no number.

    ``ref`` names the document (default: its symbol, else its title).
    """
    labels = _labels(document)
    ref = ref or document.symbol or document.title or document.id
    block = document.get_block(block_id)
    if block is None:
        return ref
    if block.kind is BlockKind.PARAGRAPH and block.number:
        return ref + labels["sep"] + labels["para"].format(n=block.number)
    if block.kind is BlockKind.FOOTNOTE and block.number:
        return ref + labels["sep"] + labels["footnote"].format(n=block.number)
    path = [h.display for h in document.label_path(block_id)]
    return ref + labels["sep"] + " › ".join(path) if path else ref


Citer = Callable[[Document, str, str], str]
"""How an export cites a block: (document, block id, document reference) → citation."""


def orphan_citation(document: Document, note: Note, ref: str | None = None) -> str:
    """Citation of an orphan by its old paragraph number (or old block id)."""
    labels = _labels(document)
    ref = ref or document.symbol or document.title or document.id
    anchor = note.anchor
    where = labels["old_para"].format(n=anchor.paragraph) if anchor.paragraph else anchor.block
    return ref + labels["sep"] + where


@dataclass(slots=True)
class _Group:
    chapter: str
    section: str
    notes: list[Note] = field(default_factory=list)


@dataclass(slots=True)
class _Plan:
    document: Document
    groups: list[_Group]
    bookmarks: list[Bookmark]
    orphans: list[Note]
    filter: ExportFilter
    ref: str
    title: str
    symbol: str | None

    @property
    def count(self) -> int:
        return sum(len(g.notes) for g in self.groups) + len(self.orphans) + len(self.bookmarks)


def _plan(notes: DocumentNotes, filter_: ExportFilter | None) -> _Plan:
    document = notes.document
    labels = _labels(document)
    chosen = filter_ or ExportFilter()
    groups: list[_Group] = []
    orphans: list[Note] = []
    for note in notes.notes():
        if not chosen.accepts(note):
            continue
        if note.anchor.is_orphan or document.get_block(note.anchor.block) is None:
            orphans.append(note)
            continue
        path = [h.display for h in document.label_path(note.anchor.block)]
        chapter = path[0] if path else labels["front"]
        section = " › ".join(path[1:])
        if not groups or (groups[-1].chapter, groups[-1].section) != (chapter, section):
            groups.append(_Group(chapter, section))
        groups[-1].notes.append(note)
    # Bookmarks carry no tags or colours: a tag/colour filter means "notes only".
    marks = [] if (chosen.tags or chosen.colours) else notes.bookmarks()
    if chosen.authors:
        marks = [b for b in marks if b.author in chosen.authors]
    symbol = notes.info.symbol or document.symbol
    title = notes.info.title or document.title
    return _Plan(document, groups, marks, orphans, chosen, symbol or title or document.id, title, symbol)


def _meta(note: Note, labels: dict[str, str]) -> str:
    parts = []
    if note.tags:
        parts.append(f"{labels['tags']}: {', '.join(note.tags)}")
    parts.append(f"{labels['colour']}: {note.colour}")
    parts.append(f"{labels['author']}: {note.author}")
    return " · ".join(parts)


def _fuzzy_mark(note: Note, labels: dict[str, str]) -> str:
    if note.anchor.status.value == "fuzzy":
        return labels["fuzzy"].format(c=note.anchor.confidence)
    return ""


def _md_quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def markdown_text(
    notes: DocumentNotes, filter_: ExportFilter | None = None, cite: Citer | None = None
) -> str:
    """The Markdown export as a string (``cite`` may cite in another language too)."""
    cite = cite or citation
    plan = _plan(notes, filter_)
    doc = plan.document
    labels = _labels(doc)
    out = [f"# {labels['notes']}: {plan.title or plan.ref}", ""]
    info = [plan.symbol] if plan.symbol else []
    info.append(f"{labels['exported']}: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M')}")
    if plan.filter.describe():
        info.append(f"{labels['filters']}: {plan.filter.describe()}")
    out += [" · ".join(info), ""]
    chapter = None
    for group in plan.groups:
        if group.chapter != chapter:
            chapter = group.chapter
            out += [f"## {chapter}", ""]
        if group.section:
            out += [f"### {group.section}", ""]
        for note in group.notes:
            out += _md_note(note, cite(doc, note.anchor.block, plan.ref) + _fuzzy_mark(note, labels), labels)
    if plan.bookmarks:
        out += [f"## {labels['bookmarks']}", ""]
        for mark in plan.bookmarks:
            where = (
                orphan_citation(
                    doc, Note(mark.id, mark.anchor, mark.author, mark.created, mark.modified), plan.ref
                )
                if mark.anchor.is_orphan
                else cite(doc, mark.anchor.block, plan.ref)
            )
            name = f"**{mark.name}** — " if mark.name else ""
            out.append(f"- {name}{where}: {_snippet(mark.anchor.quote)}")
        out.append("")
    if plan.orphans:
        out += [f"## {labels['orphans']}", ""]
        for note in plan.orphans:
            out += _md_note(note, orphan_citation(doc, note, plan.ref), labels)
    if plan.count == 0:
        out += [labels["none"], ""]
    return "\n".join(out).rstrip() + "\n"


def _snippet(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _md_note(note: Note, cite: str, labels: dict[str, str]) -> list[str]:
    lines = [_md_quote(note.anchor.quote), "", f"— {cite}", ""]
    if note.text:
        lines += [note.text, ""]
    lines += [f"*{_meta(note, labels)}*", ""]
    return lines


def export_markdown(
    notes: DocumentNotes, path: Path, filter_: ExportFilter | None = None, cite: Citer | None = None
) -> int:
    """Write the Markdown export atomically; returns how many notes and bookmarks it holds."""
    plan_count = _plan(notes, filter_).count
    atomic_write_text(Path(path), markdown_text(notes, filter_, cite))
    return plan_count


_HIGHLIGHT = {
    "yellow": "YELLOW",
    "green": "BRIGHT_GREEN",
    "blue": "TURQUOISE",
    "pink": "PINK",
    "purple": "VIOLET",
    "orange": "YELLOW",
    "red": "RED",
    "grey": "GRAY_25",
}


EAST_ASIAN_FONT = "SimSun"
"""The East Asian font named on Chinese runs (Word substitutes its own Song face where it lacks it)."""


def _mark_east_asian(out: DocxDocument) -> None:
    """Name an East Asian font and the ``zh-CN`` language on every run with Chinese text.

    Without them Word draws Chinese in the Latin font's fallback and proofs it as English.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    runs = [run for p in out.paragraphs for run in p.runs]
    for table in out.tables:
        runs += [run for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs]
    for run in runs:
        if not any(is_cjk(ch) for ch in run.text):
            continue
        rpr = run._element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.insert(0, fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        fonts.set(qn("w:hint"), "eastAsia")
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")


def export_docx(
    notes: DocumentNotes, path: Path, filter_: ExportFilter | None = None, cite: Citer | None = None
) -> int:
    """Write a .docx export (python-docx) atomically; returns how many notes and bookmarks it holds."""
    cite = cite or citation
    import io

    import docx
    from docx.enum.text import WD_COLOR_INDEX

    plan = _plan(notes, filter_)
    doc = plan.document
    labels = _labels(doc)
    out = docx.Document()
    out.add_heading(f"{labels['notes']}: {plan.title or plan.ref}", 0)
    info = [plan.symbol] if plan.symbol else []
    info.append(f"{labels['exported']}: {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M')}")
    if plan.filter.describe():
        info.append(f"{labels['filters']}: {plan.filter.describe()}")
    out.add_paragraph(" · ".join(info))

    def add_note(note: Note, cite: str) -> None:
        quote = out.add_paragraph(style="Quote")
        run = quote.add_run(note.anchor.quote)
        highlight = _HIGHLIGHT.get(note.colour)
        if highlight:
            run.font.highlight_color = getattr(WD_COLOR_INDEX, highlight)
        out.add_paragraph().add_run(f"— {cite}").italic = True
        if note.text:
            for line in note.text.splitlines():
                out.add_paragraph(line)
        out.add_paragraph().add_run(_meta(note, labels)).font.size = docx.shared.Pt(8)

    chapter = None
    for group in plan.groups:
        if group.chapter != chapter:
            chapter = group.chapter
            out.add_heading(chapter, 1)
        if group.section:
            out.add_heading(group.section, 2)
        for note in group.notes:
            add_note(note, cite(doc, note.anchor.block, plan.ref) + _fuzzy_mark(note, labels))
    if plan.bookmarks:
        out.add_heading(labels["bookmarks"], 1)
        for mark in plan.bookmarks:
            where = (
                orphan_citation(
                    doc, Note(mark.id, mark.anchor, mark.author, mark.created, mark.modified), plan.ref
                )
                if mark.anchor.is_orphan
                else cite(doc, mark.anchor.block, plan.ref)
            )
            name = f"{mark.name} — " if mark.name else ""
            out.add_paragraph(f"{name}{where}: {_snippet(mark.anchor.quote)}", style="List Bullet")
    if plan.orphans:
        out.add_heading(labels["orphans"], 1)
        for note in plan.orphans:
            add_note(note, orphan_citation(doc, note, plan.ref))
    if plan.count == 0:
        out.add_paragraph(labels["none"])
    _mark_east_asian(out)
    buffer = io.BytesIO()
    out.save(buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())
    return plan.count
