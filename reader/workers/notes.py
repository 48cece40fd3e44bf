"""Jobs over annotation files (export, merge, reload, counts) and the guard they share with the GUI.

Each job is a thin :class:`~reader.workers.jobs.Job` around the Qt-free store in
:mod:`reader.core.annotations`, so reading and writing files never happens on
the GUI thread.  :class:`DocumentNotes` is not thread-safe: jobs that touch
the open notes hold :attr:`NotesGuard.lock`, and the GUI thread goes through
:meth:`NotesGuard.run`, which never waits: while a job holds the notes, the
GUI's edits queue up and run, in order, as soon as it lets go.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

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
from reader.core.model import Document
from reader.workers.jobs import Job, JobContext

EXPORT_FORMATS = ("md", "docx")
RETRY_MS = 15


class NotesGuard(QObject):
    """One user of the open notes at a time: jobs hold :attr:`lock`; the GUI calls :meth:`run`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.lock = threading.Lock()
        self._queue: list[Callable[[], None]] = []
        self._inside = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(RETRY_MS)
        self._timer.timeout.connect(self.drain)

    @property
    def pending(self) -> int:
        """How many GUI calls wait for a job to let go of the notes."""
        return len(self._queue)

    def run(self, func: Callable[[], None]) -> bool:
        """Call ``func`` now if no job holds the notes (True); else queue it behind earlier calls (False)."""
        if self._inside:
            # Called from a function this guard is already running (e.g. a refresh after an edit).
            func()
            return True
        self._queue.append(func)
        self.drain()
        return not self._queue

    def drain(self) -> None:
        """Run queued calls in order while the notes are free; retry shortly when they are not."""
        while self._queue:
            if not self.lock.acquire(blocking=False):
                self._timer.start()
                return
            func = self._queue.pop(0)
            self._inside = True
            try:
                func()
            finally:
                self._inside = False
                self.lock.release()


def export_job(
    notes: DocumentNotes,
    path: Path,
    fmt: str,
    filter_: ExportFilter | None,
    lock: threading.Lock,
    cite_in: Callable[[], Document] | None = None,
) -> Job[int]:
    """Write ``notes`` to ``path`` as Markdown (``md``) or Word (``docx``); the result is the item count.

    With ``cite_in`` (loads another language version, in the worker) each paragraph is cited in
    both languages.
    """
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    writer = export_docx if fmt == "docx" else export_markdown

    def run(_ctx: JobContext) -> int:
        cite = None
        if cite_in is not None:
            from reader.core.align import align
            from reader.core.align.cite import bilingual_citer

            other = cite_in()
            cite = bilingual_citer(other, align(notes.document, other))
        with lock:
            return writer(notes, path, filter_, cite)

    return Job(run, name="export")


def merge_job(store: AnnotationStore, path: Path, lock: threading.Lock) -> Job[tuple[str, MergeReport]]:
    """Merge a colleague's annotation file into the library and save; the result is ``(doc_id, report)``."""

    def run(_ctx: JobContext) -> tuple[str, MergeReport]:
        with lock:
            doc_id, report = store.merge_file(path)
            # The UI store does not autosave; write the merged document now rather than on a timer,
            # since it may not be the one on screen.
            notes = store.open_document(doc_id)
            if notes.dirty and not notes.read_only:
                notes.save()
            return doc_id, report

    return Job(run, name="merge")


def reload_job(notes: DocumentNotes, lock: threading.Lock) -> Job[bool]:
    """Re-read the document's annotation files if changed on disk; the result says whether anything changed.

    Usually a few ``stat`` calls, but a changed file is parsed again (about 0.1 s for 200 notes).
    """

    def run(_ctx: JobContext) -> bool:
        with lock:
            return notes.reload_if_changed()

    return Job(run, name="reload")


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
