"""Differences inside one unit: characters for Chinese, words for Latin script, read as a person marks them.

The diff core is Google's diff-match-patch (Myers' O(ND) algorithm with a
time budget).  Text is first cut into tokens — one per CJK character or
punctuation mark, one per run of letters/digits, one per run of whitespace —
and each multi-character token is encoded as one private character, so the core
compares tokens: a Latin word is replaced whole, never patched letter by
letter, while Chinese, which has no spaces, is compared character by character.

The core runs clause by clause first (its line mode, with a break after each
clause-ending mark), then token by token inside the clauses that differ; a
unit that shares less than half its character pairs with the other side was
rewritten and is marked by whole clauses.  The result is cleaned up: an
efficiency pass, a pass that folds one- or two-token matches stranded between
edits at least as long (the "confetti" that makes a reworded sentence
unreadable), and a lossless pass sliding each edit to a word or clause boundary.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from diff_match_patch import diff_match_patch

Op = Literal["=", "+", "-"]
Ops = list[tuple[Op, str]]

DIFF_TIMEOUT = 0.5
"""Seconds diff-match-patch may spend on one pair before settling for a coarser (still exact) diff."""

# Letters and digits of alphabetic scripts (Latin, Greek, Cyrillic, Arabic, Hebrew...) form words;
# CJK ideographs, kana and hangul are excluded so that each of them is a token of its own.
_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff"
_TOKEN = re.compile(rf"[^\W{_CJK}]+|\s+|.", re.DOTALL)

_FIRST_CODE = 0xE000  # private use area first: unlikely to collide with real text (any char works)


def tokens(text: str) -> list[str]:
    """The diff's units of ``text``: CJK characters, words, space runs, single punctuation marks."""
    return _TOKEN.findall(text)


# Tokens longer than one character, and all whitespace (so that a real line break never looks
# like the clause marks added below).
_MULTI = re.compile(rf"[^\W{_CJK}]{{2,}}|\s+")
_CLAUSE_END = re.compile("([，。；：！？、,.;:!?])")


class _Codec:
    """Each multi-character token as one private character, so the diff sees one symbol per token."""

    def __init__(self, *texts: str) -> None:
        self._present = set().union(*map(set, texts))
        self._code: dict[str, str] = {}
        self._next = _FIRST_CODE
        self.decode_table: dict[int, str | None] = {ord("\n"): None}

    def _fresh(self) -> str:
        while True:
            point = self._next
            self._next += 1
            if 0xF900 <= point < 0x10000:
                # Past the private use area: continue on the supplementary planes.
                point = self._next = 0xF0000
                self._next += 1
            ch = chr(point)
            if ch not in self._present:
                return ch

    def _token(self, match: re.Match[str]) -> str:
        token = match.group(0)
        ch = self._code.get(token)
        if ch is None:
            ch = self._code[token] = self._fresh()
            self.decode_table[ord(ch)] = token
        return ch

    def encode(self, text: str) -> str:
        """The text as symbols, with a line break after each clause (diff-match-patch's line mode)."""
        code = _MULTI.sub(self._token, text)
        code = _CLAUSE_END.sub("\\1\n", code)
        for token, ch in self._code.items():
            if "\n" in token:
                code = code.replace(ch, ch + "\n")
        return code

    def decode(self, code: str) -> str:
        """Back to text (clause marks dropped)."""
        return code.translate(self.decode_table)


REWRITE_SIMILARITY = 0.5
"""Below this share of common character pairs a unit counts as rewritten and is marked clause by clause."""


def _similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character pairs."""
    ga = {a[i : i + 2] for i in range(len(a) - 1)}
    gb = {b[i : i + 2] for i in range(len(b) - 1)}
    if not ga or not gb:
        return 0.0
    return _dice(ga, gb)


def _engine() -> diff_match_patch:
    dmp = diff_match_patch()
    dmp.Diff_Timeout = DIFF_TIMEOUT
    return dmp


_SYMBOL: dict[int, Op] = {0: "=", 1: "+", -1: "-"}


def diff_ops(old: str, new: str) -> Ops:
    """Operations turning ``old`` into ``new``: joining ``=``/``-`` gives old, ``=``/``+`` gives new.

    Deletions come before the insertions that replace them; neighbouring
    operations of one kind are merged; no operation is empty.
    """
    if old == new:
        return [("=", old)] if old else []
    if not old:
        return [("+", new)]
    if not new:
        return [("-", old)]
    dmp = _engine()
    codec = _Codec(old, new)
    code_old, code_new = codec.encode(old), codec.encode(new)
    # Clause by clause first (each clause one symbol: diff-match-patch's line mode, the
    # clauses standing in for lines) ...
    lines_old, lines_new, line_table = dmp.diff_linesToChars(code_old, code_new)
    diffs = dmp.diff_main(lines_old, lines_new, False)
    dmp.diff_charsToLines(diffs, line_table)
    if _similarity(old, new) >= REWRITE_SIMILARITY:
        # ... then, inside each run of differing clauses, symbol by symbol between the clauses
        # that correspond.  A rewritten unit keeps whole-clause marks, as a person would mark
        # it, instead of the characters two unrelated sentences happen to share.
        diffs = _refine(dmp, diffs)
    diffs = [(kind, text.replace("\n", "")) for kind, text in diffs]
    diffs = [(kind, text) for kind, text in diffs if text]
    dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupEfficiency(diffs)
    decoded = [(kind, codec.decode(text)) for kind, text in diffs if text]
    decoded = _fold_short_equalities(decoded)
    # Slide each edit to the nearest word or clause boundary (lossless: same texts either way).
    dmp.diff_cleanupSemanticLossless(decoded)
    return _normalise((_SYMBOL[kind], text) for kind, text in decoded)


CLAUSE_PAIR_SIMILARITY = 0.3
"""Two differing clauses this similar are compared symbol by symbol; less similar ones are replaced whole."""


def _refine(dmp: diff_match_patch, diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Replace each run of clause deletions/insertions by the finer diffs of corresponding clauses."""
    out: list[tuple[int, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted or inserted:
            out.extend(_refine_run(dmp, "".join(deleted), "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for kind, text in diffs:
        if kind == 0:
            flush()
            out.append((kind, text))
        elif kind == -1:
            deleted.append(text)
        else:
            inserted.append(text)
    flush()
    return out


def _refine_run(dmp: diff_match_patch, old: str, new: str) -> list[tuple[int, str]]:
    """One run of differing clauses: pair the clauses in order by similarity, diff each pair."""
    if not old or not new:
        return [(-1, old)] if old else [(1, new)]
    olds, news = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pairs = _pair_clauses(olds, news)
    out: list[tuple[int, str]] = []
    i = j = 0
    for a, b in [*pairs, (len(olds), len(news))]:
        if i < a:
            out.append((-1, "".join(olds[i:a])))
        if j < b:
            out.append((1, "".join(news[j:b])))
        if a < len(olds) and b < len(news):
            out.extend(dmp.diff_main(olds[a], news[b], False))
        i, j = a + 1, b + 1
    return out


def _pair_clauses(olds: list[str], news: list[str]) -> list[tuple[int, int]]:
    """Order-preserving pairs of similar clauses, maximising the summed similarity."""
    n, m = len(olds), len(news)
    if n * m > _CLAUSE_CELLS:
        # Too many to pair: compare the runs as they stand, side by side.
        return [(k, k) for k in range(min(n, m))]
    grams_old = [_grams(c) for c in olds]
    grams_new = [_grams(c) for c in news]
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = max(score[i - 1][j], score[i][j - 1])
            sim = _dice(grams_old[i - 1], grams_new[j - 1])
            if sim >= CLAUSE_PAIR_SIMILARITY:
                best = max(best, score[i - 1][j - 1] + sim)
            score[i][j] = best
    return traceback_pairs(score)


_CLAUSE_CELLS = 10_000


def _grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _dice(a: set[str], b: set[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 1.0


def _fold_short_equalities(diffs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Fold a match of one or two tokens squeezed between edits at least as long into them.

    ``质量技术监督`` → ``市场监督管理`` is one replacement to a reader, not
    ``-质量技术 +市场 =监督 +管理``: the lone ``监督`` that happens to survive is
    confetti.  Longer matches (``，防止``, ``生产安全事故``) stay, so an inserted
    ``和减少`` is still marked on its own.
    """
    ops = list(diffs)
    changed = True
    while changed:
        changed = False
        for i in range(1, len(ops) - 1):
            kind, text = ops[i]
            if kind != 0 or len(tokens(text)) > _SHORT_TOKENS:
                continue
            before = _side(ops, i, -1)
            after = _side(ops, i, +1)
            if before and after and len(text) <= min(before, after):
                ops[i : i + 1] = [(-1, text), (1, text)]
                ops = [(_KIND[op], t) for op, t in _normalise((_SYMBOL[k], t) for k, t in ops)]
                changed = True
                break
    return ops


_SHORT_TOKENS = 2
_KIND: dict[str, int] = {"=": 0, "+": 1, "-": -1}


def _side(ops: list[tuple[int, str]], i: int, step: int) -> int:
    """The larger of deleted and inserted length in the edit run beside ``ops[i]`` (0 if none)."""
    lengths = {1: 0, -1: 0}
    j = i + step
    while 0 <= j < len(ops) and ops[j][0] != 0:
        lengths[ops[j][0]] += len(ops[j][1])
        j += step
    return max(lengths.values())


def _normalise(ops: Iterable[tuple[Op, str]]) -> Ops:
    """Merge runs: within each stretch between equalities, one deletion then one insertion."""
    out: Ops = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(("-", "".join(deleted)))
        if inserted:
            out.append(("+", "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in ops:
        if not text:
            continue
        if op == "-":
            deleted.append(text)
        elif op == "+":
            inserted.append(text)
        else:
            flush()
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
    flush()
    return out


def old_text(ops: Ops) -> str:
    """The old text an operation list starts from."""
    return "".join(text for op, text in ops if op != "+")


def new_text(ops: Ops) -> str:
    """The new text an operation list ends with."""
    return "".join(text for op, text in ops if op != "-")


def changed_chars(ops: Ops) -> int:
    """How many characters were deleted plus inserted."""
    return sum(len(text) for op, text in ops if op != "=")


def traceback_pairs(score: list[list[float]]) -> list[tuple[int, int]]:
    """The pairs of an order-preserving alignment, read back from its filled score table.

    ``score[i][j]`` is the best total for the first ``i`` old and ``j`` new items; a cell
    that neither neighbour explains came from pairing item ``i - 1`` with ``j - 1``.
    """
    pairs = []
    i, j = len(score) - 1, len(score[0]) - 1
    while i > 0 and j > 0:
        if score[i][j] == score[i - 1][j]:
            i -= 1
        elif score[i][j] == score[i][j - 1]:
            j -= 1
        else:
            pairs.append((i - 1, j - 1))
            i -= 1
            j -= 1
    pairs.reverse()
    return pairs
