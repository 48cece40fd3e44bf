"""Differences inside one unit: characters for Chinese, words for Latin script, read as a person marks them.

The diff core is Google's diff-match-patch (Myers' O(ND) algorithm with a
time budget).  Text is first cut into tokens — one token per CJK character or
punctuation mark, one per run of letters/digits, one per run of spaces — and
each distinct token is encoded as one private character, so the core compares
tokens: a Latin word is replaced whole, never patched letter by letter, while
Chinese, which has no spaces, is compared character by character.  The
result is then cleaned up the way diff-match-patch's semantic cleanup does
(an equality shorter than the edits on both sides is folded into them), plus a
pass that folds one- or two-token matches stranded between edits — the "confetti"
that makes a reworded sentence unreadable.
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


def _encode(a: list[str], b: list[str]) -> tuple[str, str, list[str]]:
    """Map each distinct token to one character; returns both encodings and the decoding table."""
    table: list[str] = []
    index: dict[str, int] = {}

    def code(token: str) -> str:
        at = index.get(token)
        if at is None:
            at = len(table)
            index[token] = at
            table.append(token)
        point = _FIRST_CODE + at
        if point >= 0xF900:
            # Past the private use area: continue above the BMP's surrogates, then on the astral planes.
            point = 0x10000 + (point - 0xF900)
        return chr(point)

    return "".join(map(code, a)), "".join(map(code, b)), table


def _decode(code: str, table: list[str]) -> str:
    out = []
    for ch in code:
        point = ord(ch)
        at = point - _FIRST_CODE if point < 0x10000 else point - 0x10000 + (0xF900 - _FIRST_CODE)
        out.append(table[at])
    return "".join(out)


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
    code_a, code_b, table = _encode(tokens(old), tokens(new))
    diffs = dmp.diff_main(code_a, code_b, False)
    dmp.diff_cleanupEfficiency(diffs)
    decoded = [(kind, _decode(text, table)) for kind, text in diffs if text]
    decoded = _fold_short_equalities(decoded)
    # Slide each edit to the nearest word or clause boundary (lossless: same texts either way).
    dmp.diff_cleanupSemanticLossless(decoded)
    return _normalise((_SYMBOL[kind], text) for kind, text in decoded)


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
