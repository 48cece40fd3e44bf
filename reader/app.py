"""Composition root: builds the library, services and window, and wires every feature.

Each feature's behaviour lives in its own module under :mod:`reader.features`,
which owns its ``connect(app)``; this module only creates the objects, calls
those in order and runs the event loop.
"""

from __future__ import annotations

import argparse
import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QFontDatabase, QUndoStack
from PySide6.QtWidgets import QApplication

from reader.core import paths
from reader.core.annotations import AnnotationStore
from reader.core.library import Library
from reader.features import (
    appearance,
    bookmarks,
    contents,
    external_changes,
    library,
    lifecycle,
    notes,
    notes_files,
    read_only,
    reading,
    search,
)
from reader.features.base import App, Session
from reader.features.library import refresh_library
from reader.features.lifecycle import shutdown, start
from reader.qt import qtguard as _qtguard  # noqa: F401 - before any Qt call
from reader.qt.i18n import LanguageSwitcher
from reader.ui.mainwindow import MainWindow
from reader.workers.jobs import JobRunner
from reader.workers.notes import NotesGuard
from reader.workers.search import SearchService

__all__ = [
    "App",
    "Session",
    "build",
    "load_bundled_fonts",
    "refresh_library",
    "run",
    "settings_for",
    "shutdown",
    "start",
]

SETTINGS_FILE = "ui.ini"
NOTES_SAVE_DELAY_MS = 600

FEATURES = (
    appearance,
    reading,
    contents,
    library,
    search,
    notes,
    bookmarks,
    notes_files,
    read_only,
    external_changes,
    lifecycle,
)
"""Every feature, in the order its ``connect`` runs (handlers of one signal run in this order)."""


def settings_for(library: Library) -> QSettings:
    """The window's settings file, inside the library's config folder (so tests redirect it)."""
    library.config_dir.mkdir(parents=True, exist_ok=True)
    return QSettings(str(library.config_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def load_bundled_fonts() -> None:
    """Register fonts shipped under resources/fonts (CJK coverage on bare systems)."""
    folder = paths.resources_dir() / "fonts"
    if folder.is_dir():
        for font in sorted(folder.iterdir()):
            if font.suffix.lower() in (".ttf", ".otf", ".ttc"):
                QFontDatabase.addApplicationFont(str(font))


def build(library: Library, settings: QSettings | None = None) -> App:
    """Create the window and services for ``library`` and wire every feature (nothing started yet)."""
    settings = settings or settings_for(library)
    window = MainWindow()
    undo = QUndoStack(window)
    save_timer = QTimer(window)
    save_timer.setSingleShot(True)
    save_timer.setInterval(NOTES_SAVE_DELAY_MS)
    app = App(
        library=library,
        settings=settings,
        window=window,
        runner=JobRunner(parent=window),
        session=Session(),
        store=AnnotationStore(library, autosave=False),
        search=SearchService(library),
        undo=undo,
        language=LanguageSwitcher(),
        save_timer=save_timer,
        guard=NotesGuard(window),
    )
    for feature in FEATURES:
        feature.connect(app)
    return app


def run(args: argparse.Namespace) -> int:
    """Start the GUI on ``args.library`` (or the default library); returns the exit status."""
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("Briefing Reader")
    qapp.setOrganizationName("briefing-reader")
    load_bundled_fonts()
    library = Library.open(getattr(args, "library", None))
    app = build(library)
    start(app)
    status = qapp.exec()
    shutdown(app)
    return int(status)
