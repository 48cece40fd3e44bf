"""Runs: which numbered lines form one sequence (official paragraph numbers, heading runs)."""

from __future__ import annotations

import itertools
import re

from reader.core.parsing.schemes import LEAF_FAMILIES, _Cand
from reader.core.parsing.text import _ends_sentence
from reader.core.parsing.units import _Unit


def _find_numbered_sequence(cands: list[_Cand]) -> set[int]:
    """Official paragraph numbers, found separately in the body and in each annex.

    Laws (documents with articles) have none: their ``1.`` lines are items.
    """
    if sum(1 for c in cands if c.family in LEAF_FAMILIES) >= 2:
        return set()
    bounds = (
        [0] + [i for i, c in enumerate(cands) if c.kind == "heading" and c.family == "annex"] + [len(cands)]
    )
    chosen: set[int] = set()
    for a, b in itertools.pairwise(bounds):
        part = [c if a <= i < b else _Cand("plain") for i, c in enumerate(cands)]
        chosen |= _numbered_run(part)
    return chosen


def corrigendum_items(cands: list[_Cand]) -> set[int]:
    """In a corrigendum every numbered line 1, 2, 3… is one of its items, however short."""
    chosen: set[int] = set()
    for i, c in enumerate(cands):
        if c.kind == "numbered" and c.family == "num" and c.value == len(chosen) + 1:
            chosen.add(i)
    return chosen


def _numbered_run(cands: list[_Cand]) -> set[int]:
    """Indices of candidates that form the document-wide paragraph numbering 1, 2, 3, etc.

    Official paragraph numbers run through the whole document; numbered
    sub-headings restart per section.  A heading-shaped ``N.`` line is a
    paragraph only if it fits the running sequence and the next numbered
    candidate does not repeat its number.  A paragraph that opens with a short
    sentence (``1. 会员国提出了意见。秘书处…``) is prose, not a run-in heading,
    when it belongs to the sequence.
    """
    numbered = [i for i, c in enumerate(cands) if c.kind == "numbered" and c.value is not None]

    def prose(c: _Cand) -> bool:
        return not c.rank or c.marker == "run-in"

    chosen: set[int] = set()
    expected = None
    for pos, i in enumerate(numbered):
        c = cands[i]
        if expected is None:
            if prose(c):
                chosen.add(i)
                expected = (c.value or 0) + 1
            continue
        if c.value == expected:
            if not prose(c):
                nxt = next((cands[j] for j in numbered[pos + 1 :] if prose(cands[j])), None)
                if nxt is not None and nxt.value == c.value:
                    continue  # a sub-heading whose first paragraph carries the same number
            chosen.add(i)
            expected = (c.value or 0) + 1
    # Numbering that keeps restarting (PRC items 1. 2. under every （一）) is
    # not an official paragraph numbering, and neither are two or three lines.
    strays = sum(1 for i in numbered if prose(cands[i]) and i not in chosen)
    if len(chosen) < 3 or strays > max(2, len(chosen) // 4):
        return set()
    return chosen


# ----------------------------------------------------------------- heading runs

# Schemes whose members are judged as a run (headings, sub-headings or list items).
_RUN_FAMILIES = frozenset({"cn-dun", "cn-dot", "paren-cn", "paren-num"})
_GROUP_RANK = 26  # 一、 groups of articles: below 章/节, above the articles themselves
_SKIP = frozenset({"artifact", "footnote", "rule"})


def _is_member(c: _Cand, family: str) -> bool:
    """A numbered unit of ``family`` (a heading candidate or numbered text)."""
    return c.family == family and c.value is not None and c.kind in ("heading", "plain")


def _barrier(c: _Cand, family: str) -> bool:
    """A heading that ends every run of ``family`` before it (an article ends its items' runs)."""
    if c.kind != "heading":
        return False
    if c.family.startswith("legal-") or c.family in ("annex", "special", "preamble"):
        return True
    return c.family in LEAF_FAMILIES and family != "cn-dun"  # 一、 groups of articles span articles


def sequence_runs(cands: list[_Cand], family: str) -> list[list[int]]:
    """The runs of one scheme: each member joins the latest open run it continues (value + 1).

    A first value (1) opens a new run; a value that continues no run is a run of its own
    (a mention, a quotation, a stray item).  Structural headings close the runs before them.
    """
    runs: list[list[int]] = []
    closed = 0  # runs[:closed] are closed
    for i, c in enumerate(cands):
        if _barrier(c, family):
            closed = len(runs)
            continue
        if not _is_member(c, family):
            continue
        value = c.value or 0
        target = None
        if value != 1:
            open_runs = [r for r in reversed(runs[closed:]) if cands[r[-1]].value == value - 1]
            # Two runs waiting for this value (chapters 一 二 and items 一 二 inside 二): a
            # heading continues the run of headings, text the run of text.
            same = [r for r in open_runs if cands[r[-1]].kind == c.kind]
            target = (same or open_runs)[0] if open_runs else None
        if target is None:
            runs.append([i])
        else:
            target.append(i)
    return runs


def _next_significant(cands: list[_Cand], i: int) -> _Cand | None:
    for c in cands[i + 1 :]:
        if c.kind not in _SKIP:
            return c
    return None


def _article_groups(cands: list[_Cand], run: list[int]) -> bool:
    """Judicial interpretations: ``一、受理与管辖`` lines that each open a group of articles."""
    heads = [i for i in run if cands[i].kind == "heading" and not cands[i].body]
    if len(heads) < 2 or heads[0] != run[0]:
        return False
    opening = [i for i in heads if (n := _next_significant(cands, i)) is not None and n.family == "article"]
    return heads[0] in opening and 3 * len(opening) >= 2 * len(heads)


def _classify_run(cands: list[_Cand], run: list[int], legal: bool, annex_at: int) -> None:
    """Decide a run as a whole: headings, list items or text."""
    members = [cands[i] for i in run]
    family = members[0].family
    if legal and family == "cn-dun" and _article_groups(cands, run):
        for c in members:
            if c.kind == "heading":
                c.family, c.rank = "legal-group", _GROUP_RANK
        return
    heads = sum(1 for c in members if c.kind == "heading")
    longs = sum(1 for c in members if c.marker == "long-run-in")
    texts = len(members) - heads - longs
    if texts > heads + longs:
        for c in members:  # mostly sentences: the heading-shaped ones are items too
            if c.kind == "heading":
                _demote(c)
        return
    adjacent = len(run) >= 3 and all(b == a + 1 for a, b in itertools.pairwise(run))
    listed = run[0] > annex_at or all(c.title.startswith(("《", "“")) for c in members)
    if adjacent and listed and not any(c.body for c in members):
        for c in members:  # one member a line, nothing under any of them: a list
            if c.kind == "heading":
                _demote(c)
        return
    # A run of headings claims its long run-in members; a run made only of long run-in
    # （一） lines is one too (work reports); 一、 lines need at least one plain heading.
    if not legal and longs and (heads >= 1 or (family == "paren-cn" and longs >= 2 and texts == 0)):
        for c in members:
            if c.marker == "long-run-in":
                c.kind, c.marker = "heading", "run-in" if c.body else ""
                c.rank = _RANKS[family]


_RANKS = {"cn-dun": 30, "cn-dot": 30, "paren-cn": 40, "paren-num": 60}


def _demote(c: _Cand) -> None:
    """A heading candidate that its run says is numbered text."""
    c.kind, c.rank, c.marker = "plain", 0, "numbered-text"
    c.body, c.body_offset = "", 0


def resolve_runs(cands: list[_Cand]) -> None:
    """Judge every run of the run-classified schemes as a whole (in place)."""
    legal = sum(1 for c in cands if c.family in LEAF_FAMILIES) >= 2
    annex_at = next(
        (i for i, c in enumerate(cands) if c.kind == "heading" and c.family == "annex"), len(cands)
    )
    for family in _RUN_FAMILIES:
        for run in sequence_runs(cands, family):
            _classify_run(cands, run, legal, annex_at)
    _annex_runs(cands)


def _annex_runs(cands: list[_Cand]) -> None:
    """``附件三`` continues ``附件二``; one that continues nothing is a mention in the text."""
    seen: set[int] = set()
    for c in cands:
        if c.kind != "heading" or c.family != "annex" or c.value is None:
            continue
        if c.value > 1 and c.value - 1 not in seen and c.label and not c.label[:1].isascii():
            _demote(c)
            continue
        seen.add(c.value)


_PUNCT = re.compile(r"[，。、：；！？,.:;!?…“”\"《》（）()\d]")


def unnumbered_subheadings(units: list[_Unit], cands: list[_Cand]) -> None:
    """Short unpunctuated lines between prose inside ``一、`` chapters are their sub-headings.

    White papers print them in bold, which plain text loses: ``坚持正确义利观`` standing
    alone, a prose paragraph after it, inside a chapter that has no numbered sections.  Two
    at least, so one stray line is not taken for structure.
    """
    found: list[int] = []
    chapter_rank = None
    numbered_inside = False
    for i, c in enumerate(cands):
        if c.kind == "heading" and c.family in ("cn-dun", "cn-dot"):
            chapter_rank, numbered_inside = c.rank, False
            continue
        if c.kind == "heading" and c.family in ("special", "preamble", "annex"):
            chapter_rank = None
        if c.family in ("paren-cn", "num", "num-full") or chapter_rank is None:
            numbered_inside = numbered_inside or c.family in ("paren-cn", "num", "num-full")
            continue
        if numbered_inside or c.kind != "plain" or c.marker or not _stands_alone(units, i):
            continue
        nxt = units[i + 1].text if i + 1 < len(units) else ""
        prose_after = len(nxt) >= 15 and _ends_sentence(nxt)
        if 4 <= len(units[i].text) <= 20 and not _PUNCT.search(units[i].text) and prose_after:
            found.append(i)
    if len(found) >= 2:
        for i in found:
            cands[i] = _Cand("heading", rank=35, title=units[i].text, family="unnumbered")


def _stands_alone(units: list[_Unit], i: int) -> bool:
    """Blank lines around the unit, and a sentence before it."""
    return (
        units[i].after_blank
        and i + 1 < len(units)
        and units[i + 1].after_blank
        and i > 0
        and len(units[i - 1].text) >= 15
        and _ends_sentence(units[i - 1].text)
    )
