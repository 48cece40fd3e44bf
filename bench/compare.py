"""Comparison benchmark: two 300-article laws, ours (diff-match-patch core) beside difflib.

Usage::

    .venv/bin/python bench/compare.py [--runs 7] [--out docs/PERFORMANCE.md] [--no-write]

The pair is built from real amendments: the law revision pairs of the test
corpus, taken whole in order of size until the older side has 300 articles,
are concatenated into one older and one newer law (each source law a chapter,
articles renumbered through), so the pair carries real insertions, deletions,
rewordings and the renumbering that follows them.  Parsing is not timed.

Rows (median of ``--runs``, each in this process, same pair):

* ours: ``compare_documents`` (units, alignment, diffs inside changed units);
* the same pipeline with difflib as the diff core (``SequenceMatcher`` on
  the unit chain and on the characters of each changed unit);
* difflib on the two whole texts by character (what a naive tool does);
* one long paragraph (≈ 6 000 characters, edits every few hundred) by both cores.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import importlib
import os
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.core.compare import compare_documents, units_of  # noqa: E402
from reader.core.compare.textdiff import Ops, diff_ops  # noqa: E402
from reader.core.parser import parse_text  # noqa: E402
from tests.core.compare.corpus import articles, revision_pairs  # noqa: E402

# The package exports the function ``align``; the benchmark swaps the module's diff core.
align_module: Any = importlib.import_module("reader.core.compare.align")

BEGIN, END = "<!-- compare:begin -->", "<!-- compare:end -->"
TARGET = 300
_DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """``123`` → ``一百二十三`` (article numbers up to 999)."""
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones or not out:
        out += _DIGITS[ones]
    return out


def build_pair() -> tuple[str, str, int, int]:
    """Older and newer law text of about 300 articles each, from real revision pairs."""
    pairs = sorted(revision_pairs(), key=lambda p: -len(articles(p[0])))
    chosen, total = [], 0
    for old, new in pairs:
        chosen.append((old, new))
        total += len(articles(old))
        if total >= TARGET:
            break

    def law(paths: list[Path]) -> tuple[str, int]:
        lines = ["# 合并示范条例", ""]
        n = 0
        for k, path in enumerate(paths, start=1):
            lines += [f"## 第{chinese(k)}章 {re.sub(r'[(（].*', '', path.stem)}", ""]
            for art in articles(path):
                n += 1
                lines += [f"第{chinese(n)}条 " + art.text.replace("\n", "\n\n"), ""]
        return "\n".join(lines), n

    old_text, old_n = law([p[0] for p in chosen])
    new_text, new_n = law([p[1] for p in chosen])
    return old_text, new_text, old_n, new_n


def difflib_ops(old: str, new: str) -> Ops:
    """Character operations from difflib (same contract as ``diff_ops``)."""
    out: Ops = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("=", old[i1:i2]))
            continue
        if i2 > i1:
            out.append(("-", old[i1:i2]))
        if j2 > j1:
            out.append(("+", new[j1:j2]))
    return out


def difflib_chain(old: object, new: object) -> list[tuple[int, int]]:
    """The identical-unit chain from difflib on unit keys."""
    keys_a = [align_module._key(u) for u in old]  # type: ignore[attr-defined]
    keys_b = [align_module._key(u) for u in new]  # type: ignore[attr-defined]
    matcher = difflib.SequenceMatcher(None, keys_a, keys_b, autojunk=False)
    return [(a + k, b + k) for a, b, size in matcher.get_matching_blocks() for k in range(size)]


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median wall-clock and CPU milliseconds (CPU is steadier on a shared machine).

    The garbage collector is paused while a run is timed, as ``timeit`` does, so that a
    collection of the benchmark's own data does not land in one row and not another.
    """
    wall, cpu = [], []
    for _ in range(runs):
        gc.collect()
        gc.disable()
        try:
            started, started_cpu = time.perf_counter(), time.process_time()
            fn()
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        finally:
            gc.enable()
    return statistics.median(wall), statistics.median(cpu)


def long_paragraph() -> tuple[str, str]:
    """≈ 6 000 characters of real article text, and a copy edited every ~300 characters."""
    text = "".join(a.text for old, _ in revision_pairs()[:6] for a in articles(old))[:6000]
    edited = list(text)
    for at in range(150, len(edited), 300):
        edited[at] = "改"
        edited.insert(at + 7, "新增")
    return text, "".join(edited)


def run(runs: int) -> tuple[list[tuple[str, tuple[float, float]]], str]:
    old_text, new_text, old_n, new_n = build_pair()
    old = parse_text(old_text, source_name="old.md")
    new = parse_text(new_text, source_name="new.md")
    ours = median_ms(lambda: compare_documents(old, new), runs)
    comparison = compare_documents(old, new)
    saved = (align_module.diff_ops, align_module._chain)
    align_module.diff_ops, align_module._chain = difflib_ops, difflib_chain
    try:
        with_difflib = median_ms(lambda: compare_documents(old, new), runs)
    finally:
        align_module.diff_ops, align_module._chain = saved
    whole = median_ms(lambda: difflib_ops(old.source, new.source), max(1, runs // 3))
    para_a, para_b = long_paragraph()
    para_ours = median_ms(lambda: diff_ops(para_a, para_b), runs)
    para_difflib = median_ms(lambda: difflib_ops(para_a, para_b), runs)
    units = (len(units_of(old)), len(units_of(new)))
    rows = [
        ("ours: compare_documents (diff-match-patch core)", ours),
        ("same pipeline, difflib core", with_difflib),
        ("difflib, whole text by character", whole),
        ("one 6 000-character paragraph, ours", para_ours),
        ("one 6 000-character paragraph, difflib", para_difflib),
    ]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    note = (
        f"Load average during the run: {load:.1f}.  "
        f"Pair: {old_n} → {new_n} articles ({units[0]} → {units[1]} units, "
        f"{len(old.source)} → {len(new.source)} characters); result: {comparison.summary_line()}."
    )
    return rows, note


def table(rows: list[tuple[str, tuple[float, float]]], note: str, runs: int) -> str:
    ours = rows[0][1][1]
    para = rows[3][1][1]
    lines = [
        "## Compare (`bench/compare.py`)",
        "",
        "Two laws of about 300 articles built from the corpus' real amendments; parsing not timed; "
        f"median of {runs} runs in one process, garbage collector paused while timing, on the shared 2-core "
        "machine (CPU time is the steadier figure there; ratios are of CPU time).  " + note,
        "",
        "| what | wall | CPU | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for k, (name, (wall, cpu)) in enumerate(rows):
        base, of = (ours, "ours") if k < 3 else (para, "ours on the paragraph")
        lines.append(f"| {name} | {wall:.1f} ms | {cpu:.1f} ms | {cpu / base:.2f}× {of} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows, note = run(args.runs)
    text = table(rows, note, args.runs)
    print(text)
    if not args.no_write:
        doc = args.out.read_text(encoding="utf-8")
        block = f"{BEGIN}\n{text}{END}"
        if BEGIN in doc and END in doc:
            doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END) :]
        else:
            doc = doc.rstrip() + "\n\n" + block + "\n"
        args.out.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
