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
from reader.core.limits import MAX_IMPORT_BYTES, LimitExceeded, read_regular_file
from reader.core.model import Document

TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown", "")
RICH_SUFFIXES = {".docx": "docx", ".pdf": "pdf"}
SUPPORTED_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".docx", ".pdf")
MAX_FILE_BYTES = MAX_IMPORT_BYTES


def read_file_bytes(path: Path) -> bytes:
    """Read a file for import, with one clear error line for every way it can fail."""
    return read_source(path)[0]


def read_source(path: Path) -> tuple[bytes, str | None]:
    """Read a file for import: ``(bytes, remark)``, the remark saying where a link led.

    Only regular files are read: a symbolic link is resolved first (and the
    remark says so), a folder, named pipe or device is refused at once, and
    the size is bounded before and while reading.

    Raises:
        ImportFailed: One line naming the file and why (or the limit passed).
    """
    name = path.name
    remark = None
    try:
        target = path
        if path.is_symlink():
            target = path.resolve(strict=True)
            remark = f"{path}: is a link to {target}; imported that file"
        if target.is_dir():
            raise ImportFailed(f"{path}: is a folder, not a document")
        label = name if remark is None else f"{path} (a link to {target})"
        data, _ = read_regular_file(target, MAX_FILE_BYTES, label=label)
    except LimitExceeded:
        raise
    except FileNotFoundError as exc:
        what = "a link to a file that does not exist" if path.is_symlink() else "no such file"
        raise ImportFailed(f"{path}: {what}") from exc
    except PermissionError as exc:
        raise ImportFailed(f"{path}: permission denied") from exc
    except RuntimeError as exc:  # a symlink loop, from Path.resolve
        raise ImportFailed(f"{path}: a link that leads back to itself") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return data, remark


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
    from reader.core.parser import parse_text  # loads with the first parse (a worker), not at start-up

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
    from reader.core.parser import parse_text

    return parse_text(
        extracted.text,
        doc_id=doc_id,
        source_name=name,
        source_hash=digest,
        hints=extracted.hints,
        title=extracted.title or None,
        symbol=extracted.symbol or None,
    )
