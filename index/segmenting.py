"""Rows to jieba words for the word index, in worker processes when the job is big enough.

jieba is pure Python and holds the GIL, so a bulk job (rebuild, sync) deals its
documents to ``python -I -c …`` worker processes (:mod:`index.segworker`) while
the caller feeds Whoosh; a small job, or a frozen app (whose executable cannot
be re-run as a plain Python worker), segments in this process.
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from index.store import DocEntry
from index.types import CancelFn
from index.words import dictionary_cached, joined_words_of_rows, load_jieba

log = logging.getLogger(__name__)

POOL_WORKERS = 2
POOL_MIN_CHARS = 1_000_000
"""Below this much text, starting worker processes (~0.5 s each) costs more than it saves."""
_AHEAD = 32
"""Documents a worker may segment ahead of the word index's writer (bounds the memory they hold)."""
_Answer = list[str] | None | Exception
"""One document's answer as a reader thread hands it over: its words, end of output, or the error."""


class WorkerFailed(Exception):
    """A segmentation worker could not start or died; ``done`` documents were segmented."""

    def __init__(self, done: int, reason: str) -> None:
        super().__init__(reason)
        self.done = done


Norms = Callable[[DocEntry], list[str]]
"""Reads a document's normalised rows."""


def segmented(
    docs: list[DocEntry], norms: Norms, cache_dir: Path, cancel: CancelFn | None
) -> Iterator[tuple[DocEntry, list[str]]]:
    """Each document with its rows' joined words, in order; stops early when cancelled."""
    chars = sum(d.chars for d in docs)
    workers = min(POOL_WORKERS, os.cpu_count() or 1)
    if chars < POOL_MIN_CHARS or workers < 2 or getattr(sys, "frozen", False):
        yield from _here(docs, norms, cache_dir, cancel)
        return
    try:
        yield from _by_workers(docs, norms, workers, cache_dir, cancel)
    except WorkerFailed as exc:
        # A worker that cannot start or dies costs speed, never the index.
        log.warning("segmentation workers failed (%s); segmenting in this process", exc)
        yield from _here(docs[exc.done :], norms, cache_dir, cancel)


def _here(
    docs: list[DocEntry], norms: Norms, cache_dir: Path, cancel: CancelFn | None
) -> Iterator[tuple[DocEntry, list[str]]]:
    load_jieba(cache_dir)
    for d in docs:
        if cancel is not None and cancel():
            return
        yield d, joined_words_of_rows(norms(d))


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


def _by_workers(
    docs: list[DocEntry], norms: Norms, workers: int, cache_dir: Path, cancel: CancelFn | None
) -> Iterator[tuple[DocEntry, list[str]]]:
    """Documents dealt round-robin to ``python -m index.segworker`` processes, answers read in order."""
    from index.segworker import read_message, write_message

    if not dictionary_cached(cache_dir):
        load_jieba(cache_dir)  # writes jieba's dictionary cache once; the workers read it
    procs: list[subprocess.Popen[bytes]] = []
    done = 0
    try:
        _start_workers(procs, workers, cache_dir)

        def feed(k: int) -> None:
            # One feeder per worker: writing a request can block while the
            # worker writes an answer we have not read yet.
            stdin = procs[k].stdin
            assert stdin is not None
            with contextlib.suppress(OSError, ValueError):
                for d in docs[k::workers]:
                    write_message(stdin, norms(d))
                stdin.close()

        # One reader per worker too: the answers are taken off the pipes while this
        # thread writes the word index, so the workers keep segmenting meanwhile.
        answers = [queue.Queue[_Answer](maxsize=_AHEAD) for _ in range(workers)]
        stop = threading.Event()

        def read(k: int) -> None:
            stdout = procs[k].stdout
            assert stdout is not None
            for _ in docs[k::workers]:
                try:
                    item: _Answer = read_message(stdout)
                except (OSError, ValueError) as exc:
                    item = exc
                while not stop.is_set():
                    with contextlib.suppress(queue.Full):
                        answers[k].put(item, timeout=0.2)
                        break
                if item is None or isinstance(item, Exception):
                    return

        threads = [
            threading.Thread(target=f, args=(k,), daemon=True) for f in (feed, read) for k in range(workers)
        ]
        for t in threads:
            t.start()
        try:
            for i, d in enumerate(docs):
                if cancel is not None and cancel():
                    return
                joined = answers[i % workers].get()
                if isinstance(joined, Exception):
                    raise WorkerFailed(done, str(joined)) from joined
                if joined is None or len(joined) != d.rows:
                    raise WorkerFailed(done, "worker ended early")
                done += 1
                yield d, joined
        finally:
            stop.set()
    except OSError as exc:
        raise WorkerFailed(done, str(exc)) from exc
    finally:
        for p in procs:
            p.kill()
            p.wait()
            for f in (p.stdin, p.stdout):
                if f is not None:
                    with contextlib.suppress(OSError):
                        f.close()
