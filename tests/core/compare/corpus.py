"""The law revision pairs of the corpus and what the texts themselves say about their articles.

Nothing here uses the parser or the comparison: articles are read straight off
the Markdown (a line opening with ``第X条`` starts one; it runs to the next
article or ``#`` heading), versions are ordered by the date in the file name or,
for the undated copy, by the last date in its adoption notes.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "law_revisions"

_DATED = re.compile(r"^(?P<law>.+)\((?P<date>\d{4}-\d{2}-\d{2})\)\.md$")
_ADOPTED = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ARTICLE = re.compile(
    r"^第(?P<n>[零〇一二三四五六七八九十百千]+)条(?:之(?P<sub>[一二三四五六七八九十]+))?(?:[\s　]+|$)"
)
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def numeral(text: str) -> int:
    """A Chinese numeral's value (``一百零五`` → 105)."""
    total = current = 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        else:
            total += (current or 1) * _UNITS[ch]
            current = 0
    return total + current


def version_date(path: Path) -> str:
    """``YYYY-MM-DD`` of a version: from the file name, else the latest date before ``<!-- INFO END -->``."""
    m = _DATED.match(path.name)
    if m:
        return m.group("date")
    head = path.read_text(encoding="utf-8").split("<!-- INFO END -->")[0]
    dates = [f"{y}-{int(mo):02d}-{int(d):02d}" for y, mo, d in _ADOPTED.findall(head)]
    return max(dates)


def law_of(path: Path) -> str:
    m = _DATED.match(path.name)
    return m.group("law") if m else path.stem


def revision_pairs() -> list[tuple[Path, Path]]:
    """Every consecutive (older, newer) pair of versions of one law."""
    laws: dict[str, list[Path]] = {}
    for path in sorted(CORPUS.glob("*.md")):
        laws.setdefault(law_of(path), []).append(path)
    pairs: list[tuple[Path, Path]] = []
    for versions in laws.values():
        versions.sort(key=version_date)
        pairs.extend(itertools.pairwise(versions))
    return pairs


def plain_text(markdown: str) -> str:
    """The Markdown as a reader would paste it: no ``#`` markers, ``**``, or ``<!-- INFO END -->`` line."""
    lines = []
    for line in markdown.split("\n"):
        if line.strip() == "<!-- INFO END -->":
            continue
        lines.append(re.sub(r"^#+\s*", "", line).replace("**", ""))
    return "\n".join(lines)


@dataclass(frozen=True)
class Article:
    """An article as the text shows it: number (``"12"``, ``"10-1"``) and body lines."""

    number: str
    text: str


def articles(path: Path) -> list[Article]:
    """The articles of one version, read off the Markdown."""
    out: list[Article] = []
    number: str | None = None
    body: list[str] = []

    def close() -> None:
        if number is not None:
            out.append(Article(number, "\n".join(body)))

    for raw in path.read_text(encoding="utf-8").split("\n"):
        line = raw.strip()
        m = _ARTICLE.match(line)
        if m:
            close()
            number = str(numeral(m.group("n"))) + (f"-{numeral(m.group('sub'))}" if m.group("sub") else "")
            body = [line[m.end() :].strip()] if line[m.end() :].strip() else []
        elif line.startswith("#"):
            close()
            number, body = None, []
        elif line and number is not None:
            body.append(line)
    close()
    return out


def same_text_articles(old: list[Article], new: list[Article]) -> dict[str, str]:
    """Old number → new number for every article whose text occurs exactly once in each version."""

    def unique(items: list[Article]) -> dict[str, Article]:
        seen: dict[str, list[Article]] = {}
        for a in items:
            seen.setdefault(a.text, []).append(a)
        return {t: v[0] for t, v in seen.items() if len(v) == 1}

    in_old, in_new = unique(old), unique(new)
    return {a.number: in_new[t].number for t, a in in_old.items() if t in in_new}
