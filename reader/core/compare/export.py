"""Export a comparison to Markdown or Word: a table old | new | change, and a track-changes run.

Citations name the document (symbol, else title) and the unit (``第五条``,
``¶ 37``), so a row can be pasted into a statement.  In Word, deletions are
struck through and insertions underlined (readable in black and white), with
red and blue as a second cue.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from reader.core.atomic import atomic_write_bytes, atomic_write_text
from reader.core.compare.align import Status, UnitChange
from reader.core.compare.comparison import Comparison
from reader.core.model import Document

_STATUS_ZH = {
    Status.UNCHANGED: "未改",
    Status.RENUMBERED: "改序号",
    Status.CHANGED: "修改",
    Status.MOVED: "移动",
    Status.INSERTED: "新增",
    Status.DELETED: "删除",
}


def _name(document: Document) -> str:
    return document.symbol or document.title or document.id


def _cite(document: Document, change: UnitChange, side: str) -> str:
    unit = change.old if side == "old" else change.new
    if unit is None:
        return ""
    return f"{_name(document)}，{unit.citation}"


def _describe(change: UnitChange) -> str:
    """``修改 (changed)``, with the old → new number when it moved or was renumbered."""
    words = f"{_STATUS_ZH[change.status]} ({change.status.value})"
    if change.renumbered and change.old is not None and change.new is not None:
        words += f"：{change.old.citation} → {change.new.citation}"
    return words


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>") or " "


def _md_ops(change: UnitChange) -> str:
    """Track changes in Markdown: ``~~deleted~~`` and ``<ins>inserted</ins>``."""
    out = []
    for op, text in change.ops:
        cell = _md_cell(text)
        if op == "-":
            out.append(f"~~{cell}~~")
        elif op == "+":
            out.append(f"<ins>{cell}</ins>")
        else:
            out.append(cell)
    return "".join(out)


def markdown_text(comparison: Comparison, *, include_unchanged: bool = False) -> str:
    """The comparison as Markdown: summary, a table of changed units, then track changes."""
    changes = _selected(comparison.changes, include_unchanged)
    lines = [
        f"# 比较：{_name(comparison.old)} → {_name(comparison.new)}",
        "",
        comparison.summary_line(),
        "",
        "| 旧文本 (old) | 新文本 (new) | 变化 (change) |",
        "| --- | --- | --- |",
    ]
    for change in changes:
        old = _md_side(comparison.old, change, "old")
        new = _md_side(comparison.new, change, "new")
        lines.append(f"| {old} | {new} | {_describe(change)}<br>{_md_ops(change)} |")
    lines += ["", "## 修订标记 (track changes)", ""]
    for change in changes:
        unit = change.new or change.old
        if unit is None:
            continue
        lines.append(f"**{unit.citation}** — {_describe(change)}")
        lines.append("")
        lines.append(_md_ops(change))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _md_side(document: Document, change: UnitChange, side: str) -> str:
    unit = change.old if side == "old" else change.new
    if unit is None:
        return " "
    return f"**{_cite(document, change, side)}**<br>{_md_cell(unit.text)}"


def _selected(changes: Sequence[UnitChange], include_unchanged: bool) -> list[UnitChange]:
    return [c for c in changes if include_unchanged or c.status is not Status.UNCHANGED]


def export_markdown(comparison: Comparison, path: Path, *, include_unchanged: bool = False) -> int:
    """Write the Markdown export atomically; returns how many units it lists."""
    atomic_write_text(Path(path), markdown_text(comparison, include_unchanged=include_unchanged))
    return len(_selected(comparison.changes, include_unchanged))


def export_docx(comparison: Comparison, path: Path, *, include_unchanged: bool = False) -> int:
    """Write a .docx export (python-docx) atomically; returns how many units it lists."""
    import docx
    from docx.shared import RGBColor

    changes = _selected(comparison.changes, include_unchanged)
    out = docx.Document()
    out.add_heading(f"比较：{_name(comparison.old)} → {_name(comparison.new)}", 0)
    out.add_paragraph(comparison.summary_line())
    table = out.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    headers = ("旧文本 (old)", "新文本 (new)", "变化 (change)")
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(title).bold = True
    red, blue = RGBColor(0xB0, 0x00, 0x20), RGBColor(0x00, 0x40, 0xA0)
    for change in changes:
        cells = table.add_row().cells
        for cell, side, unit in ((cells[0], "old", change.old), (cells[1], "new", change.new)):
            if unit is None:
                continue
            doc = comparison.old if side == "old" else comparison.new
            cell.paragraphs[0].add_run(_cite(doc, change, side)).italic = True
            cell.add_paragraph(unit.text)
        cells[2].paragraphs[0].add_run(_describe(change)).bold = True
        _track_runs(cells[2].add_paragraph(), change, red, blue)
    out.add_heading("修订标记 (track changes)", 1)
    for change in changes:
        unit = change.new or change.old
        if unit is None:
            continue
        head = out.add_paragraph()
        head.add_run(f"{unit.citation}  ").bold = True
        head.add_run(_describe(change)).italic = True
        _track_runs(out.add_paragraph(), change, red, blue)
    buffer = io.BytesIO()
    out.save(buffer)
    atomic_write_bytes(Path(path), buffer.getvalue())
    return len(changes)


def _track_runs(paragraph: object, change: UnitChange, red: object, blue: object) -> None:
    """Append the unit's operations as runs: struck-through red deletions, underlined blue insertions."""
    for op, text in change.ops:
        run = paragraph.add_run(text)  # type: ignore[attr-defined]
        if op == "-":
            run.font.strike = True
            run.font.color.rgb = red
        elif op == "+":
            run.font.underline = True
            run.font.color.rgb = blue
