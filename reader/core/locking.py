"""A portable advisory lock file, so two app instances never write one library.

The lock is a small JSON file created with ``O_CREAT | O_EXCL`` (atomic on
every local file system, and on SMB/NFS shares in practice) holding the
owner's pid, host name, a random token and the time.  A lock is **stale**, and
may be broken, when its owner is on this host and no longer running, or when
it is on another host and has not been refreshed for ``stale_after`` seconds
(the holder calls :meth:`LockFile.refresh` every minute or so).  No ``fcntl``
or ``msvcrt``: their locks are not reliable on shared folders and a sync tool
copies a lock file but not a kernel lock.

:class:`InterProcessLock` is the other kind, for writes that last a moment
(the library's ``document.yaml`` files): an OS lock that the writers wait on.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from index.locking import WriterLock

DEFAULT_STALE_AFTER = 15 * 60.0
"""Seconds after which a lock from another host counts as abandoned."""


@dataclass(frozen=True, slots=True)
class LockOwner:
    """Who holds a lock, as written in the lock file."""

    pid: int
    hostname: str
    token: str
    created: float

    def describe(self) -> str:
        """One line for a message: ``process 123 on host "alpha" since 09:30``."""
        since = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.created))
        return f'process {self.pid} on host "{self.hostname}" since {since}'


def _hostname() -> str:
    return socket.gethostname() or "unknown-host"


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this machine."""
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        try:
            code = ctypes.c_ulong()
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
            return bool(code.value == 259)  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class LockFile:
    """An exclusive, non-blocking lock represented by a file.

    Use :meth:`acquire` (returns whether we hold it) and :meth:`release`, or the
    context manager form, which raises :class:`LockHeld` when it cannot lock.
    """

    def __init__(self, path: Path, *, stale_after: float = DEFAULT_STALE_AFTER) -> None:
        self.path = Path(path)
        self.stale_after = stale_after
        self._token: str | None = None

    @property
    def held(self) -> bool:
        """True while this object holds the lock."""
        return self._token is not None

    def owner(self) -> LockOwner | None:
        """The current holder as written in the file, or ``None`` if unlocked or unreadable."""
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return LockOwner(int(raw["pid"]), str(raw["hostname"]), str(raw["token"]), float(raw["created"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def is_stale(self) -> bool:
        """Whether an existing lock file may be broken (owner gone, abandoned, or unreadable)."""
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return False
        owner = self.owner()
        if owner is None:
            # Being written right now, or garbage: only garbage once it has aged a little.
            return age > 5.0
        if owner.hostname == _hostname():
            return not pid_alive(owner.pid)
        return age > self.stale_after

    def acquire(self, wait: float = 0.0) -> bool:
        """Take the lock if free (breaking a stale one), waiting up to ``wait`` seconds for it."""
        deadline = time.monotonic() + wait
        while not self._acquire_now():
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.05)
        return True

    def _acquire_now(self) -> bool:
        if self.held:
            return True
        for _ in range(3):
            if self._try_create():
                return True
            if not self.is_stale():
                return False
            self._break()
        return False

    def _try_create(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        token = uuid.uuid4().hex
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        payload = {"pid": os.getpid(), "hostname": _hostname(), "token": token, "created": time.time()}
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(payload, fh)
            fh.flush()
            os.fsync(fh.fileno())
        self._token = token
        return True

    def _break(self) -> None:
        # Rename first so that of two processes breaking the same stale lock only
        # one removes it; the other's rename fails and it retries from scratch.
        grave = self.path.with_name(f"{self.path.name}.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.replace(self.path, grave)
        except OSError:
            return
        with contextlib.suppress(OSError):
            grave.unlink()

    def refresh(self) -> bool:
        """Touch the lock so other hosts see it is alive; False if it was taken from us."""
        if not self.held:
            return False
        owner = self.owner()
        if owner is None or owner.token != self._token:
            self._token = None
            return False
        with contextlib.suppress(OSError):
            os.utime(self.path)
        return True

    def release(self) -> None:
        """Give the lock up (only removes the file if it is still ours)."""
        if not self.held:
            return
        owner = self.owner()
        if owner is not None and owner.token == self._token:
            with contextlib.suppress(OSError):
                self.path.unlink()
        self._token = None

    def __enter__(self) -> LockFile:
        if not self.acquire():
            raise LockHeld(self.path, self.owner())
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


class LockHeld(Exception):
    """Another process holds the lock; the message names it."""

    def __init__(self, path: Path, owner: LockOwner | None) -> None:
        who = owner.describe() if owner else "another process"
        super().__init__(f"{path} is locked by {who}")
        self.path = path
        self.owner = owner


class WriteLockTimeout(Exception):
    """Another process kept an :class:`InterProcessLock` longer than we were willing to wait."""


class InterProcessLock(WriterLock):
    """A re-entrant exclusive lock shared by the threads of this process and by other processes.

    Short library writes (an import, a rename) take it for a moment, so other
    writers wait instead of losing an update.  It is the search index's
    :class:`index.locking.WriterLock` (an OS advisory lock, ``flock`` /
    ``msvcrt.locking``, which the OS drops when its holder dies, so a crash
    never leaves the library locked) with the library's own messages; the
    holder's pid and host are written into the file for those messages only.
    """

    poll = 0.02

    def __init__(self, path: Path, *, timeout: float = 30.0, what: str = "the library") -> None:
        super().__init__(path, timeout)
        self.what = what

    def busy_here(self) -> Exception:
        """The library is being written by another thread of this process."""
        return WriteLockTimeout(f"{self.what} is busy in this process; try again")

    def busy_elsewhere(self) -> Exception:
        """The library is being written by another process (named, if it said who it is)."""
        who = self.holder() or "another process"
        return WriteLockTimeout(
            f"{self.what} is being changed by {who}; waited {self.timeout:.0f} s, try again"
        )

    def stamp(self) -> str:
        """``pid 123 on host "x"``."""
        return f'pid {os.getpid()} on host "{_hostname()}"\n'
