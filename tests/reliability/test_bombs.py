"""Memory and time bombs through the CLI: refused with one line, bounded, library untouched.

Each case is made at test time and run in a child process whose own peak RSS
is measured (``wait4``); the child also runs under an address-space cap, so
the old code fails these tests by running out of it instead of taking the
machine's memory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from reader.core.library import Library
from tests.reliability import hostile
from tests.reliability.conftest import PEAK_MB, SECONDS, assert_one_line

BOMBS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    # name: (builder, file name, what the message must name)
    "docx-paragraphs-1GB": (hostile.docx_paragraph_bomb, "bomb.docx", "64 MB"),
    # 1 GB proves the bound as well as the 3 GB of bench/hostile.py, in a third of the CRC time.
    "docx-spaces-1GB": (lambda p: hostile.docx_spaces(p, 1024 * hostile.MB), "spaces.docx", "64 MB"),
    "docx-lying-header": (hostile.docx_lying_header, "lying.docx", "lying.docx"),
    "docx-lying-header-right-crc": (hostile.docx_lying_header_with_crc, "forged.docx", "100 times"),
    "pdf-flate-1GB": (hostile.pdf_flate_bomb, "bomb.pdf", "100 times"),
}


@pytest.mark.parametrize("case", list(BOMBS))
def test_compressed_bomb_is_refused_within_bounds(case: str, library: Library, tmp_path: Path) -> None:
    build, name, limit = BOMBS[case]
    bomb = build(tmp_path / name)
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "import", str(bomb))
    assert run.status == 1
    assert_one_line(run.stderr, name, limit)
    assert run.peak_mb < PEAK_MB, run
    assert run.seconds < SECONDS
    assert hostile.tree_bytes(library.root) == before


def test_bomb_is_stopped_early_not_after_reading(tmp_path: Path) -> None:
    """The limit holds while inflating: the refusal comes at a few MB of output, not at 1 GB."""
    from reader.core.formats.docx import check_package
    from reader.core.limits import ExpansionBudget, LimitExceeded

    bomb = hostile.docx_lying_header(tmp_path / "lying.docx", expanded=1024 * hostile.MB)
    budget = ExpansionBudget("lying.docx", member_limit=8 * hostile.MB, ratio_limit=10**6)
    with pytest.raises(LimitExceeded, match="8 MB"):
        check_package(bomb.read_bytes(), "lying.docx", budget)
    assert budget.total <= 9 * hostile.MB


def test_symlink_to_dev_zero_is_refused(library: Library, tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "import", str(link), timeout=SECONDS)
    assert not run.timed_out
    assert run.status == 1
    assert_one_line(run.stderr, "zero.txt", "/dev/zero", "not a regular file")
    assert run.peak_mb < PEAK_MB
    assert hostile.tree_bytes(library.root) == before


def test_fifo_is_refused_not_waited_on(library: Library, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "import", str(fifo), timeout=20)
    assert not run.timed_out, "the import waited on the pipe"
    assert run.status == 1
    assert_one_line(run.stderr, "pipe.txt", "named pipe")
    assert hostile.tree_bytes(library.root) == before


def test_symlink_to_a_document_is_resolved_and_said_so(
    library: Library, tmp_path: Path, sample_text: str
) -> None:
    real = tmp_path / "real.txt"
    real.write_text(sample_text + "\n附加一段。\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    run = hostile.cli(library.root, "import", str(link))
    assert run.status == 0, run.stderr
    line = assert_one_line(run.stderr, "link.txt", "is a link to", str(real))
    assert line.startswith("note:")
    stored = [p for p in library.documents_dir.rglob("*.txt") if p.read_bytes() == real.read_bytes()]
    assert len(stored) == 1
    assert not stored[0].is_symlink()


def test_yaml_alias_bomb_in_a_colleagues_notes_file(library: Library, tmp_path: Path) -> None:
    doc_id = library.documents()[0].id
    bomb = tmp_path / "colleague.yaml"
    bomb.write_text(hostile.notes_alias_bomb(doc_id), encoding="utf-8")
    assert bomb.stat().st_size < 1024
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "notes", "merge", str(bomb), timeout=SECONDS)
    assert not run.timed_out
    assert run.status == 1
    assert_one_line(run.stderr, "colleague.yaml", "2,000,000")
    assert run.peak_mb < PEAK_MB
    after = hostile.tree_bytes(library.root)
    after.pop("notes.lock", None)  # taken and released: the file may stay empty or go
    assert after == before


def _record_path(library: Library) -> Path:
    return library.documents_dir / library.documents()[0].id / "document.yaml"


def test_yaml_alias_bomb_in_document_yaml(library: Library) -> None:
    meta = _record_path(library)
    good = meta.read_text(encoding="utf-8")
    meta.write_text(
        hostile.yaml_alias_bomb() + good.replace("title:", "title: *l8\nold_title:", 1), encoding="utf-8"
    )
    assert meta.stat().st_size < 2048
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "list", timeout=SECONDS)
    assert not run.timed_out
    assert run.status == 0
    assert_one_line(run.stderr, "document.yaml", "2,000,000")
    assert run.peak_mb < PEAK_MB
    assert hostile.tree_bytes(library.root) == before


@pytest.mark.slow
def test_200_mb_document_yaml_is_refused_unread(library: Library) -> None:
    meta = _record_path(library)
    good = meta.read_text(encoding="utf-8")
    with open(meta, "w", encoding="utf-8") as fh:
        fh.write(good)
        fh.write("# padding, as a sync tool gone wrong might leave\n" * (200 * hostile.MB // 49))
    run = hostile.cli(library.root, "list", timeout=SECONDS)
    assert not run.timed_out
    assert run.status == 0
    assert_one_line(run.stderr, "document.yaml", "1 MB")
    assert run.peak_mb < PEAK_MB


def test_document_yaml_over_the_size_limit(library: Library) -> None:
    meta = _record_path(library)
    meta.write_text(meta.read_text(encoding="utf-8") + "#" * (2 * hostile.MB) + "\n", encoding="utf-8")
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "list")
    assert run.status == 0
    assert_one_line(run.stderr, "document.yaml", "1 MB")
    assert hostile.tree_bytes(library.root) == before
