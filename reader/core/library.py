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

Writes are serialised across processes by ``<root>/library.lock`` (an OS lock
the writers wait on).  Metadata read from disk is bounded (size, YAML
expansion) and every path in it is resolved and refused outside its document
folder.  A ``document.yaml`` that cannot be read is never overwritten: before
the next write it is kept aside as ``document.yaml.corrupt-<UTC>`` and the
record is rebuilt from the ``revisions/`` folders on disk (see :meth:`Library.repair`).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import re
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from reader.core import paths, safeyaml, versions
from reader.core.atomic import atomic_write_bytes, atomic_write_text
from reader.core.errors import ImportFailed, LibraryError
from reader.core.importers import load_bytes, read_source
from reader.core.limits import MAX_IMPORT_BYTES, MAX_RECORD_BYTES, LimitExceeded, read_regular_file
from reader.core.locking import InterProcessLock, WriteLockTimeout
from reader.core.model import BlockKind, Document

SCHEMA_VERSION = 2
"""2 added ``group`` and ``language_set_by_user`` (language versions); 1 is read as alone."""
_CACHE_SIZE = 8
LOCK_NAME = "library.lock"
RECORD_NAME = "document.yaml"
MAX_NAME_BYTES = 180
"""Longest stored file name in UTF-8 bytes (file systems allow 255; temp names add a few)."""


class RecordUnreadable(LibraryError):
    """A document's ``document.yaml`` cannot be read; the message names it and says why.

    Attributes:
        folder: The document folder.
        newer: True when it was written by a newer version (left untouched, never rebuilt).
    """

    def __init__(self, folder: Path, reason: str, *, newer: bool = False) -> None:
        hint = (
            "left untouched"
            if newer
            else "run 'briefing-reader repair' to rebuild it from the revisions on disk"
        )
        super().__init__(f"document {folder.name}: {folder / RECORD_NAME} cannot be read ({reason}); {hint}")
        self.folder = folder
        self.reason = reason
        self.newer = newer


@dataclass(frozen=True, slots=True)
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
    """Outcome of importing one file (``remarks``: what the user should be told, e.g. a link followed)."""

    record: DocumentRecord
    document: Document
    status: str  # "new" | "unchanged" | "revision" | "version" (a new language of a document)
    previous: str | None = None
    remarks: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LoadProblem:
    """A document folder that could not be read; shown to the user, never deleted."""

    folder: Path
    reason: str
    newer: bool = False


RACY_SECONDS = 2.0
"""A file changed less than this long ago is compared by its text, not by its times."""


@dataclass
class Library:
    """A library folder and the documents in it."""

    root: Path
    problems: list[LoadProblem] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    """Repairs made (each reported once: :meth:`take_remarks` empties it)."""
    _cache: OrderedDict[tuple[str, str], Document] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)
    _writer: InterProcessLock | None = field(default=None, repr=False)
    _records: dict[str, tuple[tuple[int, int, int, int] | None, bytes, DocumentRecord]] = field(
        default_factory=dict, repr=False
    )
    """Records read, by folder name: the file's identity when read, its text, the record."""

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
        base = self.documents_dir
        try:
            names = sorted(entry.name for entry in os.scandir(base))
        except OSError:
            names = []
        for name in names:
            if not os.path.lexists(os.path.join(base, name, RECORD_NAME)):
                continue
            try:
                records.append(self._read_record(base / name))
            except RecordUnreadable as exc:
                problems.append(LoadProblem(base / name, str(exc), exc.newer))
        listed = {r.folder.name for r in records}
        # list() copies the keys in one step: another thread may be reading a record meanwhile.
        for gone in [n for n in list(self._records) if n not in listed]:
            self._records.pop(gone, None)  # removed or now unreadable: forget what it was
        self.problems = problems
        records.sort(key=lambda r: (r.title, r.id))
        return records

    def record_by_id(self, doc_id: str) -> DocumentRecord | None:
        """The record of exactly this id, or ``None`` when it is gone or cannot be read.

        For lists of ids kept elsewhere (recent documents): never a scan of the
        library by symbol or prefix, as :meth:`record` does for a typed reference.
        """
        folder = self._id_folder(doc_id)
        if folder is None:
            return None
        try:
            return self._read_record(folder)
        except LibraryError:
            return None

    def _id_folder(self, ref: str) -> Path | None:
        """The folder of the document whose id ``ref`` is exactly (it has a record), else ``None``."""
        folder = self.documents_dir / ref
        if re.fullmatch(r"[A-Za-z0-9_-]{1,64}", ref) and (folder / RECORD_NAME).exists():
            return folder
        return None

    def record(self, ref: str) -> DocumentRecord:
        """Find a document by id, id prefix, or symbol (``KeyError`` if none or ambiguous)."""
        ref, language = versions.split_ref(ref.strip())
        if language is not None:
            return versions.record_in_language(self, ref, language)
        folder = self._id_folder(ref)
        if folder is not None:
            return self._read_record(folder)  # RecordUnreadable (a LibraryError) if it cannot be read
        docs = self.documents()
        matches = [r for r in docs if r.symbol and r.symbol.casefold() == ref.casefold()]
        if not matches and len(ref) >= 4:
            matches = [r for r in docs if r.id.startswith(ref)]
        matches = versions.primaries(matches)  # a symbol names the document, not each language
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise KeyError(f"{ref} matches several documents: {', '.join(r.id for r in matches)}")
        for problem in self.problems:
            if len(ref) >= 4 and problem.folder.name.startswith(ref):
                raise LibraryError(problem.reason)
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
        data = self._read_original(rec, rev)
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
        return _inside(rec.folder, rev.file)

    # ------------------------------------------------------------ writing
    def writing(self) -> InterProcessLock:
        """The library's write lock (``with library.writing(): ...``), shared with other processes.

        Raises:
            LibraryError: Another process kept it longer than the timeout (the message names it).
        """
        if self._writer is None:
            self._writer = _WriterLock(self.root / LOCK_NAME, what=f"the library {self.root}")
        return self._writer

    def import_file(self, path: Path, *, revision_of: str | None = None) -> ImportResult:
        """Import one file; on :class:`ImportFailed` (a clear message) the library is unchanged.

        ``revision_of`` names the document this file is a new revision of; without it
        the library decides by symbol, then by file name.
        """
        path = Path(path)
        data, remark = read_source(path)
        result = self.import_bytes(data, path.name, revision_of=revision_of)
        if remark:
            result.remarks.insert(0, remark)
        return result

    def import_bytes(self, data: bytes, name: str, *, revision_of: str | None = None) -> ImportResult:
        """Import a file's content under its original name (under the write lock, repairing first)."""
        sha = hashlib.sha256(data).hexdigest()
        try:
            with self._lock, self.writing():
                remarks = self.repair()
                result = self._import_locked(data, name, sha, revision_of)
        except LibraryError as exc:
            raise ImportFailed(f"{name}: {exc}") from exc
        result.remarks.extend(remarks)
        return result

    def _import_locked(self, data: bytes, name: str, sha: str, revision_of: str | None) -> ImportResult:
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
        if existing is None:
            doc_id = sha[:12]
            folder = self.documents_dir / doc_id
            for problem in self.problems:
                if problem.folder == folder:  # unreadable and not rebuilt: never written over
                    raise ImportFailed(f"{name}: cannot be stored: {problem.reason}")
            revisions: list[Revision] = []
            previous = None
            imported_at = now
        else:
            doc_id = existing.id
            folder = existing.folder
            revisions = list(existing.revisions)
            previous = existing.current
            imported_at = existing.imported_at
        rel = f"revisions/{sha[:16]}/{safe_filename(name)}"
        created = not folder.exists()
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
                title_set_by_user=keep,
                group=existing.group if existing else (joined[0] if joined else ""),
                language_set_by_user=existing.language_set_by_user if existing else False,
            )
            _set_stats(rec, doc)
            self._write_record(rec)
        except OSError as exc:
            if created:
                shutil.rmtree(folder, ignore_errors=True)
            raise ImportFailed(f"{name}: could not be stored in the library ({exc.strerror or exc})") from exc
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
        with self._lock, self.writing():
            rec = self.record(doc_id)
            rev = rec.revision(revision)
            if rev is None:
                raise KeyError(f"document {doc_id} has no revision {revision}")
            rec.current = rev.sha256
            self._write_record(rec)
            return rec

    def rename(self, doc_id: str, title: str | None = None, symbol: str | None = None) -> DocumentRecord:
        """Let the user correct a title or symbol the parser got wrong."""
        with self._lock, self.writing():
            rec = self.record(doc_id)
            if title:
                rec.title = title.strip()
            if symbol is not None:
                rec.symbol = symbol.strip() or None
            rec.title_set_by_user = True
            self._write_record(rec)
            return rec

    def save_record(self, rec: DocumentRecord) -> None:
        """Write a record changed by another core module (language versions), under the write lock."""
        with self._lock, self.writing():
            self._write_record(rec)

    def remove(self, doc_id: str) -> None:
        """Move a document's folder to ``<root>/trash`` (notes included: never destroyed)."""
        with self._lock, self.writing():
            rec = self.record(doc_id)
            trash = self.root / "trash"
            trash.mkdir(parents=True, exist_ok=True)
            target = trash / f"{rec.id}-{_dt.datetime.now().strftime('%Y%m%d-%H%M%S')}"
            shutil.move(str(rec.folder), str(target))
            for key in [k for k in self._cache if k[0] == rec.id]:
                del self._cache[key]

    def ensure_sample(self) -> DocumentRecord | None:
        """Import the bundled sample briefing when the library is empty (repairing what it can first)."""
        if self.documents():
            return None
        sample = paths.sample_path()
        if not sample.is_file():
            return None
        result = self.import_file(sample)
        self.remarks.extend(r for r in result.remarks if r not in self.remarks)
        return result.record

    def take_remarks(self) -> list[str]:
        """The repairs made since last asked (so each is reported once)."""
        out, self.remarks = self.remarks, []
        return out

    def repair(self) -> list[str]:
        """Rebuild every unreadable ``document.yaml`` from its ``revisions/`` folder; one line per repair.

        The unreadable file is kept aside as ``document.yaml.corrupt-<UTC>``
        (never deleted).  Files written by a newer version, and folders with
        no revision on disk, are left untouched (they stay in :attr:`problems`).
        Temp files left by a writer killed mid-write are removed (we hold the
        write lock, so nobody else is writing them).
        """
        lines: list[str] = []
        with self._lock, self.writing():
            self._clean_temp_files()
            self.documents()
            for problem in list(self.problems):
                if not problem.newer:
                    line = self._rebuild(problem)
                    if line:
                        lines.append(line)
            if lines:
                self.documents()
        return lines

    # ------------------------------------------------------------ internals
    def _clean_temp_files(self) -> None:
        if not self.documents_dir.is_dir():
            return
        for folder in self.documents_dir.iterdir():
            for pattern in (f".{RECORD_NAME}.*.tmp", "revisions/*/.*.tmp"):
                for tmp in folder.glob(pattern):
                    if tmp.is_file() and not tmp.is_symlink():
                        with contextlib.suppress(OSError):
                            tmp.unlink()

    def _rebuild(self, problem: LoadProblem) -> str | None:
        folder = problem.folder
        salvage = _salvage(folder / RECORD_NAME)
        revisions = _revisions_on_disk(folder, salvage)
        if not revisions:
            return None
        revisions.sort(key=lambda r: (r.imported_at, r.sha256))
        current = next((r for r in revisions if r.sha256 == salvage.get("current")), revisions[-1])
        try:
            doc: Document | None = load_bytes(
                self._read_original_path(folder, current.file), current.original_name
            )
        except (ImportFailed, OSError, ValueError):
            doc = None
        rec = _rebuilt_record(folder, revisions, current, doc, salvage)
        kept = _keep_aside(folder / RECORD_NAME)
        self._write_record(rec)
        where = kept.name if kept else "(it had vanished)"
        return (
            f"document {folder.name}: {RECORD_NAME} could not be read ({_short_reason(problem.reason)}); "
            f"kept it as {where} and rebuilt the record from {len(revisions)} revision(s) on disk"
        )

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

    def _read_original(self, rec: DocumentRecord, rev: Revision) -> bytes:
        return self._read_original_path(rec.folder, rev.file)

    @staticmethod
    def _read_original_path(folder: Path, rel: str) -> bytes:
        try:
            path = _inside(folder, rel)
            return read_regular_file(path, MAX_IMPORT_BYTES, label=str(path))[0]
        except (LimitExceeded, ValueError) as exc:
            raise ImportFailed(f"document {folder.name}: {exc}") from exc

    def _read_record(self, folder: Path) -> DocumentRecord:
        """The record in ``folder``, parsed again only when its file changed (a copy: callers edit it).

        A library of 2,000 documents took seconds to list, and the list is asked
        for on the GUI thread (compare with, link, language versions).  A file
        whose inode, size and times are those seen before, and were so for
        longer than the file system's clock can blur, is the same file; one
        written just now is read and compared by its text (an atomic rewrite can
        reuse the freed inode within one tick of that clock: git's "racy" case).
        """
        meta = folder / RECORD_NAME
        cached = self._records.get(folder.name)
        try:
            st = os.lstat(meta)
        except OSError:
            st = None
        key = (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns) if st is not None else None
        settled = st is not None and time.time() - max(st.st_mtime, st.st_ctime) > RACY_SECONDS
        if cached is not None and key is not None and cached[0] == key and settled:
            return _copied(cached[2])
        try:
            data, _ = read_regular_file(meta, MAX_RECORD_BYTES)
        except LimitExceeded as exc:
            raise RecordUnreadable(folder, str(exc).removeprefix(f"{meta}: ")) from exc
        except OSError as exc:
            raise RecordUnreadable(folder, exc.strerror or str(exc)) from exc
        # The cached record is never handed out, only copies of it: store the one parsed here as it is.
        rec = cached[2] if cached is not None and cached[1] == data else self._parse_record(folder, data)
        self._records[folder.name] = (key, data, rec)
        return _copied(rec)

    def _parse_record(self, folder: Path, data: bytes) -> DocumentRecord:
        try:
            raw = safeyaml.load(data.decode("utf-8"), max_bytes=MAX_RECORD_BYTES)
        except UnicodeDecodeError as exc:
            raise RecordUnreadable(folder, f"not UTF-8 text (byte {exc.start})") from exc
        except safeyaml.YamlLimitError as exc:
            raise RecordUnreadable(folder, f"refused: the YAML {exc}") from exc
        except yaml.YAMLError as exc:
            raise RecordUnreadable(folder, f"not valid YAML ({_yaml_reason(exc)})") from exc
        try:
            return _record_from(raw, folder)
        except _NewerRecord as exc:
            raise RecordUnreadable(folder, str(exc), newer=True) from exc
        except (ValueError, KeyError, TypeError) as exc:
            reason = f"missing {exc}" if isinstance(exc, KeyError) else _short_reason(str(exc))
            raise RecordUnreadable(folder, reason or type(exc).__name__) from exc

    def _write_record(self, rec: DocumentRecord) -> None:
        data: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "id": rec.id, "title": rec.title}
        # Right after the title, so a file cut short still says whose title it was.
        if rec.title_set_by_user:
            data["title_set_by_user"] = True
        data.update(
            {
                "symbol": rec.symbol,
                "language": rec.language,
                "group": rec.group or rec.id,
            }
        )
        if rec.language_set_by_user:
            data["language_set_by_user"] = True
        data.update(
            {
                "current": rec.current,
                "imported_at": rec.imported_at,
                "stats": {"blocks": rec.blocks, "paragraphs": rec.paragraphs, "headings": rec.headings},
                "revisions": [r.to_yaml() for r in rec.revisions],
            }
        )
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        atomic_write_text(rec.folder / RECORD_NAME, text)


class _WriterLock(InterProcessLock):
    """The library write lock, raising :class:`LibraryError` when another process keeps it."""

    def acquire(self) -> None:
        """Take the lock (see :class:`InterProcessLock`)."""
        try:
            super().acquire()
        except WriteLockTimeout as exc:
            raise LibraryError(str(exc)) from exc
        except OSError as exc:  # a read-only stick, a folder without write permission
            raise LibraryError(f"cannot change {self.what}: {exc.strerror or exc}") from exc


class _NewerRecord(ValueError):
    """``document.yaml`` has a newer ``schema_version`` than this program reads."""


def _record_from(raw: object, folder: Path) -> DocumentRecord:
    if not isinstance(raw, dict):
        raise ValueError("not a mapping")
    version = raw.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        raise _NewerRecord(
            f"written by a newer version (schema {version}; this program reads {SCHEMA_VERSION})"
        )
    if version not in (1, SCHEMA_VERSION):
        raise ValueError(f"unsupported schema_version {version!r}")
    items = raw["revisions"]
    if not isinstance(items, list):
        raise ValueError("revisions: not a list")
    revs = [_revision_from(r, folder) for r in items]
    if not revs:
        raise ValueError("no revisions")
    stats = raw.get("stats") or {}
    if not isinstance(stats, dict):
        raise ValueError("stats: not a mapping")
    return DocumentRecord(
        id=_text(raw["id"], "id"),
        title=_text(raw.get("title") or folder.name, "title"),
        symbol=_text(raw["symbol"], "symbol") if raw.get("symbol") else None,
        language=_text(raw.get("language") or "zh-Hans", "language"),
        current=_text(raw.get("current") or revs[-1].sha256, "current"),
        revisions=revs,
        imported_at=_text(raw.get("imported_at") or revs[0].imported_at, "imported_at"),
        folder=folder,
        blocks=int(stats.get("blocks", 0)),
        paragraphs=int(stats.get("paragraphs", 0)),
        headings=int(stats.get("headings", 0)),
        title_set_by_user=bool(raw.get("title_set_by_user", False)),
        # Version 1 knew no language versions: every document stands alone.
        group=_text(raw.get("group") or "", "group") if version >= 2 else "",
        language_set_by_user=bool(raw.get("language_set_by_user", False)),
    )


_RECORD_FIELDS = tuple(f.name for f in fields(DocumentRecord))


def _copied(rec: DocumentRecord) -> DocumentRecord:
    """A record callers may edit without touching the cached one (revisions are frozen: shared)."""
    copy = DocumentRecord(*[getattr(rec, name) for name in _RECORD_FIELDS])
    copy.revisions = list(rec.revisions)
    return copy


def _revision_from(r: object, folder: Path) -> Revision:
    if not isinstance(r, dict):
        raise ValueError("revisions: an entry is not a mapping")
    rev = Revision(
        _text(r["sha256"], "sha256"),
        _text(r["file"], "file"),
        _text(r["original_name"], "original_name"),
        _text(r["imported_at"], "imported_at"),
        int(r["size"]),
    )
    _inside(folder, rev.file)  # refuse a path outside the document folder now, not when it is read
    return rev


def _rebuilt_record(
    folder: Path, revisions: list[Revision], current: Revision, doc: Document | None, salvage: dict[str, str]
) -> DocumentRecord:
    user_title = salvage.get("title_set_by_user") == "true" and bool(salvage.get("title"))
    if user_title:
        title, symbol = salvage.get("title"), salvage.get("symbol")
    elif doc is not None:
        title, symbol = doc.title, doc.symbol
    else:
        title, symbol = salvage.get("title"), salvage.get("symbol")
    rec = DocumentRecord(
        id=folder.name,
        title=title or folder.name,
        symbol=symbol or None,
        language=doc.language if doc else (salvage.get("language") or "zh-Hans"),
        current=current.sha256,
        revisions=revisions,
        imported_at=salvage.get("imported_at") or revisions[0].imported_at,
        folder=folder,
        title_set_by_user=user_title,
        # A language version rebuilt stays in its document's group.
        group=salvage.get("group") or "",
    )
    if doc is not None:
        _set_stats(rec, doc)
    return rec


def _text(value: object, key: str) -> str:
    # str() of a list would turn a nested structure into a huge string; only scalars are text.
    if isinstance(value, str | int | float | _dt.date) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{key}: expected text")


def _inside(folder: Path, rel: str) -> Path:
    """``folder / rel`` resolved, refused (``ValueError``) unless it stays inside ``folder``."""
    base = folder.resolve()
    target = (base / rel).resolve()
    if target == base or not target.is_relative_to(base):
        raise ValueError(f"file: {rel!r} points outside the document's folder in the library; refused")
    return target


def _set_stats(rec: DocumentRecord, doc: Document) -> None:
    rec.blocks = len(doc.blocks)
    rec.paragraphs = sum(1 for b in doc.blocks if b.kind is BlockKind.PARAGRAPH and b.number)
    rec.headings = sum(1 for b in doc.blocks if b.kind is BlockKind.HEADING)


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)


def _short_reason(text: str) -> str:
    line = " ".join(text.split())
    if "cannot be read (" in line:
        line = line.split("cannot be read (", 1)[1].rsplit(");", 1)[0]
    return line[:200]


_SALVAGE_KEYS = ("title", "title_set_by_user", "symbol", "language", "current", "imported_at", "group")
_SALVAGE_LINE = re.compile(r"^([a-z_]+): (.+)$")
_SALVAGE_REV = re.compile(
    r"^- sha256: ([0-9a-f]{64})\n\s+file: .*\n\s+original_name: (.+)\n\s+imported_at: (.+)$", re.MULTILINE
)


def _salvage(meta: Path) -> dict[str, str]:
    """Top-level scalars (title, current...) and revision names still legible in a damaged record."""
    try:
        raw, _ = read_regular_file(meta, MAX_RECORD_BYTES)
    except (OSError, LimitExceeded):
        return {}
    text = raw.decode("utf-8", errors="replace")
    found: dict[str, str] = {}
    for line in text.splitlines():
        m = _SALVAGE_LINE.match(line)
        if m and m.group(1) in _SALVAGE_KEYS and m.group(1) not in found:
            value = _scalar(m.group(2))
            if value is not None:
                found[m.group(1)] = value
    for m in _SALVAGE_REV.finditer(text):
        name, stamp = _scalar(m.group(2)), _scalar(m.group(3))
        if name and stamp:
            found[f"name:{m.group(1)}"] = name
            found[f"at:{m.group(1)}"] = stamp
    return found


def _scalar(text: str) -> str | None:
    try:
        value = safeyaml.load(text, max_bytes=4096)
    except yaml.YAMLError:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int | float | _dt.date):
        return value.isoformat() if isinstance(value, _dt.date) else str(value)
    return None


def _revisions_on_disk(folder: Path, salvage: dict[str, str]) -> list[Revision]:
    """Every original stored under ``revisions/`` (its hash computed from its bytes)."""
    found: list[Revision] = []
    base = folder / "revisions"
    if not base.is_dir() or base.is_symlink():
        return found
    for sub in sorted(base.iterdir()):
        if not sub.is_dir() or sub.is_symlink():
            continue
        for f in sorted(sub.iterdir()):
            if f.name.startswith(".") or f.is_symlink() or not f.is_file():
                continue
            try:
                data, st = read_regular_file(f, MAX_IMPORT_BYTES)
            except (OSError, LimitExceeded):
                continue
            sha = hashlib.sha256(data).hexdigest()
            stamp = (
                _dt.datetime.fromtimestamp(st.st_mtime, _dt.UTC).astimezone().isoformat(timespec="seconds")
            )
            rel = f"revisions/{sub.name}/{f.name}"
            found.append(
                Revision(
                    sha, rel, salvage.get(f"name:{sha}", f.name), salvage.get(f"at:{sha}", stamp), len(data)
                )
            )
    return found


def _keep_aside(path: Path) -> Path | None:
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    for attempt in range(100):
        target = path.with_name(f"{path.name}.corrupt-{stamp}" + (f"-{attempt}" if attempt else ""))
        if target.exists() or target.is_symlink():
            continue
        try:
            os.replace(path, target)
        except FileNotFoundError:
            return None
        return target
    return None


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


def safe_filename(name: str) -> str:
    """A file name safe on every file system, at most :data:`MAX_NAME_BYTES` bytes of UTF-8.

    Separators and control characters become ``_``; the extension is kept.  A
    shortened name ends in ``~`` and eight hex digits of the full name's hash,
    so two long names that share their first part stay apart.
    """
    base = Path(name).name
    base = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", base).strip(" .")
    if not base:
        return "document.txt"
    if len(base.encode("utf-8")) <= MAX_NAME_BYTES:
        return base
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem or len(ext.encode("utf-8")) > 16:
        stem, ext = base, ""
    suffix = "~" + hashlib.sha256(base.encode("utf-8")).hexdigest()[:8] + (f".{ext}" if ext else "")
    room = MAX_NAME_BYTES - len(suffix.encode("utf-8"))
    short = stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")  # never half a character
    return short.rstrip(" .") + suffix
