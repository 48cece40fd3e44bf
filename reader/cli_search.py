"""Search commands: ``search QUERY``, ``search -`` (queries from stdin), ``index rebuild|check``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from reader.cli import CliError, emit_json
from reader.core.errors import LibraryError
from reader.core.library import Library
from reader.core.searching import LibrarySearch, library_notes

if TYPE_CHECKING:
    from index import SearchResults
    from reader.cli import SubParsers


def register(sub: SubParsers) -> None:
    """Add the search and index commands to the CLI."""
    p = sub.add_parser("search", help="search the library (QUERY '-' reads one query per line from stdin)")
    p.add_argument(
        "query", metavar="QUERY", help='words (AND), "exact phrase", a OR b, -word, doc:X, in:title, in:notes'
    )
    p.add_argument("--doc", metavar="DOC", help="search only this document (id or symbol)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="hits to show (default 20)")
    p.add_argument("--offset", type=int, default=0, metavar="N", help="hits to skip (paging)")
    p.add_argument("--json", action="store_true", help="print JSON (always, for QUERY '-')")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("index", help="maintain the search index")
    isub = p.add_subparsers(dest="index_command", metavar="<action>", required=True)
    r = isub.add_parser("rebuild", help="rebuild the search index from the library")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_rebuild)
    c = isub.add_parser("check", help="check the index; repair it (exit 1) if it needed repair")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_check)


def _open(args: argparse.Namespace) -> LibrarySearch:
    try:
        library = Library.open(args.library)
    except LibraryError as exc:
        raise CliError(str(exc)) from exc
    return LibrarySearch(library, notes=library_notes(library))


def _print_human(results: SearchResults) -> None:
    shown = len(results.hits)
    first = results.offset + 1 if shown else 0
    head = f"{results.total} hits for {results.query!r}"
    if results.total:
        head += f" (showing {first}-{results.offset + shown})"
    head += f" in {results.elapsed_ms:.1f} ms"
    print(head)
    if results.notice:
        print(f"note: {results.notice}")
    for hit in results.hits:
        marked = []
        last = 0
        for s, e in hit.spans:
            marked.append(hit.snippet[last:s])
            marked.append(f"[{hit.snippet[s:e]}]")
            last = e
        marked.append(hit.snippet[last:])
        where = hit.symbol or hit.doc_id
        label = f"para {hit.number}" if hit.number and hit.kind == "paragraph" else hit.block_id or "title"
        path = " › ".join(hit.path)
        print(f"\n{where} {label}" + (f"  ({path})" if path else "") + ("" if hit.exact else "  ~words"))
        print("  " + "".join(marked).replace("\n", " "))


def cmd_search(args: argparse.Namespace) -> int:
    """``search QUERY`` / ``search -``."""
    if args.limit < 0 or args.offset < 0:
        raise CliError("--limit and --offset must not be negative")
    search = _open(args)
    if args.query == "-":
        for line in sys.stdin:
            query = line.rstrip("\n")
            if not query.strip():
                continue
            emit_json(search.search(query, limit=args.limit, offset=args.offset, doc=args.doc).to_json())
            sys.stdout.flush()
        return 0
    results = search.search(args.query, limit=args.limit, offset=args.offset, doc=args.doc)
    if args.json:
        emit_json(results.to_json())
    else:
        _print_human(results)
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    """``index rebuild``."""
    search = _open(args)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and total:
            print(f"\rindexing {done}/{total}", end="", file=sys.stderr, flush=True)

    report = search.rebuild(progress=progress)
    if tty:
        print(file=sys.stderr)
    health = search.engine.check(repair=False)
    out = {
        "documents": health.documents,
        "blocks": health.blocks,
        "words_docs": health.words_docs,
        "elapsed_s": round(report.elapsed_s, 3),
        "failed": report.failed,
    }
    if args.json:
        emit_json(out)
    else:
        print(f"indexed {health.documents} documents, {health.blocks} blocks in {report.elapsed_s:.2f} s")
        for line in report.failed:
            print(f"failed: {line}")
    return 1 if report.failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    """``index check``: exit 0 when healthy, 1 when a repair was needed (and done)."""
    search = _open(args)
    health = search.check(repair=True)
    if args.json:
        emit_json(health.to_json())
    else:
        if health.ok:
            print(f"index ok: {health.documents} documents, {health.blocks} blocks")
        else:
            print(f"index repaired: {health.documents} documents, {health.blocks} blocks")
            for problem in health.problems:
                print(f"  {problem}")
    return 0 if health.ok else 1
