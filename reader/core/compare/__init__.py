"""Compare two versions of a document: aligned units, their status, and the changes inside them.

Public API (import from here):

* :func:`compare_documents` — the :class:`Comparison` of two parsed documents;
* :class:`Comparison` — ``changes`` (one :class:`UnitChange` per unit, new order, deleted
  units where they stood), ``summary()``, ``summary_line()``, ``to_json()`` (the CLI contract),
  ``changed_chapters()`` for the Contents pane;
* :class:`Unit`, :class:`Status`, :func:`units_of`, :func:`diff_ops`;
* :class:`BlockMap` — where each old block's text went, used to make notes follow;
* :func:`review` — what happened to each note on the new revision (:class:`ReviewItem`);
* exports: :func:`export_markdown`, :func:`export_docx`.
"""

from __future__ import annotations

from reader.core.compare.align import (
    MainSummary,
    Status,
    UnitChange,
    align,
    main_summary,
    summary,
    summary_line,
)
from reader.core.compare.comparison import Comparison, compare_documents
from reader.core.compare.export import export_docx, export_markdown, markdown_text
from reader.core.compare.follow import BlockMap, Placement
from reader.core.compare.review import Outcome, ReviewItem, review
from reader.core.compare.textdiff import Ops, diff_ops, new_text, old_text
from reader.core.compare.units import ARTICLE, Part, Unit, units_of

__all__ = [
    "ARTICLE",
    "BlockMap",
    "Comparison",
    "MainSummary",
    "Ops",
    "Outcome",
    "Part",
    "Placement",
    "ReviewItem",
    "Status",
    "Unit",
    "UnitChange",
    "align",
    "compare_documents",
    "diff_ops",
    "export_docx",
    "export_markdown",
    "main_summary",
    "markdown_text",
    "new_text",
    "old_text",
    "review",
    "summary",
    "summary_line",
    "units_of",
]
