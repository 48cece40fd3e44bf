"""Annotations and bookmarks: local YAML files per document and author, robust anchors.

Public API (import from here):

* :class:`AnnotationStore` — the library's annotations for one author (lock, read-only mode,
  merge of a colleague's file, ``iter_note_texts`` for ``in:notes`` search);
* :class:`DocumentNotes` — one document's notes and bookmarks (all authors), mutations,
  ``reload_if_changed``, listeners, lazy re-anchoring report;
* data: :class:`Note`, :class:`Bookmark`, :class:`Anchor`, :class:`AnchorStatus`,
  :class:`Problem`, :class:`NoteText`, :class:`Change`;
* undo commands: :class:`AddNote`, :class:`EditNote`, :class:`RecolourNote`,
  :class:`RetagNote`, :class:`DeleteNote`, :class:`AddBookmark`, :class:`RemoveBookmark`,
  :class:`RenameBookmark`;
* offsets for Qt: :func:`to_utf16`, :func:`from_utf16`, :func:`span_to_utf16`,
  :func:`span_from_utf16`;
* export: :func:`export_markdown`, :func:`export_docx`.
"""

from __future__ import annotations

from reader.core.annotations.anchoring import Reanchorer, anchor_text, make_anchor
from reader.core.annotations.commands import (
    AcceptPlacement,
    AddBookmark,
    AddNote,
    Command,
    DeleteNote,
    EditNote,
    MoveNote,
    RecolourNote,
    RemoveBookmark,
    RenameBookmark,
    RetagNote,
)
from reader.core.annotations.export import ExportFilter, export_docx, export_markdown, markdown_text
from reader.core.annotations.merge import MergeReport
from reader.core.annotations.model import (
    COLOURS,
    DEFAULT_COLOUR,
    SUGGESTED_TAGS,
    Anchor,
    AnchorStatus,
    AnnotationSet,
    Bookmark,
    Note,
    NoteText,
    Problem,
    Tombstone,
)
from reader.core.annotations.offsets import from_utf16, span_from_utf16, span_to_utf16, to_utf16, utf16_length
from reader.core.annotations.store import (
    AUTHOR_ENV,
    REVIEWED_KEY,
    AnnotationStore,
    Change,
    DocumentNotes,
    ReadOnlyError,
    ReanchorReport,
    author_filename,
    default_author,
)

__all__ = [
    "AUTHOR_ENV",
    "COLOURS",
    "DEFAULT_COLOUR",
    "REVIEWED_KEY",
    "SUGGESTED_TAGS",
    "AcceptPlacement",
    "AddBookmark",
    "AddNote",
    "Anchor",
    "AnchorStatus",
    "AnnotationSet",
    "AnnotationStore",
    "Bookmark",
    "Change",
    "Command",
    "DeleteNote",
    "DocumentNotes",
    "EditNote",
    "ExportFilter",
    "MergeReport",
    "MoveNote",
    "Note",
    "NoteText",
    "Problem",
    "ReadOnlyError",
    "ReanchorReport",
    "Reanchorer",
    "RecolourNote",
    "RemoveBookmark",
    "RenameBookmark",
    "RetagNote",
    "Tombstone",
    "anchor_text",
    "author_filename",
    "default_author",
    "export_docx",
    "export_markdown",
    "from_utf16",
    "make_anchor",
    "markdown_text",
    "span_from_utf16",
    "span_to_utf16",
    "to_utf16",
    "utf16_length",
]
