"""Where things live on disk: the library, caches, bundled resources.

One module decides every platform folder so tests (and delegates running from
a USB stick) can redirect all of them: ``--library DIR`` or the
``BRIEFING_READER_HOME`` environment variable puts the library, and the caches
that belong to it, in one folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "briefing-reader"
HOME_ENV = "BRIEFING_READER_HOME"
SAMPLE_NAME = "un_a75_peacekeeping_report_zh.txt"


def library_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The library folder: explicit override, then ``$BRIEFING_READER_HOME``, then the user data dir."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir(library: Path | None = None) -> Path:
    """Per-user cache folder (jieba's dictionary cache and the like).

    When the library was redirected (portable use, tests) the cache goes inside
    it so nothing leaks into the machine's shared temp or cache folders.
    """
    if library is not None and (os.environ.get(HOME_ENV) or not _is_default_library(library)):
        return library / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def _is_default_library(library: Path) -> bool:
    return library == Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The bundled ``resources/`` folder, from a source checkout or a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    candidates = []
    if bundle:
        candidates.append(Path(bundle) / "resources")
    candidates.append(Path(__file__).resolve().parents[2] / "resources")
    candidates.append(Path(sys.prefix) / "share" / APP_NAME / "resources")
    for c in candidates:
        if (c / SAMPLE_NAME).is_file():
            return c
    return candidates[0]


def sample_path() -> Path:
    """The bundled sample briefing, opened on first start."""
    return resources_dir() / SAMPLE_NAME
