"""Appearance: theme, zoom, reading width and language, restored from and saved to settings."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from reader.features import notes, read_only
from reader.features.base import App
from reader.qt.i18n import system_language, tr
from reader.qt.theme import DARK, LIGHT, THEMES, apply_theme


def connect(app: App) -> None:
    """Theme, zoom, reading width and language, restored from and saved to settings."""
    view, window, settings = app.window.view, app.window, app.settings
    theme = THEMES.get(str(settings.value("view/theme", "light")), LIGHT)
    qapp = QApplication.instance()
    if isinstance(qapp, QApplication):
        apply_theme(qapp, theme)
    view.set_theme(theme)
    window.notes.model.set_theme(theme)
    window.action("dark").setChecked(theme is DARK)
    view.set_font_size(int(str(settings.value("view/font_size", view.font_size))))
    view.set_reading_width(int(str(settings.value("view/reading_width", view.reading_width))))

    def set_dark(dark: bool) -> None:
        chosen = DARK if dark else LIGHT
        if isinstance(qapp, QApplication):
            apply_theme(qapp, chosen)
        view.set_theme(chosen)
        window.notes.model.set_theme(chosen)
        settings.setValue("view/theme", chosen.name)
        notes.refresh_highlights(app)

    window.action("dark").toggled.connect(set_dark)
    window.action("zoom_in").triggered.connect(lambda: view.zoom(1))
    window.action("zoom_out").triggered.connect(lambda: view.zoom(-1))
    view.zoom_changed.connect(lambda size: settings.setValue("view/font_size", size))

    def widen(step: int) -> None:
        view.set_reading_width(view.reading_width + step)
        settings.setValue("view/reading_width", view.reading_width)

    window.action("wider").triggered.connect(lambda: widen(80))
    window.action("narrower").triggered.connect(lambda: widen(-80))
    window.language_requested.connect(lambda code: set_language(app, code))
    set_language(app, str(settings.value("ui/language", "") or system_language()))


def set_language(app: App, code: str) -> None:
    """Switch the UI language (English when the catalogue is missing) and remember it."""
    window = app.window
    if not app.language.apply(code):
        window.show_error(tr("The %1 translation could not be loaded.").replace("%1", code))
    app.settings.setValue("ui/language", app.language.language)
    window.set_language_checked(app.language.language)
    # Messages already shown are in the old language: drop them, restate what still holds.
    window.show_message("")
    window.read_only_reason = ""
    read_only.update(app)
