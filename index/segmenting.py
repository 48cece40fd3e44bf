"""Documents to word-index segments, in worker processes when the job is big enough.

jieba and the writing of Whoosh postings are pure Python and hold the GIL, so
a bulk job (rebuild, sync) deals its documents, in large batches, to worker
processes (:mod:`index.segworker`; ``python -I -c …``, or in a frozen app its
own executable with :data:`~index.segworker.FROZEN_FLAG`): each segments a
batch and writes its Whoosh segment and row postings into a staging folder,
and the caller only commits the finished segments.  A sync deals the
documents as it stores them (:class:`WordPipeline`), so the word index is
built while the exact one is, on the core the exact build leaves free.  A
small job builds the same batches in this process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, cast

from index.segworker import FROZEN_FLAG, StagingTarget, WordJob, index_batch
from index.store import DocEntry
from index.types import CancelFn
from index.words import Whoosh, dictionary_cached, load_jieba

log = logging.getLogger(__name__)

POOL_WORKERS = 2
POOL_MIN_CHARS = 1_000_000
"""Below this much text, starting worker processes (~0.5 s each) costs more than it saves."""
BATCH_CHARS = 4_000_000
"""Most text per batch: one Whoosh segment each (fewer, larger ones are cheaper to write and to search)."""
EAGER_DOCS = 50
"""A sync of this many documents starts its workers at once (else when a first batch has enough text)."""
STREAM_MIN_CHARS = 1_000_000
"""Least text a batch is cut with while a sync is still storing documents (a smaller one waits for more)."""

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


class WordPipeline:
    """Word-index batches of stored documents, dealt to worker processes as the documents arrive.

    A sync stores documents for exact matching and hands each stored batch to
    :meth:`add`; the workers segment them meanwhile, so the word index is
    built beside the exact one instead of after it.  Every method runs on the
    caller's thread, which alone reads the documents (``jobs``) and commits
    what :meth:`add`, :meth:`poll` and :meth:`finish` return; the workers'
    threads only carry messages.  A batch is cut when a worker is free: while
    more documents may come, of about an even share of what waits (at least
    :data:`STREAM_MIN_CHARS`, so a free worker never waits long), at the end
    of half a share, so the workers finish together.  Below
    :data:`POOL_MIN_CHARS` in all, or when a worker fails, batches are
    built in this process by :meth:`finish`.
    """

    def __init__(
        self, jobs: Jobs, target: StagingTarget, cache_dir: Path,
        cancel: CancelFn | None = None, on_doc: Callable[[], None] | None = None,
    ) -> None:  # fmt: skip
        self.jobs, self.target, self.cache_dir = jobs, target, cache_dir
        self.cancel, self.on_doc = cancel, on_doc
        self.workers = min(POOL_WORKERS, os.cpu_count() or 1)
        self.pooled = self.workers >= 2
        self.pending: list[DocEntry] = []
        self.pending_chars = 0
        self.more = True
        self.in_flight: dict[int, list[DocEntry]] = {}
        self._next_id = 0
        self._procs: list[Worker] = []
        self._todo: queue.Queue[tuple[int, list[WordJob]] | None] = queue.Queue()
        # Unbounded, but a worker holds one batch at a time: at most a document event per document.
        self._events: queue.Queue[_Event] = queue.Queue()
        self._started = False
        self._tail: int | None = None

    def prestart(self) -> None:
        """Start the workers now (a big job comes): they load jieba while the first documents are stored."""
        if self.pooled and not self._started:
            self._start()

    def cancelled(self) -> bool:
        """True once the caller's ``cancel`` says so."""
        return self.cancel is not None and self.cancel()

    def add(self, docs: Iterable[DocEntry]) -> list[Batch]:
        """Documents now stored, awaiting their words; return the batches finished meanwhile."""
        for d in docs:
            self.pending.append(d)
            self.pending_chars += d.chars
        return self.poll()

    def poll(self) -> list[Batch]:
        """Deal batches to free workers; return the batches finished so far (never waits)."""
        done: list[Batch] = []
        if self.pooled and not self._started and self.pending_chars >= POOL_MIN_CHARS:
            self._start()
        try:
            while self._started:
                self._deal()
                try:
                    event = self._events.get_nowait()
                except queue.Empty:
                    break
                batch = self._handle(event)
                if batch is not None:
                    done.append(batch)
        except WorkerFailed as exc:
            self._failed(exc)
        return done

    def finish(self) -> Iterator[Batch]:
        """No more documents will come: every remaining batch, as each is finished; stops when cancelled."""
        self.more = False
        if self.pooled and not self._started and self.pending_chars >= POOL_MIN_CHARS:
            self._start()
        try:
            while self._started and (self.pending or self.in_flight):
                if self.cancelled():
                    return
                self._deal()
                try:
                    event = self._events.get(timeout=0.2)
                except queue.Empty:
                    continue
                batch = self._handle(event)
                if batch is not None:
                    yield batch
        except WorkerFailed as exc:
            self._failed(exc)
        if self._started and not self.pending and not self.in_flight:
            self.close(graceful=True)
        rest, self.pending, self.pending_chars = self.pending, [], 0
        if rest:
            yield from _here(batches(rest, 1), self.jobs, self.target, self.cache_dir,
                             self.cancel, self.on_doc)  # fmt: skip

    def close(self, *, graceful: bool = False) -> None:
        """Stop the workers: killed (whatever they were doing is not committed), or ``graceful`` when idle.

        An idle worker whose input ends exits by itself, after reaping its twin, so
        their CPU time counts in this process's children.
        """
        for _ in self._procs:
            self._todo.put(None)
        if graceful:
            for p in self._procs:
                if isinstance(p, subprocess.Popen):
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        p.wait(timeout=5)
            if all(p.poll() is not None for p in self._procs if isinstance(p, subprocess.Popen)):
                for p in self._procs:
                    if isinstance(p, _Twin):
                        p.pid = None  # reaped by its parent, which has ended: the number may be reused
        # A twin before its parent: while the parent lives, a twin that ended stays a zombie, its pid taken.
        for p in reversed(self._procs):
            p.kill()
            p.wait()
            for f in (p.stdin, p.stdout):
                if f is not None:
                    with contextlib.suppress(OSError):
                        f.close()
        self._procs = []
        self._started = False
        self.pooled = False

    def _failed(self, exc: Exception) -> None:
        # A worker that cannot start or dies costs speed, never the index: its batches are built here.
        log.warning("word-index workers failed (%s); indexing words in this process", exc)
        self.close()
        back = [d for b in self.in_flight.values() for d in b]
        self.pending[:0] = back
        self.pending_chars += sum(d.chars for d in back)
        self.in_flight = {}

    def _start(self) -> None:
        if not dictionary_cached(self.cache_dir):
            load_jieba(self.cache_dir)  # writes jieba's dictionary cache once; the workers read it
        self._started = True
        try:
            _start_workers(self._procs, self.workers, self.cache_dir)
        except OSError as exc:
            self.close()
            log.warning("word-index workers could not start (%s); indexing words in this process", exc)
            return
        folder = str(Path(self.target.storage.folder))
        setup = (folder, pickle.dumps(self.target.schema))
        for p in self._procs:
            threading.Thread(target=_serve, args=(p, setup, self._todo, self._events), daemon=True).start()

    def _share(self) -> int:
        """Characters of the next batch (see the class's docstring)."""
        if self.more:
            free = max(1, self.workers - len(self.in_flight))
            return min(BATCH_CHARS, max(STREAM_MIN_CHARS, self.pending_chars // free))
        if self.pending_chars > self.workers * BATCH_CHARS:
            return BATCH_CHARS
        if self._tail is None:
            # The last batches: an even split, fixed once (each batch's segment costs per word it holds).
            self._tail = -(-self.pending_chars // self.workers)
        return self._tail

    def _deal(self) -> None:
        while self.pending and len(self.in_flight) < len(self._procs):
            if self.more and self.pending_chars < STREAM_MIN_CHARS:
                return
            share = self._share()
            take = 0
            chars = 0
            while take < len(self.pending) and (take == 0 or chars + self.pending[take].chars / 2 <= share):
                chars += self.pending[take].chars
                take += 1
            batch, self.pending = self.pending[:take], self.pending[take:]
            self.pending_chars -= chars
            self._next_id += 1
            self.in_flight[self._next_id] = batch
            self._todo.put((self._next_id, [self.jobs(d) for d in batch]))

    def _handle(self, event: _Event) -> Batch | None:
        kind, value = event
        if kind == "doc":
            if self.on_doc is not None:
                self.on_doc()
            return None
        if kind == "seg":
            bid, seg = cast(tuple[int, Whoosh], value)
            return self.in_flight.pop(bid), seg
        raise WorkerFailed(str(value))


def _here(
    todo: list[list[DocEntry]], jobs: Jobs, target: StagingTarget, cache_dir: Path,
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
            seg = index_batch([jobs(d) for d in batch], target, step)
        except Cancelled:
            return
        yield batch, seg


def worker_command(cache_dir: Path, twin_fds: tuple[int, int] | None = None) -> list[str]:
    """How to start one worker: this Python on :mod:`index.segworker`, or a frozen app's own executable.

    ``twin_fds`` (read, write) make it fork a twin serving through them (:func:`index.segworker.main`).
    """
    extra = [str(fd) for fd in twin_fds] if twin_fds is not None else []
    if getattr(sys, "frozen", False):
        # The bundle's launcher hands this flag to index.segworker before anything imports Qt.
        return [sys.executable, FROZEN_FLAG, str(cache_dir), *extra]
    # -I: neither the working folder nor PYTHONPATH may shadow this very package.
    package_root = str(Path(__file__).resolve().parent.parent)
    code = "import sys; sys.path.insert(0, sys.argv[1]); import index.segworker as w; sys.exit(w.main(sys.argv[2:]))"  # noqa: E501
    return [sys.executable, "-I", "-c", code, package_root, str(cache_dir), *extra]


class _Twin:
    """The worker a first worker forks (where ``os.fork`` exists): its pipes, and its pid once it says it."""

    def __init__(self, stdin: IO[bytes], stdout: IO[bytes]) -> None:
        self.stdin, self.stdout = stdin, stdout
        self.pid: int | None = None

    def kill(self) -> None:
        if self.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> None:
        """Its parent, the first worker, reaps it (or the system does)."""

    def poll(self) -> int | None:
        """Unknown here (not this process's child)."""
        return None


Worker = subprocess.Popen[bytes] | _Twin


def _start_workers(procs: list[Worker], workers: int, cache_dir: Path) -> None:
    """Start the workers into ``procs`` (so the caller kills those started if a later one fails).

    Two workers on a system with ``fork`` are one process and its twin: jieba's
    dictionary is loaded once, not twice (~1 s of CPU, a tenth of a 20 MB build's words).
    """
    if workers == 2 and hasattr(os, "fork") and hasattr(signal, "SIGKILL"):
        twin_in, to_twin = os.pipe()
        from_twin, twin_out = os.pipe()
        try:
            command = worker_command(cache_dir, (twin_in, twin_out))
            proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    pass_fds=(twin_in, twin_out))  # fmt: skip
        except OSError:
            os.close(to_twin)
            os.close(from_twin)
            raise
        finally:
            os.close(twin_in)
            os.close(twin_out)
        procs.append(proc)
        procs.append(_Twin(os.fdopen(to_twin, "wb"), os.fdopen(from_twin, "rb")))
        return
    for _ in range(workers):
        command = worker_command(cache_dir)
        procs.append(subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE))


_Event = tuple[str, object]
"""A worker thread's news: ``("doc", None)``, ``("seg", (batch id, segment))``, a failure."""


def _serve(
    proc: Worker, setup: tuple[str, bytes],
    todo: queue.Queue[tuple[int, list[WordJob]] | None], events: queue.Queue[_Event],
) -> None:  # fmt: skip
    """One worker's thread: send it each batch taken from ``todo`` and pass on its answers, until ``None``."""
    from index.segworker import read_message, write_message

    stdin, stdout = proc.stdin, proc.stdout
    assert stdin is not None
    assert stdout is not None
    try:
        if isinstance(proc, _Twin):
            said = read_message(stdout)
            if not (isinstance(said, tuple) and len(said) == 2 and said[0] == "pid"):
                raise ValueError("worker ended early")
            proc.pid = int(said[1])
        write_message(stdin, setup)
        while (item := todo.get()) is not None:
            bid, jobs = item
            write_message(stdin, jobs)
            for _ in jobs:
                if read_message(stdout) != ("doc", 1):
                    raise ValueError("worker ended early")
                events.put(("doc", None))
            answer = read_message(stdout)
            if not (isinstance(answer, tuple) and len(answer) == 2 and answer[0] == "seg"):
                raise ValueError("worker ended early")
            events.put(("seg", (bid, pickle.loads(answer[1]) if answer[1] else None)))
    except (OSError, ValueError, EOFError, pickle.UnpicklingError) as exc:
        events.put(("fail", str(exc) or type(exc).__name__))
    finally:
        with contextlib.suppress(OSError, ValueError):
            stdin.close()
