"""Hostile and damaged files, made at test time, and a child-process runner that measures them.

Bombs are built without compressing their expanded size: a deflate segment
ending in a full flush refers to nothing before it, so the same compressed
bytes repeated ``n`` times inflate to the same text repeated ``n`` times.  A
1 GB member therefore costs a CRC pass to make, not a compression pass.
"""

from __future__ import annotations

import os
import resource
import struct
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


# ---------------------------------------------------------------- deflate pieces


def _segment(data: bytes, *, final: bool = False) -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


@dataclass(frozen=True, slots=True)
class Repeated:
    """Text ``head + body * count + tail`` as raw deflate, with its CRC-32 and Adler-32."""

    head: bytes
    body: bytes
    count: int
    tail: bytes

    @property
    def size(self) -> int:
        """Expanded size in bytes."""
        return len(self.head) + len(self.body) * self.count + len(self.tail)

    def deflate(self) -> bytes:
        """The raw deflate stream."""
        return _segment(self.head) + _segment(self.body) * self.count + _segment(self.tail, final=True)

    def checksums(self) -> tuple[int, int]:
        """``(crc32, adler32)`` of the expanded text, computed piece by piece."""
        crc = zlib.crc32(self.head)
        adler = zlib.adler32(self.head)
        for _ in range(self.count):
            crc = zlib.crc32(self.body, crc)
            adler = zlib.adler32(self.body, adler)
        return zlib.crc32(self.tail, crc), zlib.adler32(self.tail, adler)


# ---------------------------------------------------------------- .docx


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    b'Target="word/document.xml"/></Relationships>'
)
DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
DOC_TAIL = b"</w:body></w:document>"


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP file from ``(name, deflated bytes, crc, compressed size, expanded size)``."""
    out = bytearray()
    central = bytearray()
    for name, data, crc, csize, usize in members:
        raw = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, usize, len(raw), 0)
        out += raw + data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize, usize, len(raw),
            0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += raw
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def _member(name: str, text: Repeated) -> tuple[str, bytes, int, int, int]:
    data = text.deflate()
    crc, _ = text.checksums()
    return (name, data, crc, len(data), text.size)


def docx_with_body(path: Path, body: Repeated) -> Path:
    """A minimal valid .docx whose ``word/document.xml`` is ``body`` (head and tail included)."""
    members = [
        _member("[Content_Types].xml", Repeated(CONTENT_TYPES, b"", 0, b"")),
        _member("_rels/.rels", Repeated(RELS, b"", 0, b"")),
        _member("word/document.xml", body),
    ]
    path.write_bytes(_zip(members))
    return path


def docx_paragraph_bomb(path: Path, expanded: int = 1024 * MB) -> Path:
    """Paragraphs of one repeated word, expanding to about ``expanded`` bytes (~1,000:1)."""
    para = b"<w:p><w:r><w:t>" + b"bomb " * 200 + b"</w:t></w:r></w:p>"
    body = para * (MB // len(para))
    return docx_with_body(path, Repeated(DOC_HEAD, body, max(1, expanded // len(body)), DOC_TAIL))


def docx_spaces(path: Path, expanded: int = 3 * 1024 * MB) -> Path:
    """One paragraph holding ``expanded`` bytes of spaces (the header says so honestly)."""
    head = DOC_HEAD + b'<w:p><w:r><w:t xml:space="preserve">'
    tail = b"</w:t></w:r></w:p>" + DOC_TAIL
    return docx_with_body(path, Repeated(head, b" " * MB, max(1, expanded // MB), tail))


def docx_lying_header(path: Path, expanded: int = 1024 * MB) -> Path:
    """A bomb whose central directory claims a small member: only reading tells the truth."""
    para = b"<w:p><w:r><w:t>" + b"bomb " * 200 + b"</w:t></w:r></w:p>"
    body = para * (MB // len(para))
    text = Repeated(DOC_HEAD, body, max(1, expanded // len(body)), DOC_TAIL)
    data = text.deflate()
    members = [
        _member("[Content_Types].xml", Repeated(CONTENT_TYPES, b"", 0, b"")),
        _member("_rels/.rels", Repeated(RELS, b"", 0, b"")),
        ("word/document.xml", data, 0, len(data), len(data) * 3),
    ]
    path.write_bytes(_zip(members))
    return path


# ---------------------------------------------------------------- PDF


def pdf_flate_bomb(path: Path, expanded: int = 1024 * MB) -> Path:
    """A one-page PDF whose content stream inflates to ``expanded`` bytes of text operators."""
    ops = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n"
    body = ops * (MB // len(ops))
    text = Repeated(b"", body, max(1, expanded // len(body)), b"")
    _, adler = text.checksums()
    stream = b"\x78\xda" + text.deflate() + struct.pack(">I", adler)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % k + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


# ---------------------------------------------------------------- YAML


def yaml_alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A "billion laughs" in YAML: ``width ** levels`` strings from a few hundred bytes."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels):
        refs = ", ".join([f"*l{k - 1}"] * width)
        lines.append(f"l{k}: &l{k} [{refs}]")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True, slots=True)
class Run:
    """One measured child process."""

    status: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float
    timed_out: bool

    @property
    def lines(self) -> list[str]:
        """Non-empty lines of stderr."""
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_measured(
    args: list[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 120.0,
    memory_cap_mb: int = 3072,
    root: Path = ROOT,
) -> Run:
    """Run ``python args...`` in a child, returning its own peak RSS (``wait4``) and wall time.

    The child runs under ``RLIMIT_AS`` of ``memory_cap_mb`` so that the old code,
    measured for the docs, cannot take the shared machine down with it.  ``root``
    is the checkout whose code runs (another one for "before" figures).
    """

    def cap() -> None:  # runs in the child before exec
        limit = memory_cap_mb * MB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"hostile-{os.getpid()}-{time.monotonic_ns()}"
    full_env = {**os.environ, **(env or {}), "PYTHONPATH": str(root)}
    started = time.monotonic()
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        proc = subprocess.Popen(
            [sys.executable, *args],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=full_env,
            cwd=root,
            preexec_fn=cap,  # the child does nothing else before exec
        )
        timed_out = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > timeout:
                proc.kill()
                timed_out = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    for suffix in (".out", ".err"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    # ru_maxrss is in KiB on Linux.
    return Run(proc.returncode, stdout, stderr, usage.ru_maxrss / 1024, seconds, timed_out)


def cli(library: Path, *argv: str, **kwargs: object) -> Run:
    """``briefing-reader --library LIB argv...`` in a measured child."""
    return run_measured(["-m", "reader", "--library", str(library), *argv], **kwargs)  # type: ignore[arg-type]


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (for byte-for-byte comparisons)."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def docx_lying_header_with_crc(path: Path, expanded: int = 1024 * MB, claimed: int = 8 * MB) -> Path:
    """Like :func:`docx_lying_header`, but the CRC is right for the ``claimed`` bytes the header admits.

    ``zipfile`` checks nothing wrong when reading such a member to its declared
    size; only inflating to the real end of the stream shows the lie.
    """
    para = b"<w:p><w:r><w:t>" + b"bomb " * 200 + b"</w:t></w:r></w:p>"
    body = para * (MB // len(para))
    text = Repeated(DOC_HEAD, body, max(1, expanded // len(body)), DOC_TAIL)
    data = text.deflate()
    crc = zlib.crc32((DOC_HEAD + body * (claimed // len(body) + 1))[:claimed])
    members = [
        _member("[Content_Types].xml", Repeated(CONTENT_TYPES, b"", 0, b"")),
        _member("_rels/.rels", Repeated(RELS, b"", 0, b"")),
        ("word/document.xml", data, crc, len(data), claimed),
    ]
    path.write_bytes(_zip(members))
    return path


def notes_alias_bomb(doc_id: str, levels: int = 9) -> str:
    """A colleague's notes file that validates, one note carrying a "billion laughs" in an extra key.

    Unknown keys are kept on merge (a newer minor version's fields survive), so
    the old code copied the shared structure once per alias: minutes and GBs.
    """
    return (
        "schema_version: 1\n"
        f"document: {{id: {doc_id}}}\n"
        "author: mallory\n" + yaml_alias_bomb(levels) + "notes:\n"
        "- id: n-bomb\n"
        "  created: '2026-01-01T00:00:00'\n"
        "  anchor: {revision: '', block: p3, start: 0, end: 1, quote: x}\n"
        f"  payload: *l{levels - 1}\n"
        "complete: true\n"
    )
