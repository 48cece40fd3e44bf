"""Render the application icon (resources/icons/briefing-reader.svg) to PNG, ICO and ICNS.

Run once after editing the SVG: ``.venv/bin/python packaging/make_icons.py``.
The outputs are committed, so building the installers does not need this.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "briefing-reader.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    """The icon drawn at ``size`` x ``size`` pixels on a transparent background."""
    image = QImage(QSize(size, size), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def write(image: QImage, path: Path, fmt: str) -> None:
    """Write ``image`` in ``fmt``, failing loudly (Qt only returns False)."""
    writer = QImageWriter(str(path), fmt.encode())
    if not writer.write(image):
        raise SystemExit(f"make_icons: cannot write {path}: {writer.errorString()}")


def main() -> int:
    """Write briefing-reader-<N>.png for each size, briefing-reader.ico and briefing-reader.icns."""
    app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SVG} is not a valid SVG")
    for size in PNG_SIZES:
        write(render(renderer, size), ICONS / f"briefing-reader-{size}.png", "png")
    # One frame per file format; Windows picks the 256 px frame and scales it down.
    write(render(renderer, 256), ICONS / "briefing-reader.ico", "ico")
    write(render(renderer, 512), ICONS / "briefing-reader.icns", "icns")
    del app
    print(f"icons written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
