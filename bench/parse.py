"""Parser benchmark: ``reader.core.parsing`` beside the previous parser, measured in the same run.

Usage::

    .venv/bin/python bench/parse.py [--repeat 15] [--previous 501fe04]

The previous parser is the single-module ``reader/core/parser.py`` as it stood at the commit
``--previous`` (read with ``git show`` into a temporary module, so no copy of it lives in the app).
Inputs: the 88 KB sample, the sample repeated to 1.7 MB, the 150 laws of the test corpus one
after another, and the seven UDHR files.  Prints the median of ``--repeat`` runs for each
parser and their ratio (new / previous; below 1 is faster).
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reader.core.parsing import parse_text  # noqa: E402

SAMPLE = ROOT / "resources" / "un_a75_peacekeeping_report_zh.txt"
CORPUS = ROOT / "tests" / "fixtures" / "corpus"


def previous_parser(commit: str) -> ModuleType:
    """The old single-module parser at ``commit``, loaded from git history."""
    source = subprocess.run(
        ["git", "show", f"{commit}:reader/core/parser.py"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    tmp = Path(tempfile.mkdtemp(prefix="bench-parse-")) / "previous_parser.py"
    tmp.write_bytes(source)
    spec = importlib.util.spec_from_file_location("previous_parser", tmp)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["previous_parser"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def interleaved(texts: list[str], old: ModuleType, repeat: int) -> tuple[float, float]:
    """Median CPU ms of the new and the previous parser, runs alternating so load affects both alike.

    CPU time of this process, not wall time: on a machine shared with other work, waiting for a
    core is not the parser's cost.
    """
    new: list[float] = []
    prev: list[float] = []
    for _ in range(repeat):
        for fn, out in ((parse_text, new), (old.parse_text, prev)):
            t0 = time.process_time()
            for t in texts:
                fn(t)
            out.append((time.process_time() - t0) * 1000)
    return statistics.median(new), statistics.median(prev)


def inputs() -> list[tuple[str, list[str]]]:
    """Named workloads, each a list of texts parsed one after another."""
    sample = SAMPLE.read_text(encoding="utf-8")
    big = sample * (1_700_000 // len(sample.encode("utf-8")) + 1)
    laws = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "laws").glob("*.txt"))]
    udhr = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "udhr").glob("*.txt"))]
    return [
        ("sample 88 KB", [sample]),
        (f"sample x{big.count(sample[:200])} ({len(big.encode()) / 1e6:.1f} MB)", [big]),
        (f"150 laws ({sum(len(t.encode()) for t in laws) / 1e6:.1f} MB)", laws),
        ("UDHR, 7 files", udhr),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--previous", default="501fe04")
    args = ap.parse_args()
    old = previous_parser(args.previous)
    print(f"{'input (CPU ms, median)':32} {'new ms':>9} {'previous ms':>12} {'ratio':>6}")
    for name, texts in inputs():
        reps = max(3, args.repeat // (4 if len(texts) > 10 or len(texts[0]) > 1e6 else 1))
        new, prev = interleaved(texts, old, reps)
        print(f"{name:32} {new:9.1f} {prev:12.1f} {new / prev:6.2f}")


if __name__ == "__main__":
    main()
