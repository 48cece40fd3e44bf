"""CPU of one worker batch's Whoosh word segment and staged row postings: this checkout beside an older one.

Usage::

    .venv/bin/python bench/segwrite.py [--size-mb 10] [--rounds 5] [--repeats 2]
                                       [--base /tmp/wseg-base] [--base-commit a768e3e]

Builds one batch of rows the way a word-index worker does (``bench/search.py``'s
corpus, each block normalised and segmented with
:func:`index.words.joined_words_of_rows`; blocks of kind ``heading`` in the
``head`` field, the rest in ``body``; ~10 MB of UTF-8 is one ~3.5 M-character
batch), cached in the temp dir.  Then, in alternating child processes (same
``PYTHONHASHSEED``), the older checkout (``git archive`` of ``--base-commit``
unpacked into ``--base``) runs ``write_segment`` then ``stage_word_rows``, as
``index.segworker.index_batch`` does, and this checkout runs its one-counting
``write_segment_and_rows``.  Prints the median CPU seconds
(``time.process_time``) of each and their ratio, and checks that both wrote the
same bytes (Whoosh's segment files, and the row-postings file with the random
segment id masked); exit status 1 if not.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, pickle, sys, time
from pathlib import Path
root, rows_path, out, repeats = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
sys.path.insert(0, root)
from index.segworker import StagingTarget
from index import word_segments as ws
from index.word_rows import stage_word_rows
from index.lifecycle import IndexLifecycle
raw, revisions = pickle.loads(rows_path.read_bytes())
rows = [ws.WordRow(k, d, {f: w}) for k, d, f, w in raw]
schema = IndexLifecycle._schema()
combined = hasattr(ws, "write_segment_and_rows")

def once(folder, batch):
    target = StagingTarget(folder, schema)
    t0 = time.process_time()
    if combined:
        seg = ws.write_segment_and_rows(target, batch, revisions, stage_in=folder)
        return seg, time.process_time() - t0, 0.0
    seg = ws.write_segment(target, batch)
    t1 = time.process_time()
    stage_word_rows(folder, batch, revisions, seg.segment_id())
    return seg, t1 - t0, time.process_time() - t1

once(out / "warm", rows[:2000])  # Whoosh's lazy imports and first calls, not timed
times = []
for k in range(repeats):
    seg, a, b = once(out / f"run{k}", rows)
    times.append([a, b])
print(json.dumps({"times": times, "segment": seg.segment_id(), "folder": str(out / f"run{repeats - 1}")}))
"""


def batch_rows(size_mb: float, cache: Path) -> Path:
    """One worker batch's rows ``(key, doc, field, joined words)`` and revisions, pickled (made once)."""
    path = cache / f"wseg-rows-{size_mb:g}.pkl"
    if path.is_file():
        return path
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from search import Corpus

    from index.normalize import Normalizer
    from index.words import joined_words_of_rows, load_jieba

    load_jieba()
    norm = Normalizer(fold_traditional=True, cache_dir=cache / "wseg-cache")
    rows: list[tuple[str, str, str, str]] = []
    revisions: dict[str, str] = {}
    for d in Corpus(size_mb).docs:
        revisions[d.doc_id] = d.revision
        joined = joined_words_of_rows([norm.normalize(b.text) for b in d.blocks])
        for j, (b, words) in enumerate(zip(d.blocks, joined, strict=True)):
            rows.append((f"{d.doc_id}\x1f{j}", d.doc_id, "head" if b.kind == "heading" else "body", words))
    path.write_bytes(pickle.dumps((rows, revisions)))
    return path


def run_child(root: Path, rows: Path, out: Path, repeats: int) -> dict[str, object]:
    """One child process of ``root``'s code over the batch; its per-repeat CPU seconds and output folder."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(rows), str(out), str(repeats)],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def outputs(folder: Path, segment: str) -> dict[str, str]:
    """Digest of each file a run wrote, by kind (the segment's random id masked in names and contents)."""
    out = {}
    for f in sorted(folder.iterdir()):
        if not f.is_file():
            continue
        data = f.read_bytes().replace(segment.encode(), b"S" * len(segment))
        out[f.name.replace(segment, "S")] = hashlib.sha256(data).hexdigest()
    return out


def main() -> int:
    """Measure and compare; exit status 1 if the two checkouts wrote different bytes."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=5, help="child processes of each checkout, alternating")
    ap.add_argument("--repeats", type=int, default=2, help="timed batches per child process")
    ap.add_argument("--base", type=Path, default=Path(tempfile.gettempdir()) / "wseg-base")
    ap.add_argument("--base-commit", default="a768e3e")
    args = ap.parse_args()
    if not (args.base / "index").is_dir():
        args.base.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", args.base_commit], check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(args.base)], input=archive.stdout, check=True)
    rows = batch_rows(args.size_mb, Path(tempfile.gettempdir()))
    raw, _ = pickle.loads(rows.read_bytes())
    print(f"batch: {len(raw)} rows, {sum(len(w) for *_, w in raw) / 1e6:.2f} M characters of joined words")
    times: dict[str, list[list[float]]] = {"old": [], "new": []}
    last: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="wseg-") as tmp:
        for k in range(args.rounds):
            for name, root in (("old", args.base), ("new", ROOT)):
                res = run_child(root, rows, Path(tmp) / f"{name}{k}", args.repeats)
                times[name] += res["times"]  # type: ignore[arg-type]
                last[name] = res
        same = outputs(Path(str(last["old"]["folder"])), str(last["old"]["segment"])) == outputs(
            Path(str(last["new"]["folder"])), str(last["new"]["segment"])
        )
    old = [a + b for a, b in times["old"]]
    new = [a + b for a, b in times["new"]]
    seg_old = statistics.median(a for a, _ in times["old"])
    rows_old = statistics.median(b for _, b in times["old"])
    print(f"old ({args.base_commit}): write_segment {seg_old:.2f} s + stage_word_rows {rows_old:.2f} s, "
          f"together median {statistics.median(old):.2f} s CPU over {len(old)} batches")  # fmt: skip
    print(f"new (this checkout):  write_segment_and_rows median {statistics.median(new):.2f} s CPU "
          f"over {len(new)} batches")  # fmt: skip
    print(f"new / old: {statistics.median(new) / statistics.median(old):.2f}; same bytes written: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
