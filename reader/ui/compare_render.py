"""HTML for comparisons: operations as track changes, units inline or in two columns.

Insertions are underlined and deletions struck through, so they are told apart
without colour (printouts, colour-blind readers); the theme's colours are a
second cue that reads on light and dark backgrounds alike.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING

from reader.qt.i18n import tr
from reader.qt.theme import Theme

if TYPE_CHECKING:
    # The compare core loads with the first comparison, not with the window (start-up time).
    from reader.core.compare import Comparison, Ops, Status, UnitChange


def status_name(status: Status) -> str:
    """The status in the UI language."""
    from reader.core.compare import Status

    return {
        Status.UNCHANGED: tr("unchanged"),
        Status.RENUMBERED: tr("renumbered"),
        Status.CHANGED: tr("changed"),
        Status.MOVED: tr("moved"),
        Status.INSERTED: tr("inserted"),
        Status.DELETED: tr("deleted"),
    }[status]


def summary_text(comparison: Comparison) -> str:
    """The summary line in the UI language (``12 articles changed, 3 inserted, …``)."""
    from reader.core.compare import ARTICLE, main_summary

    figures = main_summary(comparison.changes)
    counts = figures.counts
    if figures.kind == ARTICLE:
        text = tr("%1 articles changed, %2 inserted, %3 deleted, %4 renumbered")
    elif figures.kind == "paragraph":
        text = tr("%1 paragraphs changed, %2 inserted, %3 deleted, %4 renumbered")
    else:
        text = tr("%1 units changed, %2 inserted, %3 deleted, %4 renumbered")
    for key, name in enumerate(("changed", "inserted", "deleted", "renumbered"), start=1):
        text = text.replace(f"%{key}", str(counts[name]))
    if counts["moved"]:
        text += tr(", %1 moved").replace("%1", str(counts["moved"]))
    if figures.others:
        text += tr(", %1 other parts (headings, front matter…) changed").replace("%1", str(figures.others))
    return text


def _text(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def ins(text: str, theme: Theme) -> str:
    """Inserted text: underlined, in the theme's insertion colours."""
    return (
        f'<span style="color:{theme.inserted}; background-color:{theme.inserted_back}; '
        f'text-decoration:underline;">{_text(text)}</span>'
    )


def dele(text: str, theme: Theme) -> str:
    """Deleted text: struck through, in the theme's deletion colours."""
    return (
        f'<span style="color:{theme.deleted}; background-color:{theme.deleted_back}; '
        f'text-decoration:line-through;">{_text(text)}</span>'
    )


def ops_html(ops: Ops, theme: Theme, *, keep: Iterable[str] = ("=", "-", "+")) -> str:
    """Operations as track changes; ``keep`` limits them to one side (``=``/``-`` old, ``=``/``+`` new)."""
    wanted = set(keep)
    out = []
    for op, text in ops:
        if op not in wanted:
            continue
        if op == "+":
            out.append(ins(text, theme))
        elif op == "-":
            out.append(dele(text, theme))
        else:
            out.append(_text(text))
    return "".join(out)


def citation_line(change: UnitChange) -> str:
    """``第五条 → 第六条``, or the one citation when it did not change."""
    old = change.old.citation if change.old else ""
    new = change.new.citation if change.new else ""
    if old and new and old != new:
        return f"{html.escape(old)} → {html.escape(new)}"
    return html.escape(new or old)


def _head(change: UnitChange, index: int, theme: Theme) -> str:
    target = change.new.block if change.new else ""
    link = f'<a href="unit:{target}">{citation_line(change)}</a>' if target else citation_line(change)
    return (
        f'<a name="c{index}"></a><p style="margin-top:10px; margin-bottom:2px;"><b>{link}</b>'
        f'<span style="color:{theme.muted};"> · {html.escape(status_name(change.status))}</span></p>'
    )


def inline_html(changes: list[tuple[int, UnitChange]], theme: Theme, *, show_unchanged_text: bool) -> str:
    """Every unit one after the other, its changes marked in place."""
    from reader.core.compare import Status

    parts = [f'<body style="color:{theme.text};">']
    for index, change in changes:
        parts.append(_head(change, index, theme))
        if change.status is Status.RENUMBERED and not show_unchanged_text:
            continue
        style = f"color:{theme.muted};" if change.status in (Status.UNCHANGED, Status.RENUMBERED) else ""
        parts.append(f'<p style="margin-top:0; {style}">{ops_html(change.ops, theme)}</p>')
    parts.append("</body>")
    return "".join(parts)


def columns_html(changes: list[tuple[int, UnitChange]], theme: Theme, *, show_unchanged_text: bool) -> str:
    """Old text on the left, new on the right, one row per unit."""
    from reader.core.compare import Status

    parts = [
        f'<body style="color:{theme.text};"><table width="100%" cellspacing="0" cellpadding="6" '
        f'style="border-collapse:collapse;">',
        f'<tr><th width="50%" align="left">{html.escape(tr("Old"))}</th>'
        f'<th width="50%" align="left">{html.escape(tr("New"))}</th></tr>',
    ]
    for index, change in changes:
        quiet = change.status in (Status.UNCHANGED, Status.RENUMBERED) and not show_unchanged_text
        old = "" if change.old is None or quiet else ops_html(change.ops, theme, keep=("=", "-"))
        new = "" if change.new is None or quiet else ops_html(change.ops, theme, keep=("=", "+"))
        head = _head(change, index, theme)
        parts.append(
            f'<tr><td colspan="2" style="border-top:1px solid {theme.muted};">{head}</td></tr>'
            f'<tr><td valign="top">{old}</td><td valign="top">{new}</td></tr>'
        )
    parts.append("</table></body>")
    return "".join(parts)
