"""User-visible strings and the translator that renders them in the chosen language.

Every string shown to the user goes through :func:`tr`, which asks Qt's
translation system (``QCoreApplication.translate``) in one context, so a single
``.ts``/``.qm`` pair under ``resources/translations`` covers the whole UI.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from reader.core.paths import resources_dir

CONTEXT = "BriefingReader"
LANGUAGES = ("en", "zh_CN")


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """Translate a source (English) string in the application's context."""
    return QCoreApplication.translate(CONTEXT, text, disambiguation, n)


def translations_dir() -> Path:
    """Folder holding the compiled ``.qm`` catalogues."""
    return resources_dir() / "translations"


def system_language() -> str:
    """The UI language matching the system locale: Simplified Chinese or English."""
    name = QLocale.system().name()
    return "zh_CN" if name.startswith("zh") else "en"


class LanguageSwitcher:
    """Owns the installed :class:`QTranslator` and swaps it when the language changes."""

    def __init__(self) -> None:
        self._translator: QTranslator | None = None
        self.language = "en"

    def uninstall(self) -> None:
        """Remove our translator (the UI falls back to English)."""
        app = QCoreApplication.instance()
        if app is not None and self._translator is not None:
            app.removeTranslator(self._translator)
        self._translator = None
        self.language = "en"

    def apply(self, language: str) -> bool:
        """Install the catalogue for ``language`` (``"en"`` removes any); True on success."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        self.uninstall()
        if language == "en":
            return True
        translator = QTranslator(app)
        if not translator.load(f"briefing_reader_{language}", str(translations_dir())):
            return False
        app.installTranslator(translator)
        self._translator = translator
        self.language = language
        return True
