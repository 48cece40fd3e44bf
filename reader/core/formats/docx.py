"""Read Word .docx files: headings, list numbers, footnotes and tables.

python-docx opens the package; the body, ``numbering.xml`` and the footnotes
part are then read as XML because python-docx exposes neither list numbers nor
footnotes.  Output is the plain-text shape of the UN text export (see
:mod:`reader.core.formats`), so ``37.`` drawn by Word's numbering comes out as
``37. `` at the start of the line, and a footnote as ``¹ text`` after the
section that references it.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from reader.core.errors import ImportFailed
from reader.core.formats import Extracted, TextBuilder, find_symbol, superscript
from reader.core.formats.numbering import Numbered, Numbering, format_number
from reader.core.limits import MAX_MEMBERS, BoundedInflater, ExpansionBudget, LimitExceeded
from reader.core.model import BlockKind, LineHint

__all__ = ["read_docx"]

_Element = Any  # python-docx elements (lxml) are untyped
_Document = Any
_Part = Any

_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_M_NS = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
_HEADING_NAME = re.compile(r"^(?:heading|标题|標題)\s*(\d)$", re.IGNORECASE)
_TOC_NAME = re.compile(r"^(?:toc|目录|目錄)\s*\d*$|^toc heading$", re.IGNORECASE)
_OFF = ("0", "false", "off")

# Containers whose runs are part of the paragraph's visible text.
_TRANSPARENT = {qn(t) for t in ("w:hyperlink", "w:smartTag", "w:ins", "w:moveTo", "w:fldSimple",
                                "w:customXml", "w:dir", "w:bdo", "w:sdtContent")}  # fmt: skip


@dataclass(slots=True)
class _Style:
    """What a paragraph style contributes: outline level, list, kind."""

    name: str
    based_on: str | None
    outline: int | None
    num_id: str | None
    ilvl: int | None


@dataclass(slots=True)
class _Footnote:
    """A footnote waiting to be written after its section."""

    marker: str
    text: str


@dataclass(slots=True)
class _Run:
    """Text gathered from a paragraph's runs, with the footnotes it references."""

    parts: list[str] = field(default_factory=list)
    notes: list[_Footnote] = field(default_factory=list)
    custom_mark_note: str | None = None  # footnote id whose custom mark follows
    custom_mark_kind: str = "footnote"

    @property
    def text(self) -> str:
        return "".join(self.parts)


def read_docx(data: bytes, name: str) -> Extracted:
    """Extract text and structure hints from the bytes of a .docx file.

    Raises:
        ImportFailed: The file is not a readable .docx, is password-protected,
            or has no text.
    """
    if data[:4] == _OLE_MAGIC:
        raise ImportFailed(
            f"{name}: this is a password-protected Word file or an old .doc file; "
            "save it as an unprotected .docx and import that"
        )
    if not data.startswith(b"PK"):
        raise ImportFailed(f"{name}: not a Word .docx file (it is not a ZIP package)")
    check_package(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:
        # zipfile, lxml and python-docx each raise their own types for damaged
        # packages; all mean the same thing to the person importing.
        raise ImportFailed(f"{name}: damaged or not a Word document ({_reason(exc)})") from exc
    return _DocxReader(document, name).read()


def check_package(data: bytes, name: str, budget: ExpansionBudget | None = None) -> None:
    """Refuse a ZIP package whose members expand past the limits, reading each member in pieces.

    What the central directory claims is checked first (cheap); then every
    member's raw bytes are inflated through the budget to their real end, so a
    member whose header lies is stopped as soon as its real output passes a
    limit, and refused when its real size differs from the declared one.
    python-docx reads the members again afterwards, bounded by the declared
    sizes checked here.

    Raises:
        LimitExceeded: A member, the members together, or a ratio passed a limit.
        ImportFailed: The file is not a readable ZIP package.
    """
    budget = budget or ExpansionBudget(name)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise ImportFailed(f"{name}: damaged or not a Word document ({_reason(exc)})") from exc
    with package:
        members = package.infolist()
        if len(members) > MAX_MEMBERS:
            raise LimitExceeded(
                f"{name}: the package holds {len(members):,} parts, more than the limit of {MAX_MEMBERS:,}"
            )
        claimed = ExpansionBudget(name, budget.member_limit, budget.total_limit, budget.ratio_limit)
        for info in members:
            claimed.check(info.filename, info.file_size, info.compress_size)
            claimed.spend(info.file_size)
        for info in members:
            _drain_member(data, info, budget)


def _drain_member(data: bytes, info: zipfile.ZipInfo, budget: ExpansionBudget) -> None:
    # The member's raw bytes are inflated here, through the budget, to its real end: zipfile
    # (and so python-docx) would inflate up to 2 GB in one call before cutting at the declared
    # size, so a header that understates the size (its CRC made for the part it admits) is refused.
    name, where = budget.name, info.filename
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ImportFailed(f"{name}: {where} is compressed in a way Word does not use; not imported")
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ImportFailed(f"{name}: damaged or not a Word document (no local header for {where})")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    begin = start + 30 + name_len + extra_len
    raw = data[begin : begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        real = len(raw)
        budget.spend(real)
    else:
        inflater = BoundedInflater(budget, where, wbits=-zlib.MAX_WBITS)
        try:
            real = len(inflater.decompress(raw)) + len(inflater.flush())
        except zlib.error as exc:
            raise ImportFailed(f"{name}: damaged or not a Word document ({where}: {exc})") from exc
    if real != info.file_size:
        raise ImportFailed(
            f"{name}: damaged or forged Word document ({where} claims {info.file_size:,} bytes "
            f"but holds {real:,}); not imported"
        )


def _reason(exc: BaseException) -> str:
    """A short, single-line reason for an exception."""
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:120]}" if text else type(exc).__name__


class _DocxReader:
    """One pass over a document's body, in reading order."""

    def __init__(self, document: _Document, name: str) -> None:
        self._doc = document
        self._name = name
        self._out = TextBuilder()
        self._warnings: list[str] = []
        self._styles = self._read_styles()
        style_num = {sid: (s.num_id, s.ilvl) for sid, s in self._styles.items() if s.num_id is not None}
        self._numbering = Numbering(self._numbering_element(), style_num)
        self._notes = {
            "footnote": self._read_notes(RT.FOOTNOTES, "w:footnote"),
            "endnote": self._read_notes(RT.ENDNOTES, "w:endnote"),
        }
        self._note_counter = {
            "footnote": self._note_start("w:footnotePr"),
            "endnote": self._note_start("w:endnotePr"),
        }
        self._note_format = {"footnote": self._note_format_of("w:footnotePr"), "endnote": "lowerRoman"}
        self._pending: list[_Footnote] = []
        self._endnotes: list[_Footnote] = []
        self._skipped_toc = 0
        self._in_caption = False
        self._text_boxes = 0
        self._images = 0

    # ------------------------------------------------------------ package parts

    def _read_styles(self) -> dict[str, _Style]:
        """Paragraph styles by id, with outline levels and list bindings."""
        styles: dict[str, _Style] = {}
        try:
            root = self._doc.styles.element
        except Exception:  # a package without styles.xml: python-docx cannot load it
            return styles
        for st in root.findall(qn("w:style")):
            if st.get(qn("w:type")) not in (None, "paragraph"):
                continue
            sid = str(st.get(qn("w:styleId")))
            name_el = st.find(qn("w:name"))
            name = str(name_el.get(qn("w:val"), "")) if name_el is not None else ""
            based_el = st.find(qn("w:basedOn"))
            ppr = st.find(qn("w:pPr"))
            outline = num_id = ilvl = None
            if ppr is not None:
                outline = _outline(ppr)
                num_id, ilvl = _num_pr(ppr)
            styles[sid] = _Style(
                name=name,
                based_on=str(based_el.get(qn("w:val"))) if based_el is not None else None,
                outline=outline,
                num_id=num_id,
                ilvl=ilvl,
            )
        return styles

    def _numbering_element(self) -> _Element | None:
        """The ``w:numbering`` root, if the document has list definitions."""
        for rel in self._doc.part.rels.values():
            if rel.reltype == RT.NUMBERING and not rel.is_external:
                return self._part_element(rel.target_part)
        return None

    def _part_element(self, part: _Part) -> _Element | None:
        """A part's XML root, parsing the blob when python-docx left it generic."""
        element = getattr(part, "element", None)
        if element is not None:
            return element
        try:
            return parse_xml(part.blob)
        except (SyntaxError, ValueError):  # lxml's XMLSyntaxError is a SyntaxError
            self._warnings.append(f"the part {part.partname} is damaged and was skipped")
            return None

    def _read_notes(self, reltype: str, tag: str) -> dict[str, _Element]:
        """Footnote (or endnote) elements by id, separators excluded."""
        for rel in self._doc.part.rels.values():
            if rel.reltype == reltype and not rel.is_external:
                root = self._part_element(rel.target_part)
                if root is None:
                    return {}
                return {
                    str(n.get(qn("w:id"))): n
                    for n in root.findall(qn(tag))
                    if n.get(qn("w:type")) in (None, "normal")
                }
        return {}

    def _settings(self) -> _Element | None:
        """The ``w:settings`` root."""
        try:
            return self._doc.settings.element
        except Exception:  # no settings part: python-docx cannot create one from a damaged package
            return None

    def _note_start(self, tag: str) -> int:
        """First automatic note number (``w:numStart``), 1 by default."""
        settings = self._settings()
        pr = settings.find(qn(tag)) if settings is not None else None
        start = pr.find(qn("w:numStart")) if pr is not None else None
        try:
            return int(start.get(qn("w:val"))) if start is not None else 1
        except (TypeError, ValueError):
            return 1

    def _note_format_of(self, tag: str) -> str:
        """Footnote number format (decimal unless the settings say otherwise)."""
        settings = self._settings()
        pr = settings.find(qn(tag)) if settings is not None else None
        fmt = pr.find(qn("w:numFmt")) if pr is not None else None
        return str(fmt.get(qn("w:val"))) if fmt is not None else "decimal"

    # ------------------------------------------------------------ body

    def read(self) -> Extracted:
        """Walk the body and build the extracted text."""
        body = self._doc.element.body
        for block in _blocks(body):
            if block.tag == qn("w:p"):
                self._paragraph(block)
            elif block.tag == qn("w:tbl"):
                self._table(block)
        self._flush_notes()
        for note in self._endnotes:
            self._out.add(f"{note.marker} {note.text}", LineHint(kind=BlockKind.FOOTNOTE, number=note.marker))
        if self._out.empty:
            raise ImportFailed(f"{self._name}: the document has no text")
        self._summarise_warnings()
        title, symbol = self._title_and_symbol()
        result = self._out.build(title=title, symbol=symbol)
        result.warnings = self._warnings
        return result

    def _summarise_warnings(self) -> None:
        """Turn counters of skipped things into warning lines."""
        if self._skipped_toc:
            self._warnings.append(f"skipped a table of contents ({self._skipped_toc} lines)")
        if self._text_boxes:
            self._warnings.append(f"text in {self._text_boxes} text box(es) was not imported")
        if self._images:
            self._warnings.append(f"{self._images} picture(s) are not shown; their captions are kept")
        for fmt in sorted(self._numbering.unknown_formats):
            self._warnings.append(f"list numbers in the format {fmt!r} are shown as digits")

    def _title_and_symbol(self) -> tuple[str | None, str | None]:
        """Title from the core properties; symbol from headers, footers and properties."""
        props = self._doc.core_properties
        title = (props.title or "").strip() or None
        texts: list[str] = []
        for section in self._doc.sections:
            for hf in (section.header, section.first_page_header, section.even_page_header,
                       section.footer, section.first_page_footer, section.even_page_footer):  # fmt: skip
                if hf.is_linked_to_previous:
                    continue
                texts.append(" ".join(self._collect(p).text for p in hf._element.iter(qn("w:p"))))
        texts.extend(t for t in (props.title, props.subject, props.keywords) if t)
        symbol = find_symbol(texts)
        if title is not None and symbol is not None and title == symbol:
            # UN files often carry the symbol as their "title" property; it is not a title.
            title = None
        return title, symbol

    def _paragraph(self, p: _Element) -> None:
        """One body paragraph: heading, numbered paragraph, caption or text."""
        ppr = p.find(qn("w:pPr"))
        style_id = _style_id(ppr)
        style_name = self._style_name(style_id)
        if _TOC_NAME.match(style_name):
            self._skipped_toc += 1
            return
        run = self._collect(p)
        text = run.text.strip()
        numbered = self._number(ppr, style_id)
        if not text:
            # An empty numbered paragraph still advances Word's counter (done above).
            return
        level = self._heading_level(ppr, style_id)
        if level is not None:
            self._flush_notes()
        prefix = numbered.prefix if numbered else ""
        number = numbered.number if numbered else None
        line = prefix + text
        caption = level is None and style_name.lower() == "caption"
        if level is not None:
            hint = LineHint(heading_level=level, number=number)
        elif caption and not self._in_caption:
            # Only the first line of a caption opens a figure; the parser
            # gathers the caption lines that follow it.
            hint = LineHint(kind=BlockKind.FIGURE, number=number)
        else:
            hint = LineHint(number=number)
        self._in_caption = caption
        self._out.add(line, hint)
        self._pending.extend(run.notes)

    def _style_name(self, style_id: str | None) -> str:
        """A style's name as written in styles.xml (``heading 1``, ``caption``)."""
        style = self._styles.get(style_id) if style_id else None
        return style.name if style else ""

    def _heading_level(self, ppr: _Element | None, style_id: str | None) -> int | None:
        """Outline level 1..9 from the paragraph, its style chain, or a heading style name."""
        if ppr is not None:
            direct = _outline(ppr)
            if direct is not None:
                return direct + 1 if direct < 9 else None
        for style in self._style_chain(style_id):
            if style.outline is not None:
                return style.outline + 1 if style.outline < 9 else None
            m = _HEADING_NAME.match(style.name.strip())
            if m:
                return int(m.group(1))
        return None

    def _style_chain(self, style_id: str | None) -> Iterator[_Style]:
        """A style and the styles it is based on, nearest first."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            style = self._styles[style_id]
            yield style
            style_id = style.based_on

    def _number(self, ppr: _Element | None, style_id: str | None) -> Numbered | None:
        """Advance the list counters for this paragraph and return its visible number."""
        num_id, ilvl = _num_pr(ppr) if ppr is not None else (None, None)
        if num_id is None:
            for style in self._style_chain(style_id):
                if style.num_id is not None:
                    num_id = style.num_id
                    if ilvl is None:
                        ilvl = style.ilvl
                    break
        if num_id is None or num_id == "0":
            return None
        if ilvl is None and style_id:
            ilvl = self._numbering.level_for_style(num_id, style_id)
        return self._numbering.next(num_id, ilvl or 0)

    def _table(self, tbl: _Element) -> None:
        """A table as one line: cells joined by tabs, rows kept in the hint."""
        rows: list[tuple[str, ...]] = []
        notes: list[_Footnote] = []
        for tr in tbl.findall(qn("w:tr")):
            cells: list[str] = []
            for tc in _cells(tr):
                texts: list[str] = []
                for p in tc.iter(qn("w:p")):
                    run = self._collect(p)
                    notes.extend(run.notes)
                    if run.text.strip():
                        texts.append(" ".join(run.text.split()))
                cells.append(" ".join(texts))
            if any(cells):
                rows.append(tuple(cells))
        if not rows:
            return
        self._in_caption = False
        line = "\t".join("\t".join(c for c in row) for row in rows)
        self._out.add(line, LineHint(kind=BlockKind.TABLE, cells=tuple(rows)))
        self._pending.extend(notes)

    def _flush_notes(self) -> None:
        """Write the footnotes referenced so far (before a heading, at the end)."""
        for note in self._pending:
            self._out.add(f"{note.marker} {note.text}", LineHint(kind=BlockKind.FOOTNOTE, number=note.marker))
        self._pending.clear()

    # ------------------------------------------------------------ runs

    def _collect(self, p: _Element) -> _Run:
        """The visible text of a paragraph and the notes it references."""
        run = _Run()
        self._walk(p, run)
        return run

    def _walk(self, el: _Element, run: _Run) -> None:
        """Gather text from a paragraph-level container, in order."""
        for child in el:
            tag = child.tag
            if tag == qn("w:r"):
                self._run(child, run)
            elif tag in _TRANSPARENT:
                self._walk(child, run)
            elif tag == qn("w:sdt"):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    self._walk(content, run)
            elif isinstance(tag, str) and tag.startswith(f"{{{_M_NS}}}"):
                run.parts.append("".join(t.text or "" for t in child.iter(f"{{{_M_NS}}}t")))
            # w:del, w:moveFrom (tracked deletions), w:pPr, bookmarks, proofing marks: not visible text

    def _run(self, r: _Element, run: _Run) -> None:
        """One ``w:r``: text, tabs, breaks, note references, pictures."""
        rpr = r.find(qn("w:rPr"))
        if rpr is not None and _on(rpr.find(qn("w:vanish"))):
            return
        superscripted = rpr is not None and _val(rpr.find(qn("w:vertAlign"))) == "superscript"
        for child in r:
            tag = child.tag
            if tag == qn("w:t"):
                text = child.text or ""
                if run.custom_mark_note is not None:
                    # The run after a customMarkFollows reference is the mark itself (``*``).
                    self._add_note(
                        run, run.custom_mark_kind, run.custom_mark_note, text.strip() or "*", custom=True
                    )
                    run.custom_mark_note = None
                    continue
                run.parts.append(superscript(text) if superscripted and text.isdigit() else text)
            elif tag in (qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")):
                run.parts.append(" ")
            elif tag == qn("w:noBreakHyphen"):
                run.parts.append("-")
            elif tag == qn("w:sym"):
                code = child.get(qn("w:char"), "")
                try:
                    value = int(code, 16)
                except ValueError:
                    continue
                if not 0xE000 <= value < 0xF900:
                    run.parts.append(chr(value))
            elif tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                kind = "footnote" if tag == qn("w:footnoteReference") else "endnote"
                note_id = str(child.get(qn("w:id")))
                if child.get(qn("w:customMarkFollows")) not in (None, *_OFF):
                    run.custom_mark_note = note_id
                    run.custom_mark_kind = kind
                    continue
                counter = self._note_counter[kind]
                self._note_counter[kind] = counter + 1
                mark = format_number(counter, self._note_format[kind]) or str(counter)
                self._add_note(run, kind, note_id, superscript(mark))
            elif tag in (qn("w:drawing"), qn("w:pict"), qn("w:object")) or (
                isinstance(tag, str) and tag.endswith("}AlternateContent")
            ):
                boxes = sum(1 for _ in child.iter(qn("w:txbxContent")))
                if boxes:
                    self._text_boxes += boxes
                else:
                    self._images += 1

    def _add_note(self, run: _Run, kind: str, note_id: str, marker: str, *, custom: bool = False) -> None:
        """Write a note's marker into the text and queue its text."""
        run.parts.append(marker)
        element = self._notes[kind].get(note_id)
        if element is None:
            self._warnings.append(f"{kind} {marker} is referenced but missing from the file")
            return
        texts: list[str] = []
        for p in element.iter(qn("w:p")):
            inner = _Run()
            self._walk(p, inner)
            if inner.text.strip():
                texts.append(" ".join(inner.text.split()))
        text = " ".join(texts)
        if custom and text.startswith(marker):
            # A custom-marked note repeats its mark as literal text; an automatic
            # one draws its number with w:footnoteRef, which has no text.
            text = text[len(marker) :].lstrip()
        note = _Footnote(marker=marker, text=text)
        if kind == "endnote":
            self._endnotes.append(note)
        else:
            run.notes.append(note)


def _blocks(container: _Element) -> Iterator[_Element]:
    """Paragraphs and tables of a container in reading order, through content controls."""
    for child in container:
        tag = child.tag
        if tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif tag == qn("w:sdt"):
            if _is_toc(child):
                continue
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)
        elif tag in (qn("w:customXml"), qn("w:ins"), qn("w:moveTo")):
            yield from _blocks(child)


def _is_toc(sdt: _Element) -> bool:
    """Whether a content control is Word's table of contents."""
    for gallery in sdt.iter(qn("w:docPartGallery")):
        if "contents" in str(gallery.get(qn("w:val"), "")).lower():
            return True
    return False


def _cells(tr: _Element) -> Iterator[_Element]:
    """The cells of a table row, through content controls."""
    for child in tr:
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:customXml")):
            content = child.find(qn("w:sdtContent"))
            yield from _cells(content if content is not None else child)


def _style_id(ppr: _Element | None) -> str | None:
    """The paragraph's style id."""
    if ppr is None:
        return None
    el = ppr.find(qn("w:pStyle"))
    return str(el.get(qn("w:val"))) if el is not None else None


def _outline(ppr: _Element) -> int | None:
    """``w:outlineLvl`` (0-based; 9 means body text)."""
    el = ppr.find(qn("w:outlineLvl"))
    if el is None:
        return None
    try:
        return int(el.get(qn("w:val")))
    except (TypeError, ValueError):
        return None


def _num_pr(ppr: _Element) -> tuple[str | None, int | None]:
    """``w:numPr``: list id and level, when present."""
    numpr = ppr.find(qn("w:numPr"))
    if numpr is None:
        return None, None
    num = numpr.find(qn("w:numId"))
    lvl = numpr.find(qn("w:ilvl"))
    num_id = str(num.get(qn("w:val"))) if num is not None else None
    try:
        ilvl = int(lvl.get(qn("w:val"))) if lvl is not None else None
    except (TypeError, ValueError):
        ilvl = None
    return num_id, ilvl


def _val(el: _Element | None) -> str | None:
    """``w:val`` of an element."""
    if el is None:
        return None
    v = el.get(qn("w:val"))
    return None if v is None else str(v)


def _on(el: _Element | None) -> bool:
    """A Word on/off property: present and not switched off."""
    if el is None:
        return False
    return (_val(el) or "1") not in _OFF
