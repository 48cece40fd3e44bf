"""Light and dark colour themes for the window and the reading view."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours used by the palette and by the reading view's own painting."""

    name: str
    window: str
    base: str
    alternate: str
    text: str
    muted: str
    heading: str
    link: str
    highlight: str
    highlighted_text: str
    search_hit: str
    current_hit: str
    note_colours: dict[str, str]

    def palette(self) -> QPalette:
        """A Qt palette that paints widgets in this theme."""
        pal = QPalette()
        roles = {
            QPalette.ColorRole.Window: self.window,
            QPalette.ColorRole.WindowText: self.text,
            QPalette.ColorRole.Base: self.base,
            QPalette.ColorRole.AlternateBase: self.alternate,
            QPalette.ColorRole.Text: self.text,
            QPalette.ColorRole.Button: self.window,
            QPalette.ColorRole.ButtonText: self.text,
            QPalette.ColorRole.ToolTipBase: self.alternate,
            QPalette.ColorRole.ToolTipText: self.text,
            QPalette.ColorRole.PlaceholderText: self.muted,
            QPalette.ColorRole.Highlight: self.highlight,
            QPalette.ColorRole.HighlightedText: self.highlighted_text,
            QPalette.ColorRole.Link: self.link,
            QPalette.ColorRole.BrightText: self.heading,
        }
        for role, colour in roles.items():
            pal.setColor(role, QColor(colour))
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
            pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(self.muted))
        return pal

    def note_colour(self, name: str) -> QColor:
        """Background colour of a note highlight called ``name`` (yellow when unknown)."""
        return QColor(self.note_colours.get(name, self.note_colours["yellow"]))


LIGHT = Theme(
    name="light",
    window="#efefef",
    base="#fbfaf7",
    alternate="#f1efe9",
    text="#1d1d1d",
    muted="#7a7a7a",
    heading="#1f3a5f",
    link="#1f5fa8",
    highlight="#3d7bd9",
    highlighted_text="#ffffff",
    search_hit="#ffe27a",
    current_hit="#ff9f40",
    note_colours={
        "yellow": "#fff1a8",
        "green": "#cdeec3",
        "blue": "#c9def7",
        "pink": "#f7cfe0",
        "purple": "#e0d0f5",
        "orange": "#fcd9b0",
        "red": "#f6c4c0",
        "grey": "#dddddd",
    },
)

DARK = Theme(
    name="dark",
    window="#2b2b2e",
    base="#1e1f22",
    alternate="#27282c",
    text="#dcdcdc",
    muted="#8c8c8c",
    heading="#9cc3ff",
    link="#7fb2ff",
    highlight="#3d6fb8",
    highlighted_text="#ffffff",
    search_hit="#6b5a12",
    current_hit="#a65f12",
    note_colours={
        "yellow": "#5c5217",
        "green": "#2f5229",
        "blue": "#23415f",
        "pink": "#5f2a44",
        "purple": "#45305f",
        "orange": "#61401c",
        "red": "#642a26",
        "grey": "#444444",
    },
)

THEMES = {"light": LIGHT, "dark": DARK}
NOTE_COLOURS = tuple(LIGHT.note_colours)


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Paint the whole application in ``theme`` (Fusion style keeps palettes honest)."""
    app.setStyle("Fusion")
    app.setPalette(theme.palette())
