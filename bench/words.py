"""Word-index benchmark: build speed and where its time goes, memory with words on, a document added.

Usage::

    .venv/bin/python bench/words.py [--size-mb 20] [--base-root /tmp/wt-base] [--no-write]
    .venv/bin/python bench/words.py --real [--base-root /tmp/wt-base]   # real laws, no recombined text
    git worktree add --detach /tmp/wt-base 77745b4                       # the engine before issue 14's words work

The corpus is ``bench/search.py``'s (the sample's paragraphs and clauses
recombined, plus sentences of jieba dictionary words), or with ``--real`` the
150 laws of ``tests/fixtures/corpus/laws`` (real text that does not repeat).
Every engine runs in a process of its own, on the same documents, one after
the other: the complete build (exact store, then the word index), a search
process's peak RSS with words on over the bench queries, a 90 KB document added
and searchable with words (a loose-only query), and each engine's answers
(totals, hits, scores) to ~100 queries, which must be identical between
engines.  Beside them, in the same run: raw ``jieba.lcut(text, HMM=False)``
over the same rows on one and on two processes, and a breakdown of our word
build by stage (CPU seconds, one process).
"""

# ruff: noqa: E501  (table rows read better on one line)
from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search as bench_search  # noqa: E402  (the corpus builder and queries of bench/search.py)

from index import IndexBlock, IndexDoc  # noqa: E402

LAWS = ROOT / "tests" / "fixtures" / "corpus" / "laws"
BEGIN, END = "<!-- words:begin -->", "<!-- words:end -->"
LOOSE_EXTRA = "独有词语新增"
"""Matches the added document only by its words (新增, 独有, 词语 are in its rows, never in this order)."""

# ---------------------------------------------------------------- child processes
_PRELUDE = """
import json, pickle, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from index import IndexBlock, IndexDoc, SearchEngine
def hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM'):
            return int(line.split()[1]) / 1024
def docs_of(path):
    raw = pickle.loads(Path(path).read_bytes())
    return [IndexDoc(d, t, s, r, tuple(IndexBlock(*b) for b in bl)) for d, t, s, r, bl in raw]
work = Path(sys.argv[3])
"""

BUILD = (
    _PRELUDE
    + """
docs = docs_of(sys.argv[2])
e = SearchEngine(work / 'index', cache_dir=work / 'cache')
by = {d.doc_id: d for d in docs}
t0 = time.perf_counter()
e.sync({d.doc_id: d.revision for d in docs}, by.__getitem__, words=False)
t1 = time.perf_counter()
import os, resource
def cpu(who):
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime
m0, c0 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
e.index_words()
t2 = time.perf_counter()
m1, c1 = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
print(json.dumps({'exact_s': t1 - t0, 'words_s': t2 - t1, 'build_rss_mb': hwm(), 'words_main_cpu_s': m1 - m0,
                  'words_workers_cpu_s': c1 - c0, 'load': os.getloadavg()[0]}))
"""
)

QUERY = (
    _PRELUDE
    + """
queries = json.loads(Path(sys.argv[2]).read_text(encoding='utf-8'))
e = SearchEngine(work / 'index', cache_dir=work / 'cache')
e.warm_up()
out = []
t0 = time.perf_counter()
for q in queries:
    page = []
    for offset in (0, 40):
        r = e.search(q, limit=40, offset=offset, words=True)
        page.append([r.total, r.exact_total, [(h.doc_id, h.block_id, h.exact, round(h.score, 9)) for h in r.hits]])
    out.append(page)
t1 = time.perf_counter()
print(json.dumps({'answers': out, 'query_s': t1 - t0, 'rss_mb': hwm()}, ensure_ascii=False))
"""
)

ADD = (
    _PRELUDE
    + """
extra = docs_of(sys.argv[2])[0]
e = SearchEngine(work / 'index', cache_dir=work / 'cache')
e.warm_up()
e.search(sys.argv[4], words=True)
t0 = time.perf_counter()
e.add_document(extra, words=True)
r = e.search(sys.argv[4], words=True)
t1 = time.perf_counter()
loose = [h for h in r.hits if not h.exact]
assert loose and all(h.doc_id == extra.doc_id for h in loose), (r.total, r.exact_total)
print(json.dumps({'add_words_ms': (t1 - t0) * 1000, 'loose': len(loose)}))
"""
)

JIEBA = """
import sys, time, pickle
sys.path.insert(0, sys.argv[1])
from index.words import load_jieba
from pathlib import Path
tok = load_jieba(Path(sys.argv[3]))
rows = pickle.loads(Path(sys.argv[2]).read_bytes())
print('ready', flush=True)
sys.stdin.readline()  # start together with the other process
t = time.perf_counter()
for r in rows:
    tok.lcut(r, HMM=False)
print(time.perf_counter() - t)
"""


def child(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a new interpreter; its last stdout line is JSON."""
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- corpora and queries
def real_docs() -> list[IndexDoc]:
    """The fixture laws, one block per line; ``第…章/节`` lines are headings."""
    docs = []
    for n, path in enumerate(sorted(LAWS.glob("*.txt"))):
        lines = [t.strip() for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
        blocks = []
        for j, text in enumerate(lines):
            heading = j == 0 or re.match(r"第[一二三四五六七八九十百零]+[章节编]", text) is not None
            blocks.append(IndexBlock(f"b{j}", "heading" if heading else "paragraph", None if heading else str(j), text, ()))
        docs.append(IndexDoc(f"law{n:03d}", path.stem, None, f"r{n}", tuple(blocks)))
    return docs


def dump_docs(docs: list[IndexDoc], path: Path) -> None:
    raw = [(d.doc_id, d.title, d.symbol, d.revision, [(b.block_id, b.kind, b.number, b.text, b.path) for b in d.blocks]) for d in docs]
    path.write_bytes(pickle.dumps(raw))


def queries(docs: list[IndexDoc], n: int = 50, seed: int = 5) -> list[str]:
    """The bench queries, the word tests' loose ones, and two/three-word runs of words of the corpus itself."""
    from index.words import segment

    rng = random.Random(seed)
    out = [*bench_search.QUERIES, "维和改革", "维持和平 妇女", "安全理事会 特派团", "保护平民 OR 伙伴关系", "维和 -改革"]
    texts = [b.text for d in docs for b in d.blocks if len(b.text) > 30]
    while len(out) < len(bench_search.QUERIES) + 5 + n:
        words = [w for w in segment(rng.choice(texts)) if len(w) > 1 and not w.isascii()]
        if len(words) >= 3:
            picked = rng.sample(words, rng.choice((2, 3)))
            out.append("".join(picked) if rng.random() < 0.7 else " ".join(picked))
    return out


# ---------------------------------------------------------------- our build, stage by stage
def breakdown(docs: list[IndexDoc], workdir: Path) -> dict[str, float]:
    """CPU seconds of each stage of our word build, in this process, one after the other."""
    from index import SearchEngine
    from index import words as W
    from index.lifecycle import _HEAD_CODES, KEY_SEP
    from index.word_segments import WordRow, commit_segments, write_segment

    e = SearchEngine(workdir / "index", cache_dir=workdir / "cache")
    by = {d.doc_id: d for d in docs}
    e.sync({d.doc_id: d.revision for d in docs}, by.__getitem__, words=False)
    life = e.life
    entries = list(life.docs.values())
    tok = W.load_jieba(workdir / "cache")
    res: dict[str, float] = {}
    clock = time.process_time
    t = clock()
    norms = [life.segments.norms(d) for d in entries]
    res["read rows"] = clock() - t
    t = clock()
    for rows in norms:
        for r in rows:
            tok.lcut(r, HMM=False)
    res["raw jieba.lcut (reference)"] = clock() - t
    W._block_cache.clear()
    W._word_cache.clear()
    t = clock()
    joined = [W.joined_words_of_rows(rows) for rows in norms]
    res["segmentation (ours, cold cache)"] = clock() - t
    t = clock()
    for rows in norms:
        W.joined_words_of_rows(rows)
    res["segmentation (ours, warm cache)"] = clock() - t
    ix = life.open_whoosh()
    t = clock()
    rows_w = []
    for d, js in zip(entries, joined, strict=True):
        for j, (kind, words) in enumerate(zip(life.segments.kinds(d), js, strict=True)):
            rows_w.append(WordRow(d.doc_id + KEY_SEP + str(j), d.doc_id, {"head" if kind in _HEAD_CODES else "body": words}))
    seg = write_segment(ix, rows_w)
    commit_segments(ix, [seg])
    res["Whoosh segment (postings, lengths, stored keys)"] = clock() - t
    e.close()
    return res


def jieba_two_procs(docs: list[IndexDoc], workdir: Path) -> tuple[float, float]:
    """Wall seconds of raw jieba over the rows on one process, and on two (half each, at once)."""
    from index.normalize import Normalizer

    norm = Normalizer(fold_traditional=True, cache_dir=workdir / "cache")
    rows = [norm.normalize(b.text) for d in docs for b in d.blocks]
    paths = []
    for k, part in enumerate((rows, rows[0::2], rows[1::2])):
        p = workdir / f"rows{k}.pkl"
        p.write_bytes(pickle.dumps(part))
        paths.append(p)
    args = [str(ROOT), "", str(workdir / "cache")]

    def start(path: Path) -> subprocess.Popen[str]:
        p = subprocess.Popen([sys.executable, "-c", JIEBA, *args[:1], str(path), *args[2:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert p.stdout is not None
        p.stdout.readline()  # jieba loaded, rows read
        return p

    def loop_seconds(procs: list[subprocess.Popen[str]]) -> float:
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        t = time.perf_counter()
        for p in procs:
            p.communicate()
        return time.perf_counter() - t

    one = loop_seconds([start(paths[0])])
    two = loop_seconds([start(p) for p in paths[1:]])
    return one, two


# ---------------------------------------------------------------- one engine
def measure(name: str, root: Path, docs_path: Path, extra_path: Path, queries_path: Path, workdir: Path) -> dict[str, Any]:
    work = workdir / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    res = child(BUILD, str(root), str(docs_path), str(work))
    print(f"  {name}: exact {res['exact_s']:.1f} s, words {res['words_s']:.1f} s (CPU main {res['words_main_cpu_s']:.1f} s, "
          f"workers {res['words_workers_cpu_s']:.1f} s; build process peak RSS {res['build_rss_mb']:.0f} MB; load {res['load']:.1f})", flush=True)
    q = child(QUERY, str(root), str(queries_path), str(work))
    res.update(rss_mb=q["rss_mb"], query_s=q["query_s"], answers=q["answers"])
    add = [child(ADD, str(root), str(extra_path), str(work), LOOSE_EXTRA)["add_words_ms"] for _ in range(3)]
    res["add_words_ms"] = statistics.median(add)
    return res


def prefix(docs: list[IndexDoc], mb: float) -> list[IndexDoc]:
    """The first documents holding about ``mb`` MB (the reference and the breakdown at big sizes)."""
    out, size = [], 0
    for d in docs:
        if size >= mb * 1e6:
            break
        out.append(d)
        size += sum(len(b.text.encode("utf-8")) for b in d.blocks)
    return out


def run(docs: list[IndexDoc], workdir: Path, base_root: Path | None, reference_mb: float) -> dict[str, Any]:
    mb = sum(len(b.text.encode("utf-8")) for d in docs for b in d.blocks) / 1e6
    r: dict[str, Any] = {"mb": mb, "docs": len(docs), "blocks": sum(len(d.blocks) for d in docs)}
    print(f"  {r['docs']} documents, {r['blocks']} blocks, {mb:.1f} MB UTF-8", flush=True)
    docs_path, extra_path, queries_path = workdir / "docs.pkl", workdir / "extra.pkl", workdir / "queries.json"
    dump_docs(docs, docs_path)
    dump_docs([bench_search.Corpus.extra_doc()], extra_path)
    qs = queries(docs)
    queries_path.write_text(json.dumps(qs, ensure_ascii=False), encoding="utf-8")
    r["queries"] = len(qs)
    r["ours"] = measure("ours", ROOT, docs_path, extra_path, queries_path, workdir)
    if base_root is not None:
        r["base"] = measure("base", base_root, docs_path, extra_path, queries_path, workdir)
        a, b = r["ours"].pop("answers"), r["base"].pop("answers")
        r["differing"] = [q for q, x, y in zip(qs, a, b, strict=True) if x != y]
        r["loose_queries"] = sum(1 for x in a if any(not h[2] for page in x for h in page[2]))
    else:
        r["ours"].pop("answers")
    ref = prefix(docs, reference_mb)
    r["ref_mb"] = sum(len(b.text.encode("utf-8")) for d in ref for b in d.blocks) / 1e6
    one, two = jieba_two_procs(ref, workdir)
    r["jieba_1p_s"], r["jieba_2p_s"] = one, two
    r["stages"] = breakdown(ref, workdir / "stages")
    return r


def table(r: dict[str, Any], label: str) -> str:
    mb = r["mb"]
    rows = ["| | complete build (exact + words) | words alone | exact alone | words CPU: main / workers | peak RSS, search with words on | 90 KB added → searchable with words |", "|---|---|---|---|---|---|---|"]
    for name in ("base", "ours"):
        if name not in r:
            continue
        x = r[name]
        total = x["exact_s"] + x["words_s"]
        who = f"before ({r.get('base_label', 'base')})" if name == "base" else "after"
        split = f"{x['words_main_cpu_s']:.1f} / {x['words_workers_cpu_s']:.1f} s (load {x['load']:.1f})" if "load" in x else ""
        rows.append(
            f"| {who} | {mb / total:.2f} MB/s ({total:.1f} s) | {mb / x['words_s']:.2f} MB/s ({x['words_s']:.1f} s) | {mb / x['exact_s']:.1f} MB/s | {split} | {x['rss_mb']:.0f} MB | {x['add_words_ms']:.0f} ms |"
        )
    ref_mb = r["ref_mb"]
    of = "the same rows" if ref_mb >= mb * 0.99 else f"the first {ref_mb:.1f} MB of the rows"
    rows.append(f"| raw `jieba.lcut(HMM=False)` of {of} | | 1 process {ref_mb / r['jieba_1p_s']:.2f} MB/s, 2 processes {ref_mb / r['jieba_2p_s']:.2f} MB/s | | | | |")
    st = r["stages"]
    stages = "\n".join(f"| {k} | {v:.2f} s | {ref_mb / v:.1f} MB/s |" for k, v in st.items() if v > 0)
    same = ""
    if "differing" in r:
        same = (
            f"\n\nAnswers of before and after to {r['queries']} queries × 2 pages of 40 (totals, exact totals, hits, scores to 1e-9; "
            f"{r['loose_queries']} of them with loose hits): {'identical' if not r['differing'] else 'DIFFERENT for ' + ', '.join(r['differing'])}."
        )
    return (
        f"{label}: {r['docs']} documents, {r['blocks']} blocks, {mb:.1f} MB UTF-8.\n\n" + "\n".join(rows)
        + f"\n\nOur word build by stage ({of}; CPU seconds in one process, one stage after the other):\n\n| stage | CPU | rate |\n|---|---|---|\n{stages}{same}"
    )  # fmt: skip


def write_section(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}\n{END}"
    if BEGIN in doc:
        doc = doc[: doc.index(BEGIN)] + block + doc[doc.index(END) + len(END) :]
    else:
        anchor = "<!-- search:end -->"
        at = doc.index(anchor) + len(anchor) if anchor in doc else len(doc)
        doc = doc[:at] + "\n\n" + block + "\n" + doc[at:]
    path.write_text(doc, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20.0)
    parser.add_argument("--real", action="store_true", help="the fixture laws instead of the bench corpus")
    parser.add_argument("--base-root", type=Path, help="also measure the engine of this checkout (the before)")
    parser.add_argument("--base-label", default="77745b4", help="what the before is called in the table (its commit)")
    parser.add_argument("--json", type=Path, help="save the raw figures here")
    parser.add_argument("--reference-mb", type=float, default=20.0, help="text for raw jieba and the breakdown")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    args = parser.parse_args()
    docs = real_docs() if args.real else bench_search.Corpus(args.size_mb).docs
    label = "Real laws (`--real`, 150 laws of tests/fixtures/corpus, no recombined text)" if args.real else f"Bench corpus (`--size-mb {args.size_mb:g}`)"
    workdir = Path(tempfile.mkdtemp(prefix="bench-words-"))
    try:
        r = run(docs, workdir, args.base_root, args.reference_mb)
        r["base_label"] = args.base_label
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    text = table(r, label)
    print()
    print(text)
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_write:
        write_section(args.out, text)
        print(f"wrote {args.out}")
    return 1 if r.get("differing") else 0


if __name__ == "__main__":
    sys.exit(main())
