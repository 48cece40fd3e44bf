"""Fonts shipped in ``resources/fonts`` (a CJK font, so Chinese renders anywhere).

Qt-free: the UI registers each file with ``QFontDatabase.addApplicationFont``.
"""

from __future__ import annotations

from pathlib import Path

from reader.core.paths import resources_dir

FONT_SUFFIXES = frozenset({".ttf", ".ttc", ".otf", ".otc"})
CJK_FAMILY = "WenQuanYi Micro Hei"


def fonts_dir() -> Path:
    """The folder of bundled fonts, from a source checkout or a bundle."""
    return resources_dir() / "fonts"


def font_files() -> list[Path]:
    """Every bundled font file, sorted by name (empty when the folder is missing)."""
    folder = fonts_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in FONT_SUFFIXES and p.is_file())
