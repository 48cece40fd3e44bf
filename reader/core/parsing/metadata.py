"""Metadata and finishing: front matter extent, title, symbol, language, notes linked to references."""

from __future__ import annotations

import re

from reader.core.furniture import is_page_furniture as _is_artifact
from reader.core.model import Block, BlockKind, Heading
from reader.core.parsing.schemes import _Cand
from reader.core.parsing.text import (
    _CIRCULATION,
    _SUP_TO_DIGIT,
    _SUPERSCRIPTS,
    _ends_sentence,
    _join,
)
from reader.core.parsing.units import _Unit

UN_SYMBOL = re.compile(
    r"^(?:A|S|E|ST|UNEP|TD|CRC|CEDAW|CCPR|DP|HRC|ECE|CERD|CAT|ICCD)(?:/[A-Za-z0-9.\-]+)+\d?(?:\s*\(\d{4}\))?"
    r"(?:\s*\((?:Vol|Part|Sect)\.\s*[IVX\d]+\))?$"
)
_SYMBOL_IN_TEXT = re.compile(r"\b((?:A|S|E)/(?:RES/)?\d{1,3}(?:/[A-Z0-9.\-]+)*\d)\b")
_PRC_DOCNO = re.compile(r"^[\u4e00-\u9fff]{1,10}[〔\[（(]\d{4}[〕\]）)]\s*\d+\s*号$")
# "Report of the Secretary-General" and its kin in the six UN languages: the line saying what
# kind of document this is, under its title (or, alone, the title itself).
_REPORT_TYPE = re.compile(
    r"^(秘书长的(报告|说明)|.{0,20}(的报告|的说明)|.{2,30}第[一二三四五六七八九十百]+次报告|说明|决议|"
    r"Report of the .*|Note by the .*|Informe del? .*|Nota del? .*|Rapport (du|de la|de l[’']) ?.*|"
    r"Note (du|de la|de l[’']) ?.*|Доклад .*|Записка .*|تقرير .*|مذكرة .*)\s*[*¹²³]*$"
)
# An agenda item's number; the line after it is the item's own title, not the document's.
_AGENDA = re.compile(
    r"^(议程项目.*|临时议程.*|暂定项目.*|.*项目\s*\d+\s*\*?$|(Provisional )?[Aa]genda item \d+.*|Item \d+.*|"
    r"Tema \d+.*|Point \d+.*|Пункт \d+.*|البند \d+.*)$"
)
_SESSION = re.compile(
    r"^(正式记录|Official Records|Documents officiels|Documentos Oficiales|Официальные отчеты|"
    r"الوثائق الرسمية|.*\b[Ss]ession$|.*período de sesiones$|.*сессия$|الدورة .*|"
    r"第[\u4e00-\u9fff]+届会议|[\u4e00-\u9fff]*\d{4}\s*年.*月.*日$|"
    # a session's dates: 13 June–8 July 2022, 1–12 July 2022
    r"\d{1,2}(er)?( \w+)?\s*[–-]\s*\d{1,2} \w+ \d{4}$)"
    r"|" + _AGENDA.pattern.removeprefix("^").removesuffix("$")
)
_SUMMARY = re.compile(r"^(摘要|内容提要|Summary|Resumen|Résumé|Резюме|موجز)$")
_FIELD_TITLE = re.compile(
    r"^(?:法規名稱|法规名称|標題|标题|名称|名稱|title)\s*[:：]\s*(\S.*)$", re.IGNORECASE
)
_HEADER_FIELD = re.compile(
    r"^(法規名稱|法规名称|修正日期|公布日期|發布日期|发布日期|生效狀態|生效状态|法規類別|法规类别|發文機關|发文机关|"
    r"發文字號|发文字号|成文日期|施行日期|主题分类|主題分類|title|author|date|tags|symbol)\s*[:：]",
    re.IGNORECASE,
)
# "The General Assembly," before a resolution's preamble, in the six languages.
_RESOLUTION_OPENING = re.compile(
    r"^(大会|安全理事会|经济及社会理事会|人权理事会|大會|安全理事會|"
    r"The General Assembly|The Security Council|The Economic and Social Council|"
    r"The Human Rights Council|L[’']Assemblée générale|Le Conseil de sécurité|"
    r"Le Conseil économique et social|Le Conseil des droits de l[’']homme|La Asamblea General|"
    r"El Consejo de Seguridad|El Consejo Económico y Social|El Consejo de Derechos Humanos|"
    r"Генеральная Ассамблея|Совет Безопасности|Экономический и Социальный Совет|"
    r"Совет по правам человека|(إن )?(الجمعية العامة|مجلس الأمن|المجلس الاقتصادي والاجتماعي|"
    r"مجلس حقوق الإنسان))\s*[，,،]$"
)


def is_resolution_opening(text: str) -> bool:
    """``大会，`` / ``The General Assembly,`` (any UN language): the line before a resolution's preamble."""
    return _RESOLUTION_OPENING.match(text) is not None


_GA_RESOLUTION = re.compile(r"^(\d{2})/(\d{1,4})\.\s+(\S.*)$")
_SC_RESOLUTION = re.compile(
    r"^(?:第\s*)?(\d{3,4})\s*[（(](\d{4})[)）]\s*号决议$|^Resolution (\d{3,4}) \((\d{4})\)$"
)


def _end_of_front_matter(units: list[_Unit], cands: list[_Cand], first_struct: int) -> int:
    """Where the body starts, given the first heading or numbered paragraph.

    Before that point, a resolution's body starts at "大会，"; other documents'
    body starts with the first prose paragraph (a full sentence), unless it
    is the summary (摘要) of a report, which belongs to the front matter.
    """
    in_summary = False
    # Header fields (法規名稱：…, 修正日期：…) belong to the front matter, and so
    # does a note among them; the body starts after the last of them.
    start = 1 + max((k for k in range(first_struct) if _HEADER_FIELD.match(units[k].text)), default=-1)
    if first_struct and len(units[0].text) >= 8:
        # A promulgation notice (公告) before the text repeats the title: the body starts after the repeat.
        again = next((k for k in range(1, first_struct) if units[k].text == units[0].text), None)
        start = max(start, again + 1) if again is not None else start
    for k, u in enumerate(units[:first_struct]):
        if k < start:
            continue
        t = u.text
        if _RESOLUTION_OPENING.match(t):
            return k
        if _SUMMARY.match(t):
            in_summary = True
            continue
        if in_summary or cands[k].kind in ("footnote", "toc", "artifact", "row"):
            continue
        if (
            len(t) >= 30
            and not _LETTERHEAD.search(t)
            and (re.search(r"[。！？.!?][”’」』）)]?$", t) or (t.endswith(("：", ":")) and "如下" in t))
        ):
            return k
    return first_struct


def _leading_titles(units: list[_Unit], cands: list[_Cand]) -> int:
    """In text without structure, how many opening lines are a title block (title, date, place)."""
    k = 0
    while k < min(len(units), 6) and cands[k].kind in ("plain", "artifact", "yaml", "rule"):
        t = units[k].text
        if cands[k].kind == "plain" and (len(t) > 40 or _ends_sentence(t) or t.endswith(("，", ","))):
            break
        k += 1
    # Only a title block if prose follows it.
    return k if k < len(units) and k < 6 else 0


def _mark_closing_lines(blocks: list[Block]) -> None:
    """Short lines after the last full paragraph (signature, date, place) are text, not paragraphs."""
    for blk in blocks:
        if blk.kind in (BlockKind.PARAGRAPH, BlockKind.TABLE) and _CIRCULATION.search(blk.text):
            blk.kind = BlockKind.TEXT  # 抄送：… / …办公厅 2023年3月1日印发
            blk.cells = None
        elif blk.kind is BlockKind.PARAGRAPH and not blk.number and _SALUTATION.match(blk.text):
            blk.kind = BlockKind.TEXT  # 主席女士：: a statement's address, not its content
    # The body ends at the end of the document and before each annex (its signature and
    # date stand above 附件/附表/Annex).
    ends = [k for k, blk in enumerate(blocks) if blk.kind is BlockKind.HEADING and _is_annex(blk)]
    for end in [*ends, len(blocks)]:
        for blk in reversed(blocks[:end]):
            if blk.kind in (BlockKind.FOOTNOTE, BlockKind.TEXT, BlockKind.FIGURE, BlockKind.TABLE):
                continue
            if (
                blk.kind is not BlockKind.PARAGRAPH
                or blk.number
                or len(blk.text) > 30
                or _ends_sentence(blk.text)
            ):
                break
            blk.kind = BlockKind.TEXT


def _is_annex(blk: Block) -> bool:
    return (blk.label or "").startswith(("附件", "附表", "附录", "附錄", "Annex", "ANNEX", "Appendix"))


def _footnote_id(marker: str) -> str:
    """``¹`` → ``fn1``, ``12`` → ``fn12``, ``*`` → ``fnstar``, ``**`` → ``fnstar2``."""
    digits = "".join(_SUP_TO_DIGIT.get(ch, ch) for ch in marker)
    if digits.isdigit():
        return f"fn{digits}"
    if set(marker) == {"*"}:
        return "fnstar" if len(marker) == 1 else f"fnstar{len(marker)}"
    if marker in "†‡":
        return "fndagger" if marker == "†" else "fndagger2"
    safe = re.sub(r"[^A-Za-z0-9]", "", marker)
    return f"fn{safe}" if safe else "fn"


def _link_footnotes(blocks: list[Block]) -> None:
    """Link each footnote to the nearest earlier block that carries its marker."""
    for idx, fn in enumerate(blocks):
        if fn.kind is not BlockKind.FOOTNOTE or not fn.number:
            continue
        marker = fn.number
        for prev in reversed(blocks[:idx]):
            if prev.kind is BlockKind.FOOTNOTE:
                continue
            if _has_marker(prev.text, marker):
                prev.footnotes.append(fn.id)
                fn.referenced_by.append(prev.id)
                break
        else:
            # References can also come after the note (notes gathered at the
            # end of a section are common in converted files).
            for nxt in blocks[idx + 1 :]:
                if nxt.kind is not BlockKind.FOOTNOTE and _has_marker(nxt.text, marker):
                    nxt.footnotes.append(fn.id)
                    fn.referenced_by.append(nxt.id)
                    break


def _has_marker(text: str, marker: str) -> bool:
    if marker and marker[0] in _SUPERSCRIPTS:
        return re.search(rf"(?<![{_SUPERSCRIPTS}]){re.escape(marker)}(?![{_SUPERSCRIPTS}])", text) is not None
    if marker.startswith("*") or marker in "†‡":
        return re.search(rf"[^\s*]{re.escape(marker)}(?!\*)", text) is not None
    return f"[^{marker}]" in text or f"[{marker}]" in text


def _find_title(blocks: list[Block], roots: list[Heading], source: str, source_name: str) -> str:
    front = [blk for blk in blocks if blk.kind is BlockKind.FRONT_MATTER]
    texts = [blk.text.rstrip("*" + _SUPERSCRIPTS).strip() for blk in front]

    for t in texts:
        m = _FIELD_TITLE.match(t)
        if m:
            return m.group(1).strip()
    # The line under an agenda item's number is the item's own title: it names the item the
    # document is issued under, not the document.  It may wrap (a line ending in 、 or a comma goes
    # on, as does one followed by a lower-case start); the document's title may follow at once.
    agenda: set[int] = set()
    for k in range(1, len(front)):
        wraps = texts[k - 1].endswith(tuple("，、,;；—-")) or texts[k][:1].islower()
        under = _AGENDA.match(texts[k - 1]) or (k - 1 in agenda and wraps)
        own = not _REPORT_TYPE.match(texts[k]) and not _AGENDA.match(texts[k])
        if under and own and _adjacent_lines(source, front[k - 1], front[k]):
            agenda.add(k)

    def with_continuation(k: int) -> str:
        # A long title is often broken over two lines with no blank between.
        t = texts[k]
        while (
            k + 1 < len(front)
            and _adjacent_lines(source, front[k], front[k + 1])
            and _title_like(texts[k + 1])
        ):
            t = _join(t, texts[k + 1])
            k += 1
        return t

    for k, t in enumerate(texts):
        if _SPONSORS.search(t) and k + 1 < len(texts) and 2 <= len(texts[k + 1]) <= 160:
            return texts[k + 1]  # 澳大利亚、巴西…：决议草案 — the draft's title follows its sponsors
        if _CORRIGENDUM.match(t):  # a corrigendum is titled by the document it corrects
            before = [x for x in texts[:k] if 2 <= len(x) <= 120 and not _SESSION.match(x)]
            if before and not UN_SYMBOL.match(before[-1]) and not _LETTERHEAD.search(before[-1]):
                return before[-1]
    for t in texts:
        m = _GA_RESOLUTION.match(t)
        if m and _title_like(m.group(3)):
            return m.group(3).strip()
    for k, t in enumerate(texts):
        if _REPORT_TYPE.match(t):
            for j in range(k - 1, -1, -1):
                if j in agenda:
                    break  # above it is the session block: the report-type line is the title
                if _title_like(texts[j]):
                    while (
                        j > 0
                        and _adjacent_lines(source, front[j - 1], front[j])
                        and _title_like(texts[j - 1])
                    ):
                        j -= 1
                    return with_continuation(j)
            if len(t) > 2:
                # "人权事务高级专员的报告" or "秘书长的报告" standing alone is the title (a bare
                # 说明 or 决议 is not: it names a kind of document, not this one).
                return t
    for k, t in enumerate(texts):
        if k not in agenda and _title_like(t) and _TITLE_WORDS.search(with_continuation(k)):
            return with_continuation(k)
    for upper_ok in (False, True):  # a mixed-case title before an ALL-CAPS kicker (POLICY BRIEF)
        for k, t in enumerate(texts):
            if k not in agenda and _title_like(t) and (upper_ok or not t.isupper()):
                return with_continuation(k)
    if roots and len(roots) == 1 and roots[0].title:
        return roots[0].title
    stem = source_name.rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return stem or (roots[0].title if roots else "Untitled")


_TITLE_WORDS = re.compile(
    r"关于|決定|决定|通知|意见|意見|法$|法典|条例|條例|規定|规定|办法|辦法|细则|細則|守则|守則|规则|規則|章程|准则|"
    r"报告|報告|决议|決議|公约|公約|宣言|"
    r"的信$|函$|照会|说明$|声明|發言|发言|讲话|講話|致辞|致辭|"
    r"Report|Review|Resolution|Convention|Declaration|Implementation"
)


def _adjacent_lines(source: str, a: Block, b: Block) -> bool:
    if not a.spans or not b.spans:
        return False
    gap = source[a.spans[-1][1] : b.spans[0][0]]
    return gap.count("\n") == 1 and not gap.strip()


def _title_like(t: str) -> bool:
    # A Chinese character says what three or four letters do: 80 of them are a long title.
    limit = 80 if re.search(r"[\u3400-\u9fff]", t) else 160
    return (
        2 <= len(t) <= limit
        and not _ends_sentence(t)
        and not _SESSION.match(t)
        and not UN_SYMBOL.match(t)
        and not _PRC_DOCNO.match(t)
        and not _SUMMARY.match(t)
        and not _REPORT_TYPE.match(t)
        and not _is_artifact(t)
        and not _LETTERHEAD.search(t)
        and not (t[0] in "（(" and t[-1] in "）)")  # （2021年9月21日，纽约）: date and place
        and not _DATED.match(t)  # 2014年2月19日 《…决定》第一次修订: a line of the law's history
    )


_SPONSORS = re.compile(
    r"[:：]\s*(修订)?(决议|決議|决定|決定)草案$|:\s*(revised )?draft (resolution|decision)$", re.IGNORECASE
)
# An address on a line of its own (主席女士：, Mr. President,). Closing thanks (谢谢主席。) stay
# paragraphs: an earlier red team counts them as the statement's last paragraph.
_SALUTATION = re.compile(
    r"^((主席|主席先生|主席女士|各位代表|女士们、先生们|同事们|各位同事)[：:，,]|"
    r"(Mr\.|Madam) (President|Chair)[:,])$"
)
_CORRIGENDUM = re.compile(r"^(更\s*正|Corrigendum|CORRIGENDUM|Rectificatif|Corrección|Исправление|تصويب)$")
_DATED = re.compile(
    r"^[（(]?\d{4}\s*年\s*\d{1,2}\s*月.*(修订|修正|修改|通过|发布|公布|施行|批准|废止)[）)]?$"
)


# The organisation and its organs in the six languages, as the first lines of a document print
# them (alone, or as the left column beside the symbol or the distribution).
_UN_NAMES = (
    "United Nations|Nations Unies|Naciones Unidas|Организация Объединенных Наций|الأمم المتحدة|"
    "General Assembly|Assemblée générale|Asamblea General|Генеральная Ассамблея|الجمعية العامة|"
    "Security Council|Conseil de sécurité|Consejo de Seguridad|Совет Безопасности|مجلس الأمن|"
    "Economic and Social Council|Conseil économique et social|Consejo Económico y Social|"
    "Экономический и Социальный Совет|المجلس الاقتصادي والاجتماعي|"
    "Human Rights Council|Conseil des droits de l[’']homme|Consejo de Derechos Humanos|"
    "Совет по правам человека|مجلس حقوق الإنسان"
)
_LETTERHEAD = re.compile(
    r"^((United Nations|联合国|聯合國|General Assembly|大会|Security Council|安全理事会)(?=\s|$)|"
    r"(United Nations|General Assembly|Security Council)\b|Distr\.|Original\s*:|"
    rf"({_UN_NAMES}|联\s*合\s*国|聯\s*合\s*國|大\s+会|大\s+會|经济及社会理事会|人权理事会)(?=\t|\s{{2,}}|$)|"
    r"Подлинный текст:|الأصل:|"
    r"(Chinese|English|French|Russian|Spanish|Arabic|中文|英文|法文|俄文|西班牙文|阿拉伯文|"
    r"Español|Français|Русский|عربي)$|"
    # the date, as each language version prints it: 1 June 2022, 1er juin 2022,
    # 1 de junio de 2022, 1 июня 2022 года, 2022年6月1日
    r"\d{1,2}(er)? (de )?\w+ (de )?\d{4}( года| г\.)?$|\d{4}年\d{1,2}月\d{1,2}日$)|\s{3,}"
)


def _find_symbol(blocks: list[Block], source_name: str) -> str | None:
    for k, blk in enumerate(blocks[:40]):
        if blk.kind is BlockKind.TABLE and k < 3 and blk.cells:
            # A Word document's letterhead is a table: United Nations | A/77/123.
            for cell in (c.strip() for row in blk.cells for c in row):
                if UN_SYMBOL.match(cell):
                    return cell
            continue
        if blk.kind in (BlockKind.FRONT_MATTER, BlockKind.TEXT) or (
            blk.kind is BlockKind.PARAGRAPH and not blk.number
        ):
            t = blk.text.strip()
            if UN_SYMBOL.match(t) or _PRC_DOCNO.match(t):
                return t
            m = re.search(r"(?:\s{2,}|\t)(\S+)$", t)  # the right column: United Nations<TAB>A/77/123
            if m and UN_SYMBOL.match(m.group(1)):
                return m.group(1)
            m = _GA_RESOLUTION.match(t)
            if m and blk.kind is BlockKind.FRONT_MATTER:
                return f"A/RES/{m.group(1)}/{m.group(2)}"
            m = _SC_RESOLUTION.match(t)
            if m:
                num, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                return f"S/RES/{num} ({year})"
    m = re.search(r"(?<![A-Za-z])([ASE])[_-](RES[_-])?(\d{1,3})[_-](\d{1,4})", source_name)
    if m:
        return "/".join(
            p.strip("_-") for p in (m.group(1), "RES" if m.group(2) else "", m.group(3), m.group(4)) if p
        )
    return None


def detect_language(text: str) -> str:
    """``zh-Hans``, ``zh-Hant``, ``en``, ``fr``, ``es``, ``ru`` or ``ar`` from the characters used.

    Text mixing Chinese and a Latin-script translation line by line is Chinese: a Chinese
    character carries about as much as three or four letters, so Chinese counts from a tenth.
    """
    sample = text[:30000]
    cjk = _count(_CJK, sample)
    latin = _count(_LATIN, sample)
    cyrillic = arabic = 0
    if cjk < len(sample) / 20:  # little Chinese: which other script?
        cyrillic, arabic = _count(_CYRILLIC, sample), _count(_ARABIC, sample)
    if cjk < latin / 10 or cjk < max(cyrillic, arabic) / 10:
        if max(cyrillic, arabic) > latin:
            return "ru" if cyrillic >= arabic else "ar"
        return _latin_language(sample)
    trad = len(_TRAD_RE.findall(sample))
    simp = len(_SIMP_RE.findall(sample))
    return "zh-Hant" if trad > simp else "zh-Hans"


# Runs of one script; counting by deleting runs is several times faster than finding characters.
_CJK = re.compile("[\u4e00-\u9fff]+")
_LATIN = re.compile("[A-Za-z]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")
_ARABIC = re.compile("[\u0600-\u06ff]+")


def _count(script: re.Pattern[str], sample: str) -> int:
    """How many characters of ``sample`` the script's pattern covers."""
    return len(sample) - len(script.sub("", sample))


_WORDS = {
    "en": re.compile(r"\b(the|and|of|to|is)\b"),
    "fr": re.compile(r"\b(les|des|et|est|une|dans)\b"),
    "es": re.compile(r"\b(los|las|del|y|una|en el)\b"),
}


def _latin_language(sample: str) -> str:
    """English, French or Spanish by their commonest words."""
    lower = sample[:6000].lower()  # a few thousand characters tell the language
    counts = {lang: len(p.findall(lower)) for lang, p in _WORDS.items()}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] > counts["en"] else "en"


_TRAD_MARKERS = set("這個們來時會說對國與為發經過還從問業進樣當點關應條權億務實導會議際東區協體戰鬥與")
_SIMP_MARKERS = set("这个们来时会说对国与为发经过还从问业进样当点关应条权亿务实导会议际东区协体战斗与")
_TRAD_RE = re.compile("[" + "".join(sorted(_TRAD_MARKERS)) + "]")
_SIMP_RE = re.compile("[" + "".join(sorted(_SIMP_MARKERS)) + "]")
