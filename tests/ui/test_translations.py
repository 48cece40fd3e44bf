from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

from pytestqt.qtbot import QtBot

import reader.core.annotations.commands as commands
from reader.models.library import COLUMNS
from reader.qt.i18n import LanguageSwitcher, tr, translations_dir
from reader.qt.theme import NOTE_COLOURS
from reader.ui.mainwindow import ACTION_DEFS, DOCK_DEFS, MENUS
from reader.ui.search_panel import SCOPES

ROOT = Path(__file__).resolve().parents[2]


def source_strings() -> set[str]:
    files = [
        *ROOT.joinpath("reader/ui").glob("*.py"),
        *ROOT.joinpath("reader/models").glob("*.py"),
        *ROOT.joinpath("reader/qt").glob("*.py"),
        *ROOT.joinpath("reader/features").glob("*.py"),
        ROOT / "reader/app.py",
    ]
    found: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "tr"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    found |= {d.title for d in DOCK_DEFS} | {a[1] for a in ACTION_DEFS} | {m[0] for m in MENUS}
    found |= {s[1] for s in SCOPES} | set(COLUMNS) | set(NOTE_COLOURS)
    found |= {
        cls.text
        for cls in vars(commands).values()
        if isinstance(cls, type) and issubclass(cls, commands.Command) and cls.text
    }
    return found


def test_every_ui_string_has_a_chinese_translation() -> None:
    ts = ET.parse(translations_dir() / "briefing_reader_zh_CN.ts")
    translated = {m.findtext("source"): m.findtext("translation") for m in ts.iter("message")}
    missing = sorted(s for s in source_strings() if not translated.get(s))
    assert missing == []


def test_compiled_catalogue_is_current_and_loads(qtbot: QtBot) -> None:
    ts = translations_dir() / "briefing_reader_zh_CN.ts"
    qm = translations_dir() / "briefing_reader_zh_CN.qm"
    assert qm.stat().st_mtime >= ts.stat().st_mtime - 1
    switcher = LanguageSwitcher()
    assert switcher.apply("zh_CN")
    assert tr("Search") == "搜索"
    assert tr("%1 results (%2 ms)") == "%1 条结果（%2 毫秒）"
    assert switcher.apply("en")
    assert tr("Search") == "Search"
    assert not switcher.apply("xx_YY")
    assert switcher.language == "en"
