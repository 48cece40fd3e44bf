"""Classify each unit by what it could be (a heading of some scheme, a numbered line, a note...)."""

from __future__ import annotations

import re

from reader.core.model import BlockKind
from reader.core.parsing.schemes import (
    _FOOTNOTE_BRACKET,
    _FOOTNOTE_STAR,
    _FOOTNOTE_SUP,
    Context,
    _Cand,
    _int_or_none,
    _run_in,
    match_line,
)
from reader.core.parsing.text import (
    _FULLWIDTH,
    _MD_HEADING,
    _ends_sentence,
    _heading_shaped,
    _strip_md,
    _table_cells,
)
from reader.core.parsing.units import _Unit


class _Classifier:
    def __init__(self, markdown: bool, star_refs: bool) -> None:
        self.markdown = markdown
        self.star_refs = star_refs
        self.context = Context(markdown=markdown, star_refs=star_refs)

    def classify(self, u: _Unit) -> _Cand:
        t = u.text
        hint = u.hint
        if hint is not None:
            if hint.kind is BlockKind.FOOTNOTE:
                m = _FOOTNOTE_SUP.match(t) or _FOOTNOTE_STAR.match(t) or _FOOTNOTE_BRACKET.match(t)
                marker = m.group(1) if m else ""
                return _Cand(
                    "footnote", marker=marker, body=m.group(2) if m else t, body_offset=m.start(2) if m else 0
                )
            if hint.kind is BlockKind.TABLE:
                return _Cand("table")
            if hint.kind is BlockKind.FIGURE:
                return _Cand("figure", title=t)
            if hint.heading_level is not None:
                c = self._pattern(t)
                if c is not None and c.kind in ("heading", "numbered") and (c.title or c.kind == "heading"):
                    # The style says "heading"; the text still says which label it has.
                    c.kind = "heading"
                    c.rank = 10 * hint.heading_level
                    c.family = f"style{hint.heading_level}"
                    if c.marker == "run-in" or not c.body:
                        return c
                    c.body = ""
                    return c
                return _Cand(
                    "heading", rank=10 * hint.heading_level, title=t, family=f"style{hint.heading_level}"
                )
            if hint.number is not None:
                c = self._pattern(t)
                if c is not None and c.kind == "heading":
                    return c  # Word numbering on a heading line (一、总体要求): the text decides
                if c is not None and c.kind == "numbered":
                    c.value = _int_or_none(hint.number)
                    c.label = hint.number.strip().rstrip(".．、")
                    return c
                value = _int_or_none(hint.number)
                return _Cand("numbered", value=value, label=hint.number, body=t, full_body=t)
        m = _MD_HEADING.match(t)
        if m:
            title = m.group(2)
            inner = self._pattern(title)
            rank = len(m.group(1)) * 10 - 5
            if inner is not None and inner.kind == "heading":
                inner.rank = rank
                inner.family = f"md{len(m.group(1))}"
                inner.body_offset += m.start(2)
                return inner
            return _Cand("heading", rank=rank, title=_strip_md(title), family=f"md{len(m.group(1))}")
        if t.startswith(("**", "__")):
            bold = self._bold_heading(t)
            if bold is not None:
                return bold
        c = self._pattern(t)
        if c is not None:
            return c
        return _Cand("row") if _table_cells(t) is not None else _Cand("plain")

    def _bold_heading(self, t: str) -> _Cand | None:
        """``**一、总体要求**`` or ``**（一）指导思想。**正文`` (pasted from the web)."""
        mark = t[:2]
        close = t.find(mark, 2)
        if close < 3:
            return None
        inner, rest = t[2:close], t[close + 2 :]
        c = self._pattern(inner)
        if c is None or c.kind not in ("heading", "numbered"):
            return None
        if c.kind == "numbered" and not c.rank:
            return None
        if rest.strip():
            title = c.title or inner
            run_in = _run_in(c.body or title, alone=True)
            head = run_in[0] if run_in else title.rstrip("。．.")
            return _Cand(
                "heading",
                rank=c.rank,
                label=c.label,
                title=head,
                family=c.family,
                value=c.value,
                body=rest.lstrip(),
                body_offset=close + 2 + len(rest) - len(rest.lstrip()),
                marker="run-in",
            )
        c.kind = "heading"
        c.body = ""
        c.marker = ""
        return c

    def _pattern(self, t: str) -> _Cand | None:
        # Full-width Ａ and １ are matched as A and 1 (same length, so offsets hold);
        # labels of letters keep the form written, numbers become ASCII.
        # Only the opening characters carry numbering; the text itself stays as written.
        folded = t[:40].translate(_FULLWIDTH) + t[40:]
        c = self._pattern_ascii(folded)
        if c is None or folded == t:
            return c
        if c.family in ("letter", "letter-nodot") and c.label:
            c.label = t[: len(c.label)]
        if c.body:
            c.body = t[c.body_offset : c.body_offset + len(c.body)]
        for name in ("title", "full_body"):
            value: str = getattr(c, name)
            at = folded.find(value) if value else -1
            if at >= 0:
                setattr(c, name, t[at : at + len(value)])
        return c

    def _pattern_ascii(self, t: str) -> _Cand | None:
        return match_line(t, self.context)


_TOC_TITLE = re.compile(r"^(目\s*录|目\s*錄|目\s*次|Contents|Table of contents|CONTENTS)$")


def _toc_key(text: str) -> str:
    """A table-of-contents line and the heading it lists compare equal under this key."""
    t = re.sub(r"\s+", "", text)
    t = re.sub(r"[.．·…_\-]{2,}\d*$", "", t)
    return re.sub(r"\d+$", "", t) if len(t) > 4 else t


def _mark_toc(units: list[_Unit], cands: list[_Cand]) -> None:
    """Entries of a table of contents are front matter, not headings."""
    for k, u in enumerate(units[:200]):
        if not _TOC_TITLE.match(u.text.strip()) or k + 1 >= len(units):
            continue
        first = _toc_key(units[k + 1].text)
        for j in range(k + 2, min(len(units), k + 400)):
            if _toc_key(units[j].text) == first:
                for t in range(k, j):
                    cands[t] = _Cand("toc")
                return
        return


_DIGIT_NOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_FENCE = re.compile(r"^(```|~~~)")
_SETEXT = re.compile(r"^(=+|-+)$")


def _mark_rule_notes(units: list[_Unit], cands: list[_Cand]) -> None:
    """Under a rule line (``__________``), ``1 Text`` lines are footnotes (PDF copies)."""
    for k, c in enumerate(cands):
        if c.kind != "rule" or not units[k].text.startswith(("_", "＿")):
            continue
        for j in range(k + 1, len(units)):
            cj = cands[j]
            if cj.kind in ("artifact", "footnote"):
                continue
            m = _DIGIT_NOTE.match(units[j].text)
            if m is None or cj.kind not in ("plain", "row"):
                break
            cands[j] = _Cand("footnote", marker=m.group(1), body=m.group(2), body_offset=m.start(2))


def _mark_markdown(units: list[_Unit], cands: list[_Cand]) -> None:
    """YAML front matter, fenced code and setext headings (``Title`` over ``=====``)."""
    k = 0
    if units and units[0].text == "---" and cands[0].kind == "rule":
        end = next((j for j in range(1, min(len(units), 60)) if units[j].text == "---"), None)
        if end is not None:
            for j in range(end + 1):
                cands[j] = _Cand("yaml")
            k = end + 1
    fence: str | None = None
    for j in range(k, len(units)):
        t = units[j].text
        if fence is not None:
            cands[j] = _Cand("code")
            if t.startswith(fence):
                fence = None
            continue
        m = _FENCE.match(t)
        if m:
            fence = m.group(1)
            cands[j] = _Cand("code")
            continue
        if (
            j + 1 < len(units)
            and _SETEXT.match(units[j + 1].text)
            and len(units[j + 1].text) >= 3
            and not units[j + 1].after_blank
            and cands[j].kind in ("plain", "numbered", "heading")
            and _heading_shaped(t)
        ):
            level = 1 if units[j + 1].text[0] == "=" else 2
            inner = cands[j] if cands[j].kind == "heading" else None
            cands[j] = _Cand(
                "heading",
                rank=level * 10 - 5,
                label=inner.label if inner else None,
                title=inner.title if inner else t,
                family=f"md{level}",
                value=inner.value if inner else None,
                marker="setext",
            )


def _mark_kicker(units: list[_Unit], cands: list[_Cand]) -> None:
    """An ALL-CAPS first line above a mixed-case title (``POLICY BRIEF``) is a kicker, not a heading."""
    if len(units) < 2 or cands[0].family != "caps" or cands[1].kind != "plain":
        return
    title = units[1].text
    if (
        len(title) <= 160
        and not title.isupper()
        and _heading_shaped(title[:60])
        and not _ends_sentence(title)
    ):
        cands[0] = _Cand("plain")
