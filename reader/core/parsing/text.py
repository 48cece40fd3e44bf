"""Shared predicates on text: sentence ends, heading shape, joining fragments, inline markup."""

from __future__ import annotations

import re

_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_FULLWIDTH = str.maketrans(
    {**{0xFF10 + k: 0x30 + k for k in range(10)}, **{0xFF21 + k: 0x41 + k for k in range(26)}}
)
_SUP_TO_DIGIT = {c: str(i) for i, c in enumerate(_SUPERSCRIPTS)}

_SENTENCE_END = set("。！？!?；;：:….")
_CLOSERS = set("”’」』）)》〉】]\"'")
_MAX_HEADING = 60

_LINK = re.compile(r"\[([^\[\]\n]*)\]\((?:[^()\s]*)\)")
_MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
def _table_cells(text: str) -> list[str] | None:
    """Cells of a table row written as a line (tab- or column-separated), else ``None``."""
    if "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
    elif re.search(r"\S {3,}\S|\S\u3000{2,}\S", text):
        cells = [c.strip() for c in re.split(r" {3,}|\u3000{2,}", text)]
    else:
        return None
    cells = [c for c in cells if c]
    if len(cells) < 2 or any(len(c) > 80 for c in cells):
        return None
    return cells


def _strip_md(text: str) -> str:
    return _MD_EMPHASIS.sub(r"\2", text)


def clean_inline(text: str) -> str:
    """Display text of a source fragment: links reduced to their visible text."""
    return _LINK.sub(r"\1", text)


def _ends_sentence(text: str) -> bool:
    t = text.rstrip()
    t = t.rstrip(_SUPERSCRIPTS + "*† ")
    while t and t[-1] in _CLOSERS:
        if len(t) >= 2 and t[-2] in _SENTENCE_END:
            return True
        t = t[:-1]
    return bool(t) and t[-1] in _SENTENCE_END


def _heading_shaped(title: str) -> bool:
    """Short, no sentence end: how a heading line looks."""
    t = title.strip()
    if not t or len(t) > _MAX_HEADING:
        return False
    return not _ends_sentence(t) and not t.endswith(("，", ","))


def _starts_continuation(text: str) -> bool:
    c = text[0]
    return c.isalnum() or c in "，、,)）”’》%．.—-" or "\u4e00" <= c <= "\u9fff"


def _is_cjk(c: str) -> bool:
    return "\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\U00020000" <= c <= "\U0003ffff"


def _join(a: str, b: str) -> str:
    """Join two fragments of one paragraph: no space in Chinese, one space in Latin text."""
    if not a or not b:
        return a + b
    x, y = a[-1], b[0]
    if _is_cjk(x) or _is_cjk(y) or x in "，。、；：（“" or y in "，。、；：）”":
        return a + b
    if x == "-" and len(a) > 1 and a[-2].isalpha() and y.islower():
        return a[:-1] + b
    return a + " " + b


# The words a resolution's preambular paragraphs open with, in the six UN languages.
_PREAMBLE_VERB = re.compile(
    r"^(回顾|重申|注意到|认识到|意识到|深切关注|深为关切|关切|欢迎|强调|铭记|考虑到|确认|申明|表示|赞赏|注意|又|还|"
    r"Recalling|Reaffirming|Noting|Welcoming|Recognizing|Recognising|Bearing|Emphasizing|Stressing|Concerned|"
    r"Deeply|Taking note|Acknowledging|Expressing|Mindful|Convinced|Guided|Affirming|Having|"
    r"Recordando|Reafirmando|Observando|Tomando nota|Acogiendo|Reconociendo|Teniendo presente|Destacando|"
    r"Subrayando|Preocupad[oa]|Profundamente|Expresando|Consciente|Convencid[oa]|Guiad[oa]|Afirmando|"
    r"Habiendo|Considerando|Poniendo de relieve|Alarmad[oa]|"
    r"Rappelant|Réaffirmant|Notant|Prenant note|Se félicitant|Accueillant|Reconnaissant|Ayant|Soulignant|"
    r"Insistant|Préoccupée?|Profondément|Exprimant|Consciente?|Convaincue?|Guidée?|Affirmant|Considérant|"
    r"Constatant|"
    r"Ссылаясь|Напоминая|Подтверждая|Вновь подтверждая|Отмечая|Принимая|Приветствуя|Признавая|Учитывая|"
    r"Подчеркивая|Будучи|Глубоко|Выражая|Сознавая|Руководствуясь|Рассмотрев|"
    r"و?إذ |وقد )"
)
_CIRCULATION = re.compile(r"^(抄送|主送|分送|发送)\s*[:：]|印发$")
_COLUMNS = re.compile(r"\S\s{3,}\S")  # a letterhead or table row laid out in columns
