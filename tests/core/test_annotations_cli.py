"""The ``notes`` and ``bookmarks`` commands, end to end on a real library folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from reader import cli_notes
from reader.cli import main
from reader.core.annotations import AUTHOR_ENV, AnnotationStore
from reader.core.library import Library


@pytest.fixture
def lib(tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """(library folder, document id) with the sample imported; author "alice"."""
    monkeypatch.setenv(AUTHOR_ENV, "alice")
    root = tmp_path / "lib"
    library = Library.open(root)
    doc_id = library.import_file(sample_path).record.id
    library.rename(doc_id, symbol="A/75/563")
    return str(root), doc_id


def run(capsys: pytest.CaptureFixture[str], root: str, *argv: str) -> tuple[int, str, str]:
    status = main(["--library", root, *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_round_trip(lib: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root, doc_id = lib
    status, out, _ = run(
        capsys,
        root,
        "notes",
        "add",
        "A/75/563",
        "--block",
        "p37",
        "--quote",
        "性别均等",
        "--tag",
        "support",
        "--tag",
        "question",
        "--color",
        "green",
        "--note",
        "支持",
        "--json",
    )
    assert status == 0
    note = json.loads(out)
    assert (note["block"], note["quote"], note["tags"], note["colour"], note["author"]) == (
        "p37",
        "性别均等",
        ["support", "question"],
        "green",
        "alice",
    )
    status, out, _ = run(
        capsys, root, "notes", "add", doc_id, "--block", "p5", "--start", "0", "--end", "4", "--json"
    )
    assert status == 0
    assert json.loads(out)["end"] == 4
    status, out, _ = run(capsys, root, "notes", "list", doc_id, "--json")
    listed = json.loads(out)
    assert [n["block"] for n in listed] == ["p5", "p37"]
    assert listed[1]["id"] == note["id"]
    status, out, _ = run(capsys, root, "notes", "list", doc_id)
    assert note["id"][:8] in out
    assert "#support" in out

    status, out, _ = run(
        capsys, root, "bookmarks", "add", doc_id, "--block", "p10", "--name", "疫情", "--json"
    )
    mark = json.loads(out)
    assert (mark["block"], mark["name"]) == ("p10", "疫情")
    status, out, _ = run(capsys, root, "bookmarks", "list", doc_id, "--json")
    assert [b["id"] for b in json.loads(out)] == [mark["id"]]

    md = tmp_path / "out.md"
    status, out, _ = run(capsys, root, "notes", "export", doc_id, "--format", "md", "-o", str(md))
    assert status == 0
    assert "exported 3" in out
    assert "A/75/563，第 37 段" in md.read_text(encoding="utf-8")
    word = tmp_path / "out.docx"
    status, out, _ = run(
        capsys, root, "notes", "export", doc_id, "--format", "docx", "-o", str(word), "--tag", "support"
    )
    assert "exported 1" in out
    assert "— A/75/563，第 37 段" in [p.text for p in docx.Document(str(word)).paragraphs]

    status, out, _ = run(capsys, root, "notes", "delete", doc_id, note["id"][:8])
    assert status == 0
    status, out, _ = run(capsys, root, "bookmarks", "remove", doc_id, mark["id"])
    assert status == 0
    status, out, _ = run(capsys, root, "notes", "list", doc_id, "--json")
    assert [n["block"] for n in json.loads(out)] == ["p5"]
    status, out, _ = run(capsys, root, "bookmarks", "list", doc_id, "--json")
    assert json.loads(out) == []


def test_merge_command(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, doc_id = lib
    monkeypatch.setenv(AUTHOR_ENV, "bob")
    run(capsys, root, "notes", "add", doc_id, "--block", "p3", "--note", "from bob")
    usb = tmp_path / "bob.yaml"
    shutil.move(Path(root) / "documents" / doc_id / "notes" / "bob.yaml", usb)
    monkeypatch.setenv(AUTHOR_ENV, "alice")
    status, out, _ = run(capsys, root, "notes", "merge", str(usb), "--json")
    assert status == 0
    assert len(json.loads(out)["added"]) == 1
    status, out, _ = run(capsys, root, "notes", "merge", str(usb))
    assert out.strip() == f"{doc_id}: 0 added, 0 updated, 0 deleted"
    status, out, _ = run(capsys, root, "notes", "list", doc_id, "--json")
    assert [(n["author"], n["text"]) for n in json.loads(out)] == [("bob", "from bob")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["notes", "add", "NOPE", "--block", "p1"], "no document 'NOPE'"),
        (["notes", "add", "{doc}", "--block", "p9999"], "no block 'p9999'"),
        (["notes", "add", "{doc}", "--block", "p37", "--quote", "不在此段"], "the quote is not in block p37"),
        (["notes", "add", "{doc}", "--block", "p37", "--start", "3"], "give both --start and --end"),
        (["notes", "add", "{doc}", "--block", "p37", "--start", "5", "--end", "2"], "outside block p37"),
        (["notes", "add", "{doc}", "--block", "p37", "--color", "plaid"], "unknown colour 'plaid'"),
        (["notes", "delete", "{doc}", "abcdef"], "no note 'abcdef'"),
        (["bookmarks", "remove", "{doc}", "abcdef"], "no bookmark 'abcdef'"),
        (["bookmarks", "add", "{doc}", "--block", "zz"], "no block 'zz'"),
        (["notes", "merge", "/nonexistent/x.yaml"], "no such file"),
    ],
)
def test_errors_are_one_line(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    root, doc_id = lib
    status, _, err = run(capsys, root, *[a.format(doc=doc_id) for a in argv])
    assert status != 0
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_writes_refused_while_the_app_holds_the_library(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, doc_id = lib
    monkeypatch.setattr(cli_notes, "NOTES_LOCK_WAIT", 0.2)  # the CLI waits for the lock, briefly
    with AnnotationStore(Library.open(root), author="app"):
        status, _, err = run(capsys, root, "notes", "add", doc_id, "--block", "p3")
        assert status == 1
        assert "open in another Briefing Reader" in err
        status, out, _ = run(capsys, root, "notes", "list", doc_id, "--json")
        assert status == 0
        assert json.loads(out) == []


def test_corrupt_file_is_reported_as_a_warning(
    lib: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    root, doc_id = lib
    folder = Path(root) / "documents" / doc_id / "notes"
    folder.mkdir(parents=True)
    (folder / "alice.yaml").write_text("::: not yaml :::\n  - [", encoding="utf-8")
    status, out, err = run(capsys, root, "notes", "add", doc_id, "--block", "p3", "--json")
    assert status == 0
    assert "warning:" in err
    assert "alice.yaml" in err
    assert "kept as" in err
    assert json.loads(out)["block"] == "p3"
