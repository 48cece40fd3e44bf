"""A word-index worker process (``main`` with the cache folder), and the batch it builds.

A worker is given batches of documents (their normalised rows and which rows
are headings) and, for each, does the whole word-index work of the batch:
jieba words of every row, and one Whoosh segment and its row postings written
into a staging folder (:func:`index_batch`).  The caller only moves the
segment's files into the word index and commits it, so no per-row Python runs
in the process that holds the index.

Messages both ways are a 4-byte big-endian length and a ``marshal``-encoded
value.  Requests: first ``(staging_dir, schema_pickle)``, then
one list of :data:`WordJob` tuples per batch.  Answers: ``("doc", 1)`` as each
document is segmented (the window's progress), then ``("seg", segment_pickle
or b"")`` once the batch's files are written.  Started by
:mod:`index.segmenting` as a plain subprocess, so the caller's main module is
never re-imported (as ``multiprocessing``'s spawn would do); pickles travel
only between our own processes.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import pickle
import struct
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from index.words import Whoosh, joined_words_of_rows, load_jieba

_LEN = struct.Struct(">I")

WordJob = tuple[str, str, bytes, list[str]]
"""One document to index: its id, revision, per row 1 if it is a heading (else 0), its normalised rows."""
KEY_SEP = "\x1f"
"""Joins document id and row number into a Whoosh key."""


def write_message(out: IO[bytes], obj: Any) -> None:  # noqa: ANN401  (whatever marshal takes)
    """Write one length-prefixed ``marshal`` message."""
    data = marshal.dumps(obj)
    out.write(_LEN.pack(len(data)) + data)
    out.flush()


def read_message(inp: IO[bytes]) -> Any:  # noqa: ANN401  (whatever marshal gives)
    """Read one message; ``None`` at end of input."""
    head = inp.read(_LEN.size)
    if len(head) < _LEN.size:
        return None
    (n,) = _LEN.unpack(head)
    data = inp.read(n)
    if len(data) < n:
        return None
    return marshal.loads(data)


class StagingTarget:
    """Where :func:`~index.word_segments.write_segment` writes: a staging folder, the word index's schema."""

    def __init__(self, folder: Path, schema: Whoosh, indexname: str = "MAIN") -> None:
        from whoosh.filedb.filestore import FileStorage

        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.storage = FileStorage(str(folder))
        self.schema = schema
        self.indexname = indexname


def index_batch(
    jobs: Sequence[WordJob], target: StagingTarget, on_doc: Callable[[], None] | None = None
) -> Whoosh:
    """Segment a batch, write its Whoosh segment and row postings into the staging folder; return the segment.

    Nothing is committed here: if the process dies before the caller commits
    the segment, the manifest still lists the documents' words as pending, so
    they are indexed again.  ``None`` when the batch has no rows.
    """
    from index.word_segments import WordRow, write_segment_and_rows

    rows: list[WordRow] = []
    revisions: dict[str, str] = {}
    for doc_id, revision, heads, norms in jobs:
        revisions[doc_id] = revision
        joined = joined_words_of_rows(norms)
        prefix = doc_id + KEY_SEP
        for j, words in enumerate(joined):
            rows.append(WordRow(prefix + str(j), doc_id, {"head" if heads[j] else "body": words}))
        if on_doc is not None:
            on_doc()
    if not rows:
        return None
    # The segment and the same rows' per-word postings (loose matching reads them), from one counting.
    return write_segment_and_rows(target, rows, revisions, stage_in=target.folder)


WORKER_NICE = 5
"""How much lower a worker's priority is: the exact build (and the window) beside it keep a core."""


FROZEN_FLAG = "--index-words-worker"
"""A frozen app's executable run with this first argument (and a cache folder) is a worker (``main``)."""


def main(argv: list[str]) -> NoReturn:
    """Serve batches until stdin closes; ``argv`` is ``[cache folder]`` or ``[cache folder, R, W]``.

    With two file descriptors, the worker forks a twin once jieba is loaded:
    the twin serves the caller through them (``R`` to read, ``W`` to write;
    its first message is ``("pid", its pid)``), so one dictionary load (~1 s
    of CPU, ~70 MB) serves two workers and their pages stay shared.
    """
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICE)
    load_jieba(Path(argv[0]))
    # The run cache grows by hundreds of thousands of tuples that live as long as the process; the
    # cyclic collector would walk them again and again (~8% of a worker's time).  A batch makes
    # next to no cycles: collect once after each instead.
    gc.freeze()
    gc.disable()
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    twin = 0
    if len(argv) == 3:
        r, w = int(argv[1]), int(argv[2])
        twin = os.fork()
        if twin == 0:
            # The twin: this process's pipes are not its own (a copy held open would keep
            # the caller from seeing the first worker end).
            os.close(0)
            os.close(1)
            inp, out = os.fdopen(r, "rb"), os.fdopen(w, "wb")
            write_message(out, ("pid", os.getpid()))
        else:
            os.close(r)
            os.close(w)
    done = _serve_batches(inp, out)
    if twin:
        # Reaped here, its CPU time counts in this process's children, as a worker's does in the caller's.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(twin, 0)
    # Every answer is written and flushed, every file fsynced: tearing down the dictionary and the
    # run cache object by object (~0.2 s) would only keep the caller waiting.
    os._exit(done)


def _serve_batches(inp: IO[bytes], out: IO[bytes]) -> int:
    setup = read_message(inp)
    if setup is None:
        return 0
    staging, schema = setup
    target = StagingTarget(Path(staging), pickle.loads(schema))

    def on_doc() -> None:
        write_message(out, ("doc", 1))

    while (jobs := read_message(inp)) is not None:
        seg = index_batch(jobs, target, on_doc)
        write_message(out, ("seg", b"" if seg is None else pickle.dumps(seg)))
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
