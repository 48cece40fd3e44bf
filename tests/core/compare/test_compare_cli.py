"""``compare DOC_A DOC_B [--json]``: the contract scripts rely on, by id, revision and path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.cli import main
from tests.core.compare.corpus import CORPUS

OLD = CORPUS / "发票管理办法(2019-03-02).md"
NEW = CORPUS / "发票管理办法(2023-07-20).md"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def check_contract(data: dict[str, object]) -> None:
    assert set(data) == {"a", "b", "summary", "units"}
    summary = data["summary"]
    assert isinstance(summary, dict)
    assert set(summary) == {"unchanged", "renumbered", "changed", "moved", "inserted", "deleted"}
    units = data["units"]
    assert isinstance(units, list)
    assert sum(summary.values()) == len(units)
    for unit in units:
        assert unit["status"] in summary
        old, new = unit["old"], unit["new"]
        assert (old is None) == (unit["status"] == "inserted")
        assert (new is None) == (unit["status"] == "deleted")
        for side in (old, new):
            if side is not None:
                assert set(side) == {"block", "kind", "label", "number", "text"}
        assert "".join(t for op, t in unit["ops"] if op != "+") == (old["text"] if old else "")
        assert "".join(t for op, t in unit["ops"] if op != "-") == (new["text"] if new else "")


def test_compare_two_files_as_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(
        capsys, "--library", str(tmp_path / "lib"), "compare", str(OLD), str(NEW), "--json"
    )
    assert status == 0, err
    data = json.loads(out)
    check_contract(data)
    assert data["a"] == OLD.name
    assert data["b"] == NEW.name
    # 第二条 gained the electronic invoice wording: "领购" became "领用".
    second = next(u for u in data["units"] if u["new"] and u["new"]["label"] == "第二条")
    assert second["status"] == "changed"
    assert ["-", "购"] in second["ops"] or ["-", "领购"] in second["ops"]


def test_compare_two_revisions_in_the_library_by_id(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "import", str(OLD))[0] == 0
    status, out, _ = run(capsys, *lib, "import", str(NEW), "--json")
    assert status == 0
    [imported] = json.loads(out)
    assert imported["status"] == "revision"
    doc_id = imported["id"]
    status, out, _ = run(capsys, *lib, "list", "--json")
    [record] = json.loads(out)
    assert record["revisions"] == 2
    first = next(r for r in _revisions(tmp_path / "lib", doc_id) if r != record["current"])
    status, out, err = run(capsys, *lib, "compare", f"{doc_id}@{first[:12]}", doc_id, "--json")
    assert status == 0, err
    data = json.loads(out)
    check_contract(data)
    assert data["a"] == doc_id == data["b"]
    status, out, _ = run(capsys, *lib, "compare", f"{doc_id}@{first[:12]}", doc_id)
    assert status == 0
    assert " renumbered" in out.splitlines()[0]


def _revisions(root: Path, doc_id: str) -> list[str]:
    import yaml

    meta = yaml.safe_load((root / "documents" / doc_id / "document.yaml").read_text(encoding="utf-8"))
    return [r["sha256"] for r in meta["revisions"]]


def test_unknown_document_is_one_clear_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, err = run(capsys, "--library", str(tmp_path / "lib"), "compare", "nosuchdoc", str(NEW))
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "nosuchdoc" in err
    assert "Traceback" not in err
    status, _, err = run(capsys, "--library", str(tmp_path / "lib"), "compare", "nosuch@abc", str(NEW))
    assert status == 1
    assert err.count("\n") == 1


def test_compare_exports_markdown_and_word(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import docx

    lib = ["--library", str(tmp_path / "lib")]
    md, word = tmp_path / "c.md", tmp_path / "c.docx"
    assert run(capsys, *lib, "compare", str(OLD), str(NEW), "-o", str(md))[0] == 0
    assert run(capsys, *lib, "compare", str(OLD), str(NEW), "-o", str(word))[0] == 0
    text = md.read_text(encoding="utf-8")
    assert "~~购~~<ins>用</ins>" in text  # 第二条: 领购 → 领用, as track changes
    assert "发票管理办法，第二条" in text.replace("中华人民共和国", "")
    table = docx.Document(str(word)).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    second = next(r for r in rows if "第二条" in r[1])
    assert "领购" in second[0]
    assert "领用" in second[1]
    assert second[2].startswith("修改 (changed)")
