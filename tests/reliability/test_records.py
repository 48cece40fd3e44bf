"""Never overwrite what could not be read: damaged ``document.yaml`` files, through the CLI.

A record is damaged four ways (cut short, garbled, binary, newer schema) in a
library holding two revisions of a document with a title set by the user.
Re-importing the original — what the window does by itself for the sample —
must keep the bad file aside and rebuild the record from the revisions on
disk, or (newer schema) leave it untouched; reading commands say so in one line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from reader.core.library import Library
from tests.reliability import hostile
from tests.reliability.conftest import assert_one_line

USER_TITLE = "维和报告（用户标题）"


@pytest.fixture
def two_revisions(tmp_path: Path, sample_text: str) -> tuple[Library, str, Path]:
    """(library, doc id, the first revision's file) with two revisions and a user-set title."""
    library = Library.open(tmp_path / "lib")
    original = tmp_path / "briefing.txt"
    original.write_text(sample_text, encoding="utf-8")
    doc_id = library.import_file(original).record.id
    newer = tmp_path / "newer" / "briefing.txt"
    newer.parent.mkdir()
    newer.write_text(sample_text + "\n附加一段。\n", encoding="utf-8")
    library.import_file(newer)
    library.rename(doc_id, title=USER_TITLE)
    return library, doc_id, original


def _damage(meta: Path, how: str) -> bytes:
    good = meta.read_bytes()
    bad = {
        "truncated": good[: good.index(b"stats:")],
        "garbled": good.replace(b"revisions:", b"revisions: [{", 1),
        "binary": bytes(range(256)) * 8,
        "newer": re.sub(rb"schema_version: \d+", b"schema_version: 9", good, count=1),
    }[how]
    meta.write_bytes(bad)
    return bad


@pytest.mark.parametrize("how", ["truncated", "garbled", "binary"])
def test_reimport_keeps_the_bad_record_aside_and_rebuilds_it(
    two_revisions: tuple[Library, str, Path], how: str
) -> None:
    library, doc_id, original = two_revisions
    meta = library.documents_dir / doc_id / "document.yaml"
    revisions = {r.sha256 for r in library.record(doc_id).revisions}
    bad = _damage(meta, how)

    run = hostile.cli(library.root, "import", str(original))
    assert run.status == 0, run.stderr
    line = assert_one_line(run.stderr, doc_id, "document.yaml", "2 revision(s)")
    assert "kept it as document.yaml.corrupt-" in line
    kept = list(meta.parent.glob("document.yaml.corrupt-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == bad  # byte for byte what could not be read
    raw = yaml.safe_load(meta.read_text(encoding="utf-8"))
    assert {r["sha256"] for r in raw["revisions"]} == revisions
    if how == "truncated":  # the title line survived the cut: the user's title is kept
        assert raw["title"] == USER_TITLE

    again = hostile.cli(library.root, "import", str(original))  # reported once, not every time
    assert again.status == 0
    assert again.stderr == ""
    assert len(list(meta.parent.glob("document.yaml.corrupt-*"))) == 1


def test_newer_record_is_left_untouched(two_revisions: tuple[Library, str, Path]) -> None:
    library, doc_id, original = two_revisions
    meta = library.documents_dir / doc_id / "document.yaml"
    _damage(meta, "newer")
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, "import", str(original))
    assert run.status == 1
    assert_one_line(run.stderr, "briefing.txt", "newer version", "left untouched")
    assert hostile.tree_bytes(library.root) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["notes", "list", "{doc}"],
        ["notes", "add", "{doc}", "--block", "p3", "--note", "x"],
        ["outline", "{doc}"],
        ["dump", "{doc}"],
    ],
    ids=["notes-list", "notes-add", "outline", "dump"],
)
def test_reading_a_damaged_record_is_one_line(
    two_revisions: tuple[Library, str, Path], argv: list[str]
) -> None:
    library, doc_id, _ = two_revisions
    _damage(library.documents_dir / doc_id / "document.yaml", "garbled")
    before = hostile.tree_bytes(library.root)
    run = hostile.cli(library.root, *[a.format(doc=doc_id) for a in argv])
    assert run.status == 1
    assert_one_line(run.stderr, doc_id, "document.yaml", "cannot be read")
    after = hostile.tree_bytes(library.root)
    after.pop("notes.lock", None)
    assert after == before


def test_search_says_a_document_could_not_be_read(two_revisions: tuple[Library, str, Path]) -> None:
    library, doc_id, _ = two_revisions
    _damage(library.documents_dir / doc_id / "document.yaml", "binary")
    run = hostile.cli(library.root, "search", "维持和平", "--json")
    assert run.status == 0, run.stderr
    assert '"notice": "1 document could not be read' in run.stdout
    assert doc_id in run.stdout


def test_repair_command_rebuilds_and_reports_once(two_revisions: tuple[Library, str, Path]) -> None:
    library, doc_id, _ = two_revisions
    _damage(library.documents_dir / doc_id / "document.yaml", "truncated")
    run = hostile.cli(library.root, "repair")
    assert run.status == 0, run.stderr
    assert run.stdout.count("repaired:") == 1
    assert len(library.record(doc_id).revisions) == 2
    assert library.record(doc_id).title == USER_TITLE
    assert hostile.cli(library.root, "repair").stdout.startswith("nothing to repair")


def test_file_paths_outside_the_document_folder_are_refused(two_revisions: tuple[Library, str, Path]) -> None:
    library, doc_id, _ = two_revisions
    meta = library.documents_dir / doc_id / "document.yaml"
    good = meta.read_text(encoding="utf-8")
    secret = library.root.parent / "secret.txt"
    secret.write_text("top secret 机密\n", encoding="utf-8")
    files = [rev.file for rev in library.record(doc_id).revisions]
    for target in ("/etc/passwd", "../../../secret.txt", str(secret)):
        text = good
        for rel in files:
            text = text.replace(f"file: {rel}", f"file: {target}")
        meta.write_text(text, encoding="utf-8")
        run = hostile.cli(library.root, "dump", doc_id)
        assert run.status == 1, target
        assert_one_line(run.stderr, "outside", doc_id)
        assert "root:" not in run.stdout
        assert "机密" not in run.stdout


def test_a_stored_original_replaced_by_a_link_outside_is_refused(
    two_revisions: tuple[Library, str, Path],
) -> None:
    library, doc_id, _ = two_revisions
    secret = library.root.parent / "secret.txt"
    secret.write_text("top secret 机密\n", encoding="utf-8")
    stored = library.original_path(doc_id)
    stored.unlink()
    stored.symlink_to(secret)
    run = hostile.cli(library.root, "dump", doc_id)
    assert run.status == 1
    assert_one_line(run.stderr, "outside", doc_id)
    assert "机密" not in run.stdout
