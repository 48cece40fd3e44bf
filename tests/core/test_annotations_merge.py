"""Merging a colleague's annotation file: authors kept, idempotent, tombstones, newest wins."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.core.annotations import AddNote, AnnotationStore, DocumentNotes, ReadOnlyError, codec, make_anchor
from reader.core.annotations.merge import merge_into
from reader.core.annotations.model import AnnotationSet, DocumentInfo, Note
from reader.core.library import Library
from reader.core.paths import SAMPLE_NAME
from tests.core.test_annotations_anchoring import insert_paragraph, parse


@pytest.fixture
def two_libraries(tmp_path: Path, sample_path: Path) -> tuple[Library, Library, str]:
    """Alice's and Bob's libraries, each with the sample imported (same document id)."""
    alice = Library.open(tmp_path / "alice")
    bob = Library.open(tmp_path / "bob")
    a = alice.import_file(sample_path).record.id
    b = bob.import_file(sample_path).record.id
    assert a == b
    return alice, bob, a


def _add(notes: DocumentNotes, block: str, quote: str | None, text: str) -> str:
    note = notes.make_note(block, quote=quote, text=text)
    AddNote(notes, note).do()
    return note.id


def _bob_file(bob: Library, doc_id: str, tmp_path: Path) -> Path:
    """Bob's file as he would hand it over on a USB stick."""
    usb = tmp_path / "usb" / "bob.yaml"
    usb.parent.mkdir(exist_ok=True)
    shutil.copy(bob.doc_dir(doc_id) / "notes" / "bob.yaml", usb)
    return usb


def test_merge_keeps_author_and_is_idempotent(
    two_libraries: tuple[Library, Library, str], tmp_path: Path
) -> None:
    alice_lib, bob_lib, doc_id = two_libraries
    with AnnotationStore(bob_lib, author="bob") as bob:
        notes = bob.open_document(doc_id)
        ids = {_add(notes, "p37", "性别均等", "bob 1"), _add(notes, "h2", None, "bob 2")}
        notes.add_bookmark(notes.make_bookmark("p10", "bob's mark"))
    usb = _bob_file(bob_lib, doc_id, tmp_path)
    before = usb.read_bytes()
    with AnnotationStore(alice_lib, author="alice") as alice:
        mine = _add(alice.open_document(doc_id), "p5", None, "alice")
        merged_doc, report = alice.merge_file(usb)
        assert merged_doc == doc_id
        assert len(report.added) == 3
        notes = alice.open_document(doc_id)
        assert {(n.author, n.text) for n in notes.notes()} == {
            ("alice", "alice"),
            ("bob", "bob 1"),
            ("bob", "bob 2"),
        }
        assert [b.author for b in notes.bookmarks()] == ["bob"]
        # Bob's notes live in his own file in Alice's library; hers are untouched.
        folder = alice_lib.doc_dir(doc_id) / "notes"
        assert set(codec.loads((folder / "bob.yaml").read_bytes()).notes) == ids
        assert set(codec.loads((folder / "alice.yaml").read_bytes()).notes) == {mine}
        _, again = alice.merge_file(usb)
        assert not again.changed
        assert len(notes.notes()) == 3
    assert usb.read_bytes() == before  # the colleague's file is only read


def test_deletions_and_edits_carry_over(two_libraries: tuple[Library, Library, str], tmp_path: Path) -> None:
    alice_lib, bob_lib, doc_id = two_libraries
    with AnnotationStore(bob_lib, author="bob") as bob:
        notes = bob.open_document(doc_id)
        keep = _add(notes, "p37", "性别均等", "keep")
        drop = _add(notes, "h2", None, "drop")
    usb = _bob_file(bob_lib, doc_id, tmp_path)
    with AnnotationStore(alice_lib, author="alice") as alice:
        alice.merge_file(usb)
    with AnnotationStore(bob_lib, author="bob") as bob:
        notes = bob.open_document(doc_id)
        notes.delete_note(drop)
        notes.update_note(keep, text="kept and edited")
    usb = _bob_file(bob_lib, doc_id, tmp_path)
    with AnnotationStore(alice_lib, author="alice") as alice:
        _, report = alice.merge_file(usb)
        assert report.deleted == [drop]
        assert report.updated == [keep]
        notes = alice.open_document(doc_id)
        assert [n.text for n in notes.notes()] == ["kept and edited"]
        saved = codec.loads((alice_lib.doc_dir(doc_id) / "notes" / "bob.yaml").read_bytes())
        assert drop in saved.tombstones


def test_local_deletion_is_not_undone_by_a_stale_copy(
    two_libraries: tuple[Library, Library, str], tmp_path: Path
) -> None:
    alice_lib, bob_lib, doc_id = two_libraries
    with AnnotationStore(bob_lib, author="bob") as bob:
        note_id = _add(bob.open_document(doc_id), "p37", "性别均等", "old")
    usb = _bob_file(bob_lib, doc_id, tmp_path)
    with AnnotationStore(alice_lib, author="alice") as alice:
        alice.merge_file(usb)
        alice.open_document(doc_id).delete_note(note_id)
        _, report = alice.merge_file(usb)
        assert not report.added
        assert alice.open_document(doc_id).notes() == []


def test_newer_edit_wins_either_way() -> None:
    info = DocumentInfo("d")
    ours, theirs = AnnotationSet(info, "a"), AnnotationSet(info, "a")
    doc = parse("1. 第一段文字。\n")
    old = Note(
        "n", make_anchor(doc, "p1"), "a", "2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00+00:00", "old"
    )
    new = Note(
        "n", make_anchor(doc, "p1"), "a", "2024-01-01T00:00:00+00:00", "2024-01-02T00:00:00+00:00", "new"
    )
    ours.notes["n"], theirs.notes["n"] = old, new
    assert merge_into(ours, theirs).updated == ["n"]
    assert ours.notes["n"].text == "new"
    back = AnnotationSet(info, "a", notes={"n": old.copy()})
    assert not merge_into(ours, back).changed
    assert ours.notes["n"].text == "new"


def test_merged_notes_from_another_revision_are_reanchored(
    two_libraries: tuple[Library, Library, str], tmp_path: Path, sample_text: str
) -> None:
    alice_lib, bob_lib, doc_id = two_libraries
    with AnnotationStore(bob_lib, author="bob") as bob:
        _add(bob.open_document(doc_id), "p37", "《2018 至 2028 年军警人员性别均等战略》", "bob")
    usb = _bob_file(bob_lib, doc_id, tmp_path)
    alice_lib.import_bytes(insert_paragraph(sample_text, 10).encode("utf-8"), SAMPLE_NAME)
    with AnnotationStore(alice_lib, author="alice") as alice:
        alice.merge_file(usb)
        (note,) = alice.open_document(doc_id).notes()
        assert note.anchor.block == "p38"
        assert note.anchor.revision == alice_lib.record(doc_id).current


def test_merge_errors(two_libraries: tuple[Library, Library, str], tmp_path: Path) -> None:
    alice_lib = two_libraries[0]
    bad = tmp_path / "bad.yaml"
    bad.write_text("{{{", encoding="utf-8")
    stranger = tmp_path / "stranger.yaml"
    stranger.write_text(
        codec.dumps(AnnotationSet(DocumentInfo("nope", "A/99/1", "Unknown"), "zed")), encoding="utf-8"
    )
    with AnnotationStore(alice_lib, author="alice") as alice:
        with pytest.raises(ValueError, match="not valid YAML"):
            alice.merge_file(bad)
        with pytest.raises(ValueError, match="A/99/1"):
            alice.merge_file(stranger)
        with pytest.raises(ValueError, match="no such file"):
            alice.merge_file(tmp_path / "missing.yaml")
        with pytest.raises(ReadOnlyError):
            AnnotationStore(alice_lib, author="alice").merge_file(stranger)
    assert bad.read_text(encoding="utf-8") == "{{{"
