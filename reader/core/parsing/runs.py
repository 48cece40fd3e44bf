"""Runs: which numbered lines form one sequence (official paragraph numbers, heading runs)."""

from __future__ import annotations

import itertools

from reader.core.parsing.schemes import _Cand


def _find_numbered_sequence(cands: list[_Cand]) -> set[int]:
    """Official paragraph numbers, found separately in the body and in each annex.

    Laws (documents with articles) have none: their ``1.`` lines are items.
    """
    if sum(1 for c in cands if c.family == "article") >= 2:
        return set()
    bounds = (
        [0] + [i for i, c in enumerate(cands) if c.kind == "heading" and c.family == "annex"] + [len(cands)]
    )
    chosen: set[int] = set()
    for a, b in itertools.pairwise(bounds):
        part = [c if a <= i < b else _Cand("plain") for i, c in enumerate(cands)]
        chosen |= _numbered_run(part)
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
