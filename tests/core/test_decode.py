"""Decoding of every supported encoding, and clear refusals of what is not text."""

from __future__ import annotations

import codecs
import os
import zipfile
from io import BytesIO

import pytest

from reader.core.decode import decode_bytes, sniff_encoding
from reader.core.errors import ImportFailed

SIMPLIFIED = (
    "第一章 总则\n\n第一条 为了保护民事主体的合法权益，调整民事关系，维护社会和经济秩序，制定本法。\n"
)
TRADITIONAL = (
    "第一章 總則\n\n第一條 為了保護民事主體的合法權益，調整民事關係，維護社會和經濟秩序，制定本法。\n"
)


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
    ],
)
def test_round_trips(data: bytes, encoding: str) -> None:
    text = decode_bytes(data, "x.txt")
    assert text in (SIMPLIFIED, TRADITIONAL)
    assert "\ufeff" not in text
    assert sniff_encoding(data) == encoding


def test_sample_in_every_encoding(sample_text: str) -> None:
    for enc in ("utf-8", "utf-8-sig", "utf-16", "gb18030"):
        assert decode_bytes(sample_text.encode(enc), "s.txt") == sample_text


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_ends_normalised(newline: str) -> None:
    data = SIMPLIFIED.replace("\n", newline).encode("utf-8")
    assert decode_bytes(data, "x.txt") == SIMPLIFIED


def _zip() -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", "hello")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"  \n\n \r\n", "no text"),
        (b"\x89PNG\r\n\x1a\n" + os.urandom(200), "PNG"),
        (_zip(), "ZIP"),
        (b"%PDF-1.7\n" + os.urandom(100), "PDF"),
        (bytes(range(256)) * 4, "binary"),
        (b"\x7fELF\x02\x01\x01" + bytes(100), "program"),
    ],
)
def test_refuses_non_text_with_clear_message(data: bytes, needle: str) -> None:
    with pytest.raises(ImportFailed) as err:
        decode_bytes(data, "briefing.txt")
    message = str(err.value)
    assert message.startswith("briefing.txt: ")
    assert needle in message
    assert "\n" not in message


def test_random_bytes_refused() -> None:
    rng = __import__("random").Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(2000))
        with pytest.raises(ImportFailed):
            decode_bytes(data, "noise.bin")
