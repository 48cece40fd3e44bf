"""The library on disk: imported originals, their metadata, and revisions.

Layout (everything a person can read and back up)::

    <root>/
      documents/<doc id>/
        document.yaml            metadata: title, symbol, revisions, current
        revisions/<sha16>/<original file name>   the original, byte for byte
        notes/<author>.yaml      annotations (see reader.core.annotations)
      index/                     search index: a cache, rebuilt at will
      cache/                     other caches (jieba's dictionary cache)

Import is idempotent for the same content.  A changed file with the same
document symbol (``…/Rev.1`` counts as the same symbol), the same file name, or
the same name but for a version date (``Law(2019-03-02).md`` →
``Law(2023-07-20).md``), in the same language, becomes a new revision of the
same document and is marked current; the old revision stays. The same symbol
in another language is a language version (its own record in the document's
``group``, see :mod:`reader.core.versions`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from reader.core import paths, versions
from reader.core.atomic import atomic_write_bytes, atomic_write_text
from reader.core.errors import ImportFailed, LibraryError
from reader.core.importers import load_bytes, read_file_bytes
from reader.core.model import BlockKind, Document

SCHEMA_VERSION = 2
"""2 added ``group`` and ``language_set_by_user`` (language versions); 1 is read as alone."""
_CACHE_SIZE = 8


@dataclass(slots=True)
class Revision:
    """One imported version of a document's original file."""

    sha256: str
    file: str  # path relative to the document folder
    original_name: str
    imported_at: str
    size: int

    def to_yaml(self) -> dict[str, Any]:
        """Plain data for document.yaml."""
        return {
            "sha256": self.sha256,
            "file": self.file,
            "original_name": self.original_name,
            "imported_at": self.imported_at,
            "size": self.size,
        }


@dataclass(slots=True)
class DocumentRecord:
    """What the library knows about a document without parsing it."""

    id: str
    title: str
    symbol: str | None
    language: str
    current: str
    revisions: list[Revision]
    imported_at: str
    folder: Path
    blocks: int = 0
    paragraphs: int = 0
    headings: int = 0
    title_set_by_user: bool = False
    group: str = ""  # id of the document this is a language version of ("" = its own)
    language_set_by_user: bool = False

    @property
    def current_revision(self) -> Revision:
        """The revision marked current."""
        for r in self.revisions:
            if r.sha256 == self.current:
                return r
        return self.revisions[-1]

    def revision(self, sha: str) -> Revision | None:
        """The revision with this hash (a unique prefix also matches)."""
        for r in self.revisions:
            if r.sha256 == sha or (len(sha) >= 8 and r.sha256.startswith(sha)):
                return r
        return None


@dataclass(slots=True)
class ImportResult:
    """Outcome of importing one file."""

    record: DocumentRecord
    document: Document
    status: str  # "new" | "unchanged" | "revision" | "version" (a new language of a document)
    previous: str | None = None


@dataclass(slots=True)
class LoadProblem:
    """A document folder that could not be read; shown to the user, never deleted."""

    folder: Path
    reason: str


@dataclass
class Library:
    """A library folder and the documents in it."""

    root: Path
    problems: list[LoadProblem] = field(default_factory=list)
    _cache: OrderedDict[tuple[str, str], Document] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @classmethod
    def open(cls, override: str | os.PathLike[str] | None = None) -> Library:
        """Open (creating if needed) the library folder chosen by override, env or platform."""
        root = paths.library_dir(override)
        try:
            (root / "documents").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"cannot use library folder {root}: {exc.strerror or exc}") from exc
        return cls(root)

    # ------------------------------------------------------------ places
    @property
    def documents_dir(self) -> Path:
        """Folder holding one sub-folder per document."""
        return self.root / "documents"

    @property
    def index_dir(self) -> Path:
        """The search index folder (a cache of the library)."""
        return self.root / "index"

    @property
    def cache_dir(self) -> Path:
        """Caches that belong to this library (jieba's and others)."""
        return self.root / "cache"

    @property
    def config_dir(self) -> Path:
        """Per-library settings (window state and the like)."""
        return self.root / "config"

    def doc_dir(self, doc_id: str) -> Path:
        """The folder of one document (notes go in its ``notes/``)."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", doc_id):
            raise KeyError(doc_id)
        return self.documents_dir / doc_id

    # ------------------------------------------------------------ reading
    def documents(self) -> list[DocumentRecord]:
        """All documents, sorted by title; unreadable folders are listed in ``problems``."""
        records: list[DocumentRecord] = []
        problems: list[LoadProblem] = []
        if self.documents_dir.is_dir():
            for folder in sorted(self.documents_dir.iterdir()):
                meta = folder / "document.yaml"
                if not meta.is_file():
                    continue
                try:
                    records.append(self._read_record(folder))
                except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
                    problems.append(LoadProblem(folder, f"{meta}: {exc}"))
        self.problems = problems
        records.sort(key=lambda r: (r.title, r.id))
        return records

    def record(self, ref: str) -> DocumentRecord:
        """Find a document by id, id prefix, or symbol (``KeyError`` if none or ambiguous)."""
        ref, language = versions.split_ref(ref.strip())
        if language is not None:
            return versions.record_in_language(self, ref, language)
        folder = self.documents_dir / ref
        if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", ref) and (folder / "document.yaml").is_file():
            return self._read_record(folder)
        docs = self.documents()
        matches = [r for r in docs if r.symbol and r.symbol.casefold() == ref.casefold()]
        if not matches and len(ref) >= 4:
            matches = [r for r in docs if r.id.startswith(ref)]
        matches = versions.primaries(matches)  # a symbol names the document, not each language
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise KeyError(f"{ref} matches several documents: {', '.join(r.id for r in matches)}")
        raise KeyError(f"no document {ref!r} in the library {self.root}")

    def load(self, doc_id: str, revision: str | None = None) -> Document:
        """Parse a document (its current revision unless one is named); results are cached."""
        rec = self.record(doc_id)
        rev = rec.revision(revision) if revision else rec.current_revision
        if rev is None:
            raise KeyError(f"document {doc_id} has no revision {revision}")
        key = (rec.id, rev.sha256)
        with self._lock:
            doc = self._cache.get(key)
            if doc is not None:
                self._cache.move_to_end(key)
                doc.language = rec.language  # the user may have corrected it since
                return doc
        data = (rec.folder / rev.file).read_bytes()
        doc = load_bytes(data, rev.original_name, doc_id=rec.id)
        doc.language = rec.language
        with self._lock:
            self._cache[key] = doc
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        return doc

    def original_path(self, doc_id: str, revision: str | None = None) -> Path:
        """Path of the stored original file."""
        rec = self.record(doc_id)
        rev = rec.revision(revision) if revision else rec.current_revision
        if rev is None:
            raise KeyError(f"document {doc_id} has no revision {revision}")
        return rec.folder / rev.file

    # ------------------------------------------------------------ writing
    def import_file(self, path: Path, *, revision_of: str | None = None) -> ImportResult:
        """Import one file; on :class:`ImportFailed` (a clear message) the library is unchanged.

        ``revision_of`` names the document this file is a new revision of; without it
        the library decides by symbol, then by file name.
        """
        path = Path(path)
        data = read_file_bytes(path)
        return self.import_bytes(data, path.name, revision_of=revision_of)

    def import_bytes(self, data: bytes, name: str, *, revision_of: str | None = None) -> ImportResult:
        """Import a file's content under its original name (see :meth:`import_file`)."""
        sha = hashlib.sha256(data).hexdigest()
        with self._lock:
            docs = self.documents()
            for rec in docs:
                rev = rec.revision(sha)
                if rev is not None and rev.sha256 == sha:
                    return ImportResult(rec, self.load(rec.id, sha), "unchanged")
            doc = load_bytes(data, name)  # raises ImportFailed before anything is written
            existing: DocumentRecord | None
            if revision_of is not None:
                existing = self.record(revision_of)
            else:
                existing = self._same_document(docs, doc.symbol, name, doc.language)
            joined = None if existing else versions.find_group(docs, doc, doc.language, self.load)
            now = _now()
            safe_name = _safe_filename(name)
            if existing is None:
                doc_id = sha[:12]
                folder = self.documents_dir / doc_id
                revisions: list[Revision] = []
                previous = None
                imported_at = now
            else:
                doc_id = existing.id
                folder = existing.folder
                revisions = list(existing.revisions)
                previous = existing.current
                imported_at = existing.imported_at
            rel = f"revisions/{sha[:16]}/{safe_name}"
            try:
                atomic_write_bytes(folder / rel, data)
                revisions.append(Revision(sha, rel, name, now, len(data)))
                doc.id = doc_id  # parsed once above, before anything was written
                keep = existing is not None and existing.title_set_by_user
                keep_language = existing is not None and existing.language_set_by_user
                rec = DocumentRecord(
                    id=doc_id,
                    title=existing.title if keep and existing else doc.title,
                    symbol=existing.symbol if keep and existing else doc.symbol,
                    language=existing.language if keep_language and existing else doc.language,
                    current=sha,
                    revisions=revisions,
                    imported_at=imported_at,
                    folder=folder,
                    blocks=len(doc.blocks),
                    paragraphs=sum(1 for b in doc.blocks if b.kind is BlockKind.PARAGRAPH and b.number),
                    headings=sum(1 for b in doc.blocks if b.kind is BlockKind.HEADING),
                    title_set_by_user=keep,
                    group=existing.group if existing else (joined[0] if joined else ""),
                    language_set_by_user=existing.language_set_by_user if existing else False,
                )
                self._write_record(rec)
            except OSError as exc:
                if existing is None:
                    shutil.rmtree(folder, ignore_errors=True)
                raise ImportFailed(
                    f"{name}: could not be stored in the library ({exc.strerror or exc})"
                ) from exc
            with self._lock:
                self._cache[(doc_id, sha)] = doc
            status = "revision" if existing is not None else ("version" if joined else "new")
            return ImportResult(rec, doc, status, previous if existing else (joined[0] if joined else None))

    def import_files(
        self,
        files: Iterable[Path],
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[ImportResult | ImportFailed]:
        """Import several files; failures are returned in place, the rest still imported."""
        files = list(files)
        out: list[ImportResult | ImportFailed] = []
        for k, f in enumerate(files):
            if cancelled is not None and cancelled():
                break
            try:
                out.append(self.import_file(f))
            except ImportFailed as exc:
                out.append(exc)
            if progress is not None:
                progress(k + 1, len(files))
        return out

    def set_current(self, doc_id: str, revision: str) -> DocumentRecord:
        """Mark another revision current."""
        rec = self.record(doc_id)
        rev = rec.revision(revision)
        if rev is None:
            raise KeyError(f"document {doc_id} has no revision {revision}")
        rec.current = rev.sha256
        self._write_record(rec)
        return rec

    def rename(self, doc_id: str, title: str | None = None, symbol: str | None = None) -> DocumentRecord:
        """Let the user correct a title or symbol the parser got wrong."""
        rec = self.record(doc_id)
        if title:
            rec.title = title.strip()
        if symbol is not None:
            rec.symbol = symbol.strip() or None
        rec.title_set_by_user = True
        self._write_record(rec)
        return rec

    def save_record(self, rec: DocumentRecord) -> None:
        """Write a record changed by another core module (language versions)."""
        self._write_record(rec)

    def remove(self, doc_id: str) -> None:
        """Move a document's folder to ``<root>/trash`` (notes included: never destroyed)."""
        rec = self.record(doc_id)
        trash = self.root / "trash"
        trash.mkdir(parents=True, exist_ok=True)
        target = trash / f"{rec.id}-{_dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
        shutil.move(str(rec.folder), str(target))
        with self._lock:
            for key in [k for k in self._cache if k[0] == rec.id]:
                del self._cache[key]

    def ensure_sample(self) -> DocumentRecord | None:
        """Import the bundled sample briefing when the library is empty."""
        if self.documents():
            return None
        sample = paths.sample_path()
        if not sample.is_file():
            return None
        return self.import_file(sample).record

    # ------------------------------------------------------------ internals
    def _same_document(
        self, docs: list[DocumentRecord], symbol: str | None, name: str, language: str
    ) -> DocumentRecord | None:
        # Another language is never a revision (it would orphan the notes).
        docs = [r for r in docs if versions.same_language(r, language)]
        if symbol:
            for rec in docs:
                if rec.symbol and rec.symbol.casefold() == symbol.casefold():
                    return rec
            # ``A/HRC/50/L.12/Rev.1`` is a revision of ``A/HRC/50/L.12`` (and of its Rev.2).
            base = _unrevised(symbol)
            for rec in docs:
                if rec.symbol and _unrevised(rec.symbol) == base:
                    return rec
        for rec in docs:
            if any(r.original_name == name for r in rec.revisions):
                return rec
        # ``Law(2019-03-02).md`` and ``Law(2023-07-20).md``: one law in two dated versions.
        stem = _undated_stem(name)
        dated = stem != Path(name).stem
        for rec in docs:
            for r in rec.revisions:
                other = _undated_stem(r.original_name)
                if other == stem and (dated or other != Path(r.original_name).stem):
                    return rec
        return None

    def _read_record(self, folder: Path) -> DocumentRecord:
        with open(folder / "document.yaml", encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
        if not isinstance(raw, dict):
            raise ValueError("not a mapping")
        version = raw.get("schema_version")
        if version not in (1, SCHEMA_VERSION):
            raise ValueError(f"unsupported schema_version {version!r}")
        revs = [
            Revision(
                str(r["sha256"]),
                str(r["file"]),
                str(r["original_name"]),
                str(r["imported_at"]),
                int(r["size"]),
            )
            for r in raw["revisions"]
        ]
        if not revs:
            raise ValueError("no revisions")
        stats = raw.get("stats") or {}
        return DocumentRecord(
            id=str(raw["id"]),
            title=str(raw.get("title") or folder.name),
            symbol=str(raw["symbol"]) if raw.get("symbol") else None,
            language=str(raw.get("language") or "zh-Hans"),
            current=str(raw.get("current") or revs[-1].sha256),
            revisions=revs,
            imported_at=str(raw.get("imported_at") or revs[0].imported_at),
            folder=folder,
            blocks=int(stats.get("blocks", 0)),
            paragraphs=int(stats.get("paragraphs", 0)),
            headings=int(stats.get("headings", 0)),
            title_set_by_user=bool(raw.get("title_set_by_user", False)),
            # Version 1 knew no language versions: every document stands alone.
            group=str(raw.get("group") or "") if version >= 2 else "",
            language_set_by_user=bool(raw.get("language_set_by_user", False)),
        )

    def _write_record(self, rec: DocumentRecord) -> None:
        data: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": rec.id,
            "title": rec.title,
            "symbol": rec.symbol,
            "language": rec.language,
            "current": rec.current,
            "imported_at": rec.imported_at,
            "stats": {"blocks": rec.blocks, "paragraphs": rec.paragraphs, "headings": rec.headings},
            "revisions": [r.to_yaml() for r in rec.revisions],
        }
        if rec.title_set_by_user:
            data["title_set_by_user"] = True
        data["group"] = rec.group or rec.id
        if rec.language_set_by_user:
            data["language_set_by_user"] = True
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        atomic_write_text(rec.folder / "document.yaml", text)


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).astimezone().isoformat(timespec="seconds")


_REVISION_SUFFIX = re.compile(r"\s*/\s*Rev\.?\s*\d+\s*$", re.IGNORECASE)


def _unrevised(symbol: str) -> str:
    """A UN symbol without its revision suffix (``…/L.12/Rev.1`` → ``…/l.12``), case-folded."""
    return _REVISION_SUFFIX.sub("", symbol.strip()).casefold()


_DATE_SUFFIX = re.compile(r"\s*[(（\[_-]?\s*\d{4}-\d{2}-\d{2}\s*[)）\]]?$")


def _undated_stem(name: str) -> str:
    """The file name's stem without a trailing version date (``Law(2023-07-20)`` → ``Law``)."""
    stem = Path(name).stem
    return _DATE_SUFFIX.sub("", stem) or stem


def _safe_filename(name: str) -> str:
    base = Path(name).name
    base = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", base).strip(" .")
    return base[:120] or "document.txt"
