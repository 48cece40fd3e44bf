"""Qt helpers shared by models, workers, widgets and features: the PySide6 guard, translation, themes.

The floor under ``reader.models``, ``reader.workers`` and ``reader.ui``: it imports
nothing from them.
"""

from reader.qt import qtguard as _qtguard  # noqa: F401 - must run before any Qt call
