"""Background work on the Qt thread pool: progress, cancel, request ids."""

from reader.qt import qtguard as _qtguard  # noqa: F401 - must run before any Qt call
