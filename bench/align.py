"""Alignment benchmark: two ~100-page language versions, structured and unstructured.

The documents are built from the UDHR fixtures (Chinese and English): the
articles repeated with running numbers until each side is about 100 pages
(3,500 characters of English a page).  The unstructured case removes every
article and preamble line, leaving the Gale–Church method alone on the whole
text.  The reference, measured in the same run, is parsing the same two texts
(which opening them costs anyway).

    python bench/align.py [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import math
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.core.align import align  # noqa: E402
from reader.core.model import Document  # noqa: E402
from reader.core.parser import parse_text  # noqa: E402

UDHR = ROOT / "tests" / "fixtures" / "corpus" / "udhr"
PAGE = 3500
ZH_ARTICLE = re.compile(r"^\s*第([一二三四五六七八九十]+)条\s*$")
EN_ARTICLE = re.compile(r"^\s*Article (\d+)\s*$")
_CN = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """A Chinese numeral for 1–9999 (enough for running article numbers)."""
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        if n >= value:
            out += _CN[n // value] + unit
            n %= value
        elif out and n:
            out += "零" if not out.endswith("零") else ""
    if n:
        out += _CN[n]
    return out.replace("一十", "十") if out.startswith("一十") else out


def _english_body_length() -> int:
    lines = (UDHR / "eng.txt").read_text(encoding="utf-8").splitlines()
    first = next(k for k, line in enumerate(lines) if EN_ARTICLE.match(line))
    return sum(len(line) + 1 for line in lines[first:])


def build(stem: str, rx: re.Pattern[str], label: Callable[[int], str], pages: int, structured: bool) -> str:
    """The UDHR body repeated with running article numbers up to ``pages`` English pages."""
    lines = (UDHR / f"{stem}.txt").read_text(encoding="utf-8").splitlines()
    first = next(k for k, line in enumerate(lines) if rx.match(line))
    head, body = lines[:first], lines[first:]
    copies = math.ceil(pages * PAGE / _english_body_length())
    out = list(head) if structured else [ln for ln in head if not re.match(r"^\s*(序言|Preamble)\s*$", ln)]
    n = 0
    for _ in range(copies):
        for line in body:
            if rx.match(line):
                n += 1
                if structured:
                    out.append(label(n))
                continue
            out.append(line)
    return "\n".join(out) + "\n"


def median_time(fn: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    """Print the table."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pages", type=int, default=100)
    args = ap.parse_args()
    print(f"| case | pages (zh / en chars) | blocks | align (median of {args.runs}) | parse both | ratio |")
    print("| --- | --- | --- | --- | --- | --- |")
    for structured in (True, False):
        zh = build("cmn_hans", ZH_ARTICLE, lambda n: f"第{chinese(n)}条", args.pages, structured)
        en = build("eng", EN_ARTICLE, lambda n: f"Article {n}", args.pages, structured)
        docs: list[Document] = []

        def parse_both(zh: str = zh, en: str = en, docs: list[Document] = docs) -> None:
            docs[:] = [parse_text(zh, source_name="zh.txt"), parse_text(en, source_name="en.txt")]

        t_parse = median_time(parse_both, args.runs)
        a, b = docs
        t_align = median_time(functools.partial(align, a, b), args.runs)
        result = align(a, b)
        low = sum(p.low for p in result.pairs)
        case = "structured (articles)" if structured else "unstructured (length only)"
        print(
            f"| {case} | {round(len(en) / PAGE)} ({len(zh):,} / {len(en):,}) "
            f"| {len(a.blocks)} / {len(b.blocks)} "
            f"| {t_align * 1000:.0f} ms ({len(result.pairs)} pairs, {low} low) | {t_parse * 1000:.0f} ms "
            f"| {t_align / t_parse:.2f}× parse |"
        )


if __name__ == "__main__":
    main()
