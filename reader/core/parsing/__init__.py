"""The document parser, one stage per module.

Stages, in the order :func:`parse_text` runs them:

* :mod:`.units` — lines and units (a line, or lines joined into one paragraph);
* :mod:`.schemes` — the table of numbering schemes, each a row (how it is written, how its
  value is read, which family and rank it has);
* :mod:`.classify` — what each unit could be, by the schemes it matches;
* :mod:`.runs` — which numbered units form one sequence (official paragraph numbers, runs of
  headings; a line that continues no run is text);
* :mod:`.tree` — heading levels from how the document nests its schemes, ids and parents;
* :mod:`.assemble` — the walk that turns units into blocks;
* :mod:`.metadata` — front matter, title, symbol, language, note links.
"""

from reader.core.parsing.assemble import parse_text
from reader.core.parsing.metadata import detect_language
from reader.core.parsing.numerals import cn_to_int, roman_to_int
from reader.core.parsing.text import clean_inline

__all__ = ["clean_inline", "cn_to_int", "detect_language", "parse_text", "roman_to_int"]
