"""The peers of ``bench/search.py``: SQLite FTS5 (trigram), tantivy (n-gram fields), a Python ``in`` scan.

Imports nothing of ours, so a child process measuring a peer's cold start and
memory carries none of our engine.  A query arrives as ``(groups, excluded)``:
an AND of OR-groups of normalised substrings, minus the excluded ones.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

Semantics = tuple[list[list[str]], list[str]]
Tv = Any
"""tantivy objects (its stubs are partial)."""


def matches(text: str, sem: Semantics) -> bool:
    groups, excluded = sem
    return all(any(t in text for t in g) for g in groups) and not any(t in text for t in excluded)


def snippet_of(text: str, sem: Semantics) -> str:
    first = min((p for g in sem[0] for t in g if (p := text.find(t)) >= 0), default=0)
    start = max(0, first - 40)
    return text[start : start + 120]


# ---------------------------------------------------------------- SQLite FTS5 (trigram)
def fts_build(rows: list[tuple[str, str, str]], path: Path) -> float:
    t = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute(
        "CREATE VIRTUAL TABLE blocks USING fts5(doc UNINDEXED, block UNINDEXED, text, tokenize='trigram')"
    )
    with con:
        con.executemany("INSERT INTO blocks(doc, block, text) VALUES (?, ?, ?)", rows)
    con.close()
    return time.perf_counter() - t


def fts_where(sem: Semantics) -> tuple[str, list[str]]:
    """One MATCH for the groups whose terms are all ≥ 3 characters (trigrams), ``instr`` for the rest."""
    groups, excluded = sem
    match = [g for g in groups if all(len(t) >= 3 for t in g)]
    where: list[str] = []
    params: list[str] = []
    if match:
        where.append("blocks MATCH ?")
        params.append(
            " AND ".join("(" + " OR ".join('"' + t.replace('"', '""') + '"' for t in g) + ")" for g in match)
        )
    for g in groups:
        if g not in match:
            where.append("(" + " OR ".join("instr(text, ?) > 0" for _ in g) + ")")
            params.extend(g)
    for t in excluded:
        where.append("instr(text, ?) = 0")
        params.append(t)
    return " AND ".join(where) or "0", params


def fts_query(con: sqlite3.Connection, sem: Semantics) -> int:
    where, params = fts_where(sem)
    total = con.execute(f"SELECT count(*) FROM blocks WHERE {where}", params).fetchone()[0]
    order = " ORDER BY rank" if "MATCH" in where else ""
    rows = con.execute(
        f"SELECT doc, block, text FROM blocks WHERE {where}{order} LIMIT 20", params
    ).fetchall()
    [snippet_of(r[2], sem) for r in rows]
    return int(total)


# ---------------------------------------------------------------- tantivy (n-gram fields)
def _tv_tokens(text: str) -> tuple[str, str]:
    # Whitespace-separated unigrams and bigrams keep their positions (phrase queries over bigrams
    # are exact substring tests); a space inside the text is spelt U+2420 so it stays a character.
    t = text.replace(" ", "\u2420")
    return " ".join(t), " ".join(map(str.__add__, t, t[1:]))


def tv_schema() -> Tv:
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("uni", tokenizer_name="ws", index_option="freq")
    sb.add_text_field("bi", tokenizer_name="ws", index_option="position")
    sb.add_text_field("text", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
    return sb.build()


def tv_open(path: Path) -> Tv:
    import tantivy

    ix = tantivy.Index(tv_schema(), path=str(path))
    ix.register_tokenizer("ws", tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build())
    return ix


def tv_add(writer: Tv, rows: list[tuple[str, str, str]]) -> None:
    import tantivy

    for doc, block, text in rows:
        uni, bi = _tv_tokens(text)
        writer.add_document(tantivy.Document(uni=uni, bi=bi, text=text, key=f"{doc}/{block}"))


def tv_build(rows: list[tuple[str, str, str]], path: Path) -> float:
    t = time.perf_counter()
    path.mkdir(parents=True, exist_ok=True)
    ix = tv_open(path)
    writer = ix.writer(200_000_000, 2)
    tv_add(writer, rows)
    writer.commit()
    writer.wait_merging_threads()
    return time.perf_counter() - t


def tv_term_query(schema: Tv, term: str) -> Tv:
    import tantivy

    t = term.replace(" ", "\u2420")
    if len(t) == 1:
        return tantivy.Query.term_query(schema, "uni", t)
    grams: list[str | tuple[int, str]] = [t[i : i + 2] for i in range(len(t) - 1)]
    if len(grams) == 1:
        return tantivy.Query.term_query(schema, "bi", t)
    return tantivy.Query.phrase_query(schema, "bi", grams)


def tv_query_of(schema: Tv, sem: Semantics) -> Tv:
    import tantivy

    must = tantivy.Occur.Must
    parts = []
    for g in sem[0]:
        alts = [tv_term_query(schema, t) for t in g]
        q = (
            alts[0]
            if len(alts) == 1
            else tantivy.Query.boolean_query([(tantivy.Occur.Should, a) for a in alts])
        )
        parts.append((must, q))
    parts.extend((tantivy.Occur.MustNot, tv_term_query(schema, t)) for t in sem[1])
    return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)


def tv_search(searcher: Tv, schema: Tv, sem: Semantics) -> int:
    res = searcher.search(tv_query_of(schema, sem), 20, count=True)
    for _score, addr in res.hits:
        snippet_of(searcher.doc(addr)["text"][0], sem)
    return int(res.count)
