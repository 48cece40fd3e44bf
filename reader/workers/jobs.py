"""Background jobs: a plain function run on the thread pool with progress, cancel and a request id.

The function gets a :class:`JobContext` (``progress(done, total)`` and
``cancelled()``) and returns its result; the job keeps the result and reports
``finished(request_id)``, so signals stay typed and the receiver reads
``job.result`` knowing its type.
"""

from __future__ import annotations

import itertools
import threading
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")
_ids = itertools.count(1)


class Cancelled(Exception):
    """Raised inside a job function to stop early after a cancel request."""


class JobContext:
    """What a job function may use: progress reporting and the cancel flag."""

    def __init__(self, job: Job[object]) -> None:
        self._job = job

    def progress(self, done: int, total: int) -> None:
        """Report ``done`` of ``total`` steps (thread-safe; delivered on the GUI thread)."""
        self._job.signals.progress.emit(self._job.request_id, done, total)

    def part_progress(self, part: str, done: int, total: int) -> None:
        """Report ``done`` of ``total`` steps of a part of the job that runs beside the rest (thread-safe)."""
        self._job.signals.part_progress.emit(self._job.request_id, part, done, total)

    def stage(self, name: str, detail: str = "") -> None:
        """Say that the job has reached a stage the user can use before it ends (thread-safe)."""
        self._job.signals.stage.emit(self._job.request_id, name, detail)

    def cancelled(self) -> bool:
        """True once :meth:`Job.cancel` was called."""
        return self._job.is_cancelled

    def check(self) -> None:
        """Raise :class:`Cancelled` if the job was cancelled."""
        if self._job.is_cancelled:
            raise Cancelled


class JobSignals(QObject):
    """Signals of one job, living on the GUI thread.

    Signals:
        progress(int, int, int): request id, steps done, total steps.
        part_progress(int, str, int, int): request id, a part's name, its steps done and total.
        stage(int, str, str): request id, the stage reached, a detail for the user (may be empty).
        finished(int): request id; the result is on the job.
        failed(int, str): request id and a one-line message for the user.
        cancelled(int): request id; the job stopped on request.
    """

    progress = Signal(int, int, int)
    part_progress = Signal(int, str, int, int)
    stage = Signal(int, str, str)
    finished = Signal(int)
    failed = Signal(int, str)
    cancelled = Signal(int)


class Job(QRunnable, Generic[T]):
    """Runs ``func(context)`` on a worker thread; the result is kept in :attr:`result`."""

    def __init__(self, func: Callable[[JobContext], T], *, name: str = "job") -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.request_id = next(_ids)
        self.name = name
        self.signals = JobSignals()
        self.result: T | None = None
        self.error = ""
        self._func = func
        self._cancel = threading.Event()

    @property
    def is_cancelled(self) -> bool:
        """Whether a cancel was requested."""
        return self._cancel.is_set()

    def cancel(self) -> None:
        """Ask the function to stop at its next check."""
        self._cancel.set()

    def run(self) -> None:
        """Thread-pool entry point: run the function and report how it ended."""
        context = JobContext(self)  # type: ignore[arg-type]
        try:
            if self._cancel.is_set():
                raise Cancelled
            self.result = self._func(context)
        except Cancelled:
            self.signals.cancelled.emit(self.request_id)
            return
        except Exception as exc:
            self.error = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            traceback.print_exc()
            self.signals.failed.emit(self.request_id, self.error)
            return
        if self._cancel.is_set():
            self.signals.cancelled.emit(self.request_id)
        else:
            self.signals.finished.emit(self.request_id)


class JobRunner(QObject):
    """Starts jobs on a thread pool and keeps them alive until they end.

    Signals:
        busy_changed(bool): whether any job is running.
    """

    busy_changed = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool or QThreadPool.globalInstance()
        self._jobs: dict[int, Job[object]] = {}

    def start(self, job: Job[T]) -> Job[T]:
        """Run ``job``; it is released when it finishes, fails or is cancelled."""
        self._jobs[job.request_id] = job  # type: ignore[assignment]
        for signal in (job.signals.finished, job.signals.cancelled):
            signal.connect(self._release)
        job.signals.failed.connect(lambda rid, _msg: self._release(rid))
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self.pool.start(job)
        return job

    def _release(self, request_id: int) -> None:
        # Deferred by one turn so the job's own slots run before it may be freed.
        if self._jobs.pop(request_id, None) is not None and not self._jobs:
            self.busy_changed.emit(False)

    def running(self) -> list[Job[object]]:
        """Jobs not yet finished."""
        return list(self._jobs.values())

    def cancel_all(self) -> None:
        """Ask every running job to stop."""
        for job in self._jobs.values():
            job.cancel()

    def wait(self, msecs: int = 10_000) -> bool:
        """Block until the pool is idle (for shutdown and tests)."""
        return self.pool.waitForDone(msecs)
