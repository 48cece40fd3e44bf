"""Read PDF files with pdfminer.six: glyph positions back into paragraphs.

A PDF holds glyphs at positions, not paragraphs.  This reader takes every
glyph with its box and size from pdfminer.six (no layout analysis: its own
grouping is slower and reorders lines), then:

1. groups glyphs into lines and marks raised small glyphs as superscripts
   (footnote references become ``¹`` as in the UN text export);
2. drops running heads and feet: lines near the top or bottom edge that repeat
   on several pages at the same height (digits ignored, so page numbers
   match), plus page numbers, job numbers (``20-13245``) and the symbol;
3. takes the footnote area (below a short rule, or small type at the foot of
   the page starting with a marker) and writes each footnote after the
   paragraph that was running at the end of its page;
4. joins lines into paragraphs by vertical spacing, short last lines and type
   size, across page breaks too, without a space between CJK characters and
   removing a line-end hyphen only inside a lower-case Latin word;
5. uses the PDF's bookmarks, when present, as heading levels.
"""

from __future__ import annotations

import contextvars
import io
import re
import statistics
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pdfminer import pdftypes
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTComponent, LTContainer, LTCurve, LTImage, LTPage
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoOutlines, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import decode_text

from reader.core.errors import ImportFailed
from reader.core.formats import Extracted, TextBuilder, find_symbol, superscript
from reader.core.limits import BoundedInflater, ExpansionBudget, LimitExceeded
from reader.core.model import BlockKind, LineHint

__all__ = ["read_pdf"]

_SUPER_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TERMINAL = tuple("。！？.!?:：”」』")
_PAGE_NUMBER = re.compile(
    r"^[-–—\s]*(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|of)\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE
)
_CN_PAGE = re.compile(r"^第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?$")
_JOB_NUMBER = re.compile(r"^\d{2}-\d{5}\b|\b\d{2}-\d{5}(?:\s*\([A-Z]\))?$")
_BARCODE = re.compile(r"^\*\d{7}\*$")
_NOTE_START = re.compile(rf"^([{_SUPER_DIGITS}]+|[*†‡]+)\s*(.*)$")
_NOTE_DIGITS = re.compile(r"^(\d{1,3})\s+(.*)$")
_NUMBERED_START = re.compile(
    r"^(?:\d{1,4}\.|[一二三四五六七八九十]+[.、]|[A-Z]\.|\(\w{1,3}\)|（[一二三四五六七八九十\d]{1,3}）)\s*"
)
_OPENING = frozenset('（《“「『【〔〈([{‘"')
_EDGE_BAND = 0.12  # share of the page height where running heads and feet live
_MIN_REPEAT = 2


@dataclass(slots=True)
class _Glyph:
    """One character with its box."""

    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    bold: bool


@dataclass(slots=True)
class _Line:
    """A line of text on one page."""

    page: int
    glyphs: list[_Glyph] = field(default_factory=list)
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    y1: float = 0.0
    size: float = 0.0
    bold: bool = False
    first_word: float = 0.0  # width of the first word (a CJK character counts as a word)


@dataclass(slots=True)
class _Page:
    """What one page holds once read."""

    number: int
    width: float
    height: float
    bottom: float
    lines: list[_Line] = field(default_factory=list)
    # x0, x1 and height of short horizontal rules (footnote separators)
    rules: list[tuple[float, float, float]] = field(default_factory=list)
    images: int = 0


@dataclass(slots=True)
class _Note:
    """A footnote from a page's footnote area."""

    marker: str
    text: str


def read_pdf(data: bytes, name: str) -> Extracted:
    """Extract text and structure hints from the bytes of a PDF file.

    Raises:
        ImportFailed: The file is not a readable PDF, is password-protected,
            has no text layer (a scan), or has no text at all.
    """
    head = data[:1024]
    if b"%PDF" not in head:
        raise ImportFailed(f"{name}: not a PDF file")
    token = _BUDGET.set(ExpansionBudget(name))
    try:
        return _read(data, name)
    finally:
        _BUDGET.reset(token)


def _read(data: bytes, name: str) -> Extracted:
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)), password="")
    except PDFPasswordIncorrect as exc:
        raise ImportFailed(
            f"{name}: the PDF is password-protected; open it with its password and save an unprotected copy"
        ) from exc
    except PDFEncryptionError as exc:
        raise ImportFailed(f"{name}: the PDF is encrypted in a way that cannot be read ({exc})") from exc
    except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, EOFError) as exc:
        raise ImportFailed(f"{name}: damaged or not a PDF file ({_reason(exc)})") from exc
    return _PdfReader(document, name).read()


_BUDGET: contextvars.ContextVar[ExpansionBudget | None] = contextvars.ContextVar("pdf_budget", default=None)
"""What the PDF being read may still expand to (one per import, per thread)."""


def _budget() -> ExpansionBudget:
    return _BUDGET.get() or ExpansionBudget("PDF")


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside pdfminer: every stream is inflated under the budget.

    pdfminer inflates a whole stream with one ``zlib.decompress`` call (and
    retries a damaged one a byte at a time), so a 3 MB stream can become 1 GB
    before anything looks at it.  Here each call goes through
    :class:`~reader.core.limits.BoundedInflater`, which stops at the limit.
    """

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = 0) -> bytes:
        """``zlib.decompress`` under the budget (also raises ``zlib.error`` on a truncated stream)."""
        inflater = BoundedInflater(_budget(), "a compressed stream", wbits=wbits)
        out = inflater.decompress(data) + inflater.flush()
        if not inflater.eof:
            raise zlib.error("incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(wbits: int = zlib.MAX_WBITS) -> BoundedInflater:
        """``zlib.decompressobj`` under the budget."""
        return BoundedInflater(_budget(), "a compressed stream", wbits=wbits)


pdftypes.zlib = _BoundedZlib  # type: ignore[attr-defined,assignment]


def _reason(exc: BaseException) -> str:
    """A short, single-line reason for an exception."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


def _is_cjk(ch: str) -> bool:
    """Whether a character is written without spaces around it (CJK ideographs, kana, CJK punctuation)."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFE30 <= code <= 0xFE4F
        or 0xFF00 <= code <= 0xFF60
        or 0x20000 <= code <= 0x3FFFF
        or 0xAC00 <= code <= 0xD7AF
    )


def join_lines(a: str, b: str) -> str:
    """Join two lines of one paragraph: no space for CJK, line-end hyphens removed inside words."""
    if not a:
        return b
    if not b:
        return a
    if a.endswith("\u00ad"):
        return a[:-1] + b
    if a.endswith(("-", "\u2010")) and len(a) >= 2 and a[-2].isalpha() and a[-2].islower() and b[0].islower():
        # A word broken by the typesetter (deve-/lopment); a lower-case letter
        # on both sides.  "COVID-" + "19" or "Secretary-" + "General" keep theirs.
        return a[:-1] + b
    if a.endswith(("-", "\u2010", "/", "\u2014")):
        return a + b
    if _is_cjk(a[-1]) or _is_cjk(b[0]):
        return a + b
    return a + " " + b


class _PdfReader:
    """Reads a whole document: pages, running heads, footnotes, paragraphs."""

    def __init__(self, document: PDFDocument, name: str) -> None:
        self._doc = document
        self._name = name
        self._warnings: list[str] = []
        self._running_texts: list[str] = []

    # ------------------------------------------------------------ glyphs to lines

    def _pages(self) -> list[_Page]:
        """Every page's lines, rules and image count."""
        manager = PDFResourceManager()
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        pages: list[_Page] = []
        try:
            pdf_pages = list(PDFPage.create_pages(self._doc))
        except (PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, EOFError) as exc:
            raise ImportFailed(
                f"{self._name}: damaged PDF, its pages cannot be read ({_reason(exc)})"
            ) from exc
        if not pdf_pages:
            raise ImportFailed(f"{self._name}: damaged PDF, it has no pages")
        bad: list[int] = []
        for number, pdf_page in enumerate(pdf_pages, start=1):
            try:
                interpreter.process_page(pdf_page)
                layout = device.get_result()
            except LimitExceeded:
                raise
            except Exception:
                # One damaged page should not cost the reader the rest of the document.
                bad.append(number)
                continue
            pages.append(self._read_page(number, layout))
        if bad and not pages:
            raise ImportFailed(f"{self._name}: damaged PDF, no page could be read")
        if bad:
            self._warnings.append(f"page(s) {_ranges(bad)} could not be read and are missing")
        return pages

    def _read_page(self, number: int, layout: LTPage) -> _Page:
        """Lines of one page, in top-to-bottom order."""
        x0, y0, x1, y1 = layout.bbox
        page = _Page(number=number, width=x1 - x0, height=y1 - y0, bottom=y0)
        glyphs: list[_Glyph] = []
        for item in _walk(layout):
            if isinstance(item, LTChar):
                text = item.get_text()
                if not item.upright or not text or text.startswith("(cid:"):
                    continue
                bold = "bold" in item.fontname.lower()
                glyphs.append(_Glyph(text, item.x0, item.x1, item.y0, item.y1, item.size, bold))
            elif isinstance(item, LTImage):
                page.images += 1
            elif isinstance(item, LTCurve) and item.height < 1.5 and 20 < item.width < page.width * 0.5:
                page.rules.append((item.x0, item.x1, (item.y0 + item.y1) / 2))
        page.lines = _order(_group(glyphs, number))
        return page

    # ------------------------------------------------------------ the document

    def read(self) -> Extracted:
        """Run every step and build the extracted text."""
        pages = self._pages()
        if not any(p.lines for p in pages):
            if any(p.images for p in pages):
                raise ImportFailed(
                    f"{self._name}: this PDF is a scanned image without a text layer, so it cannot be "
                    "searched; run it through OCR first"
                )
            raise ImportFailed(f"{self._name}: the PDF has no text")
        image_only = [p.number for p in pages if not p.lines and p.images]
        if image_only:
            self._warnings.append(
                f"page(s) {_ranges(image_only)} are scanned images without text; their content is missing"
            )
        self._drop_running(pages)
        body_size = _body_size(pages)
        notes = {p.number: self._footnotes(p, body_size) for p in pages}
        out = TextBuilder()
        paragraphs = self._paragraphs(pages, body_size, notes)
        headings = self._outline_levels([text for text, hint in paragraphs if hint is None])
        heading_iter = iter(headings)
        for text, hint in paragraphs:
            if hint is None:
                level = next(heading_iter)
                out.add(text, LineHint(heading_level=level) if level else None)
            else:
                out.add(text, hint)
        if out.empty:
            raise ImportFailed(f"{self._name}: the PDF has no text")
        title = self._title()
        symbol = find_symbol(self._running_texts) or (find_symbol([title]) if title else None)
        if title is not None and title == symbol:
            title = None
        result = out.build(title=title, symbol=symbol)
        result.warnings = self._warnings
        return result

    def _title(self) -> str | None:
        """The document information title, unless it is a file name."""
        for info in self._doc.info:
            raw = resolve1(info.get("Title")) if isinstance(info, dict) else None
            if isinstance(raw, bytes):
                title = decode_text(raw)
            elif isinstance(raw, str):
                title = raw
            else:
                continue
            title = re.sub(r"^Microsoft Word - ", "", title).strip()
            if title and not re.search(r"\.(docx?|pdf|rtf|odt)$", title, re.IGNORECASE):
                return title
        return None

    # ------------------------------------------------------------ running heads and feet

    def _drop_running(self, pages: list[_Page]) -> None:
        """Remove running heads and feet: repeated edge lines, page and job numbers, the symbol."""
        seen: dict[tuple[str, int], set[int]] = defaultdict(set)
        for page in pages:
            for line in _edge_lines(page):
                seen[_running_key(line, page)].add(page.number)
        threshold = max(_MIN_REPEAT, round(len(pages) * 0.25)) if len(pages) > 2 else _MIN_REPEAT
        for page in pages:
            edge = {id(line) for line in _edge_lines(page)}
            kept: list[_Line] = []
            for line in page.lines:
                if id(line) in edge and (
                    len(seen[_running_key(line, page)]) >= threshold or _looks_running(line.text)
                ):
                    self._running_texts.append(line.text)
                    continue
                kept.append(line)
            page.lines = kept

    # ------------------------------------------------------------ footnotes

    def _footnotes(self, page: _Page, body_size: float) -> list[_Note]:
        """Take the footnote area off the bottom of a page and return its notes."""
        if not page.lines:
            return []
        start = self._note_area_start(page, body_size)
        if start is None:
            return []
        area = page.lines[start:]
        page.lines = page.lines[:start]
        notes: list[_Note] = []
        for line in area:
            marker, rest = _note_marker(line.text, notes)
            if marker is not None:
                notes.append(_Note(marker, rest))
            elif notes:
                notes[-1].text = join_lines(notes[-1].text, line.text)
            else:
                # A footnote continued from the previous page: keep it as its own line.
                notes.append(_Note("", line.text))
        return notes

    def _note_area_start(self, page: _Page, body_size: float) -> int | None:
        """Index of the first footnote line of a page, if the page has footnotes."""
        lines = page.lines
        # A short rule at the left margin with small type under it: Word's and LibreOffice's separator.
        for x0, _x1, y in sorted(page.rules, key=lambda r: -r[2]):
            below = [i for i, ln in enumerate(lines) if ln.y1 <= y + 1]
            above = [ln for ln in lines if ln.y0 > y]
            if below and above and abs(x0 - min(ln.x0 for ln in above)) < body_size * 2:
                first = below[0]
                if all(ln.size < body_size * 0.95 for ln in lines[first:]):
                    return first
        # Otherwise: a run of small lines at the foot of the page, opened by a marker.
        i = len(lines)
        while i > 0 and lines[i - 1].size < body_size * 0.9:
            i -= 1
        if i == len(lines) or i == 0:
            return None
        marker, _ = _note_marker(lines[i].text, [])
        return i if marker is not None else None

    # ------------------------------------------------------------ paragraphs

    def _paragraphs(
        self, pages: list[_Page], body_size: float, notes: dict[int, list[_Note]]
    ) -> list[tuple[str, LineHint | None]]:
        """Join body lines into paragraphs; footnotes follow the paragraph open at their page's end.

        Returns (text, hint) pairs; hint ``None`` marks an ordinary paragraph
        that bookmarks may later make a heading.
        """
        right = _right_edges(pages, body_size)
        pitch = _pitch(pages, body_size)
        out: list[tuple[str, LineHint | None]] = []
        pending: list[int] = []  # pages whose notes wait for the paragraph open at their end
        current: list[_Line] = []

        def close() -> None:
            if current:
                text = current[0].text
                for line in current[1:]:
                    text = join_lines(text, line.text)
                out.append((text, None))
                current.clear()
            for number in pending:
                for note in notes.get(number, []):
                    marker = note.marker
                    note_line = f"{marker} {note.text}" if marker else note.text
                    out.append((note_line, LineHint(kind=BlockKind.FOOTNOTE, number=marker or None)))
            pending.clear()

        for page in pages:
            for line in page.lines:
                if current and _breaks(current[-1], line, right, pitch):
                    close()
                current.append(line)
            if notes.get(page.number):
                pending.append(page.number)
                if current and _ends_paragraph(current[-1], right):
                    close()
        close()
        return out

    def _outline_levels(self, paragraphs: list[str]) -> list[int | None]:
        """Heading level for each paragraph that a bookmark names, ``None`` for the others."""
        levels: list[int | None] = [None] * len(paragraphs)
        try:
            outline = [(level, title) for level, title, *_ in self._doc.get_outlines()]
        except PDFNoOutlines:
            return levels
        except (PSException, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self._warnings.append("the PDF's bookmarks are damaged; headings are recognised from the text")
            return levels
        keys = [_squash(p) for p in paragraphs]
        pos = 0
        for level, title in outline:
            want = _squash(title)
            if not want:
                continue
            for i in range(pos, len(keys)):
                key = keys[i]
                # A bookmark may leave out the heading's number ("战略背景" for "一. 战略背景").
                if key == want or (key.endswith(want) and len(key) - len(want) <= 6):
                    levels[i] = max(1, level)
                    pos = i + 1
                    break
        return levels


# ---------------------------------------------------------------- helpers


def _walk(container: LTContainer[LTComponent]) -> Iterator[LTComponent]:
    """Every item of a page, through Form XObjects (figures)."""
    for item in container:
        if isinstance(item, LTChar | LTImage | LTCurve):
            yield item
        if isinstance(item, LTContainer) and not isinstance(item, LTChar):
            yield from _walk(item)


def _group(glyphs: list[_Glyph], page: int) -> list[_Line]:
    """Group glyphs, in drawing order, into lines."""
    lines: list[_Line] = []
    current: _Line | None = None
    last: _Glyph | None = None
    for g in glyphs:
        if current is not None and last is not None and _same_line(current, last, g):
            current.glyphs.append(g)
        else:
            if g.text.isspace():
                continue
            current = _Line(page=page, glyphs=[g])
            lines.append(current)
        last = g
    return [line for line in (_finish(ln) for ln in lines) if line.text]


def _same_line(line: _Line, last: _Glyph, g: _Glyph) -> bool:
    """Whether a glyph continues a line: overlapping vertically and not going back."""
    main = [x for x in line.glyphs if not x.text.isspace()] or line.glyphs
    y0 = min(x.y0 for x in main)
    y1 = max(x.y1 for x in main)
    overlap = min(y1, g.y1) - max(y0, g.y0)
    height = min(y1 - y0, g.y1 - g.y0) or 1.0
    return overlap > 0.4 * height and g.x0 >= last.x1 - 0.5 * max(g.size, 1.0)


def _finish(line: _Line) -> _Line:
    """Compute a line's text (superscripts, spaces) and geometry."""
    visible = [g for g in line.glyphs if not g.text.isspace()]
    if not visible:
        return line
    sizes = Counter(round(g.size, 1) for g in visible)
    main = sizes.most_common(1)[0][0]
    mains = [g for g in visible if abs(g.size - main) < 0.5] or visible
    base = statistics.median(g.y0 for g in mains)
    parts: list[str] = []
    prev: _Glyph | None = None
    for g in line.glyphs:
        if g.text.isspace():
            if parts and parts[-1] != " ":
                parts.append(" ")
            prev = g
            continue
        if prev is not None and parts and parts[-1] != " " and _gap_is_space(prev, g):
            parts.append(" ")
        raised = g.size < main * 0.8 and g.y0 > base + 0.2 * main
        parts.append(superscript(g.text) if raised and g.text.isdigit() else g.text)
        prev = g
    line.text = unicodedata.normalize("NFC", "".join(parts).strip())
    line.x0 = min(g.x0 for g in visible)
    line.x1 = max(g.x1 for g in visible)
    line.y0 = min(g.y0 for g in mains)
    line.y1 = max(g.y1 for g in mains)
    line.size = main
    line.bold = sum(g.bold for g in mains) > len(mains) / 2
    line.first_word = _first_word_end(line.glyphs) - line.x0
    return line


def _gap_is_space(prev: _Glyph, g: _Glyph) -> bool:
    """Whether the gap between two glyphs reads as a space (CJK text is often spaced out)."""
    cjk = _is_cjk(prev.text[-1:]) + _is_cjk(g.text[:1])
    # Between CJK characters only a wide gap is a space; typesetters also add a
    # little room where CJK meets Latin text, which is not a space either.
    factor = (0.2, 0.3, 1.0)[cjk]
    return g.x0 - prev.x1 > factor * min(g.size, prev.size)


def _first_word_end(glyphs: list[_Glyph]) -> float:
    """Right end of the first unbreakable chunk of a line.

    A typesetter moves a whole chunk to the next line when it does not fit, so
    a previous line is "short" only if it left room for more than this chunk.
    Breaks fall at spaces and before an ideograph; closing punctuation and
    digits stick to what precedes them (``题。2019/20`` moves as one).
    """
    visible = [g for g in glyphs if not g.text.isspace()]
    if not visible:
        return 0.0
    prev = visible[0]
    for g in glyphs[glyphs.index(prev) + 1 :]:
        if g.text.isspace() or _gap_is_space(prev, g):
            return prev.x1
        if _is_ideograph(g.text[:1]) and prev.text[-1:] not in _OPENING:
            return prev.x1
        prev = g
    return prev.x1


def _is_ideograph(ch: str) -> bool:
    """CJK ideographs, kana and hangul: characters a line may break before."""
    if not ch:
        return False
    code = ord(ch)
    return (
        0x3400 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
        or 0x3040 <= code <= 0x30FF
        or 0xAC00 <= code <= 0xD7AF
    )


def _order(lines: list[_Line]) -> list[_Line]:
    """Top-to-bottom order (single-column reading order), merging pieces of one baseline."""
    lines.sort(key=lambda ln: (-round(ln.y0 / 2), ln.x0))
    merged: list[_Line] = []
    for line in lines:
        prev = merged[-1] if merged else None
        if prev is not None and _overprint(prev, line):
            # Fake bold: the same text printed twice, a fraction of a point apart.
            continue
        if prev is not None and abs(prev.y0 - line.y0) < 0.3 * max(prev.size, 1.0) and line.x0 >= prev.x1:
            prev.glyphs.extend(line.glyphs)
            _finish(prev)
            continue
        merged.append(line)
    return merged


def _overprint(a: _Line, b: _Line) -> bool:
    """Whether ``b`` repeats ``a`` at (nearly) the same place."""
    near = max(1.0, 0.15 * a.size)
    return a.text == b.text and abs(a.x0 - b.x0) < near and abs(a.y0 - b.y0) < near


def _edge_lines(page: _Page) -> list[_Line]:
    """Up to three lines nearest the top and the bottom edge, inside the edge bands."""
    top = page.bottom + page.height * (1 - _EDGE_BAND)
    low = page.bottom + page.height * _EDGE_BAND
    heads = [ln for ln in page.lines[:3] if ln.y0 >= top]
    feet = [ln for ln in page.lines[-3:] if ln.y1 <= low]
    return heads + [ln for ln in feet if ln not in heads]


def _running_key(line: _Line, page: _Page) -> tuple[str, int]:
    """Text with digits blanked and height band: what repeats from page to page."""
    text = re.sub(r"\d+", "#", "".join(line.text.split()))
    return text, round((line.y0 - page.bottom) / 6)


def _looks_running(text: str) -> bool:
    """Page numbers, job numbers, barcodes and a lone symbol, wherever they repeat or not."""
    squeezed = text.strip()
    if _PAGE_NUMBER.match(squeezed) or _CN_PAGE.match(squeezed) or _BARCODE.match(squeezed):
        return True
    if _JOB_NUMBER.search(squeezed):
        return True
    symbol = find_symbol([squeezed])
    return symbol is not None and len(squeezed.replace(symbol, "").strip()) <= 6


def _note_marker(text: str, notes: list[_Note]) -> tuple[str | None, str]:
    """The footnote marker opening a line, as superscript, and the rest of the line."""
    m = _NOTE_START.match(text)
    if m:
        return m.group(1), m.group(2)
    m = _NOTE_DIGITS.match(text)
    if m:
        # Plain digits open a note only when they continue the page's numbering.
        expected = None
        if notes and notes[-1].marker:
            last = notes[-1].marker.translate(str.maketrans(_SUPER_DIGITS, "0123456789"))
            expected = int(last) + 1 if last.isdigit() else None
        value = int(m.group(1))
        if (expected is None and not notes) or value == expected:
            return superscript(m.group(1)), m.group(2)
    return None, text


def _body_size(pages: list[_Page]) -> float:
    """The type size most of the text is set in."""
    weights: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            weights[line.size] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 10.0


def _right_edges(pages: list[_Page], body_size: float) -> dict[int, float]:
    """Right edge of the text block of each page (document-wide for sparse pages)."""
    per_page: dict[int, float] = {}
    for page in pages:
        body = sorted(ln.x1 for ln in page.lines if abs(ln.size - body_size) < 0.5)
        if len(body) >= 5:
            # Not the maximum: one overlong line (a URL, a wide table row) must not
            # make every other line look short.
            per_page[page.number] = body[int(len(body) * 0.8)]
    overall = (
        statistics.median(per_page.values())
        if per_page
        else max((ln.x1 for p in pages for ln in p.lines), default=0.0)
    )
    return {p.number: per_page.get(p.number, overall) for p in pages}


def _pitch(pages: list[_Page], body_size: float) -> float:
    """Distance between baselines of consecutive lines inside a paragraph, relative to the type size."""
    ratios: list[float] = []
    for page in pages:
        for a, b in zip(page.lines, page.lines[1:], strict=False):
            if abs(a.size - body_size) < 0.5 and abs(b.size - body_size) < 0.5:
                delta = a.y0 - b.y0
                if 0.8 * body_size < delta < 2.5 * body_size:
                    ratios.append(delta / body_size)
    if not ratios:
        return 1.2
    # The smallest common spacing is the line spacing; paragraph gaps are larger.
    ratios.sort()
    return ratios[len(ratios) // 4]


def _ends_paragraph(line: _Line, right: dict[int, float]) -> bool:
    """A line that stops short of the right edge, or ends a sentence."""
    return right[line.page] - line.x1 > 2 * line.size or line.text.endswith(_TERMINAL)


def _breaks(a: _Line, b: _Line, right: dict[int, float], pitch: float) -> bool:
    """Whether line ``b`` starts a new paragraph after line ``a``."""
    if abs(a.size - b.size) > 0.15 * max(a.size, b.size) or a.bold != b.bold:
        return True
    short = right[a.page] - a.x1 > b.first_word + a.size
    if a.page != b.page:
        return short or a.text.endswith(_TERMINAL)
    delta = a.y0 - b.y0
    if delta < 0.3 * a.size or delta > pitch * max(a.size, b.size) * 1.25:
        return True
    if short:
        return True
    return a.text.endswith(_TERMINAL) and bool(_NUMBERED_START.match(b.text))


def _squash(text: str) -> str:
    """Text without whitespace, for matching bookmarks to paragraphs."""
    return "".join(text.split())


def _ranges(numbers: Iterable[int]) -> str:
    """``1, 3-5`` for [1, 3, 4, 5]."""
    out: list[str] = []
    run: list[int] = []
    for n in sorted(numbers):
        if run and n == run[-1] + 1:
            run.append(n)
            continue
        if run:
            out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
        run = [n]
    if run:
        out.append(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]))
    return ", ".join(out)
