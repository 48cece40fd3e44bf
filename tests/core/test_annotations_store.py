"""The annotation store on real files: layout, backups, bad files, change detection, lock, undo."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from reader.core.annotations import (
    AUTHOR_ENV,
    AddBookmark,
    AddNote,
    AnchorStatus,
    AnnotationStore,
    Change,
    DeleteNote,
    DocumentNotes,
    EditNote,
    ReadOnlyError,
    RecolourNote,
    RemoveBookmark,
    RenameBookmark,
    RetagNote,
    author_filename,
    codec,
    default_author,
)
from reader.core.library import Library
from reader.core.paths import SAMPLE_NAME
from tests.core.test_annotations_anchoring import delete_paragraph, insert_paragraph, reworded_sample


@pytest.fixture
def doc_id(library: Library, sample_path: Path) -> str:
    return library.import_file(sample_path).record.id


@pytest.fixture
def store(library: Library, doc_id: str) -> Iterator[AnnotationStore]:
    s = AnnotationStore(library, author="alice")
    yield s
    s.close()


@pytest.fixture
def notes(store: AnnotationStore, doc_id: str) -> DocumentNotes:
    return store.open_document(doc_id)


def _add(notes: DocumentNotes, block: str = "p37", quote: str | None = "性别均等", **kw: object) -> str:
    note = notes.make_note(block, quote=quote, **kw)  # type: ignore[arg-type]
    AddNote(notes, note).do()
    return note.id


def test_file_layout_and_content(
    library: Library, store: AnnotationStore, notes: DocumentNotes, doc_id: str
) -> None:
    note_id = _add(notes, text="第一行\n第二行", tags=["support", " support ", "amend"], colour="green")
    path = library.doc_dir(doc_id) / "notes" / "alice.yaml"
    assert notes.paths == [path]
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert raw["schema_version"] == codec.SCHEMA_VERSION
    assert raw["document"]["id"] == doc_id
    assert raw["document"]["title"] == library.record(doc_id).title
    assert raw["author"] == "alice"
    (note,) = raw["notes"]
    assert note["id"] == note_id
    assert note["tags"] == ["support", "amend"]
    assert note["colour"] == "green"
    assert note["text"] == "第一行\n第二行"
    assert note["anchor"]["block"] == "p37"
    assert note["anchor"]["paragraph"] == "37"
    assert note["anchor"]["quote"] == "性别均等"
    assert note["anchor"]["revision"] == library.record(doc_id).current
    assert isinstance(note["created"], str)
    assert "text: |-\n" in path.read_text(encoding="utf-8")  # multi-line notes stay readable


def test_reopen_gives_the_same_notes(
    library: Library, store: AnnotationStore, notes: DocumentNotes, doc_id: str
) -> None:
    _add(notes, text="a", tags=["question"])
    mark = notes.make_bookmark("p10", "COVID")
    AddBookmark(notes, mark).do()
    store.close()
    again = AnnotationStore(library, author="alice")
    try:
        reopened = again.open_document(doc_id)
        assert [(n.id, n.text, n.tags, n.anchor) for n in reopened.notes()] == [
            (n.id, n.text, n.tags, n.anchor) for n in notes.notes()
        ]
        assert [b.name for b in reopened.bookmarks()] == ["COVID"]
    finally:
        again.close()


def test_author_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(AUTHOR_ENV, "  Wang Wei (CN) ")
    assert default_author() == "Wang Wei (CN)"
    monkeypatch.delenv(AUTHOR_ENV)
    assert default_author()
    assert author_filename("Wang Wei (CN)") == "Wang_Wei_CN"
    assert author_filename("../../etc/passwd") == "etc_passwd"
    assert author_filename("王伟") == "王伟"
    assert author_filename("...") == "user"
    assert author_filename("CON") == "CON_"


def test_notes_go_to_the_file_of_the_env_author(
    library: Library, doc_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(AUTHOR_ENV, "Li Na/中国")
    with AnnotationStore(library) as store:
        notes = store.open_document(doc_id)
        _add(notes)
        assert notes.paths == [library.doc_dir(doc_id) / "notes" / "Li_Na_中国.yaml"]
        assert notes.notes()[0].author == "Li Na/中国"


def test_backups_keep_the_last_three_versions(notes: DocumentNotes) -> None:
    versions = []
    for i in range(5):
        _add(notes, text=f"v{i}")
        versions.append(notes.paths[0].read_bytes())
    path = notes.paths[0]
    backups = path.parent / ".backup"
    assert sorted(p.name for p in backups.iterdir()) == ["alice.yaml.1", "alice.yaml.2", "alice.yaml.3"]
    assert (backups / "alice.yaml.1").read_bytes() == versions[-2]
    assert (backups / "alice.yaml.3").read_bytes() == versions[-4]


_HEAD = b"schema_version: 1\ndocument: {id: x}\nauthor: alice\n"
_NOTE = b"- id: n1\n  created: '2024-01-01T00:00:00'\n"

# kind -> (content, words the reason must contain)
BAD_FILES: dict[str, tuple[bytes, str]] = {
    "garbage": (b"notes: [unclosed\n  - {", "not valid YAML"),
    "empty": (b"", "empty"),
    "whitespace": (b"  \n\n", "empty"),
    "not-utf8": (b"schema_version: 1\nauthor: \xff\xfe\n", "UTF-8"),
    "top-level-list": (b"- 1\n- 2\n", "mapping"),
    "no-schema": (b"author: alice\nnotes: []\ncomplete: true\n", "schema_version"),
    "truncated": (_HEAD + b"notes:\n" + _NOTE, "incomplete"),
    "wrong-type": (
        _HEAD + b"notes:\n" + _NOTE + b"  anchor: {revision: r, block: p1, start: zero, end: 3, quote: abc}\n"
        b"complete: true\n",
        "notes[0].anchor.start",
    ),
    "missing-anchor": (_HEAD + b"notes:\n" + _NOTE + b"complete: true\n", "notes[0].anchor"),
    "notes-not-a-list": (_HEAD + b"notes: {a: 1}\ncomplete: true\n", "notes: expected a list"),
    "malicious": (b"!!python/object/apply:os.system ['touch PWNED']\n", "unsafe"),
    "malicious-nested": (
        _HEAD + b"notes: !!python/object/new:subprocess.Popen [['touch', 'PWNED']]\ncomplete: true\n",
        "unsafe",
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_moved_aside_reported_and_the_rest_works(
    library: Library, doc_id: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = library.doc_dir(doc_id) / "notes"
    with AnnotationStore(library, author="bob") as store:
        _add(store.open_document(doc_id), text="bob's")
    assert (folder / "bob.yaml").is_file()
    bad = folder / "alice.yaml"
    content, reason = BAD_FILES[kind]
    bad.write_bytes(content)
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        (problem,) = notes.problems
        assert problem.path == str(bad)
        assert reason in problem.reason
        assert problem.moved_to is not None
        moved = Path(problem.moved_to)
        assert moved.read_bytes() == content  # kept byte for byte
        assert moved.name.startswith("alice.yaml.corrupt-")
        assert store.problems == [problem]
        assert str(bad) in problem.message()
        # Everything else keeps working: the colleague's notes load, new notes save.
        assert [n.text for n in notes.notes()] == ["bob's"]
        _add(notes, text="mine")
        assert codec.loads(bad.read_bytes()).author == "alice"
    assert moved.read_bytes() == content
    assert not (tmp_path / "PWNED").exists()


def test_truncated_file_is_restored_from_backup(library: Library, doc_id: str) -> None:
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        first = _add(notes, text="one")
        second = _add(notes, text="two")
    path = library.doc_dir(doc_id) / "notes" / "alice.yaml"
    full = path.read_bytes()
    path.write_bytes(full[: len(full) // 2])
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        (problem,) = notes.problems
        assert problem.restored_from is not None
        assert problem.restored_from.endswith("alice.yaml.1")
        assert Path(problem.moved_to or "").read_bytes() == full[: len(full) // 2]
        # The backup holds the version before the last save: the first note survives.
        assert first in [n.id for n in notes.notes()]
        assert second not in [n.id for n in notes.notes()]
    assert first in codec.loads(path.read_bytes()).notes  # the recovered content was saved


def test_newer_schema_is_left_alone_and_read_only(library: Library, doc_id: str) -> None:
    folder = library.doc_dir(doc_id) / "notes"
    folder.mkdir(parents=True)
    path = folder / "alice.yaml"
    content = b"schema_version: 7\ndocument: {id: x}\nauthor: alice\nnotes: []\n"
    path.write_bytes(content)
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        (problem,) = notes.problems
        assert "newer version" in problem.reason
        assert problem.moved_to is None
        assert notes.read_only
        with pytest.raises(ReadOnlyError):
            _add(notes)
    assert path.read_bytes() == content


def test_older_schema_is_migrated_on_load(
    library: Library, doc_id: str, notes: DocumentNotes, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(notes, text="old")
    path = notes.paths[0]

    def body_to_text(data: dict[str, Any]) -> dict[str, Any]:
        for note in data["notes"]:
            note["text"] = note.pop("body")
        return data

    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    for note in raw["notes"]:
        note["body"] = note.pop("text")
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    # Unknown keys survive a load/save round trip of the current version.
    kept = codec.loads(path.read_bytes())
    assert [(n.text, n.extra) for n in kept.notes.values()] == [("", {"body": "old"})]
    assert "body: old" in codec.dumps(kept)
    monkeypatch.setattr(codec, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(codec.MIGRATIONS, 1, body_to_text)
    migrated = codec.loads(path.read_bytes())
    assert [(n.text, n.extra) for n in migrated.notes.values()] == [("old", {})]
    assert "schema_version: 2" in codec.dumps(migrated)


def test_truncated_at_any_point_is_never_accepted_as_complete(notes: DocumentNotes) -> None:
    _add(notes, text="one")
    notes.add_bookmark(notes.make_bookmark("p3", "b"))
    notes.delete_note(_add(notes, text="two"))
    full = notes.paths[0].read_bytes()
    codec.loads(full)
    for cut in range(0, len(full.rstrip()) - 1, 7):
        with pytest.raises(codec.FormatError):
            codec.loads(full[:cut])


def test_external_change_is_detected_and_merged(notes: DocumentNotes) -> None:
    mine = _add(notes, text="mine")
    path = notes.paths[0]
    events: list[Change] = []
    notes.add_listener(events.append)
    assert not notes.reload_if_changed()
    # A sync tool brings in a version with an extra note (written by another copy of the program).
    other = codec.loads(path.read_bytes())
    extra = notes.make_note("p5", quote="29 个会员国", text="synced")
    other.notes[extra.id] = extra
    path.write_text(codec.dumps(other), encoding="utf-8")
    assert notes.reload_if_changed()
    assert {n.text for n in notes.notes()} == {"mine", "synced"}
    assert events[-1] == Change("all", "reloaded")
    assert not notes.reload_if_changed()
    assert mine in codec.loads(path.read_bytes()).notes


def test_save_never_overwrites_unseen_changes(library: Library, doc_id: str) -> None:
    store = AnnotationStore(library, author="alice", autosave=False)
    try:
        notes = store.open_document(doc_id)
        _add(notes, text="first")
        notes.save()
        path = notes.paths[0]
        # Changed on disk behind our back while we hold unsaved edits.
        other = codec.loads(path.read_bytes())
        extra = notes.make_note("p5", quote="29 个会员国", text="theirs")
        other.notes[extra.id] = extra
        path.write_text(codec.dumps(other), encoding="utf-8")
        _add(notes, text="ours")
        assert notes.dirty
        notes.save()
        assert {n.text for n in codec.loads(path.read_bytes()).notes.values()} == {"first", "theirs", "ours"}
        assert not notes.dirty
    finally:
        store.close()


def test_file_deleted_on_disk_is_written_back(notes: DocumentNotes) -> None:
    _add(notes, text="keep me")
    path = notes.paths[0]
    path.unlink()
    assert not notes.reload_if_changed()
    assert notes.dirty
    notes.save()
    assert [n.text for n in codec.loads(path.read_bytes()).notes.values()] == ["keep me"]


def test_new_colleague_file_appears_on_reload(library: Library, doc_id: str, notes: DocumentNotes) -> None:
    bob = AnnotationStore(library, author="bob", lock=False)
    _add(bob.open_document(doc_id), text="from bob")
    assert notes.reload_if_changed()
    assert [(n.author, n.text) for n in notes.notes()] == [("bob", "from bob")]


def test_second_instance_is_read_only(library: Library, doc_id: str, notes: DocumentNotes) -> None:
    _add(notes, text="first")
    second = AnnotationStore(library, author="alice")
    assert second.read_only
    assert f"process {os.getpid()}" in second.read_only_reason
    other = second.open_document(doc_id)
    assert other.read_only
    assert [n.text for n in other.notes()] == ["first"]
    with pytest.raises(ReadOnlyError, match="another Briefing Reader"):
        other.add_note(other.make_note("p1"))
    with pytest.raises(ReadOnlyError):
        other.save()
    second.close()
    notes.store.close()
    third = AnnotationStore(library, author="alice")
    assert not third.read_only
    third.close()


def test_read_only_store_does_not_move_bad_files(library: Library, doc_id: str, notes: DocumentNotes) -> None:
    folder = library.doc_dir(doc_id) / "notes"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "carol.yaml").write_text("{{{", encoding="utf-8")
    reader = AnnotationStore(library, author="x", read_only=True)
    problems = reader.open_document(doc_id).problems
    assert [p.moved_to for p in problems] == [None]
    assert (folder / "carol.yaml").read_text(encoding="utf-8") == "{{{"


def _texts(notes: DocumentNotes) -> list[str]:
    return [n.text for n in notes.notes()]


def test_undo_redo_of_every_note_command(notes: DocumentNotes) -> None:
    note = notes.make_note("p37", quote="性别均等", text="draft")
    add = AddNote(notes, note)
    add.do()
    edit = EditNote(notes, note.id, "draft 2")
    edit.do()
    more = EditNote(notes, note.id, "draft 3")
    assert edit.absorb(more)
    edit.do()
    assert _texts(notes) == ["draft 3"]
    recolour = RecolourNote(notes, note.id, "red")
    recolour.do()
    retag = RetagNote(notes, note.id, ["oppose", "question"])
    retag.do()
    current = notes.note(note.id)
    assert (current.colour, current.tags) == ("red", ["oppose", "question"])
    retag.undo()
    recolour.undo()
    current = notes.note(note.id)
    assert (current.colour, current.tags, current.text) == ("yellow", [], "draft 3")
    edit.undo()
    assert _texts(notes) == ["draft"]
    delete = DeleteNote(notes, note.id)
    delete.do()
    assert _texts(notes) == []
    saved = codec.loads(notes.paths[0].read_bytes())
    assert note.id in saved.tombstones
    assert note.id not in saved.notes
    delete.undo()
    assert _texts(notes) == ["draft"]
    add.undo()
    assert _texts(notes) == []
    add.do()
    assert _texts(notes) == ["draft"]
    saved = codec.loads(notes.paths[0].read_bytes())
    assert note.id in saved.notes
    assert note.id not in saved.tombstones


def test_undo_of_bookmark_commands(notes: DocumentNotes) -> None:
    mark = notes.make_bookmark("p10", "first name")
    add = AddBookmark(notes, mark)
    add.do()
    rename = RenameBookmark(notes, mark.id, "  second  ")
    rename.do()
    assert [b.name for b in notes.bookmarks()] == ["second"]
    rename.undo()
    assert [b.name for b in notes.bookmarks()] == ["first name"]
    remove = RemoveBookmark(notes, mark.id)
    remove.do()
    assert notes.bookmarks() == []
    remove.undo()
    assert [b.name for b in notes.bookmarks()] == ["first name"]
    add.undo()
    assert notes.bookmarks() == []
    add.do()
    assert [b.id for b in notes.bookmarks()] == [mark.id]
    assert [b.id for b in codec.loads(notes.paths[0].read_bytes()).bookmarks.values()] == [mark.id]


def test_commands_on_vanished_note_do_nothing(notes: DocumentNotes) -> None:
    note_id = _add(notes, text="x")
    edit = EditNote(notes, note_id, "y")
    notes.delete_note(note_id)
    edit.do()
    edit.undo()
    assert notes.notes() == []


def test_listeners_hear_each_change(notes: DocumentNotes) -> None:
    events: list[Change] = []
    notes.add_listener(events.append)
    note_id = _add(notes)
    notes.update_note(note_id, text="t")
    notes.delete_note(note_id)
    notes.remove_listener(events.append)
    _add(notes)
    assert [(e.kind, e.action, e.ids) for e in events] == [
        ("note", "added", (note_id,)),
        ("note", "changed", (note_id,)),
        ("note", "removed", (note_id,)),
    ]


def test_notes_are_in_reading_order(notes: DocumentNotes) -> None:
    _add(notes, "p37", "性别均等", text="c")
    _add(notes, "p5", "29 个会员国", text="a")
    _add(notes, "p37", None, text="b")
    assert _texts(notes) == ["a", "b", "c"]
    assert [n.text for n in notes.notes_in_block("p37")] == ["b", "c"]
    assert notes.tags() == []


def test_bad_colour_is_refused(notes: DocumentNotes) -> None:
    with pytest.raises(ValueError, match="colour"):
        notes.make_note("p37", colour="ultraviolet")
    note_id = _add(notes, colour="#12ab3F")
    with pytest.raises(ValueError, match="colour"):
        notes.update_note(note_id, colour="#12345")


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("inserted", {"p37": ("context", "p38"), "p5": ("exact", "p5"), "p15": ("context", "p16")}),
        ("reworded", {"p37": ("exact", "p37"), "p20": ("fuzzy", "p20"), "p20_gone": ("orphan", "p20")}),
        ("deleted", {"p37": ("context", "p36"), "p15": ("orphan", "p15"), "p5": ("exact", "p5")}),
    ],
)
def test_notes_move_lazily_to_a_new_revision(
    library: Library, doc_id: str, sample_text: str, variant: str, expected: dict[str, tuple[str, str]]
) -> None:
    quotes = {
        "p37": ("p37", "《2018 至 2028 年军警人员性别均等战略》"),
        "p5": ("p5", "29 个会员国和一个伙伴组织"),
        "p15": ("p15", "联合国科索沃临时行政当局特派团(科索沃特派团)"),
        "p20": ("p20", "管理战略、政策和合规部和业务支助部以巩固改革作为工作重点"),
        "p20_gone": ("p20", "精简流程,支持权能得到增强的管理人员"),
    }
    old_revision = library.record(doc_id).current
    ids: dict[str, str] = {}
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        for name in expected:
            block, quote = quotes[name]
            ids[name] = _add(notes, block, quote, text=name)
    text = {
        "inserted": insert_paragraph(sample_text, 10),
        "reworded": reworded_sample(sample_text),
        "deleted": delete_paragraph(sample_text, 15),
    }[variant]
    result = library.import_bytes(text.encode("utf-8"), SAMPLE_NAME)
    assert result.status == "revision"
    new_revision = result.record.current
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        report = notes.last_reanchor
        assert report is not None
        assert report.revision == new_revision
        got = {
            name: (notes.note(i).anchor.status.value, notes.note(i).anchor.block) for name, i in ids.items()
        }
        assert got == expected
        assert {n.text for n in notes.orphans()} == {k for k, v in expected.items() if v[0] == "orphan"}
        assert report.count(AnchorStatus.ORPHAN) == len(notes.orphans())
    # Persisted: the file now refers to the new revision and keeps the old anchor for the record.
    saved = codec.loads((library.doc_dir(doc_id) / "notes" / "alice.yaml").read_bytes())
    for name, note_id in ids.items():
        anchor = saved.notes[note_id].anchor
        if expected[name][0] == "orphan":
            assert (anchor.revision, anchor.checked) == (old_revision, new_revision)
        else:
            assert anchor.revision == new_revision
            assert anchor.previous[-1].revision == old_revision
    with AnnotationStore(library, author="alice") as store:
        assert store.open_document(doc_id).last_reanchor is None  # nothing left to move


def test_iter_note_texts(library: Library, doc_id: str, notes: DocumentNotes) -> None:
    first = _add(notes, "p37", "性别均等", text="女性军警人员")
    _add(notes, "p5", None)  # a plain highlight has no text to search
    bob = AnnotationStore(library, author="bob", lock=False)
    second = _add(bob.open_document(doc_id), "h2", None, text="bob 的批注")
    found = sorted(AnnotationStore(library, read_only=True).iter_note_texts())
    assert sorted(found) == sorted(
        [(doc_id, first, "p37", "女性军警人员"), (doc_id, second, "h2", "bob 的批注")]
    )
    assert [t.note_id for t in notes.iter_note_texts()] == [first]


def test_losing_the_lock_turns_the_store_read_only(
    library: Library, doc_id: str, notes: DocumentNotes
) -> None:
    store = notes.store
    assert store.refresh_lock()
    lock_path = library.root / "notes.lock"
    lock_path.write_text(
        '{"pid": 1, "hostname": "elsewhere", "token": "theirs", "created": 0}', encoding="utf-8"
    )
    assert not store.refresh_lock()
    assert store.read_only
    assert "took over" in notes.read_only_reason
    with pytest.raises(ReadOnlyError):
        _add(notes)
    store.close()
    assert lock_path.exists()  # their lock is not removed by us


def test_edits_survive_losing_the_lock(library: Library, doc_id: str) -> None:
    with AnnotationStore(library, author="delegate", autosave=False) as store:
        notes = store.open_document(doc_id)
        note_id = _add(notes, text="typed just before the takeover")
        assert notes.dirty
        # Another machine judges our lock abandoned and takes it over.
        lock = library.root / "notes.lock"
        data = json.loads(lock.read_text(encoding="utf-8"))
        taken = {**data, "token": "someone-else", "hostname": "elsewhere"}
        lock.write_text(json.dumps(taken), encoding="utf-8")
        assert not store.refresh_lock()
        assert store.read_only
        with pytest.raises(ReadOnlyError) as err:
            notes.save()
        assert "recovered" in str(err.value)
        live = store.path_for(doc_id)
        assert not live.exists()  # nothing written behind the new owner's back
        kept = sorted((live.parent / "recovered").glob("*.yaml"))
        assert len(kept) == 1
        assert not notes.dirty
    # Later, with the library ours again, merging the recovery file restores the note.
    lock.unlink()
    with AnnotationStore(library, author="delegate") as store:
        merged_doc, report = store.merge_file(kept[0])
        assert merged_doc == doc_id
        assert report.added == [note_id]
        restored = store.open_document(doc_id).note(note_id)
        assert restored is not None
        assert restored.text == "typed just before the takeover"
