"""Search benchmark: our engine vs SQLite FTS5 (trigram) vs a Python ``in`` scan.

Usage::

    .venv/bin/python bench/search.py [--size-mb 20] [--out docs/PERFORMANCE.md] [--no-write]

Builds a varied corpus (the sample's paragraphs recombined, plus sentences of
jieba dictionary words), in many distinct documents, then measures build
speed, index size, query latency (first page with snippets and the exact
total), cold open-to-first-result, peak RSS and how soon a 90 KB document
added to the library is searchable.  Prints a table and rewrites the search
section of ``docs/PERFORMANCE.md``.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from index import IndexBlock, IndexDoc, SearchEngine  # noqa: E402
from index.normalize import Normalizer  # noqa: E402

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


# ---------------------------------------------------------------- FTS5
def fts_terms(q: str, norm: Normalizer) -> list[str]:
    """Our query's positive terms, normalised (FTS5 gets the same semantics: AND of substrings)."""
    from index.query import parse_query

    parsed = parse_query(q)
    return [norm.normalize(t.text) for g in parsed.groups for t in g[:1] if norm.normalize(t.text)]


def fts_build(corpus: Corpus, path: Path, norm: Normalizer) -> float:
    t = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIRTUAL TABLE blocks USING fts5(doc UNINDEXED, block UNINDEXED, text, tokenize='trigram')"
    )
    with con:
        for d in corpus.docs:
            con.executemany(
                "INSERT INTO blocks(doc, block, text) VALUES (?, ?, ?)",
                [(d.doc_id, b.block_id, norm.normalize(b.text)) for b in d.blocks],
            )
    con.close()
    return time.perf_counter() - t


def fts_query(con: sqlite3.Connection, terms: list[str]) -> tuple[int, list[tuple[str, str, str]]]:
    long = [t for t in terms if len(t) >= 3]
    short = [t for t in terms if len(t) < 3]
    if long:
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in long)
        where = "blocks MATCH ?" + "".join(" AND instr(text, ?) > 0" for _ in short)
        params: list[str] = [match, *short]
        total = con.execute(f"SELECT count(*) FROM blocks WHERE {where}", params).fetchone()[0]
        rows = con.execute(
            f"SELECT doc, block, snippet(blocks, 2, '[', ']', '…', 16) FROM blocks WHERE {where} ORDER BY rank LIMIT 20",
            params,
        ).fetchall()
    else:
        where = " AND ".join("instr(text, ?) > 0" for _ in short) or "0"
        total = con.execute(f"SELECT count(*) FROM blocks WHERE {where}", short).fetchone()[0]
        rows = con.execute(
            f"SELECT doc, block, substr(text, 1, 120) FROM blocks WHERE {where} LIMIT 20", short
        ).fetchall()
    return total, rows


# ---------------------------------------------------------------- child processes
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
mode = sys.argv[4]
if mode == 'all':
    e.warm_up()
    for q in sys.argv[5:]:
        e.search(q, words=True)
print(r.total, (t1 - t0) * 1000, hwm())
"""
)

COLD_FTS = (
    HWM
    + """
import sys, time, sqlite3
t0 = time.perf_counter()
con = sqlite3.connect(sys.argv[1])
q = sys.argv[2]
n = con.execute("SELECT count(*) FROM blocks WHERE blocks MATCH ?", ['"' + q + '"']).fetchone()[0]
rows = con.execute("SELECT snippet(blocks, 2, '[', ']', '…', 16) FROM blocks WHERE blocks MATCH ? ORDER BY rank LIMIT 20", ['"' + q + '"']).fetchall()
t1 = time.perf_counter()
print(n, (t1 - t0) * 1000, hwm())
"""
)


def child(code: str, *args: str) -> list[float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def drop_page_cache_hint() -> None:
    """Best effort only: cold here means a new process (the OS page cache stays warm)."""


# ---------------------------------------------------------------- main
def run(size_mb: float, workdir: Path) -> dict[str, object]:
    print(f"building corpus of {size_mb} MB ...", flush=True)
    corpus = Corpus(size_mb)
    mb = corpus.bytes / 1e6
    blocks = sum(len(d.blocks) for d in corpus.docs)
    print(f"  {len(corpus.docs)} documents, {blocks} blocks, {mb:.1f} MB UTF-8", flush=True)
    res: dict[str, object] = {"mb": mb, "docs": len(corpus.docs), "blocks": blocks}

    # Ours: exact store first (searchable), then the jieba word index.
    ix_dir = workdir / "ours"
    engine = SearchEngine(ix_dir / "index", cache_dir=workdir / "cache")
    by_id = {d.doc_id: d for d in corpus.docs}
    t = time.perf_counter()
    engine.sync({d.doc_id: d.revision for d in corpus.docs}, by_id.__getitem__, words=False)
    exact_s = time.perf_counter() - t
    t = time.perf_counter()
    engine.index_words()
    words_s = time.perf_counter() - t
    res["ours_exact_build_s"] = exact_s
    res["ours_words_build_s"] = words_s
    res["ours_store_bytes"] = du(ix_dir / "index" / "store")
    res["ours_words_bytes"] = du(ix_dir / "index" / "words")
    print(f"  ours: exact store {exact_s:.1f} s, words {words_s:.1f} s", flush=True)

    norm = engine.normalizer
    fts_path = workdir / "fts.sqlite"
    fts_s = fts_build(corpus, fts_path, norm)
    res["fts_build_s"] = fts_s
    res["fts_bytes"] = fts_path.stat().st_size
    print(f"  fts5: {fts_s:.1f} s", flush=True)

    # Query latency, warm (jieba loaded, word matching on: the GUI's steady state).
    engine.warm_up()
    totals_ours: dict[str, int] = {}

    def ours(q: str) -> None:
        r = engine.search(q, limit=20, words=True)
        totals_ours[q] = r.exact_total

    ours_ms = time_queries(ours)
    ours_exact_ms = time_queries(lambda q: engine.search(q, limit=20, words=False))
    con = sqlite3.connect(fts_path)
    totals_fts: dict[str, int] = {}

    def fts(q: str) -> None:
        totals_fts[q] = fts_query(con, fts_terms(q, norm))[0]

    fts_ms = time_queries(fts)
    snap = engine.life.snapshot
    assert snap is not None
    norms = snap.norms

    def scan(q: str) -> None:
        terms = fts_terms(q, norm)
        hits = [i for i, s in enumerate(norms) if all(t in s for t in terms)]
        hits[:20]

    scan_ms = time_queries(scan)
    mismatches = [
        q
        for q in QUERIES
        if "-" not in q and " OR " not in q and q != "020 年" and totals_ours[q] != totals_fts[q]
    ]
    res["total_mismatches"] = mismatches
    for name, ms in (("ours", ours_ms), ("ours_exact", ours_exact_ms), ("fts", fts_ms), ("scan", scan_ms)):
        res[f"{name}_p50"] = statistics.median(ms)
        res[f"{name}_p95"] = pct(ms, 0.95)
        res[f"{name}_max"] = max(ms)
    slow = sorted(zip(ours_ms, QUERIES, strict=True), reverse=True)[:3]
    res["ours_slowest"] = [f"{q} {ms:.1f} ms" for ms, q in slow]

    # Cold open to first exact result, and peak RSS, each in a fresh process.
    cold = [child(COLD_OURS, str(ix_dir / "index"), str(ROOT), "维持和平", "first") for _ in range(3)]
    res["ours_cold_ms"] = statistics.median(c[1] for c in cold)
    res["ours_rss_exact_mb"] = statistics.median(c[2] for c in cold)
    full = child(COLD_OURS, str(ix_dir / "index"), str(ROOT), "维持和平", "all", *QUERIES)
    res["ours_rss_mb"] = full[2]
    coldf = [child(COLD_FTS, str(fts_path), "维持和平") for _ in range(3)]
    res["fts_cold_ms"] = statistics.median(c[1] for c in coldf)
    fts_rss = subprocess.run(
        [
            sys.executable,
            "-c",
            COLD_FTS.replace(
                "print(n",
                "[con.execute(\"SELECT count(*) FROM blocks WHERE text LIKE '%'||?||'%'\", [x]).fetchone() for x in sys.argv[3:]]\nprint(n",
            ),
            str(fts_path),
            "维持和平",
            *[t for q in QUERIES for t in fts_terms(q, norm)],
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    res["fts_rss_mb"] = float(fts_rss[2])

    # A 90 KB document imported into the library: searchable when?
    extra = Corpus.extra_doc()
    t = time.perf_counter()
    engine.add_document(extra, words=False)
    found = engine.search("新增文件独有词语7号", words=False).total
    res["add90_exact_s"] = time.perf_counter() - t
    engine.remove_document("extra")
    t = time.perf_counter()
    engine.add_document(extra, words=True)
    found_w = engine.search("新增文件独有词语7号", words=True).total
    res["add90_full_s"] = time.perf_counter() - t
    assert found >= 1
    assert found_w >= 1
    t = time.perf_counter()
    con2 = sqlite3.connect(fts_path)
    with con2:
        con2.executemany(
            "INSERT INTO blocks(doc, block, text) VALUES (?, ?, ?)",
            [(extra.doc_id, b.block_id, norm.normalize(b.text)) for b in extra.blocks],
        )
    fts_query(con2, ["新增文件独有词语7号"])
    res["add90_fts_s"] = time.perf_counter() - t
    engine.close()
    return res


def table(r: dict[str, float | object]) -> str:
    def f(key: str) -> float:
        v = r[key]
        assert isinstance(v, int | float)
        return float(v)

    mb = f("mb")
    ours_build = f("ours_exact_build_s") + f("ours_words_build_s")
    rows = [
        (
            "build, searchable (exact store)",
            f"{mb / f('ours_exact_build_s'):.1f} MB/s",
            f"{mb / f('fts_build_s'):.1f} MB/s",
            "",
            f"{f('fts_build_s') / f('ours_exact_build_s'):.2f}× FTS5 speed",
        ),
        (
            "build, complete (+ jieba words)",
            f"{mb / ours_build:.2f} MB/s",
            f"{mb / f('fts_build_s'):.1f} MB/s",
            "",
            f"{ours_build / f('fts_build_s'):.1f}× slower",
        ),
        (
            "index size",
            f"{(f('ours_store_bytes') + f('ours_words_bytes')) / 1e6:.0f} MB (store {f('ours_store_bytes') / 1e6:.0f} + words {f('ours_words_bytes') / 1e6:.0f})",
            f"{f('fts_bytes') / 1e6:.0f} MB",
            "",
            f"{(f('ours_store_bytes') + f('ours_words_bytes')) / f('fts_bytes'):.2f}×",
        ),
        (
            "query p50 (page 1 + snippets + exact total)",
            f"{f('ours_p50'):.1f} ms",
            f"{f('fts_p50'):.1f} ms",
            f"{f('scan_p50'):.1f} ms",
            f"{f('ours_p50') / f('fts_p50'):.2f}× FTS5, {f('ours_p50') / f('scan_p50'):.2f}× scan",
        ),
        (
            "query p95",
            f"{f('ours_p95'):.1f} ms",
            f"{f('fts_p95'):.1f} ms",
            f"{f('scan_p95'):.1f} ms",
            f"{f('ours_p95') / f('fts_p95'):.2f}× FTS5, {f('ours_p95') / f('scan_p95'):.2f}× scan",
        ),
        (
            "query p50 / p95, exact only (before jieba)",
            f"{f('ours_exact_p50'):.1f} / {f('ours_exact_p95'):.1f} ms",
            "",
            "",
            "",
        ),
        (
            "cold open → first exact result",
            f"{f('ours_cold_ms'):.0f} ms",
            f"{f('fts_cold_ms'):.0f} ms",
            "",
            f"{f('ours_cold_ms') / f('fts_cold_ms'):.1f}×",
        ),
        (
            "peak RSS (all queries, words on)",
            f"{f('ours_rss_mb'):.0f} MB (exact only {f('ours_rss_exact_mb'):.0f})",
            f"{f('fts_rss_mb'):.0f} MB",
            "",
            f"{f('ours_rss_mb') / f('fts_rss_mb'):.1f}×",
        ),
        (
            "90 KB document added → searchable",
            f"{f('add90_exact_s') * 1000:.0f} ms exact, {f('add90_full_s') * 1000:.0f} ms with words",
            f"{f('add90_fts_s') * 1000:.0f} ms",
            "",
            "",
        ),
    ]
    head = "| measure | ours | SQLite FTS5 trigram | Python `in` scan | ratio |\n|---|---|---|---|---|\n"
    return head + "\n".join("| " + " | ".join(row) + " |" for row in rows)


def write_section(path: Path, text: str) -> None:
    body = f"{BEGIN}\n{text}\n{END}"
    if path.is_file():
        old = path.read_text(encoding="utf-8")
        if BEGIN in old and END in old:
            new = old[: old.index(BEGIN)] + body + old[old.index(END) + len(END) :]
        else:
            new = old.rstrip("\n") + "\n\n" + body + "\n"
    else:
        new = "# Performance\n\nMeasured figures; each section is written by its benchmark.\n\n" + body + "\n"
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20.0)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also save the raw figures here")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        r = run(args.size_mb, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    tab = table(r)
    print()
    print(tab)
    print(f"\nslowest queries (ours): {', '.join(r['ours_slowest'])}")  # type: ignore[arg-type]
    print(f"exact totals differing from FTS5: {r['total_mismatches'] or 'none'}")
    if args.json:
        args.json.write_text(json.dumps(r, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.no_write:
        text = (
            f"## Search (`bench/search.py --size-mb {args.size_mb:g}`)\n\n"
            f"Corpus: {r['docs']} documents, {r['blocks']} blocks, {r['mb']:.1f} MB of UTF-8 Chinese "
            f"(sample paragraphs, recombined clauses, jieba-dictionary sentences); {len(QUERIES)} queries "
            f"(2-char, words, phrases, AND/OR/minus, mixed script, rare and very common); median of 3 runs "
            f"per query; 2-core machine; `cold` = a new process, OS page cache warm.\n\n{tab}\n\n"
            f"Slowest queries (ours): {', '.join(r['ours_slowest'])}.  "  # type: ignore[arg-type]
            f"Exact totals differing from FTS5: {r['total_mismatches'] or 'none'}.\n"
        )
        write_section(args.out, text)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
