"""Qt-free full-text search: normalisation, exact-match store, jieba words in Whoosh, queries.

The engine (and numpy under it) is imported on first use of :class:`SearchEngine`,
not by ``import index.types``: the window's first paint does not wait for it.
"""

from typing import TYPE_CHECKING, Any

from index.locking import IndexBusy
from index.types import (
    TITLE_BLOCK,
    BuildReport,
    CancelFn,
    IndexBlock,
    IndexDoc,
    IndexHealth,
    NoteRecord,
    ProgressFn,
    SearchHit,
    SearchResults,
)

if TYPE_CHECKING:
    from index.engine import SCHEMA_VERSION, SearchEngine

__all__ = [
    "SCHEMA_VERSION",
    "TITLE_BLOCK",
    "BuildReport",
    "CancelFn",
    "IndexBlock",
    "IndexBusy",
    "IndexDoc",
    "IndexHealth",
    "NoteRecord",
    "ProgressFn",
    "SearchEngine",
    "SearchHit",
    "SearchResults",
]


def __getattr__(name: str) -> Any:  # noqa: ANN401 - module attributes of any type
    if name in ("SearchEngine", "SCHEMA_VERSION"):
        from index import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'index' has no attribute {name!r}")
