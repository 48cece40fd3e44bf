"""The Whoosh analyzer of the word fields (imported only when the word index is opened).

Rows arrive already segmented: jieba runs before Whoosh (in worker processes
during bulk indexing, see :mod:`index.engine`), and the words of a row are
joined with :data:`index.words.WORD_SEP`.  This analyzer only splits them.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

from index.words import WORD_SEP, Whoosh


class JoinedWordsTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer yielding the pre-segmented words of a row (no stop words)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Whoosh,
    ) -> Iterator[Whoosh]:
        """Yield one reused Whoosh token per word, Whoosh's analyzer protocol."""
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        words = value.split(WORD_SEP) if tokenize else [value]
        pos = start_pos
        for word in words:
            if not word:
                continue
            t.original = t.text = word
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                # Character offsets are not kept (the word fields have no positions or chars).
                t.startchar, t.endchar = start_char, start_char + len(word)
            yield t


def word_analyzer() -> Whoosh:
    """The analyzer of the word fields."""
    return JoinedWordsTokenizer()
