"""Lines and units: split the source into lines, join lines that belong to one paragraph."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.model import LineHint, Span
from reader.core.parsing.schemes import _ATTACHMENT_LIST, _Cand
from reader.core.parsing.text import (
    _COLUMNS,
    _MAX_HEADING,
    _PREAMBLE_VERB,
    _ends_sentence,
    _heading_shaped,
    _join,
    _starts_continuation,
)

if TYPE_CHECKING:
    from reader.core.parsing.classify import _Classifier


@dataclass(slots=True)
class _Unit:
    text: str
    spans: list[Span]
    line: int
    hint: LineHint | None = None
    after_blank: bool = True
    indent: str = ""


def _split_units(source: str, hints: Mapping[int, LineHint]) -> list[_Unit]:
    units: list[_Unit] = []
    prev_blank = True
    pos = 0
    for no, line in enumerate(source.split("\n")):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            s = pos + lead
            units.append(
                _Unit(stripped, [(s, s + len(stripped))], no, hints.get(no), prev_blank, line[:lead])
            )
            prev_blank = False
        else:
            prev_blank = True
        pos += len(line) + 1
    return units


def _merge_indented(units: list[_Unit], cls: _Classifier) -> list[_Unit]:
    """Hard-wrapped text whose paragraphs start with an indent (``\u3000\u3000``, a tab).

    A line without indent continues the paragraph above when that paragraph's
    last line ran to the wrapping width (whatever its last character).
    """
    indented = [u for u in units if u.indent and u.indent.strip(" ") != ""] + [
        u for u in units if len(u.indent) >= 2 and not u.indent.strip(" ")
    ]
    lengths = sorted(len(u.text) + len(u.indent) for u in units if len(u.text) > 10)
    if len(units) < 4 or not lengths:
        return units
    width = lengths[int(len(lengths) * 0.75)]
    indent_marked = len(indented) >= 0.1 * len(units)
    # Copied from a PDF: no indents, no blank lines, but most lines have the
    # same length (give or take a character or two): the wrapping width.
    counts = Counter(lengths)

    def near(n: int) -> int:
        return sum(counts.get(m, 0) for m in range(n - 2, n + 2))

    common = max(counts, key=near)
    wrapped = common >= 20 and near(common) >= 0.4 * len(lengths)
    if not indent_marked and not wrapped:
        return units
    if not indent_marked:
        width = common
    out: list[_Unit] = []
    last_line = 0
    for u in units:
        if out and not u.indent and not u.after_blank and u.hint is None and out[-1].hint is None:
            prev = out[-1]
            c = cls.classify(u)
            pc = cls.classify(prev)
            if indent_marked:
                joins = bool(prev.indent) and (last_line >= 0.9 * width or not _ends_sentence(prev.text))
            else:
                joins = last_line >= width - 2  # only a full line was wrapped
            if c.kind == "plain" and pc.kind in ("plain", "numbered", "footnote") and joins:
                prev.text = _join(prev.text, u.text)
                prev.spans = prev.spans + u.spans
                last_line = len(u.text)
                continue
        out.append(u)
        last_line = len(u.text) + len(u.indent)
    return out


def _blank_separated(units: list[_Unit]) -> bool:
    if len(units) < 4:
        return True
    return sum(1 for u in units if u.after_blank) >= 0.45 * len(units)


def _merge_groups(units: list[_Unit], cls: _Classifier) -> list[_Unit]:
    """In blank-line separated text, join lines of one group that continue each other."""
    out: list[_Unit] = []
    for u in units:
        if out and not u.after_blank and u.hint is None and out[-1].hint is None:
            prev = out[-1]
            c = cls.classify(u)
            pc = cls.classify(prev)
            if _ATTACHMENT_LIST.match(prev.text) and c.kind == "numbered":
                prev.text = prev.text + "\n" + u.text
                prev.spans = prev.spans + u.spans
                continue
            wrap_width = 60 if prev.text[-1:].isascii() else _MAX_HEADING // 2
            if (
                c.kind == "plain"
                and pc.kind in ("plain", "numbered", "footnote")
                and not _ends_sentence(prev.text)
                and len(prev.text) > wrap_width
                and _starts_continuation(u.text)
                and not _COLUMNS.search(prev.text)
                and not _COLUMNS.search(u.text)
                and _script(prev.text) == _script(u.text)  # a line and its translation (bilingual)
            ):
                prev.text = _join(prev.text, u.text)
                prev.spans = prev.spans + u.spans
                continue
        out.append(u)
    return out


def _is_continuation(prev_text: str, nxt: _Unit, cand: _Cand) -> bool:
    """Does ``nxt`` carry on a paragraph that a page break cut (``prev_text``)?"""
    if cand.kind != "plain" or nxt.hint is not None or cand.marker in ("numbered-text", "long-run-in"):
        return False  # a numbered line opens a new paragraph even when the one above is unfinished
    if _ends_sentence(prev_text) or len(prev_text) < 8 or _ATTACHMENT_LIST.match(prev_text):
        return False
    t = nxt.text
    if len(t) < 15 and not _ends_sentence(t):
        return False  # a signature, a date, a stray title: not the rest of a sentence
    if prev_text.endswith(("，", ",", "،")) and _PREAMBLE_VERB.match(t):
        return False  # resolutions: each preambular paragraph ends with a comma
    if len(prev_text) < 40 and _heading_shaped(prev_text) and not re.search(r"[，,、；;]", prev_text):
        return False  # an unnumbered heading line, not the first half of a sentence
    return _starts_continuation(t)


def _script(text: str) -> str:
    """``cjk`` or ``other``: which writing dominates a line (a Chinese line or its translation)."""
    cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff")
    return "cjk" if cjk * 3 >= sum(1 for c in text if c.isalpha()) else "other"


_LEAD_NUMBER = re.compile(r"^(\d{1,3})[.．][ \u3000]")
_INLINE_NUMBER = re.compile(r"[ \u3000]+(\d{1,3})[.．][ \u3000]+(?=\S)")
_RUN_ON = 60  # only lines this long can hold several paragraphs


def split_run_on(units: list[_Unit]) -> list[_Unit]:
    """Split a line that holds several numbered paragraphs (copied from a page that dropped breaks).

    A split is made only where the next paragraph number of the document's sequence follows a
    sentence end (``…交涉。 4. 难民署…``), or follows a short heading at the line start
    (``二. 保护 3. 在本报告…``): a number in running text continues no sequence.
    """
    out: list[_Unit] = []
    expected = 1
    for u in units:
        lead = _LEAD_NUMBER.match(u.text)
        if lead:
            expected = int(lead.group(1)) + 1
        if len(u.text) < _RUN_ON or len(u.spans) != 1 or u.hint is not None or str(expected) not in u.text:
            out.append(u)
            continue
        cuts: list[int] = []
        for m in _INLINE_NUMBER.finditer(u.text):
            if int(m.group(1)) != expected:
                continue
            before = u.text[(cuts[-1] if cuts else 0) : m.start()]
            if _ends_sentence(before) or (not cuts and not lead and len(before) <= 30):
                cuts.append(m.start() + len(m.group(0)) - len(m.group(0).lstrip()))
                expected += 1
        if not cuts:
            out.append(u)
            continue
        start = u.spans[0][0]
        for a, b in itertools.pairwise([0, *cuts, len(u.text)]):
            piece = u.text[a:b].rstrip()
            out.append(
                _Unit(piece, [(start + a, start + a + len(piece))], u.line, None, u.after_blank and a == 0)
            )
    return out
