"""Annotation files to and from YAML: validation, migrations, human-friendly output.

Only :func:`reader.core.safeyaml.load` (``yaml.safe_load`` bounded in size and
in what aliases expand to) reads files.  Validation is strict about types (a file
that does not validate is moved aside by the store, never half-loaded) but
keeps unknown keys so a file written by a newer minor version round-trips.
The format is documented in ``docs/FORMAT.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import yaml

from reader.core import safeyaml
from reader.core.annotations.model import (
    Anchor,
    AnchorStatus,
    AnnotationSet,
    Bookmark,
    DocumentInfo,
    Note,
    PreviousAnchor,
    Tombstone,
    is_valid_colour,
    normalise_tags,
    parse_time,
)
from reader.core.limits import MAX_NOTES_BYTES, megabytes

SCHEMA_VERSION = 1
"""Version written by this code; older versions are migrated on load."""

MAX_FILE_BYTES = MAX_NOTES_BYTES
"""Larger files are refused unparsed (no delegate writes 32 MB of notes)."""

Migration = Callable[[dict[str, Any]], dict[str, Any]]

MIGRATIONS: dict[int, Migration] = {}
"""``MIGRATIONS[n]`` turns a version-``n`` mapping into version ``n + 1``."""


class FormatError(ValueError):
    """The file is not a valid annotation file; the message says where and why."""


class NewerFormatError(FormatError):
    """The file was written by a newer version of the program (kept untouched)."""


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line strings as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dumps(data: AnnotationSet) -> str:
    """The YAML text of an annotation set (stable key order, UTF-8 characters as is)."""
    header = (
        "# Briefing Reader annotations: one author's notes and bookmarks on one document.\n"
        "# Edit with care; the format is described in docs/FORMAT.md.\n"
    )
    body = yaml.dump(
        to_mapping(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )
    return header + body


def to_mapping(data: AnnotationSet) -> dict[str, Any]:
    """The plain mapping written to YAML."""
    return {
        "schema_version": SCHEMA_VERSION,
        "document": {"id": data.document.id, "symbol": data.document.symbol, "title": data.document.title},
        "author": data.author,
        "notes": [_note_map(n) for n in data.notes.values()],
        "bookmarks": [_bookmark_map(b) for b in data.bookmarks.values()],
        "tombstones": [{"id": t.id, "deleted_at": t.deleted_at} for t in data.tombstones.values()],
        # Last on purpose: a file cut short (a partial copy by a sync tool or a pulled USB
        # stick) can still be valid YAML; without this marker it is recognised as cut.
        "complete": True,
    }


def _anchor_map(a: Anchor) -> dict[str, Any]:
    out: dict[str, Any] = {
        "revision": a.revision,
        "block": a.block,
        "paragraph": a.paragraph,
        "start": a.start,
        "end": a.end,
        "quote": a.quote,
        "prefix": a.prefix,
        "suffix": a.suffix,
        "status": a.status.value,
        "confidence": a.confidence,
    }
    if a.checked:
        out["checked"] = a.checked
    if a.previous:
        out["previous"] = [
            {
                "revision": p.revision,
                "block": p.block,
                "paragraph": p.paragraph,
                "start": p.start,
                "end": p.end,
                "quote": p.quote,
            }
            for p in a.previous
        ]
    return out


def _note_map(n: Note) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": n.id,
        "author": n.author,
        "created": n.created,
        "modified": n.modified,
        "colour": n.colour,
        "tags": list(n.tags),
        "text": n.text,
        "anchor": _anchor_map(n.anchor),
    }
    out.update({k: v for k, v in n.extra.items() if k not in out})
    return out


def _bookmark_map(b: Bookmark) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": b.id,
        "name": b.name,
        "author": b.author,
        "created": b.created,
        "modified": b.modified,
        "anchor": _anchor_map(b.anchor),
    }
    out.update({k: v for k, v in b.extra.items() if k not in out})
    return out


# ---------------------------------------------------------------- reading


def loads(text: str | bytes) -> AnnotationSet:
    """Parse and validate an annotation file, migrating older versions.

    Raises:
        FormatError: Not YAML, not valid, empty, or unsafe (``!!python/object`` and other tags).
        NewerFormatError: ``schema_version`` is newer than this program understands.
    """
    if len(text) > MAX_FILE_BYTES:
        raise FormatError(f"file is too large ({len(text)} bytes; the limit is {megabytes(MAX_FILE_BYTES)})")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(f"not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise FormatError("file is empty")
    try:
        raw = safeyaml.load(text, max_bytes=MAX_FILE_BYTES)
    except safeyaml.YamlLimitError as exc:
        raise FormatError(f"refused: the YAML {exc}") from None
    except yaml.constructor.ConstructorError as exc:
        raise FormatError(f"unsafe or unknown YAML tag ({_yaml_where(exc)})") from None
    except yaml.YAMLError as exc:
        raise FormatError(f"not valid YAML ({_yaml_where(exc)})") from None
    return from_mapping(raw)


def loads_newer(text: str | bytes) -> AnnotationSet | None:
    """What can be shown of a file written by a newer version: its notes if they still validate.

    Only for display (the store keeps such a file read-only and never writes
    it); ``None`` when its shape changed too much to show.
    """
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        raw = safeyaml.load(text, max_bytes=MAX_FILE_BYTES)
        if not isinstance(raw, dict):
            return None
        return _build(raw)
    except (UnicodeDecodeError, yaml.YAMLError, FormatError):
        return None


def _yaml_where(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)


def from_mapping(raw: object) -> AnnotationSet:
    """Validate a parsed YAML value and build the annotation set."""
    if raw is None:
        raise FormatError("file is empty")
    if not isinstance(raw, dict):
        raise FormatError(f"expected a mapping at the top, found {_kind(raw)}")
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise FormatError("missing or invalid schema_version (not an annotation file?)")
    if version > SCHEMA_VERSION:
        raise NewerFormatError(
            f"written by a newer version (schema {version}; this program reads {SCHEMA_VERSION})"
        )
    data: dict[str, Any] = dict(raw)
    while version < SCHEMA_VERSION:
        migrate = MIGRATIONS.get(version)
        if migrate is None:
            raise FormatError(f"no migration from schema {version}")
        data = migrate(data)
        version += 1
        data["schema_version"] = version
    if data.get("complete") is not True:
        raise FormatError("the file is incomplete (no 'complete: true' at the end; cut short?)")
    return _build(data)


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _build(raw: dict[str, Any]) -> AnnotationSet:
    doc = _mapping(raw.get("document"), "document")
    info = DocumentInfo(
        id=_str(doc.get("id"), "document.id", empty=False),
        symbol=_opt_str(doc.get("symbol"), "document.symbol"),
        title=_opt_str(doc.get("title"), "document.title") or "",
    )
    author = _str(raw.get("author"), "author", empty=False)
    result = AnnotationSet(document=info, author=author)
    for i, item in enumerate(_list(raw.get("notes"), "notes")):
        note = _note(_mapping(item, f"notes[{i}]"), f"notes[{i}]", author)
        if note.id in result.notes:
            raise FormatError(f"notes[{i}].id: duplicate id {note.id}")
        result.notes[note.id] = note
    for i, item in enumerate(_list(raw.get("bookmarks"), "bookmarks")):
        mark = _bookmark(_mapping(item, f"bookmarks[{i}]"), f"bookmarks[{i}]", author)
        if mark.id in result.bookmarks:
            raise FormatError(f"bookmarks[{i}].id: duplicate id {mark.id}")
        result.bookmarks[mark.id] = mark
    for i, item in enumerate(_list(raw.get("tombstones"), "tombstones")):
        where = f"tombstones[{i}]"
        tomb = _mapping(item, where)
        stone = Tombstone(
            _str(tomb.get("id"), f"{where}.id", empty=False), _time(tomb.get("deleted_at"), where)
        )
        result.tombstones[stone.id] = stone
    return result


_NOTE_KEYS = {"id", "author", "created", "modified", "colour", "color", "tags", "text", "anchor"}
_BOOKMARK_KEYS = {"id", "name", "author", "created", "modified", "anchor"}


def _note(m: dict[str, Any], where: str, default_author: str) -> Note:
    colour = m.get("colour", m.get("color", "yellow"))
    colour = _str(colour, f"{where}.colour", empty=False)
    if not is_valid_colour(colour):
        raise FormatError(f"{where}.colour: unknown colour {colour!r}")
    tags = _list(m.get("tags"), f"{where}.tags")
    created = _time(m.get("created"), f"{where}.created")
    return Note(
        id=_str(m.get("id"), f"{where}.id", empty=False),
        anchor=_anchor(m.get("anchor"), f"{where}.anchor"),
        author=_opt_str(m.get("author"), f"{where}.author") or default_author,
        created=created,
        modified=_time(m.get("modified", created), f"{where}.modified"),
        text=_opt_str(m.get("text"), f"{where}.text") or "",
        colour=colour,
        tags=normalise_tags([_str(t, f"{where}.tags[{j}]") for j, t in enumerate(tags)]),
        extra={k: v for k, v in m.items() if k not in _NOTE_KEYS},
    )


def _bookmark(m: dict[str, Any], where: str, default_author: str) -> Bookmark:
    created = _time(m.get("created"), f"{where}.created")
    return Bookmark(
        id=_str(m.get("id"), f"{where}.id", empty=False),
        anchor=_anchor(m.get("anchor"), f"{where}.anchor"),
        author=_opt_str(m.get("author"), f"{where}.author") or default_author,
        created=created,
        modified=_time(m.get("modified", created), f"{where}.modified"),
        name=_opt_str(m.get("name"), f"{where}.name") or "",
        extra={k: v for k, v in m.items() if k not in _BOOKMARK_KEYS},
    )


def _anchor(value: object, where: str) -> Anchor:
    m = _mapping(value, where)
    start = _int(m.get("start"), f"{where}.start")
    end = _int(m.get("end"), f"{where}.end")
    if not 0 <= start <= end:
        raise FormatError(f"{where}: start {start} and end {end} are not a valid span")
    status_raw = _str(m.get("status", "exact"), f"{where}.status")
    try:
        status = AnchorStatus(status_raw)
    except ValueError:
        raise FormatError(f"{where}.status: unknown status {status_raw!r}") from None
    confidence = m.get("confidence", 1.0)
    if isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1:
        raise FormatError(f"{where}.confidence: expected a number from 0 to 1")
    previous = []
    for i, item in enumerate(_list(m.get("previous"), f"{where}.previous")):
        p = _mapping(item, f"{where}.previous[{i}]")
        pw = f"{where}.previous[{i}]"
        previous.append(
            PreviousAnchor(
                revision=_str(p.get("revision"), f"{pw}.revision"),
                block=_str(p.get("block"), f"{pw}.block"),
                start=_int(p.get("start"), f"{pw}.start"),
                end=_int(p.get("end"), f"{pw}.end"),
                quote=_str(p.get("quote"), f"{pw}.quote"),
                paragraph=_opt_scalar(p.get("paragraph"), f"{pw}.paragraph"),
            )
        )
    return Anchor(
        revision=_str(m.get("revision"), f"{where}.revision"),
        block=_str(m.get("block"), f"{where}.block", empty=False),
        start=start,
        end=end,
        quote=_str(m.get("quote"), f"{where}.quote"),
        prefix=_opt_str(m.get("prefix"), f"{where}.prefix") or "",
        suffix=_opt_str(m.get("suffix"), f"{where}.suffix") or "",
        paragraph=_opt_scalar(m.get("paragraph"), f"{where}.paragraph"),
        status=status,
        confidence=float(confidence),
        checked=_opt_str(m.get("checked"), f"{where}.checked"),
        previous=previous,
    )


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FormatError(f"{where}: expected a mapping, found {_kind(value)}")
    return value


def _list(value: object, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError(f"{where}: expected a list, found {_kind(value)}")
    return value


def _str(value: object, where: str, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise FormatError(f"{where}: expected text, found {_kind(value) if value is not None else 'nothing'}")
    if not empty and not value.strip():
        raise FormatError(f"{where}: must not be empty")
    return value


def _opt_str(value: object, where: str) -> str | None:
    return None if value is None else _str(value, where)


def _opt_scalar(value: object, where: str) -> str | None:
    # A hand-edited ``paragraph: 37`` is an int in YAML; accept it as the number it is.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _opt_str(value, where)


def _int(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FormatError(f"{where}: expected a whole number")
    return value


def _time(value: object, where: str) -> str:
    # Unquoted timestamps typed by hand come back from YAML as datetimes.
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day).isoformat(timespec="microseconds")
    text = _str(value, where, empty=False)
    try:
        parse_time(text)
    except ValueError:
        raise FormatError(f"{where}: not an ISO date and time: {text!r}") from None
    return text
