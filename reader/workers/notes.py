"""Jobs over annotation files: export, merging a colleague's file, counting notes per document.

Each is a thin :class:`~reader.workers.jobs.Job` around the Qt-free store in
:mod:`reader.core.annotations`, so file reading and writing never happens on
the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reader.core.annotations import (
    AnnotationStore,
    DocumentNotes,
    ExportFilter,
    MergeReport,
    export_docx,
    export_markdown,
)
from reader.core.annotations.files import AnnotationFile
from reader.core.annotations.merge import newer
from reader.workers.jobs import Job, JobContext

EXPORT_FORMATS = ("md", "docx")


def export_job(notes: DocumentNotes, path: Path, fmt: str, filter_: ExportFilter | None) -> Job[int]:
    """Write ``notes`` to ``path`` as Markdown (``md``) or Word (``docx``); the result is the item count."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    writer = export_docx if fmt == "docx" else export_markdown

    def run(_ctx: JobContext) -> int:
        return writer(notes, path, filter_)

    return Job(run, name="export")


def merge_job(store: AnnotationStore, path: Path) -> Job[tuple[str, MergeReport]]:
    """Merge a colleague's annotation file into the library and save; the result is ``(doc_id, report)``."""

    def run(_ctx: JobContext) -> tuple[str, MergeReport]:
        doc_id, report = store.merge_file(path)
        # The UI store does not autosave; write the merged document now rather than on a timer,
        # since it may not be the one on screen.
        notes = store.open_document(doc_id)
        if notes.dirty and not notes.read_only:
            notes.save()
        return doc_id, report

    return Job(run, name="merge")


def count_notes(folder: Path) -> int:
    """How many notes the annotation files in ``folder`` hold (all authors, deletions applied).

    Reads each file with the store's own reader (``yaml.safe_load`` and
    validation), without moving anything aside; unreadable files count as empty.
    """
    if not folder.is_dir():
        return 0
    modified: dict[str, str] = {}
    deleted: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("."):
            continue
        data = AnnotationFile(path, backups=0).read(quarantine=False).data
        if data is None:
            continue
        for note in data.notes.values():
            if note.id not in modified or newer(note.modified, modified[note.id]):
                modified[note.id] = note.modified
        for stone in data.tombstones.values():
            if stone.id not in deleted or newer(stone.deleted_at, deleted[stone.id]):
                deleted[stone.id] = stone.deleted_at
    # As in a merge: a deletion removes a note unless the note was changed after it.
    return sum(1 for i, when in modified.items() if i not in deleted or newer(when, deleted[i]))


def count_job(store: AnnotationStore, doc_ids: Sequence[str]) -> Job[dict[str, int]]:
    """Count the notes of each document (for the Library table), cancellable between documents."""
    wanted = list(doc_ids)

    def run(ctx: JobContext) -> dict[str, int]:
        counts: dict[str, int] = {}
        for done, doc_id in enumerate(wanted, start=1):
            ctx.check()
            counts[doc_id] = count_notes(store.notes_dir(doc_id))
            ctx.progress(done, len(wanted))
        return counts

    return Job(run, name="count")
