"""Page furniture: what a printed page repeats around the text (page and job numbers, running symbols).

Apart from the parser (which keeps these lines as their own blocks, so a
paragraph split by a page break is joined) the reading view uses it to set
them as a quiet page-break line: the parsing package need not load for that.
"""

from __future__ import annotations

import re

_ARTIFACT = re.compile(
    r"^(?:\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}\s*/\s*\d{1,4}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|"
    r"\d{2}-\d{4,6}(?:\s*\(\w+\))?(?:\s+\*\d+\*)?|\*\d{7,}\*|\d{6}|GE\.\d{2}-\d{4,6}(?:\s*\(\w\))?|"
    r"[A-Z]{1,5}(?:/[A-Z0-9.\-]+)+(?:/Rev\.\d+)?)$"
)


def is_page_furniture(text: str) -> bool:
    """Page furniture: page numbers, job numbers, the symbol repeated in a running header."""
    if _ARTIFACT.match(text):
        return True
    parts = re.split(r"\s{2,}|\t|\u3000", text)
    return (
        1 < len(parts) <= 3 and all(_ARTIFACT.match(p) for p in parts) and not all(p.isdigit() for p in parts)
    )
