"""Text normalisation shared by indexing and queries, with a map back to the original.

What is folded, all context-free so that a query normalises the same way as
any text containing it (the recall guarantee depends on that):

- NFKC per character (full-width ``Ａ，`` to ``A,``, compatibility forms);
- case folding;
- Traditional to Simplified Chinese, character by character through OpenCC's
  ``TSCharacters`` table (phrase tables are context-dependent and would make
  ``乾`` fold differently alone than inside ``乾隆``), switchable;
- whitespace: every run becomes one space, and disappears next to a CJK
  character (``2020 年`` = ``2020年``), between a number and a three-digit
  digits (``94 000`` = ``94000``) and at both ends;
- control and format characters (zero-width spaces, soft hyphens) vanish;
- other scripts, as a browser's Ctrl+F does (switchable with ``fold_marks``):
  Latin letters lose their accents (``État`` = ``etat``), Cyrillic ``ё`` is
  ``е``, Arabic loses its vowel marks (harakat, shadda, sukun, dagger alef) and
  the tatweel, and the hamza forms of alef are plain alef (``أ إ آ ٱ`` = ``ا``),
  alef maqsura is ya (``ى`` = ``ي``).  Each is one character to at most one,
  so offsets still map back.

:func:`Normalizer.normalize` is the fast path for one text (a query);
:func:`Normalizer.normalize_plain_all` folds a document's rows at once, in
numpy, from per-code-point tables filled from the same character table (the
index build: the same results, several times faster);
:func:`Normalizer.normalize_map` also returns, for each normalised character,
the code-point offset of the original character it came from, so highlight
spans found in normalised text can be drawn on the original.
"""

from __future__ import annotations

import json
import os
import re
import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

Converter = Any
"""An ``opencc.OpenCC`` instance (untyped library), or ``None``."""

SEPARATOR = "\x00"
"""Never present in normalised text; safe to join normalised blocks with."""

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x31FF),  # kana, bopomofo, strokes
    (0x3200, 0x9FFF),  # enclosed, compatibility, extension A, unified
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFE30, 0xFE4F),  # compatibility forms
    (0xFF00, 0xFFEF),  # half/full-width forms (few survive NFKC)
    (0x20000, 0x3FFFF),  # supplementary ideographs
)

_CJK_CLASS = "".join(f"{chr(a)}-{chr(b)}" for a, b in _CJK_RANGES)
_SPACE_RUN = re.compile(" +")
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
"""Runs of whitespace (``str.isspace``, which ``\\s`` is in ``re``) and control (Cc) characters."""
_CJK_RE = re.compile(f"[{_CJK_CLASS}]")


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph, kana or CJK punctuation character."""
    return bool(_CJK_RE.match(ch))


_ARABIC_LETTERS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ё": "е"}


def fold_marks(text: str) -> str:
    """Drop Latin accents and Arabic vowel marks and tatweel; unify alef and ``ё`` (see module doc)."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0x064B <= o <= 0x065F or o in (0x0640, 0x0670):
            continue  # Arabic harakat, tatweel, superscript alef
        if ch in _ARABIC_LETTERS:
            out.append(_ARABIC_LETTERS[ch])
            continue
        if 0x00C0 <= o <= 0x024F or 0x1E00 <= o <= 0x1EFF:
            # Latin with diacritics: keep the base letter if it is plain ASCII.
            base = unicodedata.normalize("NFD", ch)[0]
            out.append(base if base.isascii() else ch)
            continue
        if 0x0300 <= o <= 0x036F:
            continue  # a combining accent typed separately
        out.append(ch)
    return "".join(out)


class _CharTable(dict[int, str]):
    """Per-code-point replacement for ``str.translate``, filled on first sight."""

    def __init__(self, t2s: Converter, marks: bool = True) -> None:
        super().__init__()
        self._t2s = t2s
        self._marks = marks
        self._lock = threading.Lock()

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        cat = unicodedata.category(ch)
        if ch.isspace() or cat == "Cc":
            out = " "
        elif cat == "Cf":
            out = ""
        else:
            out = unicodedata.normalize("NFKC", ch).casefold()
            if self._t2s is not None and out and any(ord(c) >= 0x3400 for c in out):
                with self._lock:
                    converted = self._t2s.convert(out)
                # The character table maps one character to one; anything else
                # would break offsets, so keep the folded form then.
                if len(converted) == len(out):
                    out = converted
            if self._marks and out and not out.isascii():
                out = fold_marks(out)
            if any(c.isspace() for c in out):
                out = " ".join(out.split()) or " "
        self[code] = out
        return out


class _OneToOne(dict[int, str]):
    """For ``str.translate``: a character's fold where it is one character, else NUL (never a fold)."""

    def __init__(self, table: _CharTable) -> None:
        super().__init__()
        self._table = table

    def __missing__(self, code: int) -> str:
        rep = self._table[code]
        out = rep if len(rep) == 1 else "\x00"
        self[code] = out
        return out


_KNOWN, _ONE, _PLAIN = 1, 2, 4
"""Bits of :attr:`_CodeTables.info`: seen, folds to one character, plain (see :meth:`Normalizer.plain`)."""
_UNICODE = 0x110000
_MULTI = 1
"""What :attr:`_CodeTables.fold` holds for a character that folds to none or several (its rows are redone)."""


class _CodeTables:
    """:class:`_CharTable` as arrays over all code points, to fold many rows at once."""

    def __init__(self, table: _CharTable) -> None:
        import numpy as np

        self._table = table
        self._lock = threading.Lock()
        # Zeroed pages are mapped on first touch: only the code points in use cost memory.
        self.fold = np.zeros(_UNICODE, dtype="<u4")
        self.info = np.zeros(_UNICODE, dtype=np.uint8)
        self.digit = np.zeros(_UNICODE, dtype=bool)
        """``str.isdigit`` of every code point that a seen character folds to."""
        self.cjk = np.zeros(_UNICODE, dtype=bool)
        for a, b in _CJK_RANGES:
            self.cjk[a : b + 1] = True

    def learn(self, codes: list[int]) -> None:
        """Fill the tables for ``codes`` from the character table."""
        folds: list[int] = []
        infos: list[int] = []
        digits: dict[int, bool] = {}
        for code in codes:
            rep = self._table[code]
            if len(rep) != 1:
                folds.append(_MULTI)
                infos.append(_KNOWN)
                continue
            ch = chr(code)
            blank = ch.isspace() or unicodedata.category(ch) == "Cc"
            folds.append(ord(rep))
            digits[ord(rep)] = rep.isdigit()
            infos.append(_KNOWN | _ONE | (_PLAIN if (rep == " ") == blank else 0))
        with self._lock:
            self.fold[codes] = folds
            self.digit[list(digits)] = list(digits.values())
            # Set last: a reader that sees a character's bits finds its fold and digit flag in place.
            self.info[codes] = infos


def _fold_rows(tables: _CodeTables, data: bytes) -> tuple[list[str], list[int], list[int]] | None:
    """Rows (UTF-32 ``data``: a NUL before, between and after them) folded with the space rules applied.

    Returns the normal forms, the rows holding a character that folds to none or several (their
    forms here are wrong: they are redone one by one), and the rows that are not plain; ``None``
    if a NUL came out of a fold (never: then the caller folds each row alone).
    """
    import numpy as np

    cps = np.frombuffer(data, dtype="<u4")
    info = np.take(tables.info, cps)
    if not info.all():
        # The rare character never seen by this normaliser: learn it (in code-point order).
        tables.learn(sorted(set(cps[info == 0].tolist())))
        info = np.take(tables.info, cps)
    seps = np.flatnonzero(cps == 0)
    folded = np.take(tables.fold, cps)
    folded[seps] = 0
    multi = _rows_at(seps, np.flatnonzero((info & _ONE) == 0))
    mixed = _rows_at(seps, np.flatnonzero((info & _PLAIN) == 0))
    keep = _after_space_rules(tables, folded)
    parts = folded[keep].tobytes().decode("utf-32-le").split(SEPARATOR)
    if len(parts) != len(seps) + 1:
        return None
    return parts[1:-1], multi, mixed


def _rows_at(seps: npt.NDArray[np.intp], positions: npt.NDArray[np.intp]) -> list[int]:
    """The distinct rows (in order) of ``positions``, rows being the stretches between ``seps``."""
    import numpy as np

    if not len(positions):
        return []
    rows = np.searchsorted(seps, positions, side="right") - 1
    return sorted(set(rows.tolist()))


def _after_space_rules(tables: _CodeTables, folded: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """Which characters of ``folded`` (rows between NULs) :func:`_space_replacement`'s rules keep."""
    import numpy as np

    space: npt.NDArray[np.bool_] = folded == 0x20
    keep: npt.NDArray[np.bool_] = ~space
    # Every run of spaces lies between two non-spaces (the text starts and ends with a NUL).
    starts = np.flatnonzero(space[1:] & keep[:-1]) + 1
    if not len(starts):
        return keep
    ends = np.flatnonzero(space[:-1] & keep[1:]) + 1
    before = folded[starts - 1]
    after = folded[ends]
    cjk, digit = tables.cjk, tables.digit
    # A run at either end of a row, beside a CJK character or between two digits goes; else one space.
    gone = (before == 0) | (after == 0) | cjk[before] | cjk[after] | (digit[before] & digit[after])
    keep[starts[~gone]] = True
    return keep


def _char_converter(cache_dir: Path | None) -> Converter:
    """An OpenCC converter that applies only the Traditional→Simplified character table."""
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    share = Path(opencc.__file__).resolve().parent / "clib" / "share" / "opencc"
    table = share / "TSCharacters.ocd2"
    if not table.is_file():  # pragma: no cover - wheel layout changed
        return opencc.OpenCC("t2s")
    config = {
        "name": "Traditional to Simplified, characters only",
        "segmentation": {"type": "mmseg", "dict": {"type": "ocd2", "file": str(table)}},
        "conversion_chain": [{"dict": {"type": "ocd2", "file": str(table)}}],
    }
    if cache_dir is None:
        import tempfile  # only here: it pulls in shutil, random, bz2 … (a cold start's few ms)

        cache_dir = Path(tempfile.gettempdir())
    folder = cache_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "opencc_t2s_chars.json"
    data = json.dumps(config, ensure_ascii=False)
    if not path.is_file() or path.read_text(encoding="utf-8") != data:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(data, encoding="utf-8")
        os.replace(tmp, path)
    return opencc.OpenCC(str(path))


class Normalizer:
    """Folds text for matching; the same instance must serve index and queries.

    Args:
        fold_traditional: Fold Traditional characters to Simplified.
        cache_dir: Where OpenCC's small config file may be written.
        fold_marks: Fold accents, Arabic vowel marks and tatweel (see the module doc).
    """

    def __init__(
        self, *, fold_traditional: bool = True, cache_dir: Path | None = None, fold_marks: bool = True
    ) -> None:
        self.fold_traditional = fold_traditional
        self.fold_marks = fold_marks
        t2s = _char_converter(cache_dir) if fold_traditional else None
        self._table = _CharTable(t2s, fold_marks)
        self._one = _OneToOne(self._table)
        self._codes: _CodeTables | None = None

    @property
    def signature(self) -> str:
        """Identifies the folding rules; stored with the index so a change triggers a rebuild."""
        return f"nfkc-casefold-ws1-t2s{int(self.fold_traditional)}-marks{int(self.fold_marks)}"

    def normalize(self, text: str) -> str:
        """Normalised form of ``text`` (fast path, no offset map)."""
        folded = text.translate(self._table)
        if " " not in folded:
            return folded
        return _SPACE_RUN.sub(_space_replacement, folded)

    def normalize_plain(self, text: str) -> tuple[str, bool]:
        """``(normalize(text), plain(text))``, folding the text once."""
        folded = text.translate(self._one)
        if "\x00" in folded:
            return self.normalize(text), False
        plain = [m.span() for m in _SPACE_RUN.finditer(folded)] == [m.span() for m in _BLANKS.finditer(text)]
        if " " not in folded:
            return folded, plain
        return _SPACE_RUN.sub(_space_replacement, folded), plain

    def normalize_plain_all(self, texts: Sequence[str]) -> tuple[list[str], list[bool]]:
        """:meth:`normalize_plain` of every text, as two lists, the texts folded together in numpy.

        A document's rows at once: the per-character table look-ups and the space rules are a
        few array passes instead of a ``str.translate`` and a ``re.sub`` per row.
        """
        n = len(texts)
        joined = SEPARATOR.join(["", *texts, ""])
        folded = None
        if joined.count(SEPARATOR) == n + 1:  # else a text holds the separator itself
            try:
                data = joined.encode("utf-32-le")
            except UnicodeEncodeError:  # a lone surrogate
                data = b""
            if data:
                if self._codes is None:
                    self._codes = _CodeTables(self._table)
                folded = _fold_rows(self._codes, data)
        if folded is None:
            pairs = [self.normalize_plain(t) for t in texts]
            return [norm for norm, _ in pairs], [plain for _, plain in pairs]
        norms, multi, mixed = folded
        plains = [True] * n
        for row in mixed:
            plains[row] = False
        for row in multi:
            norms[row] = self.normalize(texts[row])
        return norms, plains

    def plain(self, text: str) -> bool:
        """Whether every character folds to exactly one and just the whitespace and controls to a space.

        Such text (most text) has its offset map read off the text and its normal
        form alone (``normalize_map(text, known, plain=True)``), without folding it.
        """
        folded = text.translate(self._one)
        if "\x00" in folded:
            return False
        return [m.span() for m in _SPACE_RUN.finditer(folded)] == [m.span() for m in _BLANKS.finditer(text)]

    def normalize_map(
        self, text: str, known: str | None = None, plain: bool = False
    ) -> tuple[str, list[int]]:
        """Normalised text and, per normalised character, its original offset.

        The returned list has one extra entry, ``len(text)``, so that a
        normalised half-open span ``[s, e)`` maps to ``[m[s], m[e - 1] + 1)``.
        ``known`` is ``normalize(text)`` where the caller has it (an index row):
        the space rules are then read off it instead of being applied again;
        ``plain`` says :meth:`plain` holds for ``text``, so it need not be folded.
        """
        if plain and known is not None:
            offsets = _plain_offsets(text, known)
            if offsets is not None:
                return known, offsets
        table = self._table
        folded = text.translate(self._one)
        if "\x00" not in folded:
            # Every character folds to exactly one (most text): offsets are the identity, mapped in C.
            offsets = list(range(len(text)))
        else:
            pieces: list[str] = []
            offsets = []
            for i, ch in enumerate(text):
                rep = table[ord(ch)]
                if rep:
                    pieces.append(rep)
                    offsets.extend([i] * len(rep))
            folded = "".join(pieces)
        if " " in folded and known is not None:
            aligned = _aligned_offsets(folded, offsets, known)
            if aligned is not None:
                aligned.append(len(text))
                return known, aligned
        if " " in folded:
            out: list[str] = []
            out_offsets: list[int] = []
            last = 0
            for m in _SPACE_RUN.finditer(folded):
                out.append(folded[last : m.start()])
                out_offsets.extend(offsets[last : m.start()])
                rep = _space_replacement(m)
                if rep:
                    out.append(rep)
                    out_offsets.append(offsets[m.start()])
                last = m.end()
            out.append(folded[last:])
            out_offsets.extend(offsets[last:])
            folded = "".join(out)
            offsets = out_offsets
        offsets.append(len(text))
        return folded, offsets

    def offset_map(self, text: str, known: str | None = None, plain: bool = False) -> tuple[str, OffsetMap]:
        """:meth:`normalize_map` with the map as an :class:`OffsetMap` (plain text: no list per character)."""
        if plain and known is not None:
            if len(known) == len(text):
                return known, IDENTITY
            pieces = _plain_pieces(text, known)
            if pieces is not None:
                return known, pieces
        norm, offsets = self.normalize_map(text, known)
        return norm, OffsetMap(list(range(len(offsets))), offsets)


class OffsetMap:
    """Original offsets of a normalised text as runs: from ``nst[k]`` on, ``ost[k] + (j − nst[k])``.

    Equal to :meth:`Normalizer.normalize_map`'s list (``at(j) == offsets[j]``),
    but plain text has a run per stretch between blanks, not an entry per character.
    """

    __slots__ = ("nst", "ost")

    def __init__(self, nst: list[int], ost: list[int]) -> None:
        self.nst = nst
        self.ost = ost

    def at(self, j: int) -> int:
        """The original offset of normalised character ``j`` (``len(normal form)`` maps to ``len(text)``)."""
        k = bisect_right(self.nst, j) - 1
        return self.ost[k] + (j - self.nst[k])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """:func:`map_span` over this map."""
        if self is IDENTITY:
            return (start, start) if end <= start else (start, end)
        if end <= start:
            o = self.at(start)
            return o, o
        return self.at(start), self.at(end - 1) + 1


IDENTITY = OffsetMap([0], [0])
"""The map of a text whose normal form has its length (plain text: every character kept)."""


def _blank_runs(text: str) -> list[tuple[int, int]]:
    """The spans of ``_BLANKS``'s matches in ``text``."""
    if not text.isprintable():
        return [m.span() for m in _BLANKS.finditer(text)]
    # Printable text holds no blank but the ASCII space (every other one is a separator or a
    # control, which are not printable): find its runs in C, ~3× faster than the regex.
    runs = []
    n = len(text)
    pos = text.find(" ")
    while pos != -1:
        end = pos + 1
        while end < n and text[end] == " ":
            end += 1
        runs.append((pos, end))
        pos = text.find(" ", end)
    return runs


def _plain_pieces(text: str, known: str) -> OffsetMap | None:
    """:func:`_plain_offsets` as runs (see :class:`OffsetMap`)."""
    nst: list[int] = []
    ost: list[int] = []
    last = j = 0
    size = len(known)
    for start, end in _blank_runs(text):
        if start > last:
            nst.append(j)
            ost.append(last)
            j += start - last
        if j < size and known[j] == " ":
            nst.append(j)
            ost.append(start)
            j += 1
        last = end
    n = len(text)
    if n > last:
        nst.append(j)
        ost.append(last)
        j += n - last
    if j != size:
        return None
    nst.append(j)
    ost.append(n)
    return OffsetMap(nst, ost)


def _plain_offsets(text: str, known: str) -> list[int] | None:
    """The offset map of plain text (see :meth:`Normalizer.plain`) from it and its normal form."""
    n = len(text)
    if len(known) == n:
        return list(range(n + 1))  # nothing removed: the identity
    out: list[int] = []
    last = j = 0
    for m in _BLANKS.finditer(text):
        start = m.start()
        out.extend(range(last, start))
        j += start - last
        if j < len(known) and known[j] == " ":
            out.append(start)
            j += 1
        last = m.end()
    out.extend(range(last, n))
    if len(out) != len(known):
        return None
    out.append(n)
    return out


def _aligned_offsets(folded: str, offsets: list[int], known: str) -> list[int] | None:
    """Offsets of ``known`` (``folded`` after the space rules), or ``None`` if it is not that."""
    # Each maximal run of spaces became one space or none; the characters between runs are kept,
    # so after copying them the next character of ``known`` tells which (it is a space only if kept).
    out: list[int] = []
    last = j = 0
    for m in _SPACE_RUN.finditer(folded):
        start = m.start()
        out.extend(offsets[last:start])
        j += start - last
        if j < len(known) and known[j] == " ":
            out.append(offsets[start])
            j += 1
        last = m.end()
    out.extend(offsets[last:])
    return out if len(out) == len(known) else None


def _space_replacement(m: re.Match[str]) -> str:
    """One space, or nothing where the space carries no meaning for matching."""
    s = m.string
    start, end = m.start(), m.end()
    if start == 0 or end == len(s):
        return ""
    before, after = s[start - 1], s[end]
    if _CJK_RE.match(before) or _CJK_RE.match(after):
        return ""
    if before.isdigit() and after.isdigit():
        return ""
    return " "


def map_span(offsets: list[int], start: int, end: int) -> tuple[int, int]:
    """Map a half-open span of normalised text to the original text."""
    if end <= start:
        o = offsets[start]
        return o, o
    return offsets[start], offsets[end - 1] + 1
