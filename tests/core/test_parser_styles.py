"""The parser on documents in every style it must recognise, against hand-written expectations.

Each fixture in tests/fixtures/texts/ (``*.txt``, ``*.md``) has a ``<stem>.yaml`` next to it,
written by reading the text (never by running the parser).  Expectation format:

``outline``
    One heading per line, ``label | title``, indented two spaces per level (level = depth + 1).
    An empty label means an unnumbered heading (markdown, 序言).  ``‖`` separates acceptable
    titles (``附件1 | ‖基层…`` accepts an empty title or the next line's text).  Labels and
    titles are compared with whitespace between CJK characters removed, so ``第 1 條`` matches
    ``第1條`` and ``总　　则`` matches ``总则``.
``paragraph_numbers``
    Official numbers of the numbered paragraphs, in order (omitted: not checked).
``under``
    ``label/label/...`` of a heading -> paragraph numbers whose innermost heading it is.
``paragraph_starts``
    The opening text of every paragraph block, in order.
``title``, ``title_contains``, ``symbol``, ``language``
    Document metadata.
``checks``
    Spot checks; ``find`` locates the one block whose raw text contains the needle (whitespace
    ignored); ``heading`` is a label path (an unnumbered heading is named by its title; ``[]``
    means "before any heading").  Types: ``kind``, ``paragraph``, ``not_heading``, ``body``
    (the block right after a run-in heading), ``footnote``, ``joined``, ``figure``, ``separate``
    (two needles in different blocks).

Every fixture is also checked for losslessness and for a consistent tree.
"""

from __future__ import annotations

import functools
import io
import itertools
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from reader.core.decode import decode_bytes
from reader.core.errors import ImportFailed
from reader.core.importers import load_bytes
from reader.core.model import Block, BlockKind, Document, Heading
from reader.core.parser import parse_text
from tests.core.lossless import assert_accounted

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "texts"
# The red-team fixtures have their own modules (test_parser_redteam*.py).
TEXTS = sorted(
    p for p in FIXTURES.iterdir() if p.suffix in {".txt", ".md"} and not p.name.startswith("redteam")
)


# ---------------------------------------------------------------- helpers


def _squash(s: str) -> str:
    """Drop all whitespace (U+3000 included): how needles are matched against raw text."""
    return "".join(s.split())


def _norm(s: str | None) -> str:
    """Collapse whitespace and drop it next to non-ASCII characters (CJK spacing is typographic)."""
    s = " ".join((s or "").split())
    return re.sub(r"(?<=[^\x00-\x7f]) | (?=[^\x00-\x7f])", "", s)


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _expect(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
    assert data["schema_version"] == 1
    return dict(data)


@functools.cache
def _doc(name: str) -> Document:
    path = FIXTURES / name
    return parse_text(_text(path), doc_id=path.stem, source_name=name)


def _outline_lines(roots: list[Heading]) -> list[str]:
    def walk(nodes: list[Heading], depth: int) -> Iterator[str]:
        for n in nodes:
            yield f"{'  ' * depth}{_norm(n.label)} | {_norm(n.title)}"
            yield from walk(n.children, depth + 1)

    return list(walk(roots, 0))


def _expected_outline(spec: str, actual: list[str]) -> list[str]:
    """Expected outline lines; a title with alternatives takes the actual one when it is allowed."""
    out: list[str] = []
    for i, raw in enumerate(line for line in spec.splitlines() if line.strip()):
        indent = len(raw) - len(raw.lstrip(" "))
        label, _, titles = raw.strip().partition("|")
        options = [_norm(t) for t in titles.split("‖")]
        line = f"{' ' * indent}{_norm(label)} | {options[0]}"
        if len(options) > 1 and i < len(actual):
            a_prefix, _, a_title = actual[i].partition(" | ")
            if a_prefix == f"{' ' * indent}{_norm(label)}" and a_title in options:
                line = actual[i]
        out.append(line)
    return out


def _find(doc: Document, needle: str) -> Block:
    want = _squash(needle)
    hits = [b for b in doc.blocks if want in _squash(doc.raw(b))]
    assert len(hits) == 1, f"{needle!r} should be in exactly one block, found {len(hits)}: " + "; ".join(
        f"{b.id}={doc.raw(b)[:40]!r}" for b in hits
    )
    return hits[0]


def _heading(doc: Document, path: list[str]) -> Heading:
    nodes = doc.tree
    found: Heading | None = None
    for step in path:
        key = _norm(str(step))
        matches = [n for n in nodes if (_norm(n.label) or _norm(n.title)) == key]
        assert len(matches) == 1, (
            f"heading path {path}: {len(matches)} matches for {step!r} among "
            f"{[(n.label, n.title) for n in nodes]}"
        )
        found = matches[0]
        nodes = found.children
    assert found is not None
    return found


def _assert_parent(doc: Document, block: Block, path: list[str]) -> None:
    if not path:
        assert block.parent is None, f"{block.id} should precede every heading, parent={block.parent}"
        return
    node = _heading(doc, path)
    assert block.parent == node.block, (
        f"{block.id} ({doc.raw(block)[:30]!r}) should be under {path} ({node.block}), "
        f"is under {block.parent} {doc.path(block.id)}"
    )


# ---------------------------------------------------------------- per-fixture expectations


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_outline(path: Path) -> None:
    doc = _doc(path.name)
    actual = _outline_lines(doc.tree)
    assert actual == _expected_outline(_expect(path).get("outline", ""), actual)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_paragraph_numbers(path: Path) -> None:
    exp = _expect(path)
    if "paragraph_numbers" not in exp:
        pytest.skip("numbering of enumerated items is not fixed for this style")
    doc = _doc(path.name)
    numbers = [b.number for b in doc.paragraphs() if b.number is not None]
    assert numbers == exp["paragraph_numbers"]


@pytest.mark.parametrize("path", [p for p in TEXTS if "under" in _expect(p)], ids=lambda p: p.stem)
def test_paragraphs_under_headings(path: Path) -> None:
    doc = _doc(path.name)
    wrong = []
    for heading_path, numbers in _expect(path)["under"].items():
        node = _heading(doc, str(heading_path).split("/"))
        for n in numbers:
            para = doc.paragraph(n)
            if para is None or para.parent != node.block:
                wrong.append((n, heading_path, None if para is None else doc.path(para.id)))
    assert not wrong, f"(paragraph, expected heading, actual path): {wrong}"


@pytest.mark.parametrize("path", [p for p in TEXTS if "paragraph_starts" in _expect(p)], ids=lambda p: p.stem)
def test_paragraph_starts(path: Path) -> None:
    doc = _doc(path.name)
    starts = [_squash(s) for s in _expect(path)["paragraph_starts"]]
    texts = [_squash(b.text) for b in doc.paragraphs()]
    assert [t[: len(s)] for t, s in zip(texts, starts, strict=False)] == starts
    assert len(texts) == len(starts)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_metadata(path: Path) -> None:
    exp = _expect(path)
    doc = _doc(path.name)
    if "title" in exp:
        assert _norm(doc.title) == _norm(exp["title"])
    if "title_contains" in exp:
        assert _norm(exp["title_contains"]) in _norm(doc.title)
    if "symbol" in exp:
        assert doc.symbol == exp["symbol"]
    if "language" in exp:
        assert doc.language == exp["language"]


def _check_cases() -> Iterator[Any]:
    for path in TEXTS:
        for i, check in enumerate(_expect(path).get("checks", [])):
            yield pytest.param(path.name, check, id=f"{path.stem}-{i}-{check['type']}")


def _check_kind(doc: Document, c: dict[str, Any]) -> None:
    b = _find(doc, c["find"])
    assert b.kind in {BlockKind(k) for k in c["kinds"]}, f"{b.id} is {b.kind}, want one of {c['kinds']}"
    if "text_has" in c:
        assert _squash(c["text_has"]) in _squash(b.text)
    if "text_lacks" in c:
        assert c["text_lacks"] not in b.text


def _check_paragraph(doc: Document, c: dict[str, Any]) -> None:
    b = _find(doc, c["find"])
    assert b.kind is BlockKind.PARAGRAPH, f"{b.id} ({doc.raw(b)[:30]!r}) is {b.kind}"
    if "number" in c:
        assert b.number == c["number"]
    if "heading" in c:
        _assert_parent(doc, b, c["heading"])


def _check_not_heading(doc: Document, c: dict[str, Any]) -> None:
    b = _find(doc, c["find"])
    assert b.kind is not BlockKind.HEADING, f"{b.id} ({doc.raw(b)[:30]!r}) became a heading"
    if "heading" in c:
        _assert_parent(doc, b, c["heading"])


def _check_body(doc: Document, c: dict[str, Any]) -> None:
    node = _heading(doc, c["heading"])
    nxt = doc.blocks[doc.index_of(node.block) + 1]
    assert nxt.kind is BlockKind.PARAGRAPH, f"after {node.block} comes {nxt.id} ({nxt.kind})"
    assert _squash(nxt.text).startswith(_squash(c["starts"])), f"{nxt.id} text: {nxt.text[:40]!r}"
    assert nxt.parent == node.block
    assert _squash(c["starts"]) not in _squash(doc.raw(doc.block(node.block)))


def _check_footnote(doc: Document, c: dict[str, Any]) -> None:
    fn = _find(doc, c["find"])
    assert fn.kind is BlockKind.FOOTNOTE, f"{fn.id} ({doc.raw(fn)[:30]!r}) is {fn.kind}"
    if "from_number" in c:
        ref = doc.paragraph(c["from_number"])
        assert ref is not None
    else:
        ref = _find(doc, c["from"])
    assert fn.id in ref.footnotes, f"{ref.id} footnotes: {ref.footnotes}"
    assert ref.id in fn.referenced_by, f"{fn.id} referenced_by: {fn.referenced_by}"


def _check_joined(doc: Document, c: dict[str, Any]) -> None:
    para = doc.paragraph(c["number"])
    assert para is not None, f"no paragraph {c['number']}"
    assert _squash(c["text"]) in _squash(para.text), f"paragraph {c['number']}: {para.text!r}"


def _check_figure(doc: Document, c: dict[str, Any]) -> None:
    b = _find(doc, c["find"])
    assert b.kind is BlockKind.FIGURE, f"{b.id} ({doc.raw(b)[:30]!r}) is {b.kind}"
    assert b.number == c["number"]
    raw = _squash(doc.raw(b))
    for part in c.get("also", []):
        assert _squash(part) in raw, f"{part!r} not in figure {b.id}: {raw!r}"


def _check_separate(doc: Document, c: dict[str, Any]) -> None:
    a, b = _find(doc, c["find"]), _find(doc, c["other"])
    assert a.id != b.id, f"{c['find']!r} and {c['other']!r} were merged into {a.id}: {doc.raw(a)!r}"


CHECKS: dict[str, Callable[[Document, dict[str, Any]], None]] = {
    "kind": _check_kind,
    "paragraph": _check_paragraph,
    "not_heading": _check_not_heading,
    "body": _check_body,
    "footnote": _check_footnote,
    "joined": _check_joined,
    "figure": _check_figure,
    "separate": _check_separate,
}


@pytest.mark.parametrize(("name", "check"), list(_check_cases()))
def test_spot_check(name: str, check: dict[str, Any]) -> None:
    CHECKS[check["type"]](_doc(name), check)


# ---------------------------------------------------------------- generic invariants


def _assert_lossless(text: str, doc: Document) -> None:
    """Every non-whitespace input character is in exactly one block, in input order."""
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    assert doc.source == normalised
    spans = sorted((s, e, b.id) for b in doc.blocks for s, e in b.spans)
    for (_s1, e1, id1), (s2, _e2, id2) in itertools.pairwise(spans):
        assert e1 <= s2, f"spans of {id1} and {id2} overlap"
    for b in doc.blocks:
        assert list(b.spans) == sorted(b.spans), f"{b.id} spans out of order"
        assert all(0 <= s < e <= len(doc.source) for s, e in b.spans), f"{b.id} span out of range"
    covered = "".join(doc.source[s:e] for s, e, _ in spans)
    assert _squash(covered) == _squash(normalised)
    firsts = [b.spans[0][0] for b in doc.blocks if b.spans]
    assert firsts == sorted(firsts), "blocks are not in input order"
    assert_accounted(doc)


def _assert_consistent(doc: Document) -> None:
    """Ids unique; the tree and the heading blocks agree; parents are the innermost heading."""
    ids = [b.id for b in doc.blocks]
    assert len(ids) == len(set(ids)), "duplicate block ids"
    heading_ids = [b.id for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert [h.block for h in doc.headings()] == heading_ids

    def walk(nodes: list[Heading], level: int) -> None:
        for n in nodes:
            b = doc.block(n.block)
            assert n.level == level == b.level, f"{n.block}: node {n.level}, block {b.level}, depth {level}"
            assert (b.label, b.title) == (n.label, n.title)
            walk(n.children, level + 1)

    walk(doc.tree, 1)
    current: str | None = None
    for b in doc.blocks:
        if b.kind is BlockKind.HEADING:
            node = doc.heading_node(b.id)
            assert node is not None
            assert b.parent == (node.parent.block if node.parent else None)
            current = b.id
        else:
            assert b.parent == current, f"{b.id} parent {b.parent}, innermost heading {current}"


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_lossless(path: Path) -> None:
    _assert_lossless(_text(path), _doc(path.name))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_tree_consistent(path: Path) -> None:
    _assert_consistent(_doc(path.name))


# ---------------------------------------------------------------- degenerate inputs


@pytest.mark.parametrize("text", ["", "   \n\u3000\n\t \n\n", "\r\n\r\n"], ids=["empty", "spaces", "crlf"])
def test_blank_input_has_no_blocks(text: str) -> None:
    doc = parse_text(text)
    assert doc.blocks == []
    assert doc.tree == []


def test_one_line_document() -> None:
    text = "本报告根据大会第 75/277 号决议提交。"
    doc = parse_text(text)
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH]
    assert doc.tree == []
    _assert_lossless(text, doc)


def test_very_long_single_line() -> None:
    text = "维和行动继续支持政治进程、保护平民并协助建立持久和平，" * 8000 + "这是最后一句。"
    doc = parse_text(text)
    assert [b.kind for b in doc.blocks] == [BlockKind.PARAGRAPH]
    assert doc.tree == []
    assert doc.blocks[0].number is None
    _assert_lossless(text, doc)


def test_very_long_numbered_paragraph() -> None:
    text = "1. " + "各特派团继续加强与东道国当局的协调，" * 8000 + "以确保任务的连续性。"
    doc = parse_text(text)
    assert [(b.kind, b.number) for b in doc.blocks] == [(BlockKind.PARAGRAPH, "1")]
    assert doc.tree == []
    _assert_lossless(text, doc)


@pytest.mark.parametrize(
    ("text", "outline"),
    [
        (
            "一、总体要求\n\n二、重点任务\n\n三、保障措施\n",
            ["一 | 总体要求", "二 | 重点任务", "三 | 保障措施"],
        ),
        (
            "一. 导言\n\nA. 背景\n\nB. 任务\n\n二. 结论\n",
            ["一 | 导言", "  A | 背景", "  B | 任务", "二 | 结论"],
        ),
        # Consecutive lines with no blank line between them, as laws are often pasted.
        ("第一章　总则\n第二章　分则\n第三章　附则\n", ["第一章 | 总则", "第二章 | 分则", "第三章 | 附则"]),
        ("# 会议要点\n\n## 议程\n\n### 第一天\n", [" | 会议要点", "   | 议程", "     | 第一天"]),
    ],
    ids=["prc", "un", "legal", "markdown"],
)
def test_only_headings(text: str, outline: list[str]) -> None:
    doc = parse_text(text)
    assert _outline_lines(doc.tree) == outline
    assert all(b.kind is BlockKind.HEADING for b in doc.blocks)
    _assert_lossless(text, doc)


# ---------------------------------------------------------------- small traps


def test_markdown_bold_prc_headings() -> None:
    # Pasted from a web page: the bold markup must not hide the 一、/（一） numbering.
    text = (
        "**一、总体要求**\n\n"
        "**（一）指导思想。**以习近平新时代中国特色社会主义思想为指导，坚持稳中求进工作总基调。\n\n"
        "**二、重点任务**\n\n"
        "各地区要结合实际抓好落实。\n"
    )
    doc = parse_text(text, source_name="notes.md")
    assert _outline_lines(doc.tree) == ["一 | 总体要求", "  （一） | 指导思想", "二 | 重点任务"]
    body = doc.blocks[doc.index_of(doc.tree[0].children[0].block) + 1]
    assert body.kind is BlockKind.PARAGRAPH
    assert body.text.lstrip("*").startswith("以习近平")
    _assert_lossless(text, doc)


def test_page_break_continuation_starting_with_a_decimal() -> None:
    # "3.2 亿美元" after the break continues paragraph 2; it is not paragraph 3.
    text = (
        "一. 供资\n\n"
        "1. 建设和平基金的需求持续增加。\n\n"
        "2. 2020 年，会员国向基金认捐总额为\n\n"
        "21-04567                                                         5/20\n\n"
        "3.2 亿美元，低于秘书长提出的年度目标。\n\n"
        "3. 秘书长呼吁会员国增加捐款。\n"
    )
    doc = parse_text(text)
    assert [b.number for b in doc.paragraphs() if b.number] == ["1", "2", "3"]
    p2 = doc.paragraph("2")
    assert p2 is not None
    assert "认捐总额为3.2亿美元，低于" in _squash(p2.text)
    p3 = doc.paragraph("3")
    assert p3 is not None
    assert _squash(p3.text) == "秘书长呼吁会员国增加捐款。"
    _assert_lossless(text, doc)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        (
            "I. Introduction\n\n1. The Secretariat continued to strengthen its support.\n\n"
            "2. Further progress is required.\n",
            "I | Introduction",
        ),
        ("一. 导言\n\n1. 秘书处继续加强支助。\n\n2. 仍需取得进一步进展。\n", "一 | 导言"),
    ],
    ids=["en", "zh"],
)
def test_short_numbered_sentences_are_paragraphs(text: str, heading: str) -> None:
    # A line that ends a sentence is a paragraph even when the document is too short for the
    # continuous-numbering evidence: sub-headings never end with a full stop.
    doc = parse_text(text)
    assert _outline_lines(doc.tree) == [heading]
    assert [b.number for b in doc.paragraphs()] == ["1", "2"]


def test_english_page_break_split_paragraph() -> None:
    text = (
        "I. Introduction\n\n"
        "1. The Secretariat continued to strengthen its support to troop- and police-contributing\n\n"
        "21-12345                                                          3/18\n\n"
        "A/76/456\n\n"
        "countries, including through the light coordination mechanism.\n\n"
        "2. Further progress is required.\n"
    )
    doc = parse_text(text)
    assert [b.number for b in doc.paragraphs() if b.number] == ["1", "2"]
    p1 = doc.paragraph("1")
    assert p1 is not None
    assert "police-contributing countries, including" in " ".join(p1.text.split())
    _assert_lossless(text, doc)


# ---------------------------------------------------------------- encodings


def _structure(doc: Document) -> list[tuple[str, str | None, str | None, str | None, int | None, str]]:
    return [(b.kind.value, b.number, b.label, b.title, b.level, _squash(b.text)) for b in doc.blocks]


def _bom(codec: str, bom: bytes) -> Callable[[str], bytes]:
    return lambda t: bom + t.encode(codec)


ENCODINGS: list[tuple[str, str, Callable[[str], bytes]]] = [
    ("prc_tongzhi_guofa.txt", "utf-8", lambda t: t.encode("utf-8")),
    ("prc_tongzhi_guofa.txt", "utf-8-bom", lambda t: t.encode("utf-8-sig")),
    ("prc_tongzhi_guofa.txt", "gbk", lambda t: t.encode("gbk")),
    ("prc_tongzhi_guofa.txt", "gb18030-crlf", lambda t: t.replace("\n", "\r\n").encode("gb18030")),
    ("legal_code_parts.txt", "gbk", lambda t: t.encode("gbk")),
    ("un_report_long_zh.txt", "gb18030", lambda t: t.encode("gb18030")),
    ("un_report_long_zh.txt", "utf-16-le-bom", _bom("utf-16-le", b"\xff\xfe")),
    ("un_report_long_zh.txt", "utf-16-be-bom", _bom("utf-16-be", b"\xfe\xff")),
    ("legal_zh_hant.txt", "big5", lambda t: t.encode("big5")),
    ("legal_zh_hant_arabic.txt", "big5-crlf", lambda t: t.replace("\n", "\r\n").encode("big5")),
    ("un_ga_resolution.txt", "utf-8-crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ("un_ga_resolution.txt", "utf-8-cr", lambda t: t.replace("\n", "\r").encode("utf-8")),
    ("un_report_en.txt", "utf-8-bom-crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8-sig")),
    ("markdown_mixed_numbered.md", "utf-16-le-bom", _bom("utf-16-le", b"\xff\xfe")),
]


@pytest.mark.parametrize(
    ("name", "encode"), [pytest.param(n, e, id=f"{n.split('.')[0]}-{i}") for n, i, e in ENCODINGS]
)
def test_encoded_fixture_decodes_and_parses_the_same(name: str, encode: Callable[[str], bytes]) -> None:
    text = _text(FIXTURES / name)
    data = encode(text)
    decoded = decode_bytes(data, name)
    assert decoded.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n") == text
    doc = parse_text(decoded, source_name=name)
    assert "\r" not in doc.source
    assert _structure(doc) == _structure(_doc(name))
    assert _outline_lines(doc.tree) == _outline_lines(_doc(name).tree)


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["crlf", "cr"])
@pytest.mark.parametrize("name", ["un_report_long_zh.txt", "legal_code_parts.txt"])
def test_parse_text_normalises_line_ends(name: str, ending: str) -> None:
    text = _text(FIXTURES / name).replace("\n", ending)
    doc = parse_text(text, source_name=name)
    assert _structure(doc) == _structure(_doc(name))
    _assert_lossless(text, doc)


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("report.txt", _text(FIXTURES / "un_report_long_zh.txt"))
    return buf.getvalue()


JUNK: list[tuple[str, Callable[[], bytes]]] = [
    ("png", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
    ("random", lambda: random.Random(20240501).randbytes(4096)),
    ("zip", _zip_bytes),
    ("elf", lambda: b"\x7fELF\x02\x01\x01\x00" + bytes(2048) + b"\x03\x00>\x00"),
]


@pytest.mark.parametrize("make", [pytest.param(m, id=k) for k, m in JUNK])
def test_binary_junk_is_refused_naming_the_file(make: Callable[[], bytes]) -> None:
    name = "第五委员会要点.txt"
    with pytest.raises(ImportFailed) as excinfo:
        decode_bytes(make(), name)
    message = str(excinfo.value)
    assert name in message
    assert "\n" not in message.strip()
    with pytest.raises(ImportFailed, match=re.escape(name)):
        load_bytes(make(), name)
