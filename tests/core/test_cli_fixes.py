"""Command-line fixes: export targets, DOC as a file, duplicate bookmarks, one error prefix, outline ids."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import reader
from reader.cli import main
from reader.core.annotations import AUTHOR_ENV
from reader.core.library import Library

ROOT = Path(__file__).parents[2]


@pytest.fixture
def lib(tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """(library folder, document id) with the sample imported."""
    monkeypatch.setenv(AUTHOR_ENV, "alice")
    root = tmp_path / "lib"
    doc_id = Library.open(root).import_file(sample_path).record.id
    return str(root), doc_id


def run(capsys: pytest.CaptureFixture[str], root: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--library", root, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_export_into_a_missing_folder_fails_without_creating_it(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root, doc = lib
    target = tmp_path / "no" / "such" / "x.md"
    status, _out, err = run(capsys, root, "notes", "export", doc, "-o", str(target))
    assert status == 1
    assert len(err.strip().splitlines()) == 1
    assert "does not exist" in err
    assert not (tmp_path / "no").exists()


def test_format_contradicting_the_extension_is_refused(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root, doc = lib
    status, _out, err = run(
        capsys, root, "notes", "export", doc, "--format", "docx", "-o", str(tmp_path / "x.md")
    )
    assert status == 2
    assert "contradicts" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x.md").exists()
    # Agreeing or absent extensions still work.
    assert run(capsys, root, "notes", "export", doc, "--format", "md", "-o", str(tmp_path / "y.md"))[0] == 0
    assert run(capsys, root, "notes", "export", doc, "--format", "docx", "-o", str(tmp_path / "z"))[0] == 0
    assert (tmp_path / "z").read_bytes()[:2] == b"PK"


def test_notes_add_with_a_file_path_uses_that_document(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], sample_path: Path, tmp_path: Path
) -> None:
    root, doc = lib
    status, out, err = run(capsys, root, "notes", "add", str(sample_path), "--block", "p37", "--json")
    assert status == 0, err
    assert json.loads(out)["doc"] == doc
    status, out, _ = run(capsys, root, "notes", "list", doc, "--json")
    assert [n["block"] for n in json.loads(out)] == ["p37"]
    # A file that is not in the library: one line saying how to import it.
    other = tmp_path / "other.txt"
    other.write_text("1. 一段新的文字。\n", encoding="utf-8")
    status, _out, err = run(capsys, root, "notes", "add", str(other), "--block", "p1")
    assert status == 1
    assert "briefing-reader import" in err
    assert len(err.strip().splitlines()) == 1


def test_same_bookmark_twice_is_not_duplicated(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, doc = lib
    assert run(capsys, root, "bookmarks", "add", doc, "--block", "p12")[0] == 0
    status, _out, err = run(capsys, root, "bookmarks", "add", doc, "--block", "p12")
    assert status == 0
    assert "already bookmarked" in err
    _status, out, _ = run(capsys, root, "bookmarks", "list", doc, "--json")
    assert [b["block"] for b in json.loads(out)] == ["p12"]


def test_every_command_uses_one_error_prefix(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root, doc = lib
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    cases = [
        ("import", str(empty)),
        ("outline", "no-such-doc"),
        ("notes", "list", "no-such-doc"),
        ("notes", "delete", doc, "zzzzzzzz"),
        ("bookmarks", "remove", doc, "zzzzzzzz"),
        ("goto", doc, "第999段"),
    ]
    for argv in cases:
        status, _out, err = run(capsys, root, *argv)
        assert status != 0, argv
        assert err.startswith("briefing-reader: error: "), (argv, err)


def test_plain_outline_shows_block_ids(lib: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, doc = lib
    _status, out, _ = run(capsys, root, "outline", doc)
    _status, js, _ = run(capsys, root, "outline", doc, "--json")
    first = json.loads(js)["tree"][0]
    assert f"{first['label']}. {first['title']}  [{first['block']}]" in out.splitlines()[1]


def test_version_matches_the_package() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert reader.__version__ == declared
    proc = subprocess.run(
        [sys.executable, "-m", "reader", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ},
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"briefing-reader {declared}"
