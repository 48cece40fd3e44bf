"""``scripts/dev.py``: what it does before any setup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is for Linux")
def test_start_without_a_display_says_what_to_do(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "dev.py"), "start"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "no display" in proc.stderr
    assert "xvfb-run" in proc.stderr
    assert "libxcb" not in proc.stderr + proc.stdout
    assert "launching" not in proc.stdout  # nothing was set up or started


def test_readme_says_where_the_command_is() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Command line", 1)[1].split("\n## ", 1)[0]
    assert ".venv/bin/briefing-reader" in section
    assert "goto DOC REF" in section
