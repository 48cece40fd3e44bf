"""Qt item models over core objects; they hold ids and fetch data lazily."""

from reader.qt import qtguard as _qtguard  # noqa: F401 - must run before any Qt call
