"""Exact-build benchmark: CPU seconds of ``engine.sync(..., words=False)``, an older engine beside ours.

Usage::

    .venv/bin/python bench/exactbuild.py [--size-mb 20] [--repeats 3] [--ref a768e3e] [--base /tmp/xbuild-base]
    .venv/bin/python bench/exactbuild.py --real        # the 150 fixture laws (real text that does not repeat)
    .venv/bin/python bench/exactbuild.py --fixtures    # every fixture document the app opens (docx, UDHRs …)

The reference engine is ``git archive REF`` unpacked into ``--base`` (made when
missing).  Each repeat builds a fresh index twice, old engine then ours, each
in a new process with its own tree first on ``sys.path`` and the same
documents (``bench/search.py``'s ``Corpus``, built once here).  Reported: the
median CPU seconds (``time.process_time``, all threads) and wall seconds of the
sync, and the ratio.  After every repeat the two index folders must be
byte-identical: every store file, every segment file's contents in manifest
order (their names hold a time and a pid) and the manifest bar the segment
ids; any difference fails the run (exit status 1).

Both children replace ``index.lifecycle``'s clock with one that stands
still: the build publishes its first segment after one second of wall time,
so a faster build cuts its segments elsewhere and their files could not be
compared.  Segments are then cut by size alone, the same in both.
"""

# ruff: noqa: E501  (table rows read better on one line)
from __future__ import annotations

import argparse
import json
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, pickle, sys, time, types
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import index.lifecycle
from index import IndexBlock, IndexDoc, SearchEngine
index.lifecycle.time = types.SimpleNamespace(perf_counter=lambda: 0.0)  # segments cut by size alone
raw = pickle.loads(Path(sys.argv[2]).read_bytes())
docs = [IndexDoc(d, t, s, r, tuple(IndexBlock(*b) for b in bl)) for d, t, s, r, bl in raw]
by = {d.doc_id: d for d in docs}
work = Path(sys.argv[3])
engine = SearchEngine(work / "index", cache_dir=work / "cache")
cpu, wall = time.process_time(), time.perf_counter()
engine.sync({d.doc_id: d.revision for d in docs}, by.__getitem__, words=False)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
engine.close()
assert str(Path(index.lifecycle.__file__).resolve()).startswith(str(Path(sys.argv[1]).resolve()))
print(json.dumps({"cpu": cpu, "wall": wall}))
"""


def child(root: Path, docs_path: Path, work: Path) -> dict[str, float]:
    """One build in a new interpreter on ``root``'s code; its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), str(docs_path), str(work)], capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def base_tree(ref: str, base: Path) -> Path:
    """``git archive ref`` unpacked into ``base``, made when missing; a tree of another commit is refused."""
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", f"{ref}^{{commit}}"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    marker = base / ".exactbuild-commit"
    if marker.is_file():
        if marker.read_text().strip() != commit:
            raise SystemExit(f"{base} holds another commit than {ref}: remove it or pass another --base")
    elif (base / "index" / "lifecycle.py").is_file():
        print(f"using the tree already at {base} as {ref} (unpacked by hand: not checked)")
    else:
        base.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        marker.write_text(commit + "\n")
    return base


def fixture_docs() -> list[Any]:
    """Every fixture document the app can open (reports, the UDHRs, texts, law revisions), as it indexes them."""
    from reader.core.importers import load_path
    from reader.core.searching import to_index_doc

    fx = ROOT / "tests" / "fixtures"
    paths = [*sorted(fx.glob("corpus/reports/*.docx")), *sorted(fx.glob("corpus/udhr/*.txt"))]
    paths += [*sorted(fx.glob("texts/*.txt")), *sorted(fx.glob("texts/*.md")), *sorted(fx.glob("formats/*"))]
    paths += sorted(fx.glob("corpus/law_revisions/*.md"))
    docs = []
    for i, path in enumerate(paths):
        try:
            docs.append(to_index_doc(load_path(path, doc_id=f"f{i:04d}")))
        except Exception as exc:  # a fixture the importer refuses on purpose
            print(f"  {path.name}: not opened ({type(exc).__name__})")
    return docs


def corpus(size_mb: float, real: bool, fixtures: bool = False) -> tuple[list[Any], int]:
    """The documents (as ``bench/search.py`` or ``bench/words.py --real`` make them) and their UTF-8 bytes."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    if fixtures:
        docs = fixture_docs()
    elif real:
        import words as bench_words  # the fixture laws' loader of bench/words.py

        docs = bench_words.real_docs()
    else:
        import search as bench_search

        docs = bench_search.Corpus(size_mb).docs
    size = sum(len(b.text.encode("utf-8")) for d in docs for b in d.blocks)
    return docs, size


def differences(old: Path, new: Path) -> list[str]:
    """What differs between two index folders built from the same documents (empty: identical)."""
    problems = []
    old_store, new_store = sorted((old / "store").iterdir()), sorted((new / "store").iterdir())
    if [p.name for p in old_store] != [p.name for p in new_store]:
        problems.append("store file names differ")
    for a, b in zip(old_store, new_store, strict=False):
        if a.read_bytes() != b.read_bytes():
            problems.append(f"store file {a.name} differs")
    old_meta = json.loads((old / "meta.json").read_text(encoding="utf-8"))
    new_meta = json.loads((new / "meta.json").read_text(encoding="utf-8"))
    old_segs, new_segs = list(old_meta.pop("segments").items()), list(new_meta.pop("segments").items())
    if [m for _, m in old_segs] != [m for _, m in new_segs]:
        problems.append("segments hold different documents")
    for (a, _), (b, _) in zip(old_segs, new_segs, strict=False):
        if (old / "segments" / f"{a}.seg").read_bytes() != (new / "segments" / f"{b}.seg").read_bytes():
            problems.append(f"segment {a} / {b} differs")
    for meta, segs in ((old_meta, old_segs), (new_meta, new_segs)):
        order = {sid: i for i, (sid, _) in enumerate(segs)}
        for d in meta["docs"].values():
            d["segment"] = order[d["segment"]]
    if old_meta != new_meta:
        problems.append("manifests differ (segment ids aside)")
    return problems


def main() -> int:
    """Measure, compare, print."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=20.0)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--ref", default="a768e3e", help="the older engine's commit")
    ap.add_argument("--base", type=Path, default=Path("/tmp/xbuild-base"), help="where it is unpacked")
    ap.add_argument("--real", action="store_true", help="the fixture laws instead of the synthetic corpus")
    ap.add_argument("--fixtures", action="store_true", help="every fixture document the app opens, parsed")
    args = ap.parse_args()
    base = base_tree(args.ref, args.base)
    docs, size = corpus(args.size_mb, args.real, args.fixtures)
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    failed = False
    with tempfile.TemporaryDirectory(prefix="exactbuild-") as tmp:
        work = Path(tmp)
        docs_path = work / "docs.pkl"
        raw = [(d.doc_id, d.title, d.symbol, d.revision, [(b.block_id, b.kind, b.number, b.text, b.path) for b in d.blocks]) for d in docs]  # fmt: skip
        docs_path.write_bytes(pickle.dumps(raw))
        for i in range(args.repeats):
            for name, root in (("old", base), ("new", ROOT)):
                shutil.rmtree(work / name, ignore_errors=True)
                runs[name].append(child(root, docs_path, work / name))
            problems = differences(work / "old" / "index", work / "new" / "index")
            print(f"repeat {i + 1}: old {runs['old'][-1]['cpu']:.2f} s CPU, new {runs['new'][-1]['cpu']:.2f} s CPU;"
                  f" {'identical' if not problems else 'DIFFERENT: ' + '; '.join(problems[:5])}")  # fmt: skip
            failed = failed or bool(problems)
    label = (
        "fixture documents"
        if args.fixtures
        else "150 fixture laws"
        if args.real
        else f"Corpus({args.size_mb:g})"
    )
    print(f"\nexact build, {label}: {len(docs)} documents, {size / 1e6:.1f} MB, medians of {args.repeats}")
    print("| engine | CPU s | wall s | MB/s (CPU) |")
    print("| --- | --- | --- | --- |")
    med = {n: {k: statistics.median(r[k] for r in rs) for k in ("cpu", "wall")} for n, rs in runs.items()}
    for name, title in (("old", f"reference `{args.ref}`"), ("new", "this tree")):
        m = med[name]
        print(f"| {title} | {m['cpu']:.2f} | {m['wall']:.2f} | {size / 1e6 / m['cpu']:.1f} |")
    print(f"\nCPU: {100 * (1 - med['new']['cpu'] / med['old']['cpu']):.0f} % less"
          f" ({med['old']['cpu'] / med['new']['cpu']:.2f}× as fast); files {'identical' if not failed else 'DIFFERENT'}")  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
