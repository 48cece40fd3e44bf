"""Read a file of any supported format into a :class:`Document`.

Plain text and Markdown go straight to the text parser; Word and PDF files are
first turned into text plus structure hints by :mod:`reader.core.formats`.
"""

from __future__ import annotations

import hashlib
import importlib
from pathlib import Path

from reader.core.decode import MAX_TEXT_BYTES, decode_bytes
from reader.core.errors import ImportFailed
from reader.core.model import Document
from reader.core.parser import parse_text

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", "")
RICH_SUFFIXES = {".docx": "docx", ".pdf": "pdf"}
SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".docx", ".pdf")
MAX_FILE_BYTES = 256 * 1024 * 1024


def read_file_bytes(path: Path) -> bytes:
    """Read a file for import, with one clear error line for every way it can fail."""
    name = path.name
    try:
        if path.is_dir():
            raise ImportFailed(f"{path}: is a folder, not a document")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFailed(f"{name}: the file is too large ({size / 1024 / 1024:.0f} MB)")
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: no such file") from exc
    except PermissionError as exc:
        raise ImportFailed(f"{path}: permission denied") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def load_path(path: Path, *, doc_id: str = "") -> Document:
    """Parse a file without importing it."""
    return load_bytes(read_file_bytes(path), path.name, doc_id=doc_id)


def load_bytes(data: bytes, name: str, *, doc_id: str = "") -> Document:
    """Parse a file's bytes; the format is chosen by the name's suffix, then by content."""
    digest = hashlib.sha256(data).hexdigest()
    suffix = Path(name).suffix.lower()
    fmt = RICH_SUFFIXES.get(suffix)
    if fmt is None and suffix not in SUPPORTED_SUFFIXES:
        # Unknown suffix: sniff for the rich formats, else try it as text.
        if data.startswith(b"%PDF"):
            fmt = "pdf"
        elif data.startswith(b"PK\x03\x04") and b"word/" in data[:4096]:
            fmt = "docx"
    if fmt is not None:
        return _load_rich(fmt, data, name, digest, doc_id)
    if len(data) > MAX_TEXT_BYTES:
        raise ImportFailed(
            f"{name}: the file is too large ({len(data) / 1024 / 1024:.0f} MB; the limit is 64 MB)"
        )
    text = decode_bytes(data, name)
    return parse_text(text, doc_id=doc_id, source_name=name, source_hash=digest)


def _load_rich(fmt: str, data: bytes, name: str, digest: str, doc_id: str) -> Document:
    try:
        module = importlib.import_module(f"reader.core.formats.{fmt}")
    except ModuleNotFoundError as exc:
        raise ImportFailed(f"{name}: .{fmt} files cannot be imported by this version") from exc
    reader_fn = getattr(module, f"read_{fmt}")
    try:
        extracted = reader_fn(data, name)
    except ImportFailed:
        raise
    except Exception as exc:  # a damaged file can upset any third-party reader
        raise ImportFailed(
            f"{name}: the file is damaged or not a real .{fmt} file ({type(exc).__name__})"
        ) from exc
    if not extracted.text.strip():
        raise ImportFailed(f"{name}: the document contains no text")
    return parse_text(
        extracted.text,
        doc_id=doc_id,
        source_name=name,
        source_hash=digest,
        hints=extracted.hints,
        title=extracted.title or None,
        symbol=extracted.symbol or None,
    )
