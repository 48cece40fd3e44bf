from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

from reader.bundled_fonts import CJK_FAMILY, font_files, fonts_dir


def test_font_files_lists_the_bundled_cjk_font_with_its_licence_beside_it() -> None:
    files = font_files()
    assert [p.name for p in files] == ["wqy-microhei.ttc"]
    assert (fonts_dir() / "LICENSE-Apache-2.0.txt").is_file()
    assert "Apache-2.0" in (fonts_dir() / "COPYRIGHT-wqy-microhei.txt").read_text(encoding="utf-8")


def test_bundled_font_loads_in_qt_and_covers_chinese(qtbot: QtBot) -> None:
    families: list[str] = []
    for path in font_files():
        font_id = QFontDatabase.addApplicationFont(str(path))
        assert font_id >= 0
        families += QFontDatabase.applicationFontFamilies(font_id)
    assert CJK_FAMILY in families
    metrics = QFontMetrics(QFont(CJK_FAMILY))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "维持和平行动特别委员会第三十七段")
