"""One writer at a time: a thread lock inside the process and a file lock across processes.

The file lock is an OS advisory lock (``flock`` / ``msvcrt.locking``) on
``writer.lock``; the OS drops it when its holder dies, so a lock file left by a
crashed process is stale by construction and is simply locked again.  The pid
written into the file is for humans and ``index check``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Self


class IndexBusy(Exception):
    """Another live process is writing the index."""


class WriterLock:
    """Re-entrant exclusive writer lock for one index folder.

    Subclasses change only what the lock says: :meth:`busy_here`,
    :meth:`busy_elsewhere` and :meth:`stamp` (the library's write lock does).
    """

    poll = 0.05
    """Seconds between attempts while another process holds the lock."""

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.timeout = timeout
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def holder(self) -> str:
        """What the lock file says about its last holder (may be stale)."""
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return ""

    def busy_here(self) -> Exception:
        """The error raised when another thread of this process kept the lock past ``timeout``."""
        return IndexBusy("the search index is busy in this process")

    def busy_elsewhere(self) -> Exception:
        """The error raised when another process kept the lock past ``timeout``."""
        return IndexBusy(f"the search index is being written by another process ({self.holder()})")

    def stamp(self) -> str:
        """The line written into the lock file while it is held (for messages only)."""
        return f"pid {os.getpid()}\n"

    def acquire(self) -> None:
        """Take the lock, waiting up to ``timeout`` seconds for other threads and processes."""
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise self.busy_here()
        if self._depth:
            self._depth += 1
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            deadline = time.monotonic() + self.timeout
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise self.busy_elsewhere()
                time.sleep(self.poll)
            os.ftruncate(fd, 0)
            os.write(fd, self.stamp().encode())
            self._fd = fd
            self._depth = 1
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        """Release one level of the lock."""
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            # An empty file marks a clean release; a pid left behind means its writer died.
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
