"""Language versions: one document issued in several languages is one document.

A UN document carries one symbol in six languages.  A file whose symbol is
already in the library but whose language differs is a *language version* of
that document, never a revision of it (a revision would make the other
language current and orphan its notes).  Each version keeps its own record,
folder, revisions and notes; the records of one document share a ``group``
(the id of the version imported first).

Documents without a symbol are grouped when their structure says they are
translations of each other: the same units (articles, chapters, numbered
paragraphs) in the same order, with unit lengths that rise and fall together.
The user can link and unlink by hand and correct a detected language.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from reader.core.errors import LibraryError
from reader.core.model import Document

if TYPE_CHECKING:
    from reader.core.library import DocumentRecord, Library

LANGUAGE_NAMES: dict[str, str] = {
    "ar": "العربية",
    "zh-Hans": "中文（简体）",
    "zh-Hant": "中文（繁體）",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}
"""The six UN languages (Chinese in both scripts), by BCP 47 tag."""

TRANSLATION_THRESHOLD = 0.8
"""Score from which two symbol-less documents are taken for translations of each other.

Measured: UDHR language pairs score 0.93–1.0; pairs of distinct PRC regulations
with the same kind of structure at most 0.74 (two revisions of one law, same language, 0.93).
"""

MAX_CANDIDATES = 12
"""How many symbol-less documents of another language an import compares itself with, at most."""

def detect_language(text: str) -> str:
    """BCP 47 tag of the text's language among the UN ones (the parser's detection, one place)."""
    # The parsing package loads with the first parse (in a worker), not with the window.
    from reader.core.parsing.metadata import detect_language as parser_detect_language

    return parser_detect_language(text)


def language_name(tag: str) -> str:
    """The language's own name (``Français``), or the tag itself."""
    return LANGUAGE_NAMES.get(tag, tag)


class VersionRecord(Protocol):
    """What grouping needs of a library record (the library's ``DocumentRecord`` has it)."""

    id: str
    group: str
    symbol: str | None
    language: str
    imported_at: str
    blocks: int


@dataclass(slots=True)
class VersionGroup:
    """One document and its language versions (the first is the primary)."""

    id: str
    members: list[VersionRecord]

    @property
    def primary(self) -> VersionRecord:
        """The version that founded the group (or the oldest left)."""
        return self.members[0]

    @property
    def languages(self) -> list[str]:
        """Languages of the versions, primary first."""
        return [m.language for m in self.members]

    def version(self, language: str) -> VersionRecord | None:
        """The version in a language (``zh`` also finds ``zh-Hans``)."""
        for m in self.members:
            if m.language.casefold() == language.casefold():
                return m
        for m in self.members:
            if m.language.casefold().startswith(language.casefold() + "-"):
                return m
        return None


def group_of(rec: VersionRecord) -> str:
    """The group id of a record (its own id when it is alone)."""
    return rec.group or rec.id


def groups(records: Iterable[VersionRecord]) -> list[VersionGroup]:
    """Records gathered into documents, primary first, in the order of the primaries given."""
    by_group: dict[str, list[VersionRecord]] = {}
    for rec in records:
        by_group.setdefault(group_of(rec), []).append(rec)
    out = []
    for gid, members in by_group.items():
        members.sort(key=lambda r: (r.id != gid, r.imported_at, r.id))
        out.append(VersionGroup(gid, members))
    return out


def find_group(
    records: Sequence[VersionRecord],
    doc: Document,
    language: str,
    load: Callable[[str], Document],
) -> tuple[str, str] | None:
    """The group a newly imported document joins as a language version, and why.

    Returns ``(group id, "symbol" | "structure")`` or ``None`` for a new document.
    """
    taken = {(group_of(r), r.language) for r in records}
    if doc.symbol:
        for rec in records:
            if (
                rec.symbol
                and rec.symbol.casefold() == doc.symbol.casefold()
                and (group_of(rec), language) not in taken
            ):
                return group_of(rec), "symbol"
        return None
    best: tuple[float, str] | None = None
    size = len(doc.blocks)
    candidates = [
        rec
        for rec in records
        if not rec.symbol
        and rec.language != language
        and (group_of(rec), language) not in taken
        # Cheap filter on stored counts before parsing anything (block counts,
        # not heading counts: a parser may miss the headings of one script).
        and abs(rec.blocks - size) <= max(10, size // 3)
    ]
    # Parsing is the cost: only the closest few in size are compared.
    candidates.sort(key=lambda r: abs(r.blocks - size))
    for rec in candidates[:MAX_CANDIDATES]:
        try:
            other = load(rec.id)
        except (OSError, ValueError, KeyError):
            continue
        score = translation_score(other, doc)
        if score >= TRANSLATION_THRESHOLD and (best is None or score > best[0]):
            best = (score, group_of(rec))
    return (best[1], "structure") if best else None


def translation_score(a: Document, b: Document) -> float:
    """How sure we are that two documents are translations of each other (0–1).

    At least eight shared structural units, most units of each side matched,
    and unit lengths that correlate (two different laws with thirty articles
    each have unrelated article lengths).
    """
    from reader.core.align.structure import match_anchors, unit_lengths

    anchors = match_anchors(a.blocks, b.blocks, a.title, b.title)
    matched = [(i, j) for i, j in anchors.matched if (k := anchors.keys_a[i]) and k.kind != "title"]
    if len(matched) < 8:
        return 0.0
    keyed_a, keyed_b = anchors.keyed
    coverage = len(matched) / max(keyed_a, keyed_b, 1)
    units = [(la, lb) for la, lb in unit_lengths(a.blocks, b.blocks, matched) if la > 0 and lb > 0]
    if len(units) < 8:
        return 0.0
    xs = [math.log(la) for la, _ in units]
    ys = [math.log(lb) for _, lb in units]
    return min(coverage, max(0.0, _pearson(xs, ys)))


def _pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx <= 0 or syy <= 0:
        return 0.0
    return sxy / math.sqrt(sxx * syy)


def split_ref(ref: str) -> tuple[str, str | None]:
    """``A/75/563@fr`` → (``A/75/563``, ``fr``); a DOC without ``@lang`` has no language."""
    base, sep, lang = ref.rpartition("@")
    if sep and base and re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z]{2,4})?", lang):
        return base, lang
    return ref, None


def same_language(rec: VersionRecord, language: str) -> bool:
    """Whether a new file in ``language`` may be a revision of ``rec`` (never across languages)."""
    return rec.language == language


_R = TypeVar("_R", bound=VersionRecord)


def grouped(records: Iterable[_R]) -> list[list[_R]]:
    """Records gathered into documents, each list primary first, in first-seen order."""
    by_group: dict[str, list[_R]] = {}
    for rec in records:
        by_group.setdefault(group_of(rec), []).append(rec)
    for gid, members in by_group.items():
        members.sort(key=lambda r: (r.id != gid, r.imported_at, r.id))
    return list(by_group.values())


def primaries(matches: list[_R]) -> list[_R]:
    """Records standing for their documents: one per group, its primary."""
    by_group: dict[str, list[_R]] = {}
    for rec in matches:
        by_group.setdefault(group_of(rec), []).append(rec)
    out = []
    for gid, members in by_group.items():
        members.sort(key=lambda r: (r.id != gid, r.imported_at, r.id))
        out.append(members[0])
    return out


def members_of(lib: Library, rec: DocumentRecord) -> list[DocumentRecord]:
    """All versions of the document ``rec`` belongs to, primary first."""
    gid = group_of(rec)
    members = [r for r in lib.documents() if group_of(r) == gid]
    members.sort(key=lambda r: (r.id != gid, r.imported_at, r.id))
    return members


def record_in_language(lib: Library, ref: str, language: str) -> DocumentRecord:
    """``DOC@lang``: the version of a document in a language (``KeyError`` if it has none)."""
    rec = lib.record(ref)
    group = VersionGroup(group_of(rec), list(members_of(lib, rec)))
    found = group.version(language)
    if found is None:
        raise KeyError(f"{ref} has no version in {language} (it has {', '.join(group.languages)})")
    return lib.record(found.id)


def link(lib: Library, ref: str, to_ref: str) -> list[DocumentRecord]:
    """Make a document (with its versions) language versions of another; returns the group."""
    rec, target = lib.record(ref), lib.record(to_ref)
    gid = group_of(target)
    if group_of(rec) == gid:
        return members_of(lib, target)
    moving = members_of(lib, rec)
    staying = members_of(lib, target)
    clash = {m.language for m in moving} & {m.language for m in staying}
    if clash:
        lang = sorted(clash)[0]
        raise LibraryError(
            f"both documents have a version in {language_name(lang)} ({lang}): "
            "correct the language first (briefing-reader language DOC LANG) or import it as a revision"
        )
    for m in moving:
        m.group = gid
        lib.save_record(m)
    return members_of(lib, target)


def unlink(lib: Library, ref: str) -> DocumentRecord:
    """Make a language version a document of its own again (notes stay with it)."""
    rec = lib.record(ref)
    others = [m for m in members_of(lib, rec) if m.id != rec.id]
    if group_of(rec) == rec.id and others:
        # The founder leaves: the next version founds the remaining group.
        new_gid = others[0].id
        for m in others:
            m.group = new_gid
            lib.save_record(m)
    rec.group = rec.id
    lib.save_record(rec)
    return rec


def set_language(lib: Library, ref: str, language: str) -> DocumentRecord:
    """Correct a detected language."""
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z]{2,4})?", language):
        raise LibraryError(f"{language!r} is not a language tag (e.g. en, fr, zh-Hans)")
    rec = lib.record(ref)
    for m in members_of(lib, rec):
        if m.id != rec.id and m.language == language:
            raise LibraryError(f"this document already has a version in {language}: {m.id}")
    rec.language = language
    rec.language_set_by_user = True
    lib.save_record(rec)
    return rec
