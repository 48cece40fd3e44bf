"""Qt widgets: the main window, panels, dialogs and the reading view."""

from reader.qt import qtguard as _qtguard  # noqa: F401 - must run before any Qt call
