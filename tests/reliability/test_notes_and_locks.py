"""Notes files from a newer version, temp files left by a kill, repeated merges, and two real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader.core.annotations import AUTHOR_ENV, AnnotationStore
from reader.core.library import Library
from tests.reliability import hostile
from tests.reliability.conftest import assert_one_line


@pytest.fixture
def noted(library: Library, monkeypatch: pytest.MonkeyPatch) -> tuple[Library, str, Path]:
    """(library, doc id, alice's notes file) with two notes by alice."""
    monkeypatch.setenv(AUTHOR_ENV, "alice")
    doc_id = library.documents()[0].id
    with AnnotationStore(library, author="alice") as store:
        notes = store.open_document(doc_id)
        for block in ("p3", "p5"):
            notes.add_note(notes.make_note(block, text=f"note on {block}"))
        path = store.path_for(doc_id)
    return library, doc_id, path


def _newer(path: Path) -> bytes:
    text = path.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 7", 1)
    path.write_text(text + "new_feature: {kept: true}\n", encoding="utf-8")
    return path.read_bytes()


def test_newer_notes_file_is_shown_read_only(noted: tuple[Library, str, Path]) -> None:
    library, doc_id, path = noted
    data = _newer(path)
    run = hostile.cli(library.root, "notes", "list", doc_id, "--json", env={AUTHOR_ENV: "alice"})
    assert run.status == 0, run.stderr
    assert sorted(n["text"] for n in json.loads(run.stdout)) == ["note on p3", "note on p5"]
    assert_one_line(run.stderr, "alice.yaml", "newer version", "read-only")
    add = hostile.cli(library.root, "notes", "add", doc_id, "--block", "p7", env={AUTHOR_ENV: "alice"})
    assert add.status == 1
    assert_one_line(add.stderr, "alice.yaml", "newer version", "refused")
    assert path.read_bytes() == data


def test_temp_files_left_by_a_kill_are_cleaned_when_the_store_opens_safely(
    noted: tuple[Library, str, Path],
) -> None:
    library, doc_id, path = noted
    leftovers = [
        path.with_name(f".{path.name}.k1ll3d.tmp"),
        path.parent / ".backup" / f".{path.name}.1.x7y8z9.tmp",
        library.documents_dir / doc_id / ".document.yaml.a1b2c3.tmp",
    ]
    for tmp in leftovers:
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text("half a file", encoding="utf-8")
    listed = hostile.cli(library.root, "notes", "list", doc_id)  # read-only: touches nothing
    assert listed.status == 0
    assert all(tmp.exists() for tmp in leftovers)
    added = hostile.cli(library.root, "notes", "add", doc_id, "--block", "p7", env={AUTHOR_ENV: "alice"})
    assert added.status == 0, added.stderr
    assert not any(tmp.exists() for tmp in leftovers[:2])
    imported = hostile.cli(library.root, "repair")  # under the library's write lock
    assert imported.status == 0
    assert not leftovers[2].exists()


def test_a_second_identical_merge_changes_no_byte(
    noted: tuple[Library, str, Path], tmp_path: Path, sample_path: Path
) -> None:
    library, doc_id, _ = noted
    bobs = Library.open(tmp_path / "bob-library")  # a colleague's own copy of the same document
    assert bobs.import_file(sample_path).record.id == doc_id
    with AnnotationStore(bobs, author="bob") as store:
        notes = store.open_document(doc_id)
        notes.add_note(notes.make_note("p9", text="bob's note"))
        bob_file = store.path_for(doc_id)
    first = hostile.cli(library.root, "notes", "merge", str(bob_file))
    assert first.status == 0, first.stderr
    assert "1 added" in first.stdout
    after_first = hostile.tree_bytes(library.root)
    second = hostile.cli(library.root, "notes", "merge", str(bob_file))
    assert second.status == 0
    assert "0 added, 0 updated, 0 deleted" in second.stdout
    after_second = hostile.tree_bytes(library.root)
    after_first.pop("notes.lock", None)
    after_second.pop("notes.lock", None)
    assert after_second == after_first


HOLDER = """
import sys, time
from pathlib import Path
from reader.core.locking import LockFile
lock = LockFile(Path(sys.argv[1]))
assert lock.acquire()
print("held", flush=True)
time.sleep(float(sys.argv[2]))
lock.release()
"""


def _hold_notes_lock(library: Library, seconds: float) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(hostile.ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(library.root / "notes.lock"), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_notes_add_waits_for_a_short_lock(noted: tuple[Library, str, Path]) -> None:
    library, doc_id, _ = noted
    holder = _hold_notes_lock(library, 2.0)
    try:
        run = hostile.cli(library.root, "notes", "add", doc_id, "--block", "p7", env={AUTHOR_ENV: "alice"})
    finally:
        holder.wait(30)
    assert run.status == 0, run.stderr


def test_notes_add_says_who_holds_a_long_lock(
    noted: tuple[Library, str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    library, doc_id, path = noted
    before = path.read_bytes()
    holder = _hold_notes_lock(library, 60.0)
    try:
        started = time.monotonic()
        run = hostile.cli(library.root, "notes", "add", doc_id, "--block", "p7", env={AUTHOR_ENV: "alice"})
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait(30)
    assert run.status == 1
    assert_one_line(run.stderr, f"process {holder.pid}", "waited")
    assert waited < 30  # bounded: it gave up
    assert path.read_bytes() == before


IMPORTER = """
import sys, time
from pathlib import Path
from reader.core.library import Library
go = Path(sys.argv[3])
while not go.exists():
    time.sleep(0.005)
result = Library.open(sys.argv[1]).import_file(Path(sys.argv[2]))
print(result.status, result.record.current, flush=True)
"""


def test_two_processes_importing_revisions_lose_none(
    library: Library, tmp_path: Path, sample_text: str
) -> None:
    doc = library.documents()[0]
    name = doc.revisions[0].original_name
    env = {**os.environ, "PYTHONPATH": str(hostile.ROOT)}
    expected = {r.sha256 for r in doc.revisions}
    for trial in range(3):
        go = tmp_path / f"go-{trial}"
        procs = []
        for k in range(2):
            f = tmp_path / f"t{trial}-{k}" / name
            f.parent.mkdir()
            f.write_text(sample_text + f"\n第{trial}次第{k}个附加段落。\n", encoding="utf-8")
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", IMPORTER, str(library.root), str(f), str(go)],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=env,
                )
            )
        time.sleep(1.0)  # both are importing their modules; then start them together
        go.touch()
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            status, sha = out.split()
            assert status == "revision"
            expected.add(sha)
        assert {r.sha256 for r in library.record(doc.id).revisions} == expected
