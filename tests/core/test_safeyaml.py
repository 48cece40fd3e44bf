"""Bounded YAML: libyaml where nothing can expand, the counting loader where something could."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from reader.core import safeyaml
from reader.core.limits import MB

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _pure(text: str) -> object:
    loader = safeyaml._BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("texts/*.yaml"))[:40], ids=lambda p: p.stem)
def test_the_fast_path_reads_what_the_counting_loader_reads(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if "&" in text:
        pytest.skip("has an anchor (or an ampersand): read by the counting loader only")
    assert safeyaml._cannot_expand(text)
    assert safeyaml.load(text, max_bytes=MB) == _pure(text)


def test_anchors_still_go_through_the_counting_loader() -> None:
    levels = "\n".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9))
    bomb = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n" + levels + "\n"
    assert not safeyaml._cannot_expand(bomb)
    with pytest.raises(safeyaml.YamlLimitError, match="expands to more than"):
        safeyaml.load(bomb, max_bytes=MB)
    assert safeyaml.load("a: &x [1, 2]\nb: *x\n", max_bytes=MB) == {"a": [1, 2], "b": [1, 2]}


def test_a_long_anchor_free_text_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safeyaml._BoundedLoader, "max_nodes", 10)
    short = "[" + ",".join("a" * 4) + "]"  # 5 nodes in 9 characters: cannot reach 10
    assert safeyaml._cannot_expand(short)
    assert safeyaml.load(short, max_bytes=MB) == ["a"] * 4
    long = "[" + ",".join("a" * 30) + "]"  # 31 nodes: over the limit, and too long for the fast path
    assert not safeyaml._cannot_expand(long)
    with pytest.raises(safeyaml.YamlLimitError):
        safeyaml.load(long, max_bytes=MB)


DEEP = ["[" * 5000 + "]" * 5000, "- " * 5000 + "x", "{a: " * 3000 + "1" + "}" * 3000]


@pytest.mark.parametrize("text", DEEP)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    with pytest.raises(yaml.YAMLError):
        safeyaml.load(text, max_bytes=MB)


def test_an_alias_without_anchor_is_an_error() -> None:
    with pytest.raises(yaml.YAMLError):
        safeyaml.load("a: *nothing\n", max_bytes=MB)
