"""Qt-free full-text search: normalisation, exact-match store, jieba words in Whoosh, queries."""

from index.engine import SCHEMA_VERSION, SearchEngine
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
