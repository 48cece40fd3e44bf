"""The library CLI contract: import, list, outline, dump, and clean errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from reader.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_import_json_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 4)
    status, out, _ = run_cli(
        capsys, "--library", str(tmp_path / "lib"), "import", str(sample_path), str(bad), "--json"
    )
    assert status == 1
    rows = json.loads(out)
    assert rows[0]["title"] == "维持和平行动特别委员会各项建议的执行情况"
    assert rows[0]["paragraphs"] == 147
    assert rows[0]["headings"] == 12 + 45 + 19  # chapters, sections, numbered sub-headings
    assert set(rows[0]) >= {"id", "title", "symbol", "blocks", "paragraphs", "headings"}
    assert rows[1]["file"] == str(bad)
    assert "binary" in rows[1]["error"]
    status, out, _ = run_cli(capsys, "--library", str(tmp_path / "lib"), "list", "--json")
    assert status == 0
    listed = json.loads(out)
    assert [d["id"] for d in listed] == [rows[0]["id"]]


def test_outline_json(capsys: pytest.CaptureFixture[str], sample_path: Path) -> None:
    status, out, _ = run_cli(capsys, "outline", str(sample_path), "--json")
    assert status == 0
    data = json.loads(out)
    assert data["title"] == "维持和平行动特别委员会各项建议的执行情况"
    tree = data["tree"]
    assert len(tree) == 12
    first = tree[0]
    assert (first["label"], first["title"], first["level"]) == ("一", "战略背景", 1)
    assert first["children"][0]["label"] == "A"
    assert first["children"][0]["level"] == 2
    eighth_a = tree[7]["children"][0]
    assert [c["label"] for c in eighth_a["children"]] == ["1", "2"]
    assert eighth_a["children"][0]["title"] == "综合业绩政策框架"
    assert eighth_a["children"][0]["level"] == 3


def test_dump_json_by_id_and_by_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_path: Path
) -> None:
    lib = str(tmp_path / "lib")
    run_cli(capsys, "--library", lib, "import", str(sample_path), "--json")
    doc_id = json.loads(run_cli(capsys, "--library", lib, "list", "--json")[1])[0]["id"]
    status, out, _ = run_cli(capsys, "--library", lib, "dump", doc_id, "--json")
    assert status == 0
    data = json.loads(out)
    assert data["id"] == doc_id
    blocks = data["blocks"]
    kinds = {b["kind"] for b in blocks}
    assert kinds == {"front_matter", "heading", "paragraph", "footnote", "figure"}
    p37 = next(b for b in blocks if b["id"] == "p37")
    assert p37["number"] == "37"
    assert p37["kind"] == "paragraph"
    assert p37["path"] == ["妇女与和平与安全", "性别均等"]
    assert not p37["text"].startswith("37")
    by_path = json.loads(run_cli(capsys, "dump", str(sample_path), "--json")[1])
    assert [b["id"] for b in by_path["blocks"]] == [b["id"] for b in blocks]


@pytest.mark.parametrize("module", ["reader", "reader.cli"])
def test_errors_are_one_line_without_traceback(tmp_path: Path, module: str) -> None:
    env = {**os.environ, "BRIEFING_READER_HOME": str(tmp_path / "lib")}
    for args in (
        ["outline", "no-such-doc"],
        ["dump", str(tmp_path / "missing.txt"), "--json"],
        ["goto", "no-such-doc", "37"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", module, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert lines[0].startswith("briefing-reader: ")


def test_binary_file_outline_is_a_clear_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\xff\xd8\xff\xe0" + bytes(300))
    status, _, err = run_cli(capsys, "outline", str(f))
    assert status == 1
    assert "photo.txt" in err
    assert "JPEG" in err
