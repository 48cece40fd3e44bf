"""The search box's query language, parsed leniently.

``a b`` both (AND), ``"a b"`` the exact phrase, ``a OR b`` either, ``-a``
without, ``doc:A/75/563`` within a document (id or symbol), ``in:title``
document titles and headings, ``in:notes`` annotation notes.  A number written with a space before a
three-digit group (``94 000``) is one term, as the normaliser reads the text.  Anything
malformed (an unbalanced quote, a lone ``-`` or ``OR``, only negative terms)
never raises: the query falls back to searching the literal text.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field


class Scope(enum.StrEnum):
    """Which texts a query searches."""

    BLOCKS = "blocks"
    TITLES = "titles"
    NOTES = "notes"


@dataclass(frozen=True, slots=True)
class Term:
    """One search term as typed (not yet normalised)."""

    text: str
    phrase: bool = False


@dataclass(slots=True)
class ParsedQuery:
    """A query as understood: AND of OR-groups, exclusions, filters.

    Attributes:
        groups: Every group must match; a group matches when any of its terms does.
        excluded: Blocks containing any of these are dropped.
        docs: Document ids or symbols to search within (any of them); empty = all.
        scope: Blocks, titles or notes.
        notice: One line explaining a fallback, or ``""``.
    """

    groups: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    scope: Scope = Scope.BLOCKS
    notice: str = ""

    @property
    def terms(self) -> list[Term]:
        """All positive terms, in order."""
        return [t for g in self.groups for t in g]


def _lex(text: str) -> tuple[list[tuple[str, bool, bool]], bool]:
    """Split into ``(text, quoted, negated)`` tokens; also report an unbalanced quote."""
    tokens: list[tuple[str, bool, bool]] = []
    i, n = 0, len(text)
    unbalanced = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        negated = False
        if ch == "-" and i + 1 < n and not text[i + 1].isspace():
            negated = True
            i += 1
            ch = text[i]
        if ch == '"':
            close = text.find('"', i + 1)
            if close == -1:
                unbalanced = True
                i += 1
                continue
            tokens.append((text[i + 1 : close], True, negated))
            i = close + 1
            continue
        j = _word_end(text, i)
        tokens.append((text[i:j], False, negated))
        i = j
    return tokens, unbalanced


_GROUP = re.compile(r"[ \u00a0\u202f\u2009]([0-9]{3})(?![0-9])")
"""A thousands group after a number (``94 000``): the normaliser drops that space, so the query does too."""


_GROUP_SPLIT = re.compile(r"(?<=[0-9])[ \u00a0\u202f\u2009](?=[0-9]{3}(?![0-9]))")


def _word_end(text: str, i: int) -> int:
    """End of the unquoted word at ``i``; ``94 000`` and ``1 250 000`` are one word."""
    n = len(text)
    j = i
    while True:
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        m = _GROUP.match(text, j) if j > i and text[j - 1].isdigit() else None
        if m is None:
            return j
        j = m.end()


def _plain(text: str, notice: str) -> ParsedQuery:
    """The literal fallback: every whitespace-separated word must occur."""
    words = _GROUP_SPLIT.sub("", text).split()
    return ParsedQuery(groups=[[Term(w)] for w in words], notice=notice)


def parse_query(text: str) -> ParsedQuery:
    """Parse a query; never raises."""
    tokens, unbalanced = _lex(text)
    parsed = ParsedQuery()
    notices: list[str] = []
    if unbalanced:
        notices.append("unbalanced quote ignored")
    pending_or = False
    for word, quoted, negated in tokens:
        if not quoted and not negated:
            lower = word.lower()
            if word == "OR":
                pending_or = bool(parsed.groups)
                continue
            if lower.startswith("doc:") and len(word) > 4:
                parsed.docs.append(word[4:])
                continue
            if lower == "in:title":
                parsed.scope = Scope.TITLES
                continue
            if lower == "in:notes":
                parsed.scope = Scope.NOTES
                continue
            if word == "-":
                continue
        if not word.strip():
            continue
        term = Term(word, phrase=quoted)
        if negated:
            parsed.excluded.append(term)
        elif pending_or and parsed.groups:
            parsed.groups[-1].append(term)
        else:
            parsed.groups.append([term])
        pending_or = False
    if not parsed.groups:
        if parsed.excluded or tokens:
            literal = " ".join(
                w for w in text.replace('"', " ").split() if not w.lower().startswith(("doc:", "in:"))
            )
            if literal and literal != "-" * len(literal):
                fallback = _plain(literal, "searched as plain text")
                fallback.docs, fallback.scope = parsed.docs, parsed.scope
                return fallback
            if literal:
                return _plain(literal, "searched as plain text")
        parsed.notice = "; ".join(notices)
        return parsed
    parsed.notice = "; ".join(notices)
    return parsed
