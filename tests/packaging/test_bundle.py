"""Build the Linux bundle and .deb from this checkout, run them, and check what they carry."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.packaging.conftest import netless_prefix

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "dist"
BUNDLE = DIST / "briefing-reader"
BUDGET_BYTES = 165_000_000
"""150 MB until the search index took numpy (+31 MB, 25 of them the OpenBLAS its core links)."""
PACKAGE = "briefing-reader"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux bundle builds on Linux"),
]


def _env() -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "BRIEFING_READER"))
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture(scope="module")
def build() -> dict[str, Any]:
    """Run the one packaging command (bundle and, where dpkg-deb exists, the .deb) once for this module."""
    args = [sys.executable, str(ROOT / "packaging" / "build_linux.py"), "--skip-self-test"]
    if shutil.which("dpkg-deb") is None:
        args.append("--no-deb")
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    report: dict[str, Any] = json.loads((DIST / "build-report.json").read_text())
    return report


def _self_test(command: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    prefix = netless_prefix() or []
    return subprocess.run(
        [*prefix, *command, "--self-test"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_bundle_self_test_passes_offscreen_and_offline(build: dict[str, Any], tmp_path: Path) -> None:
    proc = _self_test([str(BUNDLE / PACKAGE)], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok   main window" in proc.stdout
    assert "ok   bundled CJK font" in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("self-test passed")


def test_bundle_is_within_its_size_budget(build: dict[str, Any]) -> None:
    on_disk = sum(p.lstat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    assert on_disk == build["bundle_bytes"]
    assert on_disk < BUDGET_BYTES, f"bundle is {on_disk / 1e6:.1f} MB, budget {BUDGET_BYTES / 1e6:.0f} MB"


def test_bundle_carries_what_the_app_needs_and_not_what_it_does_not(build: dict[str, Any]) -> None:
    internal = BUNDLE / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    needed = [
        "resources/un_a75_peacekeeping_report_zh.txt",
        "resources/fonts/wqy-microhei.ttc",
        "resources/icons/briefing-reader.svg",
        "jieba/dict.txt",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
    ]
    assert [n for n in needed if n not in names] == []
    # diff-match-patch (Apache-2.0): its licence travels with it.
    assert [n for n in names if n.startswith("diff_match_patch-") and n.endswith(".dist-info/LICENSE")]
    # The search index's numpy ships with its licence (and those of the libraries in its wheel).
    assert any(n.startswith("numpy-") and n.endswith("/licenses/LICENSE.txt") for n in names)
    unwanted = (
        "jieba/analyse",
        "jieba/posseg",
        "jieba/lac_small",
        "pytest",
        "_pytest",
        "hypothesis",
        "tests/",
    )
    assert [n for n in names if n.startswith(unwanted)] == []
    assert [n for n in names if "Qt6Network" in n or "Qt6Qml" in n or "Qt6Quick" in n] == []
    assert not any(n.startswith("PySide6/Qt/plugins/platforms/libqwayland") for n in names)
    translations = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("PySide6/Qt/translations/"))
    assert translations
    assert all("_zh_" in t or "_en" in t for t in translations)
    # The system's X11, fonts, GLib and C++ runtime are Depends, not bundled copies.
    assert not list(internal.glob("libX11.so*"))
    assert not list(internal.glob("libstdc++.so*"))
    # No dangling links left behind by the trimming.
    assert [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()] == []


def test_bundle_command_line_works_without_python_installed(build: dict[str, Any], tmp_path: Path) -> None:
    library = tmp_path / "lib"
    sample = BUNDLE / "_internal" / "resources" / "un_a75_peacekeeping_report_zh.txt"
    proc = subprocess.run(
        [str(BUNDLE / PACKAGE), "--library", str(library), "import", str(sample), "--json"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    imported = json.loads(proc.stdout)
    assert imported[0]["paragraphs"] == 147


def _dpkg_status(package: str) -> str:
    proc = subprocess.run(
        ["dpkg-query", "-W", "-f=${db:Status-Abbrev}", package], capture_output=True, text=True, check=False
    )
    return proc.stdout.strip() if proc.returncode == 0 else ""


def test_deb_installs_runs_from_usr_bin_and_uninstalls_cleanly(build: dict[str, Any], tmp_path: Path) -> None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("installing a .deb needs root")
    if "deb" not in build:
        pytest.skip("dpkg-deb is not available")
    if _dpkg_status(PACKAGE).startswith("ii"):
        pytest.skip(f"{PACKAGE} is already installed on this machine; not touching it")
    deb = Path(build["deb"])
    fields = subprocess.run(["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True).stdout
    assert "Depends: libc6" in fields
    assert "libxcb-cursor0" in fields
    installed = subprocess.run(["dpkg", "-i", str(deb)], capture_output=True, text=True, check=False)
    try:
        assert installed.returncode == 0, installed.stdout + installed.stderr
        assert _dpkg_status(PACKAGE).startswith("ii")
        assert Path("/usr/bin/briefing-reader").is_file()
        assert Path("/opt/briefing-reader/briefing-reader").is_file()
        assert Path("/usr/share/applications/briefing-reader.desktop").is_file()
        assert Path("/usr/share/icons/hicolor/256x256/apps/briefing-reader.png").is_file()
        proc = _self_test(["/usr/bin/briefing-reader"], tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stdout.splitlines()[-1].startswith("self-test passed")
    finally:
        removed = subprocess.run(["dpkg", "-r", PACKAGE], capture_output=True, text=True, check=False)
    assert removed.returncode == 0, removed.stdout + removed.stderr
    assert _dpkg_status(PACKAGE) in ("", "un", "rc")
    leftovers = [
        p
        for p in (
            Path("/opt/briefing-reader"),
            Path("/usr/bin/briefing-reader"),
            Path("/usr/share/applications/briefing-reader.desktop"),
            Path("/usr/share/icons/hicolor/256x256/apps/briefing-reader.png"),
            Path("/usr/share/doc/briefing-reader"),
        )
        if p.exists()
    ]
    assert leftovers == []


def test_bundle_runs_as_a_word_index_worker(build: dict[str, Any], tmp_path: Path) -> None:
    """The frozen app starts itself as the word-index workers of a big sync: one batch through it."""
    import pickle

    import jieba
    from whoosh.filedb.filestore import FileStorage
    from whoosh.reading import SegmentReader

    from index.lifecycle import IndexLifecycle
    from index.segworker import FROZEN_FLAG, read_message, write_message

    staging = tmp_path / "incoming"
    schema = IndexLifecycle._schema()
    rows = ["维持和平行动需要改革", "安全理事会第 37 段"]
    proc = subprocess.Popen(
        [str(BUNDLE / PACKAGE), FROZEN_FLAG, str(tmp_path / "cache")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_env(), cwd=tmp_path,
    )  # fmt: skip
    assert proc.stdin is not None
    assert proc.stdout is not None
    try:
        write_message(proc.stdin, (str(staging), pickle.dumps(schema)))
        write_message(proc.stdin, [("d1", "r1", b"\x01\x00", rows)])
        assert read_message(proc.stdout) == ("doc", 1)
        kind, data = read_message(proc.stdout)
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
    assert kind == "seg"
    segment = pickle.loads(data)
    assert segment.doc_count() == 2
    reader = SegmentReader(FileStorage(str(staging)), schema, segment)
    try:
        # jieba itself says which words the rows hold; the heading row is the "head" field.
        tok = jieba.Tokenizer()
        for field, text in (("head", rows[0]), ("body", rows[1])):
            for word in tok.lcut(text, HMM=False):
                if word.strip():
                    assert reader.doc_frequency(field, word) == 1, (field, word)
    finally:
        reader.close()
    assert any(p.name.startswith("staged-rows-") for p in staging.iterdir())  # the batch's row postings
