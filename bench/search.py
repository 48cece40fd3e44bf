"""Search benchmark: our engine beside SQLite FTS5 (trigram), tantivy (n-gram field) and a Python ``in`` scan.

Usage::

    .venv/bin/pip install -e '.[bench]'      # tantivy
    .venv/bin/python bench/search.py [--size-mb 20] [--runs 3] [--no-words] [--json r20.json] [--no-write]
    .venv/bin/python bench/search.py --curve r2.json r20.json r60.json r200.json    # scaling + targets
    .venv/bin/python bench/search.py --size-mb 20 --ours-root /tmp/old --no-write   # an older engine
    .venv/bin/python bench/search.py --size-mb 20 --ours-root /tmp/old --dump old.json  # ranking A/B:
    .venv/bin/python bench/search.py --size-mb 20 --dump new.json && bench/search.py --same old.json new.json

Builds a varied corpus (the sample's paragraphs recombined, plus sentences of
jieba dictionary words), in many distinct documents, then measures for each
system, in one run: build speed, index size, query latency (first page of 20
with snippets and the exact total), cold open to first result in a new
process, peak RSS and how soon a 90 KB document added to the library is
searchable.  The corpus is built once; the whole measurement (every index
built afresh) is repeated ``--runs`` times and the median of each figure is
reported.  The exact total of every query is compared across all four
systems in every run, and across runs; any difference fails the run (exit
status 1).  Prints a table and rewrites this size's block of the search
section of ``docs/PERFORMANCE.md`` (``--curve``: the scaling and targets block).
"""

# ruff: noqa: E501  (table rows and SQL read better on one line)
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# --ours-root: measure the engine of another checkout (e.g. the one before a change).
_OURS = Path(sys.argv[sys.argv.index("--ours-root") + 1]) if "--ours-root" in sys.argv else ROOT
sys.path.insert(0, str(_OURS))

from index import IndexBlock, IndexDoc, SearchEngine  # noqa: E402
from index.normalize import Normalizer  # noqa: E402
from index.query import parse_query  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import peers  # noqa: E402
from peers import Semantics  # noqa: E402

SAMPLE = ROOT / "resources" / "un_a75_peacekeeping_report_zh.txt"
BEGIN, END = "<!-- search:begin -->", "<!-- search:end -->"

QUERIES = [
    # two characters
    "平行",
    "合国",
    "维和",
    "妇女",
    "行动",
    "安全",
    "支助",
    "年度",
    "人员",
    "改革",
    # words
    "特派团",
    "维持和平",
    "安全理事会",
    "联合国",
    "会员国",
    "秘书长",
    "冲突",
    "问责制",
    "保护平民",
    "伙伴关系",
    # phrases
    '"维持和平行动"',
    '"以行动促维和"',
    '"性剥削和性虐待"',
    '"东道国政府"',
    '"共同承诺宣言"',
    # several words (AND), OR, minus
    "维和 改革",
    "妇女 和平 安全",
    "特派团 -妇女",
    "维和 OR 维持和平",
    "安全理事会 特派团",
    # mixed script and numbers
    "A/74/533",
    "COVID-19",
    "VID-19",
    "2020年",
    "020 年",
    "94000",
    "第 74/277 号",
    "A/75",
    # rare and very common
    "性剥削",
    "持和平",
    "蓝盔",
    "排雷",
    "气候",
    "的",
    "和",
    "在",
    "了",
    "与",
    "数字化",
    "一",
]


def sample_paragraphs() -> list[str]:
    text = SAMPLE.read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if len(p.strip()) > 10]


def dictionary_words(limit: int = 60000) -> tuple[list[str], list[int]]:
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    words, weights = [], []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in parts[0]):
                words.append(parts[0])
                weights.append(int(parts[1]))
    order = sorted(range(len(words)), key=lambda i: -weights[i])[:limit]
    return [words[i] for i in order], [weights[i] for i in order]


def child(code: str, *args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


class Corpus:
    """Distinct documents of headings and numbered paragraphs."""

    def __init__(self, size_mb: float, seed: int = 7) -> None:
        rng = random.Random(seed)
        paras = sample_paragraphs()
        clauses = [c for p in paras for c in re.split(r"(?<=[，,。；;])", p) if len(c) > 3]
        words, weights = dictionary_words()
        cum = list(itertools.accumulate(weights))
        target = int(size_mb * 1_000_000)
        self.docs: list[IndexDoc] = []
        size = 0
        n = 0
        while size < target:
            blocks: list[IndexBlock] = []
            doc_bytes = 0
            chapter = 0
            para = 0
            path: tuple[str, ...] = ()
            doc_target = rng.randint(60_000, 140_000)
            while doc_bytes < doc_target:
                if para % rng.randint(8, 20) == 0:
                    chapter += 1
                    title = "".join(rng.choices(words, cum_weights=cum, k=rng.randint(2, 5)))
                    path = (title,)
                    blocks.append(IndexBlock(f"h{chapter}", "heading", None, f"{chapter}. {title}", path))
                para += 1
                choice = rng.random()
                if choice < 0.35:
                    text = rng.choice(paras)
                elif choice < 0.65:
                    text = "".join(rng.choices(clauses, k=rng.randint(2, 6)))
                else:
                    sentences = []
                    for _ in range(rng.randint(2, 5)):
                        ws = rng.choices(words, cum_weights=cum, k=rng.randint(6, 18))
                        if rng.random() < 0.3:
                            ws.insert(rng.randrange(len(ws)), f" {rng.randint(1, 99999)} ")
                        if rng.random() < 0.1:
                            ws.insert(
                                rng.randrange(len(ws)), f" A/{rng.randint(60, 80)}/{rng.randint(1, 999)} "
                            )
                        sentences.append("".join(ws) + rng.choice("。，；"))
                    text = "".join(sentences)
                blocks.append(IndexBlock(f"p{para}", "paragraph", str(para), text, path))
                doc_bytes += len(text.encode("utf-8"))
            n += 1
            self.docs.append(IndexDoc(f"doc{n:05d}", f"文件 {n}", f"A/BENCH/{n}", f"r{n}", tuple(blocks)))
            size += doc_bytes
        self.bytes = size

    @staticmethod
    def extra_doc(kb: int = 90, seed: int = 99) -> IndexDoc:
        """A 90 KB document with words found nowhere else."""
        rng = random.Random(seed)
        paras = sample_paragraphs()
        blocks = []
        size = 0
        i = 0
        while size < kb * 1000:
            i += 1
            text = rng.choice(paras) + f"新增文件独有词语{i}号"
            blocks.append(IndexBlock(f"p{i}", "paragraph", str(i), text, ()))
            size += len(text.encode("utf-8"))
        return IndexDoc("extra", "新增文件", "A/BENCH/EXTRA", "r1", tuple(blocks))


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = (len(values) - 1) * p
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def precompile() -> None:
    """Write the bytecode of the measured engine and of the peers' driver before timing a cold start.

    An installed app starts from compiled bytecode (a wheel's install and PyInstaller compile it).
    With ``PYTHONDONTWRITEBYTECODE`` set (as on the shared machine) and no ``__pycache__`` in a
    checkout, every new process compiled our ~5 000 lines of ``index/`` again (60–100 ms here), which
    no user ever waits for, and the peers' ``peers.py`` too.
    """
    import compileall

    compileall.compile_dir(_OURS / "index", quiet=1)
    compileall.compile_file(ROOT / "bench" / "peers.py", quiet=1)


def time_queries(run: object, repeats: int = 3) -> list[float]:
    out = []
    for q in QUERIES:
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            run(q)  # type: ignore[operator]
            times.append((time.perf_counter() - t) * 1000)
        out.append(statistics.median(times))
    return out


# ---------------------------------------------------------------- query semantics
def semantics(q: str, norm: Normalizer) -> Semantics:
    """Our query as every peer runs it: AND of OR-groups of normalised substrings, minus excluded ones."""
    parsed = parse_query(q)
    groups = [[n for t in g if (n := norm.normalize(t.text))] for g in parsed.groups]
    return [g for g in groups if g], [n for t in parsed.excluded if (n := norm.normalize(t.text))]


# ---------------------------------------------------------------- child processes (cold, RSS)
HWM = """
def hwm():
    for line in open('/proc/self/status'):
        if line.startswith('VmHWM'):
            return int(line.split()[1]) / 1024
"""

COLD_OURS = (
    HWM
    + """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
from index import SearchEngine
e = SearchEngine(__import__('pathlib').Path(sys.argv[1]))
r = e.search(sys.argv[3], words=False)
t1 = time.perf_counter()
if sys.argv[4] in ('all', 'exact'):
    if sys.argv[4] == 'all':
        e.warm_up()
    for q in sys.argv[5:]:
        e.search(q, words=sys.argv[4] == 'all')
print(r.total, (t1 - t0) * 1000, hwm())
"""
)

COLD_PEER = (
    HWM
    + """
import json, sys, time
t0 = time.perf_counter()
sys.path.insert(0, sys.argv[2])
import peers as b
kind, path, sems = sys.argv[1], sys.argv[3], json.loads(sys.argv[5])
if kind == 'fts':
    import sqlite3
    con = sqlite3.connect(path)
    run = lambda s: b.fts_query(con, s)
elif kind == 'tantivy':
    ix = b.tv_open(__import__('pathlib').Path(path))
    searcher, schema = ix.searcher(), b.tv_schema()
    run = lambda s: b.tv_search(searcher, schema, s)
else:
    with open(path, encoding='utf-8') as fh:
        texts = fh.read().split('\\n')
    run = lambda s: sum(1 for t in texts if b.matches(t, s))
n = run(sems[0])
t1 = time.perf_counter()
if sys.argv[4] == 'all':
    for s in sems[1:]:
        run(s)
print(n, (t1 - t0) * 1000, hwm())
"""
)


# ---------------------------------------------------------------- main
def measure_ours(
    corpus: Corpus, workdir: Path, sems: dict[str, Semantics], res: dict[str, Any], words: bool = True
) -> dict[str, int]:
    ix_dir = workdir / "ours" / "index"
    engine = SearchEngine(ix_dir, cache_dir=workdir / "cache")
    by_id = {d.doc_id: d for d in corpus.docs}
    ready: list[float] = []
    t = time.perf_counter()
    # One sync, as the app runs it: with words on, the workers index words while documents are stored.
    engine.sync({d.doc_id: d.revision for d in corpus.docs}, by_id.__getitem__, words=words,
                exact_ready=lambda _report: ready.append(time.perf_counter()))  # fmt: skip
    end = time.perf_counter()
    res["ours_exact_build_s"] = ready[0] - t
    # The words' tail after exact search was complete: exact + this is the complete build.
    res["ours_words_build_s"] = end - ready[0] if words else float("nan")
    res["ours_bytes"] = du(ix_dir)
    print(
        f"  ours: exact search complete after {res['ours_exact_build_s']:.1f} s, words "
        f"{res['ours_words_build_s']:.1f} s after that",
        flush=True,
    )
    if words:
        engine.warm_up()
    totals: dict[str, int] = {}

    def ours(q: str) -> None:
        totals[q] = engine.search(q, limit=20, words=words).exact_total

    res["ours_ms"] = time_queries(ours)
    res["ours_exact_ms"] = time_queries(lambda q: engine.search(q, limit=20, words=False))
    precompile()
    cold = [child(COLD_OURS, str(ix_dir), str(_OURS), "维持和平", "first") for _ in range(3)]
    res["ours_cold_ms"] = statistics.median(c[1] for c in cold)
    res["ours_rss_exact_mb"] = statistics.median(c[2] for c in cold)
    mode = "all" if words else "exact"
    res["ours_rss_mb"] = child(COLD_OURS, str(ix_dir), str(_OURS), "维持和平", mode, *QUERIES)[2]
    extra = Corpus.extra_doc()
    t = time.perf_counter()
    engine.add_document(extra, words=False)
    found = engine.search("新增文件独有词语7号", words=False).total
    res["ours_add_ms"] = (time.perf_counter() - t) * 1000
    engine.remove_document("extra")
    res["ours_add_words_ms"] = float("nan")
    if words:
        t = time.perf_counter()
        engine.add_document(extra, words=True)
        found_w = engine.search("新增文件独有词语7号", words=True).total
        res["ours_add_words_ms"] = (time.perf_counter() - t) * 1000
        assert found_w >= 1
    assert found >= 1
    engine.close()
    return totals


def measure_peers(
    corpus: Corpus,
    rows: list[tuple[str, str, str]],
    workdir: Path,
    sems: dict[str, Semantics],
    res: dict[str, Any],
) -> dict[str, dict[str, int]]:
    totals: dict[str, dict[str, int]] = {"fts": {}, "tantivy": {}, "scan": {}}
    extra = [(b.block_id, peers_norm(b.text)) for b in Corpus.extra_doc().blocks]
    extra_sem: Semantics = ([["新增文件独有词语7号"]], [])
    fts_path = workdir / "fts.sqlite"
    res["fts_build_s"] = peers.fts_build(rows, fts_path)
    res["fts_bytes"] = fts_path.stat().st_size
    con = sqlite3.connect(fts_path)
    res["fts_ms"] = time_queries(lambda q: totals["fts"].__setitem__(q, peers.fts_query(con, sems[q])))
    t = time.perf_counter()
    with con:
        con.executemany("INSERT INTO blocks(doc, block, text) VALUES ('extra', ?, ?)", extra)
    assert peers.fts_query(con, extra_sem) >= 1
    res["fts_add_ms"] = (time.perf_counter() - t) * 1000
    con.close()
    print(f"  fts5: {res['fts_build_s']:.1f} s", flush=True)
    tv_path = workdir / "tantivy"
    res["tv_build_s"] = peers.tv_build(rows, tv_path)
    res["tv_bytes"] = du(tv_path)
    ix = peers.tv_open(tv_path)
    searcher, schema = ix.searcher(), peers.tv_schema()
    res["tv_ms"] = time_queries(
        lambda q: totals["tantivy"].__setitem__(q, peers.tv_search(searcher, schema, sems[q]))
    )
    t = time.perf_counter()
    writer = ix.writer(50_000_000, 1)
    peers.tv_add(writer, [("extra", b, x) for b, x in extra])
    writer.commit()
    ix.reload()
    assert peers.tv_search(ix.searcher(), schema, extra_sem) >= 1
    res["tv_add_ms"] = (time.perf_counter() - t) * 1000
    print(f"  tantivy: {res['tv_build_s']:.1f} s", flush=True)
    texts = [r[2] for r in rows]
    res["scan_ms"] = time_queries(
        lambda q: totals["scan"].__setitem__(q, sum(1 for x in texts if peers.matches(x, sems[q])))
    )
    scan_path = workdir / "texts.txt"
    scan_path.write_text("\n".join(texts), encoding="utf-8")
    sem_args = json.dumps([sems["维持和平"], *(sems[q] for q in QUERIES)], ensure_ascii=False)
    precompile()
    for name, path in (("fts", fts_path), ("tv", tv_path), ("scan", scan_path)):
        kind = {"tv": "tantivy"}.get(name, name)
        cold = [child(COLD_PEER, kind, str(ROOT / "bench"), str(path), "first", sem_args) for _ in range(3)]
        res[f"{name}_cold_ms"] = statistics.median(c[1] for c in cold)
        res[f"{name}_rss_mb"] = child(COLD_PEER, kind, str(ROOT / "bench"), str(path), "all", sem_args)[2]
    return totals


_NORM: list[Normalizer] = []


def peers_norm(text: str) -> str:
    return _NORM[0].normalize(text)


def run(corpus: Corpus, workdir: Path, words: bool = True) -> dict[str, Any]:
    """One complete measurement of the four systems over ``corpus`` (every index built afresh)."""
    res: dict[str, Any] = {"mb": corpus.bytes / 1e6, "docs": len(corpus.docs)}
    res["blocks"] = sum(len(d.blocks) for d in corpus.docs)
    norm = Normalizer(fold_traditional=True, cache_dir=workdir / "cache")
    _NORM[:] = [norm]
    sems = {q: semantics(q, norm) for q in [*QUERIES, "维持和平"]}
    rows = [(d.doc_id, b.block_id, norm.normalize(b.text)) for d in corpus.docs for b in d.blocks]
    res["words"] = words
    res["load"] = os.getloadavg()[0]
    totals = {"ours": measure_ours(corpus, workdir, sems, res, words)}
    totals.update(measure_peers(corpus, rows, workdir, sems, res))
    res["totals"] = totals
    res["mismatches"] = [q for q in QUERIES if len({totals[s][q] for s in totals}) != 1]
    for name in ("ours", "ours_exact", "fts", "tv", "scan"):
        ms = res[f"{name}_ms"]
        res[f"{name}_p50"], res[f"{name}_p95"] = statistics.median(ms), pct(ms, 0.95)
    res["load_after"] = os.getloadavg()[0]
    return res


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of every figure over the runs; exact totals must agree within and across runs."""
    out: dict[str, Any] = {"runs": len(runs), "per_run": runs}
    for key, value in runs[0].items():
        if isinstance(value, bool) or key in ("totals", "mismatches"):
            out[key] = value
        elif isinstance(value, int | float):
            out[key] = statistics.median(float(r[key]) for r in runs)
        elif isinstance(value, list) and value and isinstance(value[0], int | float):
            out[key] = [statistics.median(col) for col in zip(*(r[key] for r in runs), strict=True)]
    bad = {q for r in runs for q in r["mismatches"]}
    for r in runs[1:]:
        bad.update(q for s in r["totals"] for q in QUERIES if r["totals"][s][q] != runs[0]["totals"][s][q])
    out["mismatches"] = [q for q in QUERIES if q in bad]
    out["loads"] = [round(r["load"], 1) for r in runs]
    slow = sorted(zip(out["ours_ms"], QUERIES, strict=True), reverse=True)[:3]
    out["ours_slowest"] = [f"{q} {ms:.1f} ms" for ms, q in slow]
    return out


def table(r: dict[str, Any]) -> str:
    mb = r["mb"]

    def rate(seconds: float) -> str:
        return "not built" if seconds != seconds else f"{mb / seconds:.1f} MB/s"

    ours_total = r["ours_exact_build_s"] + r["ours_words_build_s"]
    words_add = (
        ""
        if r["ours_add_words_ms"] != r["ours_add_words_ms"]
        else f", {r['ours_add_words_ms']:.0f} ms with words"
    )
    complete_ratio = "" if ours_total != ours_total else f"{ours_total / r['tv_build_s']:.1f}× tantivy's time"
    rss = "words on" if r["words"] else "exact only"
    rows = [
        ("query p50 / p95 (page 1 + snippets + exact total)",
         f"{r['ours_p50']:.1f} / {r['ours_p95']:.1f} ms (exact only {r['ours_exact_p50']:.1f} / {r['ours_exact_p95']:.1f})",
         f"{r['fts_p50']:.1f} / {r['fts_p95']:.1f} ms", f"{r['tv_p50']:.1f} / {r['tv_p95']:.1f} ms",
         f"{r['scan_p50']:.1f} / {r['scan_p95']:.1f} ms", f"p50 {r['ours_p50'] / r['tv_p50']:.1f}× tantivy"),
        ("cold open → first exact result", f"{r['ours_cold_ms']:.0f} ms", f"{r['fts_cold_ms']:.0f} ms",
         f"{r['tv_cold_ms']:.0f} ms", f"{r['scan_cold_ms']:.0f} ms", f"{r['ours_cold_ms'] / r['tv_cold_ms']:.1f}× tantivy"),
        (f"peak RSS, all queries (ours: {rss})", f"{r['ours_rss_mb']:.0f} MB (1st query only {r['ours_rss_exact_mb']:.0f})",
         f"{r['fts_rss_mb']:.0f} MB", f"{r['tv_rss_mb']:.0f} MB", f"{r['scan_rss_mb']:.0f} MB",
         f"{r['ours_rss_mb'] / r['tv_rss_mb']:.1f}× tantivy"),
        ("build, searchable exactly", rate(r["ours_exact_build_s"]), rate(r["fts_build_s"]), rate(r["tv_build_s"]), "", ""),
        ("build, complete (ours: + jieba words)", rate(ours_total), rate(r["fts_build_s"]), rate(r["tv_build_s"]), "",
         complete_ratio),
        ("index size", f"{r['ours_bytes'] / 1e6:.0f} MB", f"{r['fts_bytes'] / 1e6:.0f} MB", f"{r['tv_bytes'] / 1e6:.0f} MB", "", ""),
        ("90 KB document added → searchable", f"{r['ours_add_ms']:.0f} ms exact{words_add}",
         f"{r['fts_add_ms']:.0f} ms", f"{r['tv_add_ms']:.0f} ms", "", ""),
    ]  # fmt: skip
    head = "| measure | ours | SQLite FTS5 trigram | tantivy (n-gram fields) | Python `in` scan | ratio |\n|---|---|---|---|---|---|\n"
    return head + "\n".join("| " + " | ".join(row) + " |" for row in rows)


def curve(results: list[dict[str, Any]]) -> str:
    """The scaling table: query p50 / p95, cold start and RSS per corpus size, all systems."""
    head = "| corpus | runs | ours p50 / p95 | FTS5 p50 / p95 | tantivy p50 / p95 | `in` scan p50 / p95 | ours cold / RSS | tantivy cold / RSS | ours build (exact / complete) |\n|---|---|---|---|---|---|---|---|---|\n"
    lines = []
    for r in sorted(results, key=lambda x: x["mb"]):
        complete = _complete(r)
        lines.append(
            f"| {r['mb']:.0f} MB | {r.get('runs', 1)} | {r['ours_p50']:.1f} / {r['ours_p95']:.1f} ms | {r['fts_p50']:.1f} / {r['fts_p95']:.1f} ms "
            f"| {r['tv_p50']:.1f} / {r['tv_p95']:.1f} ms | {r['scan_p50']:.1f} / {r['scan_p95']:.1f} ms "
            f"| {r['ours_cold_ms']:.0f} ms / {r['ours_rss_mb']:.0f} MB | {r['tv_cold_ms']:.0f} ms / {r['tv_rss_mb']:.0f} MB "
            f"| {r['mb'] / r['ours_exact_build_s']:.1f} MB/s / {complete} |"
        )
    return head + "\n".join(lines)


def targets(results: list[dict[str, Any]]) -> str:
    """Issue 14's targets against the largest run of each size (medians of its runs)."""
    by = sorted(results, key=lambda x: x["mb"])
    big = by[-1]
    words_big = "words on" if big["words"] else "exact only"
    ratios = ", ".join(f"{r['ours_p50'] / r['tv_p50']:.1f}× at {r['mb']:.0f} MB" for r in by)
    rows = [
        ("query p50 within 3× tantivy's, every size", ratios, all(r["ours_p50"] <= 3 * r["tv_p50"] for r in by)),
        (f"query p95 ≤ 50 ms at {big['mb']:.0f} MB", f"{big['ours_p95']:.1f} ms", big["ours_p95"] <= 50),
        (f"cold open → first exact result ≤ 300 ms at {big['mb']:.0f} MB", f"{big['ours_cold_ms']:.0f} ms", big["ours_cold_ms"] <= 300),
        (f"peak RSS ≤ 200 MB at {big['mb']:.0f} MB", f"{big['ours_rss_mb']:.0f} MB ({words_big})", big["ours_rss_mb"] <= 200),
        ("exact build ≥ 2 MB/s", ", ".join(f"{r['mb'] / r['ours_exact_build_s']:.1f}" for r in by) + " MB/s",
         all(r["mb"] / r["ours_exact_build_s"] >= 2 for r in by)),
        ("complete build (exact + words) ≥ 2 MB/s", ", ".join(_complete(r) for r in by),
         all(r["mb"] / (r["ours_exact_build_s"] + r["ours_words_build_s"]) >= 2 for r in by)),
        (f"90 KB document searchable exactly ≤ 100 ms at {big['mb']:.0f} MB", f"{big['ours_add_ms']:.0f} ms", big["ours_add_ms"] <= 100),
        ("exact totals equal across the four systems, every query, every run", "mismatches: "
         + (", ".join(q for r in by for q in r["mismatches"]) or "none"), not any(r["mismatches"] for r in by)),
    ]  # fmt: skip
    head = "| target | measured | met |\n|---|---|---|\n"
    return head + "\n".join(f"| {t} | {m} | {'yes' if ok else 'no'} |" for t, m, ok in rows)


def _complete(r: dict[str, Any]) -> str:
    total = r["ours_exact_build_s"] + r["ours_words_build_s"]
    return "exact only" if total != total else f"{r['mb'] / total:.2f} MB/s"


def size_section(r: dict[str, Any]) -> str:
    """The per-size block of the search section: what was run, the table, the slowest queries."""
    words = "ours with the jieba word index" if r["words"] else "ours exact only (`--no-words`)"
    loads = ", ".join(f"{x:g}" for x in r["loads"])
    agree = "yes" if not r["mismatches"] else "NO: " + ", ".join(r["mismatches"])
    flag = "" if r["words"] else " --no-words"
    return (
        f"### {r['mb']:.0f} MB ({r['docs']:.0f} documents, {r['blocks']:.0f} blocks) — "
        f"median of {r['runs']} runs; {words}; load average at each run's start {loads}\n\n"
        f"`bench/search.py --size-mb {r.get('size_arg', round(r['mb'])):g} --runs {r['runs']}{flag}`\n\n"
        f"{table(r)}\n\n"
        f"Slowest queries (ours, median of the runs): {', '.join(r['ours_slowest'])}.  "
        f"Exact totals of all {len(QUERIES)} queries agree across the four systems in every run: {agree}.\n"
    )


def dump_results(size_mb: float, out: Path, words: bool = False) -> None:
    """Our engine's complete output (2 pages) for many queries, as JSON, to compare two engines' ranking.

    With ``words`` the word index is built and the searches include its looser matches.
    """
    corpus = Corpus(size_mb)
    rng = random.Random(5)
    texts = [b.text for d in corpus.docs[:50] for b in d.blocks if len(b.text) >= 8]
    queries = list(QUERIES)
    for _ in range(150):  # random substrings of 1–7 characters
        t = rng.choice(texts)
        n = rng.randint(1, 7)
        a = rng.randrange(0, len(t) - n)
        queries.append(t[a : a + n])
    queries += ["哈哈哈", "000", "00", "aaa", "维和 维持和平 -改革", "in:title 文件", "特派团 doc:doc00003",
                "联合国 doc:doc0001", '"和平 行动"', "安全 OR 和平 OR 维和", "2020", "A/7", "年年", "的的"]  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="bench-dump-"))
    try:
        engine = SearchEngine(workdir / "index", cache_dir=workdir / "cache")
        by_id = {d.doc_id: d for d in corpus.docs}
        engine.sync({d.doc_id: d.revision for d in corpus.docs}, by_id.__getitem__, words=words)
        found: list[dict[str, Any]] = []
        for q in queries:
            for offset in (0, 20):
                r = engine.search(q, limit=20, offset=offset, words=words)
                hits = [[h.doc_id, h.block_id, h.number, list(h.path), h.kind, h.snippet, [list(x) for x in h.spans],
                         [list(x) for x in h.block_spans], repr(h.score), h.exact, h.doc_title, h.symbol]
                        for h in r.hits]  # fmt: skip
                found.append(
                    {"q": q, "offset": offset, "total": r.total, "exact_total": r.exact_total, "hits": hits}
                )
        engine.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    out.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    print(f"{len(queries)} queries × 2 pages, {sum(len(f['hits']) for f in found)} hits → {out}")


def same_results(a: Path, b: Path) -> int:
    """Compare two ``--dump`` files; print the queries whose output differs."""
    one, two = (json.loads(p.read_text(encoding="utf-8")) for p in (a, b))
    differ = [x["q"] for x, y in zip(one, two, strict=True) if x != y]
    print(
        f"{len(one)} results compared, {len(differ)} differ{': ' + ', '.join(differ[:20]) if differ else ''}"
    )
    return 1 if differ or len(one) != len(two) else 0


def write_nested(path: Path, name: str, text: str) -> None:
    """Replace (or add, before the search section's end) the block between ``<!-- name:begin/end -->``."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    old = path.read_text(encoding="utf-8") if path.is_file() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in old:
        old = old.rstrip("\n") + f"\n\n{BEGIN}\n{END}\n"
    body = f"{begin}\n{text}\n{end}"
    if begin in old and end in old:
        new = old[: old.index(begin)] + body + old[old.index(end) + len(end) :]
    else:
        at = old.index(END)
        new = old[:at] + body + "\n\n" + old[at:]
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=3, help="complete measurements to take the median of")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also save the raw figures here")
    parser.add_argument("--ours-root", type=Path, help="measure the engine of this checkout instead")
    parser.add_argument(
        "--curve", type=Path, nargs="+", help="write the scaling and targets tables from saved --json files"
    )
    parser.add_argument("--table", type=Path, nargs="+", help="write each saved --json file's size block")
    parser.add_argument(
        "--merge", type=Path, nargs="+", help="combine saved --json files of one size (runs of separate calls)"
    )
    parser.add_argument("--dump", type=Path, help="save our engine's output for many queries (ranking A/B)")
    parser.add_argument(
        "--dump-words", action="store_true", help="--dump with the word index (loose matches)"
    )
    parser.add_argument("--same", type=Path, nargs=2, help="compare two --dump files (exit 1 if they differ)")
    parser.add_argument(
        "--no-words", action="store_true", help="ours without the jieba word index (exact only)"
    )
    args = parser.parse_args()
    if args.curve:
        results = [json.loads(p.read_text(encoding="utf-8")) for p in args.curve]
        text = (
            f"### Scaling curve (medians of each size's runs)\n\n{curve(results)}\n\n"
            f"### Targets of issue 14\n\n{targets(results)}\n"
        )
        print(text)
        if not args.no_write:
            write_nested(args.out, "search-curve", text)
        return 0
    if args.merge:
        saved = [json.loads(p.read_text(encoding="utf-8")) for p in args.merge]
        if len({round(r["mb"]) for r in saved}) != 1:
            print("--merge: the files are of different corpus sizes", file=sys.stderr)
            return 2
        r = combine([run for one in saved for run in one["per_run"]])
        r["size_arg"] = saved[0].get("size_arg", round(r["mb"]))
        print(table(r))
        if args.json:
            args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
        return 1 if r["mismatches"] else 0
    if args.dump:
        dump_results(args.size_mb, args.dump, args.dump_words)
        return 0
    if args.same:
        return same_results(*args.same)
    if args.table:
        for path in args.table:
            saved = json.loads(path.read_text(encoding="utf-8"))
            print(size_section(saved))
            if not args.no_write:
                write_nested(
                    args.out, f"search-{saved.get('size_arg', round(saved['mb'])):g}mb", size_section(saved)
                )
        return 0
    print(f"building corpus of {args.size_mb} MB ...", flush=True)
    corpus = Corpus(args.size_mb)
    print(f"  {len(corpus.docs)} documents, {corpus.bytes / 1e6:.1f} MB UTF-8", flush=True)
    runs = []
    for i in range(args.runs):
        print(f"run {i + 1} of {args.runs}", flush=True)
        workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
        try:
            runs.append(run(corpus, workdir, words=not args.no_words))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        one = runs[-1]
        print(f"  p50 ours {one['ours_p50']:.1f} ms, tantivy {one['tv_p50']:.1f} ms; "
              f"mismatches {one['mismatches'] or 'none'}", flush=True)  # fmt: skip
    r = combine(runs)
    r["size_arg"] = args.size_mb
    print()
    print(table(r))
    print(f"\nslowest queries (ours): {', '.join(r['ours_slowest'])}")
    print(f"exact totals differing between systems or runs: {r['mismatches'] or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_write:
        write_nested(args.out, f"search-{args.size_mb:g}mb", size_section(r))
        print(f"wrote {args.out}")
    return 1 if r["mismatches"] else 0


if __name__ == "__main__":
    sys.exit(main())
