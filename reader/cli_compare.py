"""The ``compare`` command: what changed between two documents or two revisions."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from reader.cli import CliError, emit_json
from reader.cli_library import open_library, resolve_document
from reader.core.compare import Comparison, Status, compare_documents, export_docx, export_markdown
from reader.core.errors import ImportFailed
from reader.core.model import Document

if TYPE_CHECKING:
    from reader.cli import SubParsers


def register(sub: SubParsers) -> None:
    """Add ``compare`` to the CLI."""
    p = sub.add_parser("compare", help="compare two documents (or two revisions of one)")
    p.add_argument(
        "old", metavar="DOC_A", help="the older version: library id, symbol, ID@REVISION, or a file path"
    )
    p.add_argument(
        "new", metavar="DOC_B", help="the newer version: library id, symbol, ID@REVISION, or a file path"
    )
    p.add_argument("--json", action="store_true", help="print the comparison as JSON (see docs/COMPARE.md)")
    p.add_argument("--all", action="store_true", help="also list unchanged units (text output and exports)")
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="also export the comparison to FILE (.docx: Word, else Markdown)",
    )
    p.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    """``compare DOC_A DOC_B [--json]``."""
    old = _resolve(args, args.old)
    new = _resolve(args, args.new)
    comparison = compare_documents(old, new)
    if args.output:
        target = Path(args.output)
        writer = export_docx if target.suffix.lower() == ".docx" else export_markdown
        try:
            writer(comparison, target, include_unchanged=args.all)
        except OSError as exc:
            raise CliError(f"{target}: cannot be written ({exc.strerror or exc})", 1) from exc
    if args.json:
        emit_json(comparison.to_json())
        return 0
    _print_text(comparison, show_all=args.all)
    return 0


def _resolve(args: argparse.Namespace, ref: str) -> Document:
    """DOC as elsewhere, plus ``ID@REVISION`` (a revision hash prefix) for an older revision."""
    doc_ref, at, revision = ref.rpartition("@")
    if not at or not doc_ref or not revision or Path(ref).exists():
        return resolve_document(args, ref)
    lib = open_library(args)
    try:
        record = lib.record(doc_ref)
        if record.revision(revision) is None:
            known = ", ".join(r.sha256[:12] for r in record.revisions)
            raise CliError(f"document {record.id} has no revision {revision} (it has {known})", 1)
        return lib.load(record.id, revision)
    except KeyError as exc:
        raise CliError(str(exc.args[0] if exc.args else ref), 1) from exc
    except (ImportFailed, OSError) as exc:
        raise CliError(f"{ref}: {exc}", 1) from exc


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
