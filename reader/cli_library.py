"""Library commands: ``import``, ``list``, ``outline``, ``dump``, ``repair``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli import CliError, emit_json
from reader.core.errors import ImportFailed, LibraryError
from reader.core.goto import resolve
from reader.core.importers import load_path
from reader.core.library import DocumentRecord, Library
from reader.core.model import BlockKind, Document, Heading

if TYPE_CHECKING:
    from reader.cli import SubParsers


def register(sub: SubParsers) -> None:
    """Add the library commands to the CLI."""
    p = sub.add_parser("import", help="import files into the library")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON array")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("list", help="list the documents in the library")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("outline", help="print a document's chapter tree")
    p.add_argument("doc", metavar="DOC", help="library id, symbol, or a file path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("goto", help="find a paragraph, article or section: 37, ¶37, 第十条, Article 10, A.")
    p.add_argument("doc", metavar="DOC", help="library id, symbol, or a file path")
    p.add_argument("ref", metavar="REF", help="37, ¶37, 第37段, para 37, 第十条, 第10条, Article 10, 一., A.")
    p.add_argument("--json", action="store_true", help="print the best match as JSON")
    p.set_defaults(func=cmd_goto)

    p = sub.add_parser("dump", help="print a document's blocks")
    p.add_argument("doc", metavar="DOC", help="library id, symbol, or a file path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dump)

    p = sub.add_parser(
        "repair", help="rebuild unreadable document records from the revisions on disk (bad files kept aside)"
    )
    p.set_defaults(func=cmd_repair)


def open_library(args: argparse.Namespace) -> Library:
    """The library chosen by ``--library`` / ``$BRIEFING_READER_HOME``, as a CLI error if unusable."""
    try:
        return Library.open(args.library)
    except LibraryError as exc:
        raise CliError(str(exc)) from exc


def resolve_document(args: argparse.Namespace, ref: str) -> Document:
    """DOC on the command line: a library id or symbol, else a file path parsed on the fly."""
    lib = open_library(args)
    try:
        rec = lib.record(ref)
    except LibraryError as exc:
        raise CliError(str(exc), 1) from exc
    except KeyError as exc:
        path = Path(ref)
        if path.exists():
            try:
                return load_path(path)
            except ImportFailed as err:
                raise CliError(str(err), 1) from err
        msg = exc.args[0] if exc.args else ref
        raise CliError(str(msg), 1) from exc
    try:
        return lib.load(rec.id)
    except ImportFailed as err:
        raise CliError(str(err), 1) from err
    except OSError as err:
        raise CliError(f"document {rec.id}: stored file cannot be read ({err.strerror or err})", 1) from err
    except ValueError as err:
        raise CliError(f"document {rec.id}: {err}", 1) from err


def resolve_record(args: argparse.Namespace, ref: str) -> tuple[Library, DocumentRecord]:
    """DOC that must be in the library."""
    lib = open_library(args)
    try:
        return lib, lib.record(ref)
    except LibraryError as exc:
        raise CliError(str(exc), 1) from exc
    except KeyError as exc:
        raise CliError(str(exc.args[0] if exc.args else ref), 1) from exc


def _counts(doc: Document) -> dict[str, int]:
    return {
        "blocks": len(doc.blocks),
        "paragraphs": sum(1 for b in doc.blocks if b.kind is BlockKind.PARAGRAPH and b.number),
        "headings": sum(1 for b in doc.blocks if b.kind is BlockKind.HEADING),
    }


def cmd_import(args: argparse.Namespace) -> int:
    """``import FILE... [--json]``."""
    lib = open_library(args)
    out: list[dict[str, Any]] = []
    failed = False
    for name in args.files:
        try:
            res = lib.import_file(Path(name))
        except ImportFailed as exc:
            failed = True
            out.append({"file": name, "error": str(exc)})
            if not args.json:
                print(f"briefing-reader: error: {exc}", file=sys.stderr)
            continue
        if not args.json:
            for remark in res.remarks:
                print(f"note: {remark}", file=sys.stderr)
        obj: dict[str, Any] = {
            "id": res.record.id,
            "title": res.record.title,
            "symbol": res.record.symbol,
            **_counts(res.document),
        }
        obj["status"] = res.status
        obj["language"] = res.record.language
        if res.status == "version":
            obj["version_of"] = res.previous
        if res.remarks:
            obj["remarks"] = res.remarks
        out.append(obj)
        if not args.json:
            what = {
                "new": "imported",
                "unchanged": "already in the library",
                "revision": "new revision of",
                "version": f"new language version ({res.record.language}) of {res.previous}:",
            }[res.status]
            c = _counts(res.document)
            print(
                f"{what}: {res.record.id}  {res.record.title}  "
                f"({c['headings']} headings, {c['paragraphs']} numbered paragraphs, {c['blocks']} blocks)"
            )
    if args.json:
        emit_json(out)
    return 1 if failed else 0


def cmd_list(args: argparse.Namespace) -> int:
    """``list [--json]``: one entry per document, with its language versions."""
    from reader.cli_versions import version_json
    from reader.core import versions

    lib = open_library(args)
    docs = versions.grouped(lib.documents())
    if args.json:
        emit_json(
            [
                {
                    "id": r.id,
                    "title": r.title,
                    "symbol": r.symbol,
                    "language": r.language,
                    "languages": [m.language for m in members],
                    "versions": [version_json(m) for m in members],
                    "imported_at": r.imported_at,
                    "revisions": len(r.revisions),
                    "current": r.current,
                }
                for members in docs
                for r in members[:1]
            ]
        )
    else:
        if not docs:
            print(f"The library at {lib.root} is empty. Import files with: briefing-reader import FILE")
        for members in docs:
            r = members[0]
            langs = "  [" + " ".join(m.language for m in members) + "]" if len(members) > 1 else ""
            print(f"{r.id}  {r.symbol or '-':<14} {r.title}{langs}")
    for p in lib.problems:
        print(f"briefing-reader: warning: {p.reason}", file=sys.stderr)
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    """``repair``: exit 0 when every record is readable afterwards, 1 when some are left as they were."""
    lib = open_library(args)
    try:
        lines = lib.repair()
    except LibraryError as exc:
        raise CliError(str(exc), 1) from exc
    for line in lines:
        print(f"repaired: {line}")
    for p in lib.problems:
        print(f"warning: {p.reason}", file=sys.stderr)
    if not lines and not lib.problems:
        print(f"nothing to repair in {lib.root}")
    return 1 if lib.problems else 0


def _tree_json(nodes: list[Heading]) -> list[dict[str, Any]]:
    return [
        {
            "label": h.label,
            "title": h.title,
            "level": h.level,
            "block": h.block,
            "children": _tree_json(h.children),
        }
        for h in nodes
    ]


def cmd_outline(args: argparse.Namespace) -> int:
    """``outline DOC [--json]``."""
    doc = resolve_document(args, args.doc)
    if args.json:
        emit_json({"id": doc.id, "title": doc.title, "symbol": doc.symbol, "tree": _tree_json(doc.tree)})
        return 0
    print(doc.title + (f"  ({doc.symbol})" if doc.symbol else ""))

    def show(nodes: list[Heading]) -> None:
        for h in nodes:
            print(f"{'  ' * h.level}{h.display}  [{h.block}]")
            show(h.children)

    show(doc.tree)
    return 0


def cmd_goto(args: argparse.Namespace) -> int:
    """``goto DOC REF [--json]``: the best match, or one line and exit 1 when nothing matches."""
    doc = resolve_document(args, args.doc)
    found = resolve(doc, args.ref)
    if not found:
        raise CliError(
            f"nothing in {doc.symbol or doc.title or doc.id} matches {args.ref!r} "
            "(try 37, ¶37, 第37段, 第十条, Article 10, 一., A.)",
            1,
        )
    best = found[0]
    if args.json:
        emit_json(best.to_json())
        return 0
    where = " › ".join(best.path)
    print(f"{best.block}  {best.label}" + (f"  ({where})" if where else ""))
    if len(found) > 1:
        others = ", ".join(t.block for t in found[1:6])
        print(f"also: {others}" + (" …" if len(found) > 6 else ""))
    return 0


def cmd_dump(args: argparse.Namespace) -> int:
    """``dump DOC --json``."""
    doc = resolve_document(args, args.doc)
    blocks = [
        {
            "id": b.id,
            "kind": b.kind.value,
            "number": b.number,
            "text": b.text,
            "path": doc.path(b.id),
            **({"footnotes": b.footnotes} if b.footnotes else {}),
            **({"referenced_by": b.referenced_by} if b.referenced_by else {}),
            **({"label": b.label, "level": b.level} if b.kind is BlockKind.HEADING else {}),
            **({"cells": b.cells} if b.cells else {}),
        }
        for b in doc.blocks
    ]
    if args.json:
        emit_json({"id": doc.id, "title": doc.title, "symbol": doc.symbol, "blocks": blocks})
        return 0
    for b in doc.blocks:
        num = f"{b.number}. " if b.number and b.kind is BlockKind.PARAGRAPH else ""
        print(f"[{b.id}] {b.kind.value}: {num}{b.text}")
    return 0
