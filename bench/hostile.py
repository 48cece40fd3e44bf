"""Peak memory and time of each hostile input, for docs/RELIABILITY.md.

    python bench/hostile.py                  # this checkout
    python bench/hostile.py --root OLD_TREE  # e.g. `git archive <commit> | tar -x -C OLD_TREE`

Every case runs the CLI in a child process capped at ``--cap-mb`` of address
space (so the old code fails by running out of it instead of taking the
machine) and killed after ``--timeout`` seconds.  Prints a Markdown table:
peak RSS of the child (``wait4``), wall seconds, exit status, first line said.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability import hostile

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "un_a75_peacekeeping_report_zh.txt"

Case = Callable[[Path, Path], list[str]]
"""``case(work dir, library) -> CLI arguments`` (the case makes its file, or damages the library)."""


def _import(make: Callable[[Path], Path], name: str) -> Case:
    return lambda work, _lib: ["import", str(make(work / name))]


def _zero(work: Path, _lib: Path) -> list[str]:
    (work / "zero.txt").symlink_to("/dev/zero")
    return ["import", str(work / "zero.txt")]


def _fifo(work: Path, _lib: Path) -> list[str]:
    os.mkfifo(work / "pipe.txt")
    return ["import", str(work / "pipe.txt")]


def _record(library: Path) -> Path:
    return next((library / "documents").glob("*/document.yaml"))


def _merge_bomb(work: Path, library: Path) -> list[str]:
    doc_id = _record(library).parent.name
    bomb = work / "colleague.yaml"
    bomb.write_text(hostile.notes_alias_bomb(doc_id), encoding="utf-8")
    return ["notes", "merge", str(bomb)]


def _record_bomb(_work: Path, library: Path) -> list[str]:
    meta = _record(library)
    good = meta.read_text(encoding="utf-8")
    meta.write_text(
        hostile.yaml_alias_bomb() + good.replace("title:", "title: *l8\nold_title:", 1), encoding="utf-8"
    )
    return ["list"]


def _huge_record(_work: Path, library: Path) -> list[str]:
    meta = _record(library)
    good = meta.read_text(encoding="utf-8")
    with open(meta, "w", encoding="utf-8") as fh:
        fh.write(good)
        fh.write("# padding, as a sync tool gone wrong might leave\n" * (200 * hostile.MB // 49))
    return ["list"]


CASES: dict[str, Case] = {
    ".docx zip bomb, 2.9 MB -> 1 GB of paragraphs": _import(hostile.docx_paragraph_bomb, "bomb.docx"),
    ".docx holding 3 GB of spaces": _import(hostile.docx_spaces, "spaces.docx"),
    ".docx whose header understates its size": _import(hostile.docx_lying_header, "lying.docx"),
    ".docx whose header understates its size, CRC forged to match": _import(
        hostile.docx_lying_header_with_crc, "forged.docx"
    ),
    "PDF, 3.2 MB Flate stream -> 1 GB": _import(hostile.pdf_flate_bomb, "bomb.pdf"),
    "symlink to /dev/zero": _zero,
    "FIFO": _fifo,
    "YAML alias bomb in a colleague's notes file (notes merge)": _merge_bomb,
    "YAML alias bomb in document.yaml (list)": _record_bomb,
    "200 MB document.yaml (list)": _huge_record,
}


def _said(run: hostile.Run, *, window: bool) -> str:
    text = (run.stderr.strip().splitlines() or [""])[-1]
    if window and run.stdout.strip():
        shown = json.loads(run.stdout.strip().splitlines()[-1])["shown"]
        text = next(
            (s for s in reversed(shown) if s.startswith("⚠") or "corrupt" in s), shown[-1] if shown else ""
        )
    if "Traceback" in run.stderr:
        text = "traceback: " + text
    return text[:110].replace("|", "/")


def main() -> int:
    """Run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=hostile.ROOT, help="checkout whose code runs")
    parser.add_argument("--cap-mb", type=int, default=3072)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--window", action="store_true", help="import through the real window (offscreen)")
    args = parser.parse_args()
    print("| case | peak RSS | seconds | exit | said |")
    print("|---|---|---|---|---|")
    for name, case in CASES.items():
        if args.only not in name or (args.window and "notes merge" in name):
            continue
        with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
            work = Path(tmp)
            library = work / "lib"
            setup = hostile.cli(library, "import", str(SAMPLE), root=args.root)
            assert setup.status == 0, setup.stderr
            argv = case(work, library)
            if args.window and argv[0] != "import":
                argv = []  # the window reads the library at start: the damage is enough
            elif args.window:
                argv = argv[1:]
            if args.window:
                run = hostile.run_measured(
                    ["-m", "tests.reliability.window_run", str(library), *argv],
                    env={"QT_QPA_PLATFORM": "offscreen"},
                    root=args.root,
                    timeout=args.timeout,
                    memory_cap_mb=args.cap_mb,
                )
            else:
                run = hostile.cli(
                    library, *argv, root=args.root, timeout=args.timeout, memory_cap_mb=args.cap_mb
                )
        said = _said(run, window=args.window)
        status = "killed (timeout)" if run.timed_out else str(run.status)
        print(f"| {name} | {run.peak_mb:.0f} MB | {run.seconds:.1f} | {status} | {said} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
