"""File names too long for the file system: shortened by encoded bytes, extension and uniqueness kept."""

from __future__ import annotations

from pathlib import Path

from reader.core.library import Library
from tests.reliability import hostile

# Eighty Chinese characters: 240 bytes of UTF-8 before the extension; 244 with ".txt".
LONG = "关于维持和平行动特别委员会各项建议执行情况的秘书长报告及其附件和补编" * 3
LONG = LONG[:80]


def test_eighty_character_chinese_names_import_and_stay_apart(
    library: Library, tmp_path: Path, sample_text: str
) -> None:
    assert len(LONG) == 80
    assert len((LONG + ".txt").encode("utf-8")) == 244
    # Two names that differ only after the point where they must be cut.
    first = tmp_path / "a" / (LONG[:-1] + "甲.txt")
    second = tmp_path / "b" / (LONG[:-1] + "乙.txt")
    for k, f in enumerate((first, second)):
        f.parent.mkdir()
        f.write_text(sample_text.replace("维持和平", f"维持和平{k}", 1), encoding="utf-8")
    for f in (first, second):
        run = hostile.cli(library.root, "import", str(f))
        assert run.status == 0, run.stderr
    stored = sorted(p for p in library.documents_dir.rglob("*.txt") if "关于" in p.name)
    assert len(stored) == 2
    assert stored[0].name != stored[1].name
    for p in stored:
        assert len(p.name.encode("utf-8")) <= 200  # room for the temp-file prefix and suffix
        assert p.suffix == ".txt"
    names = {r.original_name for d in library.documents() for r in d.revisions}
    assert first.name in names
    assert second.name in names


def test_shortening_never_splits_a_character() -> None:
    from reader.core.library import MAX_NAME_BYTES, safe_filename

    for extra in range(4):
        name = "x" * extra + LONG + LONG + ".docx"
        short = safe_filename(name)
        assert len(short.encode("utf-8")) <= MAX_NAME_BYTES
        assert short.endswith(".docx")
        short.encode("utf-8").decode("utf-8")
    assert safe_filename("short.txt") == "short.txt"
