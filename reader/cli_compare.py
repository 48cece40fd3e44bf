"""The ``compare`` command: what changed between two documents or two revisions."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reader.cli import emit_json
from reader.cli_library import resolve_document
from reader.core.compare import Comparison, Status, compare_documents

if TYPE_CHECKING:
    from reader.cli import SubParsers


def register(sub: SubParsers) -> None:
    """Add ``compare`` to the CLI."""
    p = sub.add_parser("compare", help="compare two documents (or two revisions of one)")
    p.add_argument("old", metavar="DOC_A", help="the older version: library id, symbol, or a file path")
    p.add_argument("new", metavar="DOC_B", help="the newer version: library id, symbol, or a file path")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON (see docs/COMPARE.md)")
    p.add_argument("--all", action="store_true", help="also list unchanged units (text output)")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    """``compare DOC_A DOC_B [--json]``."""
    old = resolve_document(args, args.old)
    new = resolve_document(args, args.new)
    comparison = compare_documents(old, new)
    if args.json:
        emit_json(comparison.to_json())
        return 0
    _print_text(comparison, show_all=args.all)
    return 0


def _print_text(comparison: Comparison, *, show_all: bool) -> None:
    print(comparison.summary_line())
    for change in comparison.changes:
        if change.status is Status.UNCHANGED and not show_all:
            continue
        old = change.old.citation if change.old else "—"
        new = change.new.citation if change.new else "—"
        print(f"\n{change.status.value:<10} {old} → {new}")
        if change.status in (Status.CHANGED, Status.MOVED, Status.INSERTED, Status.DELETED):
            marked = "".join(text if op == "=" else f"[{op}{text}{op}]" for op, text in change.ops)
            print("  " + marked.replace("\n", "\n  "))
