r"""Turn the bytes of a text file into ``str``: encoding detection and clean-up.

Supported: UTF-8 (with or without BOM), UTF-16/32 with BOM, UTF-16 without BOM
(by its zero bytes), GB18030/GBK/GB2312 and Big5.  Line ends become ``\n``.
Anything that is not text (images, archives, executables, random bytes) is
refused with a message that names the file, so nothing half-decoded reaches
the library.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable

from reader.core.errors import ImportFailed

MAX_TEXT_BYTES = 64 * 1024 * 1024

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (a .docx or other Office file?)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7fELF", "a program (ELF executable)"),
    (b"MZ", "a Windows program"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file (.doc/.xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"{\\rtf", "an RTF document (save it as .docx or plain text)"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_bytes(data: bytes, name: str) -> str:
    r"""Decode a text file's bytes, refusing binary and undecodable input.

    Args:
        data: The file's content.
        name: The file's name, used in error messages.

    Returns:
        The text with line ends normalised to ``\n`` and no BOM.

    Raises:
        ImportFailed: The file is empty, too large, binary or in no known encoding.
    """
    text = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportFailed(f"{name}: the file contains no text")
    _refuse_control_noise(text, name)
    return text


def sniff_encoding(data: bytes) -> str | None:
    """The encoding :func:`decode_bytes` would use, or ``None`` if it would refuse."""
    try:
        return _detect(data)
    except ImportFailed:
        return None


def _decode(data: bytes, name: str) -> str:
    if not data:
        raise ImportFailed(f"{name}: the file is empty")
    if len(data) > MAX_TEXT_BYTES:
        mb = len(data) / 1024 / 1024
        raise ImportFailed(f"{name}: the file is too large ({mb:.0f} MB; the limit is 64 MB)")
    encoding = _detect(data, name)
    for bom, enc in _BOMS:
        if enc == encoding and data.startswith(bom):
            data = data[len(bom) :]
            break
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"{name}: the text is damaged ({encoding} decoding failed at byte {exc.start})"
        ) from exc


def _detect(data: bytes, name: str = "file") -> str:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise ImportFailed(f"{name}: this is {what}, not a text document")
    sample = data[:65536]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        return utf16
    if b"\x00" in sample:
        raise ImportFailed(f"{name}: this looks like a binary file, not a text document")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    candidates: list[tuple[float, str]] = []
    checks: tuple[tuple[str, Callable[[str], bool]], ...] = (("gb18030", _common_gb), ("big5", _common_big5))
    for enc, common in checks:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, common), enc))
    if not candidates:
        raise ImportFailed(
            f"{name}: the text is in an unknown encoding (not UTF-8, UTF-16, GB18030/GBK or Big5)"
        )
    score, best = max(candidates)
    if score < 0.5:
        raise ImportFailed(f"{name}: this does not look like text in any supported encoding")
    return best


def _utf16_without_bom(sample: bytes) -> str | None:
    # Zero bytes mean UTF-16 or binary.  Decode both ways and keep the reading
    # made of ASCII, punctuation and common Chinese characters: random bytes
    # decode to rare characters from all over the BMP.
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: min(len(sample), 8192) // 2 * 2]
    best: tuple[float, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(enc)
        except UnicodeDecodeError:
            continue
        ok = sum(1 for c in text if _ordinary(c))
        score = ok / max(1, len(text))
        if best is None or score > best[0]:
            best = (score, enc)
    return best[1] if best is not None and best[0] >= 0.8 else None


def _ordinary(c: str) -> bool:
    if c.isascii():
        return c.isprintable() or c in "\n\r\t"
    if (
        "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        or c in "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
    ):
        return True
    return _common_gb(c) or _common_big5(c)


def _common_gb(ch: str) -> bool:
    # GB2312 level 1: the 3755 most frequent simplified characters.
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xD7


def _common_big5(ch: str) -> bool:
    # Big5 level 1: the 5401 frequently used traditional characters.
    try:
        b = ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xA4 <= b[0] <= 0xC6


def _plausibility(text: str, check: Callable[[str], bool]) -> float:
    """Share of CJK characters that are common ones in the candidate encoding."""
    cjk = [c for c in text[:20000] if "\u3400" <= c <= "\u9fff"]
    if not cjk:
        printable = sum(1 for c in text[:20000] if c.isprintable() or c in "\n\t")
        return printable / max(1, min(len(text), 20000))
    return sum(1 for c in cjk if check(c)) / len(cjk)


def _refuse_control_noise(text: str, name: str) -> None:
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\n\t\f\v") or 0x7F <= ord(c) < 0xA0)
    if bad > max(8, len(sample) // 100):
        raise ImportFailed(f"{name}: this looks like a binary file, not a text document")
