"""A word-segmentation worker process (``main`` with arguments ``PACKAGE_ROOT CACHE_DIR``).

Reads requests from stdin and answers on stdout, each a 4-byte big-endian
length and a ``marshal``-encoded list of normalised row texts (answer: the
rows' joined words, see :func:`index.words.joined_words`).  Started by
:class:`index.engine.SearchEngine` for bulk indexing as a plain subprocess,
so the caller's main module is never re-imported (as ``multiprocessing``'s
spawn would do).
"""

from __future__ import annotations

import marshal
import struct
import sys
from pathlib import Path
from typing import IO

from index.words import joined_words_of_rows, load_jieba

_LEN = struct.Struct(">I")


def write_message(out: IO[bytes], obj: list[str]) -> None:
    """Write one length-prefixed ``marshal`` message."""
    data = marshal.dumps(obj)
    out.write(_LEN.pack(len(data)) + data)
    out.flush()


def read_message(inp: IO[bytes]) -> list[str] | None:
    """Read one message; ``None`` at end of input."""
    head = inp.read(_LEN.size)
    if len(head) < _LEN.size:
        return None
    (n,) = _LEN.unpack(head)
    data = inp.read(n)
    if len(data) < n:
        return None
    obj = marshal.loads(data)
    if not isinstance(obj, list):
        raise ValueError("segmentation request is not a list")
    return obj


def main() -> int:
    """Serve requests until stdin closes."""
    load_jieba(Path(sys.argv[2]))
    inp, out = sys.stdin.buffer, sys.stdout.buffer
    while (texts := read_message(inp)) is not None:
        write_message(out, joined_words_of_rows(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
