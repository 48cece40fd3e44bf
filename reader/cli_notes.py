"""Notes and bookmarks commands: ``notes add|list|export|merge|delete``, ``bookmarks add|list|remove``.

DOC is a library id (or unique id prefix) or symbol.  Notes are written as
the author named by ``$BRIEFING_READER_AUTHOR`` (default: the OS user name).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.cli import CliError, emit_json
from reader.core.annotations import (
    COLOURS,
    AddBookmark,
    AddNote,
    Anchor,
    AnnotationStore,
    Bookmark,
    DeleteNote,
    DocumentNotes,
    ExportFilter,
    Note,
    ReadOnlyError,
    RemoveBookmark,
    export_docx,
    export_markdown,
)
from reader.core.annotations.export import Citer
from reader.core.annotations.model import is_valid_colour
from reader.core.errors import ImportFailed, LibraryError
from reader.core.importers import read_file_bytes
from reader.core.library import Library
from reader.core.model import Document

if TYPE_CHECKING:
    from reader.cli import SubParsers


def register(sub: SubParsers) -> None:
    """Add the ``notes`` and ``bookmarks`` command groups to the CLI."""
    notes = sub.add_parser("notes", help="add, list, export and merge notes")
    nsub = notes.add_subparsers(dest="notes_command", metavar="<action>", required=True)

    p = nsub.add_parser("add", help="add a note to a block")
    p.add_argument("doc", metavar="DOC", help="library id or symbol")
    p.add_argument("--block", required=True, metavar="ID", help="block id, e.g. p37")
    p.add_argument(
        "--quote", metavar="TEXT", help="text within the block to highlight (default: whole block)"
    )
    p.add_argument("--start", type=int, metavar="N", help="start offset in the block (code points)")
    p.add_argument("--end", type=int, metavar="N", help="end offset in the block (code points)")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="tag (repeatable)")
    p.add_argument("--color", "--colour", dest="colour", default="yellow", metavar="C", help=_colour_help())
    p.add_argument("--note", default="", metavar="TEXT", help="note text")
    p.add_argument("--json", action="store_true", help="print the note as JSON")
    p.set_defaults(func=_refusing(cmd_notes_add))

    p = nsub.add_parser("list", help="list a document's notes")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_refusing(cmd_notes_list))

    p = nsub.add_parser("export", help="export notes and bookmarks to Markdown or Word")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--format", choices=("md", "docx"), default=None, help="default: from the file extension")
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--tag", action="append", default=[], metavar="T", help="only notes with this tag")
    p.add_argument("--color", "--colour", dest="colour", action="append", default=[], metavar="C")
    p.add_argument(
        "--cite-in",
        metavar="LANG",
        help="also cite each paragraph in this language version (A/75/563，第 37 段 / A/75/563, para. 37)",
    )
    p.set_defaults(func=_refusing(cmd_notes_export))

    p = nsub.add_parser("merge", help="merge a colleague's notes file into the library")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_refusing(cmd_notes_merge))

    p = nsub.add_parser("delete", help="delete a note")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("id", metavar="ID", help="note id (or a unique prefix)")
    p.set_defaults(func=_refusing(cmd_notes_delete))

    marks = sub.add_parser("bookmarks", help="add, list and remove bookmarks")
    bsub = marks.add_subparsers(dest="bookmarks_command", metavar="<action>", required=True)

    p = bsub.add_parser("add", help="bookmark a block")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--block", required=True, metavar="ID")
    p.add_argument("--name", default="", metavar="N")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_refusing(cmd_bookmarks_add))

    p = bsub.add_parser("list", help="list a document's bookmarks")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_refusing(cmd_bookmarks_list))

    p = bsub.add_parser("remove", help="remove a bookmark")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("id", metavar="ID", help="bookmark id (or a unique prefix)")
    p.set_defaults(func=_refusing(cmd_bookmarks_remove))


def _refusing(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """The command with a refused change (read-only notes) turned into one error line."""

    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ReadOnlyError as exc:
            raise CliError(str(exc), 1) from exc

    run.__doc__ = command.__doc__
    return run


def _colour_help() -> str:
    return f"one of {', '.join(COLOURS)}, or #rrggbb"


# ---------------------------------------------------------------- plumbing


NOTES_LOCK_WAIT = 10.0
"""Seconds a writing command waits for another process to release the notes lock."""


def _store(args: argparse.Namespace, *, write: bool) -> AnnotationStore:
    try:
        library = Library.open(args.library)
    except Exception as exc:
        raise CliError(str(exc), 1) from exc
    store = AnnotationStore(library, read_only=not write, wait=NOTES_LOCK_WAIT if write else 0.0)
    if write and store.read_only:
        raise CliError(store.read_only_reason, 1)
    return store


def _library_id_of_file(library: Library, path: Path) -> str | None:
    """The library document holding this exact file as one of its revisions, if any."""
    try:
        sha = hashlib.sha256(read_file_bytes(path)).hexdigest()
    except ImportFailed as exc:
        raise CliError(str(exc), 1) from exc
    for record in library.documents():
        if record.revision(sha) is not None:
            return record.id
    return None


def _open(store: AnnotationStore, ref: str, *, write: bool = False) -> DocumentNotes:
    path = Path(ref)
    try:
        notes = store.open_document(ref)
    except LibraryError as exc:
        raise CliError(str(exc), 1) from exc
    except ImportFailed as exc:  # the stored original cannot be read or parsed any more
        raise CliError(str(exc), 1) from exc
    except KeyError as exc:
        if not path.is_file():
            raise CliError(str(exc.args[0] if exc.args else ref), 1) from exc
        # DOC given as a file: notes belong to the library document with this content.
        doc_id = _library_id_of_file(store.library, path)
        if doc_id is None:
            raise CliError(
                f"{path} is not in the library; notes need it imported first: briefing-reader import {path}",
                1,
            ) from exc
        notes = store.open_document(doc_id)
    if write and notes.read_only:
        raise CliError(notes.read_only_reason, 1)
    for problem in notes.problems:
        print(f"briefing-reader: warning: {problem.message()}", file=sys.stderr)
    return notes


def _anchor_json(anchor: Anchor) -> dict[str, Any]:
    return {
        "block": anchor.block,
        "paragraph": anchor.paragraph,
        "start": anchor.start,
        "end": anchor.end,
        "quote": anchor.quote,
        "status": anchor.status.value,
        "confidence": anchor.confidence,
        "revision": anchor.revision,
    }


def note_json(doc_id: str, note: Note) -> dict[str, Any]:
    """The JSON shape of a note in CLI output."""
    return {
        "doc": doc_id,
        "id": note.id,
        "author": note.author,
        "created": note.created,
        "modified": note.modified,
        "colour": note.colour,
        "tags": note.tags,
        "text": note.text,
        **_anchor_json(note.anchor),
    }


def bookmark_json(doc_id: str, mark: Bookmark) -> dict[str, Any]:
    """The JSON shape of a bookmark in CLI output."""
    return {
        "doc": doc_id,
        "id": mark.id,
        "name": mark.name,
        "author": mark.author,
        "created": mark.created,
        "modified": mark.modified,
        **_anchor_json(mark.anchor),
    }


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(anchor: Anchor) -> str:
    if anchor.is_orphan:
        return f"orphan (was {anchor.block})"
    return anchor.block


def _find(ids: list[str], ref: str, what: str) -> str:
    ref = ref.strip()
    if ref in ids:
        return ref
    matches = [i for i in ids if i.startswith(ref)] if len(ref) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise CliError(f"{what} id {ref!r} is ambiguous; give more characters", 1)
    raise CliError(f"no {what} {ref!r} in this document", 1)


# ---------------------------------------------------------------- notes


def cmd_notes_add(args: argparse.Namespace) -> int:
    """``notes add``: anchor a note to a block, a quote or an offset range."""
    if not is_valid_colour(args.colour):
        raise CliError(f"unknown colour {args.colour!r}; use {_colour_help()}", 2)
    if (args.start is None) != (args.end is None):
        raise CliError("give both --start and --end, or neither", 2)
    with _store(args, write=True) as store:
        notes = _open(store, args.doc, write=True)
        try:
            note = notes.make_note(
                args.block,
                args.start,
                args.end,
                quote=args.quote,
                text=args.note,
                colour=args.colour,
                tags=args.tag,
            )
        except KeyError:
            raise CliError(f"no block {args.block!r} in document {notes.doc_id}", 1) from None
        except ValueError as exc:
            raise CliError(str(exc), 1) from exc
        AddNote(notes, note).do()
        if args.json:
            emit_json(note_json(notes.doc_id, note))
        else:
            print(f"{note.id}  {note.anchor.block}  {_short(note.anchor.quote)}")
    return 0


def cmd_notes_list(args: argparse.Namespace) -> int:
    """``notes list``: the document's notes in reading order, orphans last."""
    with _store(args, write=False) as store:
        notes = _open(store, args.doc)
        found = notes.notes()
        if args.json:
            emit_json([note_json(notes.doc_id, n) for n in found])
            return 0
        for note in found:
            parts = [note.id[:8], f"{_where(note.anchor):<6}", f"[{note.colour}]"]
            parts += [f"#{t}" for t in note.tags]
            parts.append(f"«{_short(note.anchor.quote)}»")
            if note.text:
                parts.append(_short(note.text, 60))
            print(" ".join(parts))
    return 0


_EXPORT_SUFFIXES = {".md": "md", ".markdown": "md", ".docx": "docx"}


def _export_format(output: Path, chosen: str | None) -> str:
    """The format to write: ``--format``, else the extension; a contradiction is refused."""
    implied = _EXPORT_SUFFIXES.get(output.suffix.lower())
    if chosen and implied and chosen != implied:
        raise CliError(
            f"--format {chosen} contradicts the extension of {output.name}; "
            f"name the file .{chosen} or drop --format",
            2,
        )
    if not output.parent.is_dir():
        raise CliError(f"{output}: the folder {output.parent} does not exist", 1)
    return chosen or implied or "md"


def cmd_notes_export(args: argparse.Namespace) -> int:
    """``notes export``: Markdown or .docx, grouped by chapter, with citations."""
    output = Path(args.output)
    fmt = _export_format(output, args.format)
    for colour in args.colour:
        if not is_valid_colour(colour):
            raise CliError(f"unknown colour {colour!r}; use {_colour_help()}", 2)
    chosen = ExportFilter.of(tags=args.tag, colours=args.colour)
    with _store(args, write=False) as store:
        notes = _open(store, args.doc)
        cite = _citer(store.library, notes.document, args.cite_in) if args.cite_in else None
        try:
            count = (export_docx if fmt == "docx" else export_markdown)(notes, output, chosen, cite)
        except OSError as exc:
            raise CliError(f"{output}: cannot write ({exc.strerror or exc})", 1) from exc
    print(f"exported {count} item(s) to {output}")
    return 0


def _citer(library: Library, document: Document, language: str) -> Citer:
    """Citations in the document's language and in its version in ``language``."""
    from reader.core.align import align
    from reader.core.align.cite import bilingual_citer

    try:
        other = library.load(library.record(f"{document.id}@{language}").id)
    except KeyError as exc:
        raise CliError(str(exc.args[0] if exc.args else exc), 1) from exc
    return bilingual_citer(other, align(document, other))


def cmd_notes_merge(args: argparse.Namespace) -> int:
    """``notes merge``: bring a colleague's notes file into the library."""
    with _store(args, write=True) as store:
        try:
            doc_id, report = store.merge_file(Path(args.file))
        except (ValueError, ReadOnlyError) as exc:
            raise CliError(str(exc), 1) from exc
        if args.json:
            emit_json(
                {
                    "doc": doc_id,
                    "added": report.added,
                    "updated": report.updated,
                    "deleted": report.deleted,
                }
            )
        else:
            print(f"{doc_id}: {report.summary()}")
    return 0


def cmd_notes_delete(args: argparse.Namespace) -> int:
    """``notes delete``: delete a note (a tombstone carries the deletion to colleagues)."""
    with _store(args, write=True) as store:
        notes = _open(store, args.doc, write=True)
        note_id = _find([n.id for n in notes.notes()], args.id, "note")
        DeleteNote(notes, note_id).do()
        print(f"deleted {note_id}")
    return 0


# ---------------------------------------------------------------- bookmarks


def cmd_bookmarks_add(args: argparse.Namespace) -> int:
    """``bookmarks add``: bookmark a block, optionally named."""
    with _store(args, write=True) as store:
        notes = _open(store, args.doc, write=True)
        try:
            mark = notes.make_bookmark(args.block, args.name)
        except KeyError:
            raise CliError(f"no block {args.block!r} in document {notes.doc_id}", 1) from None
        except ValueError as exc:
            raise CliError(str(exc), 1) from exc
        block = mark.anchor.block
        same = [b for b in notes.bookmarks() if b.anchor.block == block and not b.anchor.is_orphan]
        if same:
            # Bookmarking a block twice would only list it twice: report the one there is.
            mark = same[0]
            print(f"briefing-reader: warning: {mark.anchor.block} is already bookmarked", file=sys.stderr)
        else:
            AddBookmark(notes, mark).do()
        if args.json:
            emit_json(bookmark_json(notes.doc_id, mark))
        else:
            print(f"{mark.id}  {mark.anchor.block}  {mark.name}")
    return 0


def cmd_bookmarks_list(args: argparse.Namespace) -> int:
    """``bookmarks list``: the document's bookmarks in reading order."""
    with _store(args, write=False) as store:
        notes = _open(store, args.doc)
        found = notes.bookmarks()
        if args.json:
            emit_json([bookmark_json(notes.doc_id, b) for b in found])
            return 0
        for mark in found:
            print(f"{mark.id[:8]}  {_where(mark.anchor):<8} {mark.name or _short(mark.anchor.quote)}")
    return 0


def cmd_bookmarks_remove(args: argparse.Namespace) -> int:
    """``bookmarks remove``: remove a bookmark."""
    with _store(args, write=True) as store:
        notes = _open(store, args.doc, write=True)
        mark_id = _find([b.id for b in notes.bookmarks()], args.id, "bookmark")
        RemoveBookmark(notes, mark_id).do()
        print(f"removed {mark_id}")
    return 0
