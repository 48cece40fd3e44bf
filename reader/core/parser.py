"""Parse decoded text into a :class:`~reader.core.model.Document` (see :mod:`reader.core.parsing`).

Kept so existing imports (``from reader.core.parser import parse_text``) go on working.
"""

from reader.core.parsing import clean_inline, cn_to_int, detect_language, parse_text, roman_to_int

__all__ = ["clean_inline", "cn_to_int", "detect_language", "parse_text", "roman_to_int"]
