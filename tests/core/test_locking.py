"""The portable lock file: exclusive, stale detection, refresh, release only if ours."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.locking import LockFile, LockHeld, pid_alive


def _write_owner(path: Path, pid: int, host: str, age: float = 0.0) -> None:
    path.write_text(json.dumps({"pid": pid, "hostname": host, "token": "t", "created": time.time() - age}))
    if age:
        os.utime(path, (time.time() - age, time.time() - age))


def test_exclusive_and_released(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "x.lock"
    first, second = LockFile(path), LockFile(path)
    assert first.acquire()
    assert first.held
    owner = first.owner()
    assert owner is not None
    assert owner.pid == os.getpid()
    assert not second.acquire()
    assert not second.held
    first.release()
    assert not path.exists()
    assert second.acquire()
    second.release()


def test_context_manager_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with LockFile(path), pytest.raises(LockHeld, match=f"process {os.getpid()}"):
        LockFile(path).__enter__()
    assert not path.exists()


def test_dead_owner_on_this_host_is_stale(tmp_path: Path) -> None:
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead = int(child.stdout)
    assert not pid_alive(dead)
    path = tmp_path / "x.lock"
    _write_owner(path, dead, socket.gethostname())
    lock = LockFile(path)
    assert lock.is_stale()
    assert lock.acquire()
    owner = lock.owner()
    assert owner is not None
    assert owner.pid == os.getpid()
    lock.release()


def test_other_host_is_stale_only_when_not_refreshed(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    _write_owner(path, 1, "another-machine", age=60)
    assert not LockFile(path, stale_after=600).acquire()
    assert LockFile(path, stale_after=30).acquire()


def test_unreadable_lock_is_respected_while_fresh(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    path.write_text("")
    assert not LockFile(path).acquire()
    os.utime(path, (time.time() - 60, time.time() - 60))
    assert LockFile(path).acquire()


def test_refresh_detects_a_stolen_lock_and_release_spares_the_thief(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    mine = LockFile(path)
    assert mine.acquire()
    assert mine.refresh()
    _write_owner(path, 1, "another-machine")
    assert not mine.refresh()
    assert not mine.held
    mine.release()
    assert path.exists()


def test_live_owner_is_not_stale(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as child:
        try:
            _write_owner(path, child.pid, socket.gethostname())
            assert pid_alive(child.pid)
            assert not LockFile(path).acquire()
        finally:
            child.kill()
            child.wait()
    assert LockFile(path).acquire()
