"""Per-feature behaviour of the window: each module owns its ``connect(app)`` and handlers.

Panels only emit ``*_requested`` signals; a feature's ``connect`` decides what
happens.  Work that can take longer than a frame (loading, importing, indexing,
searching) runs in :mod:`reader.workers`.  :mod:`reader.app` builds the objects
and calls every feature's ``connect``.
"""

from reader.qt import qtguard as _qtguard  # noqa: F401 - must run before any Qt call
