"""jieba's dictionary in a compact form, for cutting query terms without loading jieba.

jieba holds its dictionary as a dict of every word *and every prefix of one*
(498 113 strings, ~70 MB in a process; importing jieba adds ~20 MB of HMM
tables).  A search only cuts short query terms, so here the dictionary is one
string of its words in code-point order, their offsets and their frequencies
(~6 MB), and ``FREQ.get(frag)`` is a binary search: the word's frequency, ``0``
when ``frag`` only begins a word (jieba's prefix entries), ``None`` otherwise —
exactly what jieba's dict answers.  :func:`cut` runs jieba's no-HMM cut over it
(:func:`index.words.cut_han_block` for runs of Han characters and
alphanumerics, jieba's own rules for the rest), so its words are jieba's word
for word (a test compares them on real text and many substrings).

The compact file ``worddict-<jieba version>.bin`` is written once per cache
folder from jieba's ``dict.txt``, parsed as jieba parses it; a separate Python
process writes it (parsing costs ~40 MB), except in a frozen app.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import threading
import zlib
from array import array
from collections import OrderedDict
from pathlib import Path

from index.store import write_bytes_atomic
from index.words import Whoosh, cut_han_block, default_cache_dir, jieba_loaded, load_jieba

DICT_FORMAT = 1
# jieba's own splitters (jieba.re_han_default, re_skip_default; a test checks they are still jieba's).
RE_HAN = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)", re.U)
RE_SKIP = re.compile("(\r\n|\\s)", re.U)
_CUT_CACHE = 20_000
"""Query terms whose words are remembered (each page's snippets cut its terms again)."""


class WordDict:
    """jieba's word frequencies by binary search in one string (a ``tok`` for ``cut_han_block``)."""

    def __init__(self, keys: str, offsets: array[int], freqs: array[int], total: int) -> None:
        self._keys, self._offsets, self._freqs = keys, offsets, freqs
        self.total = total
        self.FREQ = self  # cut_han_block reads tok.FREQ.get and tok.total

    def __len__(self) -> int:
        return len(self._freqs)

    def get(self, frag: str) -> int | None:
        """As jieba's ``FREQ.get(frag)``: a word's frequency, 0 for a proper prefix of one, else ``None``."""
        keys, off = self._keys, self._offsets
        lo, hi = 0, len(self._freqs)
        while lo < hi:
            mid = (lo + hi) >> 1
            if keys[off[mid] : off[mid + 1]] < frag:
                lo = mid + 1
            else:
                hi = mid
        if lo == len(self._freqs):
            return None
        key = keys[off[lo] : off[lo + 1]]
        if key == frag:
            return self._freqs[lo]
        return 0 if key.startswith(frag) else None

    @classmethod
    def decode(cls, data: bytes) -> WordDict:
        """Parse a compact file (raises ``ValueError`` when damaged or foreign)."""
        nl = data.index(b"\n")
        h = json.loads(data[:nl])
        body = memoryview(data)[nl + 1 :]  # slices of a view copy nothing (the file is ~8 MB)
        n = int(h["n"])
        if h["format"] != DICT_FORMAT or len(body) != int(h["bytes"]) or zlib.crc32(body) != h["crc"]:
            raise ValueError("word dictionary damaged or foreign")
        offsets, freqs = array("q"), array("q")
        offsets.frombytes(body[: 8 * (n + 1)])
        freqs.frombytes(body[8 * (n + 1) : 8 * (2 * n + 1)])
        keys = str(body[8 * (2 * n + 1) :], "utf-8")
        if sys.byteorder != "little":
            offsets.byteswap()
            freqs.byteswap()
        if offsets[-1] != len(keys) or offsets[0] != 0:
            raise ValueError("word dictionary lengths disagree")
        return cls(keys, offsets, freqs, int(h["total"]))


def jieba_version() -> str:
    """The installed jieba's version (without importing it, unless its metadata was not bundled)."""
    try:
        return importlib.metadata.version("jieba")
    except importlib.metadata.PackageNotFoundError:
        import jieba

        return str(jieba.__version__)


def dict_path(cache_dir: Path) -> Path:
    """The compact dictionary's file in a cache folder."""
    return cache_dir / f"worddict-{jieba_version()}.bin"


def jieba_dictionary() -> Path:
    """The file ``dict.txt`` (what ``jieba.Tokenizer()`` loads), found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is not None and spec.submodule_search_locations:
        path = Path(next(iter(spec.submodule_search_locations))) / "dict.txt"
        if path.is_file():
            return path
    import jieba  # a frozen app's importer may not say where the package is

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def encode_dictionary(source: Path) -> bytes:
    """The compact form of a jieba dictionary file, parsed as ``jieba.Tokenizer.gen_pfdict`` does."""
    freq: dict[str, int] = {}
    total = 0
    with open(source, "rb") as fh:
        for raw in fh:
            line = raw.strip().decode("utf-8")
            word, f = line.split(" ")[:2]
            n = int(f)
            freq[word] = n  # a repeated word keeps its last frequency; the total counts both
            total += n
    keys = sorted(freq)
    offsets = array("q", [0])
    at = 0
    for k in keys:
        at += len(k)
        offsets.append(at)
    freqs = array("q", (freq[k] for k in keys))
    if sys.byteorder != "little":
        offsets.byteswap()
        freqs.byteswap()
    body = offsets.tobytes() + freqs.tobytes() + "".join(keys).encode("utf-8")
    header = {"format": DICT_FORMAT, "jieba": jieba_version(), "n": len(keys), "total": total,
              "bytes": len(body), "crc": zlib.crc32(body)}  # fmt: skip
    return json.dumps(header).encode("ascii") + b"\n" + body


def write_dictionary(cache_dir: Path) -> Path:
    """Write the compact dictionary into ``cache_dir`` (atomically) and return its path."""
    path = dict_path(cache_dir)
    write_bytes_atomic(path, encode_dictionary(jieba_dictionary()))
    return path


def main(cache_dir: str) -> int:
    """Entry of the process that writes the compact dictionary into ``cache_dir``."""
    write_dictionary(Path(cache_dir))
    return 0


_lock = threading.Lock()
_dict: WordDict | None = None
_cut_cache: OrderedDict[str, tuple[str, ...]] = OrderedDict()


def load_query_words(cache_dir: Path | None = None) -> None:
    """Make query terms cuttable without waiting (idempotent, thread-safe).

    Loads the compact dictionary (written first when the cache has none),
    unless this process has loaded jieba to index: its dict serves as well.
    """
    if _dict is None and not jieba_loaded():
        _query_dict(cache_dir)


def _query_dict(cache_dir: Path | None = None) -> WordDict:
    global _dict
    with _lock:
        if _dict is None:
            _dict = _load(cache_dir if cache_dir is not None else default_cache_dir())
        return _dict


def query_words_loaded() -> bool:
    """True once query terms can be cut without waiting: the compact dictionary or jieba itself is loaded."""
    return _dict is not None or jieba_loaded()


def _load(cache_dir: Path) -> WordDict:
    path = dict_path(cache_dir)
    try:
        return WordDict.decode(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or damaged: written again
    cache_dir.mkdir(parents=True, exist_ok=True)
    if not getattr(sys, "frozen", False):
        # -I: neither the working folder nor PYTHONPATH may shadow this very package.
        root = str(Path(__file__).resolve().parent.parent)
        code = "import sys; sys.path.insert(0, sys.argv[1]); import index.worddict as w; sys.exit(w.main(sys.argv[2]))"  # noqa: E501
        done = subprocess.run([sys.executable, "-I", "-c", code, root, str(cache_dir)], check=False)
        if done.returncode == 0:
            try:
                return WordDict.decode(path.read_bytes())
            except (OSError, ValueError, KeyError, TypeError):
                pass
    return WordDict.decode(write_dictionary(cache_dir).read_bytes())


def cut(text: str) -> tuple[str, ...]:
    """``jieba.Tokenizer().lcut(text, HMM=False)`` over the compact dictionary (recent terms cached)."""
    hit = _cut_cache.get(text)
    if hit is not None:
        return hit
    # Where indexing loaded jieba already, its dict gives the same words at no cost.
    d: Whoosh = _dict if _dict is not None else load_jieba() if jieba_loaded() else _query_dict()
    out = tuple(cut_with(d, text))
    with _lock:
        _cut_cache[text] = out
        while len(_cut_cache) > _CUT_CACHE:
            _cut_cache.popitem(last=False)
    return out


def cut_with(d: WordDict | Whoosh, text: str) -> list[str]:
    """The no-HMM cut of ``text`` (as jieba's) with ``d``: a :class:`WordDict` or a jieba tokenizer."""
    words: list[str] = []
    for blk in RE_HAN.split(text):
        if not blk:
            continue
        if RE_HAN.match(blk):
            words.extend(cut_han_block(d, blk))
            continue
        for x in RE_SKIP.split(blk):
            if RE_SKIP.match(x):
                words.append(x)
            else:
                words.extend(x)
    return words
