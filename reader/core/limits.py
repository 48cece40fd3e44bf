"""Limits on everything read from outside the program, checked while reading.

A library travels on USB sticks and shared folders and delegates receive files
from strangers, so every size that an input *claims* or *expands to* is
bounded here, in one place, and the refusal is one line naming the file and
the limit.  Compressed data (a ``.docx`` member, a PDF Flate stream) is
inflated in pieces through :class:`ExpansionBudget`, which stops as soon as the
output passes a limit: the bound holds while reading, not after.
"""

from __future__ import annotations

import os
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path

from reader.core.errors import ImportFailed

MB = 1024 * 1024

MAX_IMPORT_BYTES = 256 * MB
"""Largest file accepted for import (a UN report with images is well under 50 MB)."""

MAX_MEMBER_BYTES = 64 * MB
"""Largest expanded size of one compressed part (a ``.docx`` member, a PDF stream)."""

MAX_EXPANDED_BYTES = 256 * MB
"""Largest expanded size of all compressed parts of one file together."""

MAX_RATIO = 100
"""Largest expansion ratio of a compressed part, checked once it passes :data:`RATIO_FLOOR`.

Word XML and PDF page streams expand 3 to 30 times; 1,000 is what deflate
gives for a run of one repeated byte, the stuff of bombs."""

RATIO_FLOOR = 4 * MB
"""Output size below which the ratio is not checked (small parts may compress very well)."""

MAX_MEMBERS = 10_000
"""Most members accepted in one ZIP package (a long report has a few hundred)."""

MAX_RECORD_BYTES = 1 * MB
"""Largest ``document.yaml`` read (a record with 100 revisions is about 30 KB)."""

MAX_NOTES_BYTES = 32 * MB
"""Largest annotation file read (no delegate writes 32 MB of notes)."""

MAX_YAML_NODES = 2_000_000
"""Most YAML nodes a file may expand to, each alias counting its whole target."""

MAX_YAML_ALIASES = 10_000
"""Most YAML aliases (``*name``) in one file; our files write none."""


class LimitExceeded(ImportFailed):
    """Input passed one of the limits above; the message names the file and the limit."""


def megabytes(n: int) -> str:
    """``64 MB`` for a byte count (rounded, for messages)."""
    return f"{n / MB:.0f} MB" if n >= MB else f"{n} bytes"


@dataclass(slots=True)
class ExpansionBudget:
    """What one file may expand to: per part, in total, and by ratio.

    Args:
        name: The file's name, for messages.
        member_limit: Largest expanded size of one part.
        total_limit: Largest expanded size of all parts together.
        ratio_limit: Largest output/input ratio of one part past ``ratio_floor``.
        ratio_floor: Output size from which the ratio is checked.
    """

    name: str
    member_limit: int = MAX_MEMBER_BYTES
    total_limit: int = MAX_EXPANDED_BYTES
    ratio_limit: float = MAX_RATIO
    ratio_floor: int = RATIO_FLOOR
    total: int = 0

    def check(self, what: str, produced: int, consumed: int) -> None:
        """Raise :class:`LimitExceeded` if a part that has produced so much from so little is too big.

        ``produced`` and ``consumed`` are the part's output and input so far;
        call it after every piece so a bomb is stopped early.
        """
        if produced > self.member_limit:
            raise LimitExceeded(
                f"{self.name}: {what} expands past {megabytes(self.member_limit)}, "
                "the limit for one compressed part; not imported"
            )
        if produced > self.ratio_floor and produced > self.ratio_limit * max(consumed, 1):
            raise LimitExceeded(
                f"{self.name}: {what} expands more than {self.ratio_limit:.0f} times "
                f"(past {megabytes(produced)} from {megabytes(consumed)}), "
                "the limit for compressed data; not imported"
            )

    def spend(self, produced: int) -> None:
        """Count ``produced`` more expanded bytes against the file's total (raises past the limit)."""
        self.total += produced
        if self.total > self.total_limit:
            raise LimitExceeded(
                f"{self.name}: the compressed parts expand past {megabytes(self.total_limit)} together, "
                "the limit for one file; not imported"
            )

    def inflate(self, data: bytes, what: str, *, wbits: int = zlib.MAX_WBITS) -> bytes:
        """Inflate zlib ``data`` in pieces, never holding more than the limits allow.

        Raises:
            LimitExceeded: The output passed a limit (stopped there).
            zlib.error: The data is not valid zlib (the caller decides what that means).
        """
        stream = BoundedInflater(self, what, wbits=wbits)
        out = stream.decompress(data)
        out += stream.flush()
        return out


class BoundedInflater:
    """A ``zlib.decompressobj`` whose total output is held to an :class:`ExpansionBudget`."""

    _PIECE = 1 * MB

    def __init__(self, budget: ExpansionBudget, what: str, *, wbits: int = zlib.MAX_WBITS) -> None:
        self._budget = budget
        self._what = what
        self._inner = zlib.decompressobj(wbits)
        self.produced = 0
        self.consumed = 0

    @property
    def eof(self) -> bool:
        """True when the end of the compressed stream was reached."""
        return bool(self._inner.eof)

    @property
    def unused_data(self) -> bytes:
        """Bytes after the end of the compressed stream."""
        return bytes(self._inner.unused_data)

    def decompress(self, data: bytes) -> bytes:
        """Inflate ``data`` one piece at a time, checking the budget after each piece."""
        fed = self.consumed
        pieces: list[bytes] = []
        pending = data
        while True:
            piece = self._inner.decompress(pending, self._PIECE)
            pending = self._inner.unconsumed_tail
            # What the output really came from so far, not all that was handed over.
            self.consumed = fed + len(data) - len(pending)
            if piece:
                self._count(len(piece))
                pieces.append(piece)
            # A full piece may leave output inside zlib even when all input is taken.
            if self._inner.eof or (not pending and len(piece) < self._PIECE):
                return b"".join(pieces)

    def flush(self) -> bytes:
        """The last bytes held by the inflater."""
        rest = bytes(self._inner.flush())
        if rest:
            self._count(len(rest))
        return rest

    def _count(self, n: int) -> None:
        self.produced += n
        self._budget.check(self._what, self.produced, self.consumed)
        self._budget.spend(n)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words (``a named pipe``, ``a device``...)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(
    path: Path, max_bytes: int, *, label: str | None = None
) -> tuple[bytes, os.stat_result]:
    """Read a regular file of at most ``max_bytes``; a FIFO, device or folder is refused, not waited on.

    Args:
        path: The file (a symlink is followed; callers that must say so check first).
        max_bytes: Largest size accepted, checked before reading and while reading.
        label: How to name the file in messages (default: the path).

    Raises:
        LimitExceeded: Not a regular file, or larger than ``max_bytes``.
        OSError: The file cannot be opened or read.
    """
    name = label or str(path)
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait for ever.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LimitExceeded(f"{name}: is {file_kind(st.st_mode)}, not a regular file; not read")
        if st.st_size > max_bytes:
            size, limit = megabytes(st.st_size), megabytes(max_bytes)
            raise LimitExceeded(f"{name}: the file is too large ({size}; the limit is {limit})")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(MB, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:
                raise LimitExceeded(f"{name}: the file grew past {megabytes(max_bytes)} while being read")
        return b"".join(chunks), st
    finally:
        os.close(fd)
