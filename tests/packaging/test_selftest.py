from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from reader.selftest import NetworkGuard, Report, SelfTestFailed, expect
from tests.packaging.conftest import netless_prefix

ROOT = Path(__file__).resolve().parents[2]


def _env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.pop("BRIEFING_READER_HOME", None)
    return env


def test_network_guard_refuses_inet_sockets_and_lookups_and_records_them() -> None:
    guard = NetworkGuard()
    original = socket.socket
    with guard.active():
        with pytest.raises(OSError, match="blocked"):
            socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        with pytest.raises(OSError, match="blocked"):
            socket.getaddrinfo("example.org", 443)
        with pytest.raises(OSError, match="blocked"):
            socket.create_connection(("127.0.0.1", 9))
        # Local IPC stays possible (Qt's D-Bus, multiprocessing pipes).
        left, right = socket.socketpair()
        left.close()
        right.close()
    assert socket.socket is original
    assert len(guard.attempts) == 3
    assert "getaddrinfo('example.org')" in guard.attempts[1]


def test_report_prints_one_line_per_check_and_counts_failures() -> None:
    out = io.StringIO()
    report = Report(out=out)

    def failing() -> str:
        expect(1 + 1 == 3, "arithmetic is off")
        return "unreachable"

    assert report.check("good", lambda: "fine")
    assert not report.check("bad", failing)
    assert not report.check("crash", lambda: str(1 / 0))
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("ok   good: fine [")
    assert lines[1] == "FAIL bad: arithmetic is off"
    assert lines[2] == "FAIL crash: ZeroDivisionError: division by zero"
    assert report.failures == 2
    with pytest.raises(SelfTestFailed):
        expect(False, "x")


def _run_self_test(prefix: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "reader", "--self-test"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_self_test_from_source_passes_and_prints_each_check(tmp_path: Path) -> None:
    proc = _run_self_test([], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    checks = [line for line in lines if line.startswith(("ok ", "FAIL"))]
    assert len(checks) >= 9
    assert all(line.startswith("ok ") for line in checks)
    assert any("147 numbered paragraphs" in line for line in checks)
    assert lines[-1].startswith("self-test passed")
    # It used a temporary library: nothing was left in the working directory.
    assert list(tmp_path.iterdir()) == []


def test_self_test_from_source_passes_without_a_network(tmp_path: Path) -> None:
    prefix = netless_prefix()
    if prefix is None:
        pytest.skip("unshare -n is not available or not permitted here")
    proc = _run_self_test(prefix, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   no network use" in proc.stdout
