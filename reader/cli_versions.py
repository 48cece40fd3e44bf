"""Language-version commands: ``versions``, ``link``, ``unlink``, ``language``, ``align``."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from reader.cli import CliError, emit_json
from reader.cli_library import open_library, resolve_document, resolve_record
from reader.core import versions
from reader.core.align import LOW_CONFIDENCE, align
from reader.core.errors import LibraryError
from reader.core.library import DocumentRecord

if TYPE_CHECKING:
    from reader.cli import SubParsers

T = TypeVar("T")


def register(sub: SubParsers) -> None:
    """Add the language-version commands to the CLI."""
    p = sub.add_parser("versions", help="list a document's language versions")
    p.add_argument("doc", metavar="DOC", help="library id or symbol (SYMBOL@lang for one language)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("link", help="make DOC a language version of another document (no symbol needed)")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--to", required=True, metavar="DOC", help="the document DOC is a translation of")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_link)

    p = sub.add_parser("unlink", help="make a language version a document of its own again")
    p.add_argument("doc", metavar="DOC")
    p.set_defaults(func=cmd_unlink)

    p = sub.add_parser("language", help="correct the detected language of a document")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("language", metavar="LANG", help="BCP 47 tag: ar, zh-Hans, zh-Hant, en, fr, ru, es ...")
    p.set_defaults(func=cmd_language)

    p = sub.add_parser("align", help="align two language versions paragraph by paragraph")
    p.add_argument("doc_a", metavar="DOC_A", help="library id, SYMBOL@lang, or a file path")
    p.add_argument("doc_b", metavar="DOC_B")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_align)


def version_json(rec: DocumentRecord) -> dict[str, Any]:
    """One language version as ``list --json`` and ``versions --json`` give it."""
    return {
        "id": rec.id,
        "language": rec.language,
        "title": rec.title,
        "revisions": len(rec.revisions),
        "current": rec.current,
        **({"language_set_by_user": True} if rec.language_set_by_user else {}),
    }


def cmd_versions(args: argparse.Namespace) -> int:
    """``versions DOC [--json]``."""
    lib, rec = resolve_record(args, args.doc)
    members = versions.members_of(lib, rec)
    if args.json:
        emit_json({"id": members[0].id, "versions": [version_json(m) for m in members]})
        return 0
    for m in members:
        print(f"{m.id}  {m.language:<8} {versions.language_name(m.language)}  {m.title}")
    return 0


def _refused(call: Callable[[], T]) -> T:
    """``call()``, its unknown document or refused change as a one-line CLI error."""
    try:
        return call()
    except KeyError as exc:
        raise CliError(str(exc.args[0] if exc.args else exc), 1) from exc
    except LibraryError as exc:
        raise CliError(str(exc), 1) from exc


def cmd_link(args: argparse.Namespace) -> int:
    """``link DOC --to DOC``."""
    lib = open_library(args)
    members = _refused(lambda: versions.link(lib, args.doc, args.to))
    if args.json:
        emit_json({"id": members[0].id, "versions": [version_json(m) for m in members]})
    else:
        print(
            f"{members[0].id} now has {len(members)} language versions: "
            + ", ".join(m.language for m in members)
        )
    return 0


def cmd_unlink(args: argparse.Namespace) -> int:
    """``unlink DOC``."""
    lib = open_library(args)
    rec = _refused(lambda: versions.unlink(lib, args.doc))
    print(f"{rec.id} ({rec.language}) is a document of its own")
    return 0


def cmd_language(args: argparse.Namespace) -> int:
    """``language DOC LANG``."""
    lib = open_library(args)
    rec = _refused(lambda: versions.set_language(lib, args.doc, args.language))
    print(f"{rec.id}: language {rec.language} ({versions.language_name(rec.language)})")
    return 0


def cmd_align(args: argparse.Namespace) -> int:
    """``align DOC_A DOC_B [--json]``."""
    doc_a = resolve_document(args, args.doc_a)
    doc_b = resolve_document(args, args.doc_b)
    alignment = align(doc_a, doc_b)
    if args.json:
        js = alignment.to_json()
        # A file given by path has no library id: name it as it was given.
        js["a"], js["b"] = doc_a.id or args.doc_a, doc_b.id or args.doc_b
        emit_json(js)
        return 0
    for p in alignment.pairs:
        left = "+".join(p.a) or "—"
        right = "+".join(p.b) or "—"
        flag = "  LOW" if p.confidence < LOW_CONFIDENCE else ""
        label = f"[{p.label}] " if p.label else ""
        print(f"{left:<14} {right:<14} {label}{p.method} {p.confidence:.2f}{flag}")
    low = sum(1 for p in alignment.pairs if p.confidence < LOW_CONFIDENCE)
    print(f"{len(alignment.pairs)} pairs, {low} of low confidence")
    return 0
