"""Documents to word-index segments, in worker processes when the job is big enough.

jieba and the writing of Whoosh postings are pure Python and hold the GIL, so
a bulk job (rebuild, sync) deals its documents, in a few large batches, to
``python -I -c …`` worker processes (:mod:`index.segworker`): each segments a
batch, writes its words files and its Whoosh segment into a staging folder,
and the caller only commits the finished segments.  A small job, or a frozen
app (whose executable cannot be re-run as a plain Python worker), builds the
same batches in this process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from index.segworker import StagingTarget, WordJob, index_batch
from index.store import DocEntry
from index.types import CancelFn
from index.words import Whoosh, dictionary_cached, load_jieba

log = logging.getLogger(__name__)

POOL_WORKERS = 2
POOL_MIN_CHARS = 1_000_000
"""Below this much text, starting worker processes (~0.5 s each) costs more than it saves."""
BATCH_CHARS = 4_000_000
"""Most text per batch: one Whoosh segment each (fewer, larger ones are cheaper to write and to search)."""

Jobs = Callable[[DocEntry], WordJob]
"""Reads what a worker needs of a document (its rows, which are headings)."""
Batch = tuple[list[DocEntry], Whoosh]
"""A batch's documents and its Whoosh segment (files in the staging folder; ``None`` if it has no rows)."""


class WorkerFailed(Exception):
    """A worker could not start or died; the batches already answered are kept."""


def batches(docs: list[DocEntry], parts: int) -> list[list[DocEntry]]:
    """``docs`` in order, in at least ``parts`` runs of about equal text (≤ ~:data:`BATCH_CHARS`)."""
    total = sum(d.chars for d in docs)
    if not docs:
        return []
    n = max(parts, -(-total // BATCH_CHARS), 1)
    target = total / n
    out: list[list[DocEntry]] = [[]]
    before = 0
    for d in docs:
        # A batch ends where this document's middle would pass the batch's share of the text.
        if out[-1] and before + d.chars / 2 > len(out) * target and len(out) < n:
            out.append([])
        out[-1].append(d)
        before += d.chars
    return out


def word_batches(
    docs: list[DocEntry],
    jobs: Jobs,
    target: StagingTarget,
    store_dir: Path,
    cache_dir: Path,
    cancel: CancelFn | None,
    on_doc: Callable[[], None] | None = None,
) -> Iterator[Batch]:
    """Each batch of ``docs`` with its written segment, as they finish; stops early when cancelled."""
    chars = sum(d.chars for d in docs)
    workers = min(POOL_WORKERS, os.cpu_count() or 1)
    if chars < POOL_MIN_CHARS or workers < 2 or getattr(sys, "frozen", False):
        yield from _here(batches(docs, 1), jobs, target, store_dir, cache_dir, cancel, on_doc)
        return
    todo = batches(docs, workers)
    left = {id(b): b for b in todo}
    try:
        for batch in _by_workers(todo, jobs, workers, target, store_dir, cache_dir, cancel, on_doc):
            left.pop(id(batch[0]), None)
            yield batch
    except WorkerFailed as exc:
        # A worker that cannot start or dies costs speed, never the index.
        log.warning("word-index workers failed (%s); indexing words in this process", exc)
        rest = [b for b in todo if id(b) in left]
        yield from _here(rest, jobs, target, store_dir, cache_dir, cancel, on_doc)


def _here(
    todo: list[list[DocEntry]], jobs: Jobs, target: StagingTarget, store_dir: Path, cache_dir: Path,
    cancel: CancelFn | None, on_doc: Callable[[], None] | None,
) -> Iterator[Batch]:  # fmt: skip
    load_jieba(cache_dir)

    class Cancelled(Exception):
        pass

    def step() -> None:
        if on_doc is not None:
            on_doc()
        if cancel is not None and cancel():
            raise Cancelled

    for batch in todo:
        if cancel is not None and cancel():
            return
        try:
            seg = index_batch([jobs(d) for d in batch], target, store_dir, step)
        except Cancelled:
            return
        yield batch, seg


def _start_workers(procs: list[subprocess.Popen[bytes]], workers: int, cache_dir: Path) -> None:
    """Start the workers into ``procs`` (so the caller kills those started if a later one fails)."""
    # -I: neither the working folder nor PYTHONPATH may shadow this very package.
    package_root = str(Path(__file__).resolve().parent.parent)
    code = "import sys; sys.path.insert(0, sys.argv[1]); import index.segworker as w; sys.exit(w.main())"
    for _ in range(workers):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-I", "-c", code, package_root, str(cache_dir)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        )


_Event = tuple[str, object]
"""A worker thread's news: ``("doc", None)``, ``("seg", (batch, segment))``, ``("end", None)``, a failure."""


def _serve(
    proc: subprocess.Popen[bytes], setup: tuple[str, str, bytes], todo: queue.Queue[list[DocEntry]],
    jobs: Jobs, events: queue.Queue[_Event], stop: threading.Event,
) -> None:  # fmt: skip
    """One worker's thread: send it the next batch, pass on its answers, until no batch is left."""
    from index.segworker import read_message, write_message

    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None
    assert stdout is not None
    try:
        write_message(stdin, setup)
        while not stop.is_set():
            try:
                batch = todo.get_nowait()
            except queue.Empty:
                break
            write_message(stdin, [jobs(d) for d in batch])
            for _ in batch:
                if read_message(stdout) != ("doc", 1):
                    raise ValueError("worker ended early")
                events.put(("doc", None))
            answer = read_message(stdout)
            if not (isinstance(answer, tuple) and len(answer) == 2 and answer[0] == "seg"):
                raise ValueError("worker ended early")
            seg = pickle.loads(answer[1]) if answer[1] else None
            events.put(("seg", (batch, seg)))
        events.put(("end", None))
    except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
        events.put(("fail", str(exc) or type(exc).__name__))
    finally:
        with contextlib.suppress(OSError, ValueError):
            stdin.close()


def _by_workers(
    todo: list[list[DocEntry]], jobs: Jobs, workers: int, target: StagingTarget, store_dir: Path,
    cache_dir: Path, cancel: CancelFn | None, on_doc: Callable[[], None] | None,
) -> Iterator[Batch]:  # fmt: skip
    """Batches taken by ``python -m index.segworker`` processes as each finishes the one before."""
    if not dictionary_cached(cache_dir):
        load_jieba(cache_dir)  # writes jieba's dictionary cache once; the workers read it
    procs: list[subprocess.Popen[bytes]] = []
    pending: queue.Queue[list[DocEntry]] = queue.Queue()
    for b in todo:
        pending.put(b)
    # Unbounded, but a worker holds one batch at a time: at most a document event per document.
    events: queue.Queue[_Event] = queue.Queue()
    stop = threading.Event()
    folder = str(Path(target.storage.folder))
    setup = (folder, str(store_dir), pickle.dumps(target.schema))
    try:
        try:
            _start_workers(procs, workers, cache_dir)
        except OSError as exc:
            raise WorkerFailed(str(exc)) from exc
        threads = [
            threading.Thread(target=_serve, args=(p, setup, pending, jobs, events, stop), daemon=True)
            for p in procs
        ]
        for t in threads:
            t.start()
        running = len(threads)
        while running:
            if cancel is not None and cancel():
                return
            try:
                kind, value = events.get(timeout=0.2)
            except queue.Empty:
                continue
            if kind == "doc":
                if on_doc is not None:
                    on_doc()
            elif kind == "seg":
                yield value  # type: ignore[misc]
            elif kind == "end":
                running -= 1
            else:
                raise WorkerFailed(str(value))
    finally:
        stop.set()
        for p in procs:
            p.kill()
            p.wait()
            for f in (p.stdin, p.stdout):
                if f is not None:
                    with contextlib.suppress(OSError):
                        f.close()
