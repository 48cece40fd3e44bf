import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.normalize import Normalizer, map_span


@pytest.fixture(scope="module")
def norm(tmp_path_factory: pytest.TempPathFactory) -> Normalizer:
    return Normalizer(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＡＢＣ，１２３", "abc,123"),
        ("COVID-19", "covid-19"),
        ("94 000 多名", "94000多名"),
        ("1 234 567", "1234567"),
        ("2020 年 6 月", "2020年6月"),
        ("peace  keeping\tforce", "peace keeping force"),
        ("  维和  ", "维和"),
        ("維持和平行動", "维持和平行动"),
        ("乾隆", "干隆"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_normalize_folds(norm: Normalizer, text: str, expected: str) -> None:
    assert norm.normalize(text) == expected


def test_traditional_folding_can_be_switched_off(tmp_path_factory: pytest.TempPathFactory) -> None:
    plain = Normalizer(fold_traditional=False, cache_dir=tmp_path_factory.mktemp("c"))
    assert plain.normalize("維持和平") == "維持和平"
    assert plain.signature != Normalizer(fold_traditional=True).signature


@pytest.mark.parametrize(
    "text",
    ["自 1948 年以来, 94 000 多名 ＡＢＣ 維和 COVID-19", "𠀀 维和 𠀀x y", "  a\u200b b  ", "", "㈠ 第一"],
)
def test_map_agrees_with_fast_path_and_points_into_original(norm: Normalizer, text: str) -> None:
    folded, offsets = norm.normalize_map(text)
    assert folded == norm.normalize(text)
    assert len(offsets) == len(folded) + 1
    assert offsets == sorted(offsets)
    for i, ch in enumerate(folded):
        assert norm.normalize(text[offsets[i]]) in ("", ch) or ch in norm.normalize(text[offsets[i]])


def test_span_maps_back_to_original_code_points(norm: Normalizer) -> None:
    text = "𠀀维和行动 ＶＩＤ－１９ 与 94 000 人"
    folded, offsets = norm.normalize_map(text)
    i = folded.find("vid-19")
    s, e = map_span(offsets, i, i + len("vid-19"))
    assert text[s:e] == "ＶＩＤ－１９"
    i = folded.find("94000")
    s, e = map_span(offsets, i, i + 5)
    assert text[s:e] == "94 000"
    assert text[map_span(offsets, 0, 1)[0]] == "𠀀"


def test_substrings_normalise_into_the_normalised_text(norm: Normalizer) -> None:
    text = "截至 2020 年 6 月,共有 94 000 多名 COVID-19 維和人员"
    whole = norm.normalize(text)
    for i in range(len(text)):
        for j in range(i + 1, min(len(text), i + 9) + 1):
            assert norm.normalize(text[i:j]) in whole, text[i:j]


def test_offsets_stay_exact_when_expansions_and_deletions_cancel_out(norm: Normalizer) -> None:
    # ㈠ folds to three characters and each zero-width space to none: same length, shifted offsets.
    # The space beside 第 (CJK) carries no meaning and goes too.
    text = "㈠\u200b\u200b第 a"
    folded, offsets = norm.normalize_map(text)
    assert folded == "(一)第a"
    assert offsets == [0, 0, 0, 3, 5, 6]
    assert norm.normalize_map("第一 a") == ("第一a", [0, 1, 3, 4])
    assert norm.normalize_map("b  a") == ("b a", [0, 1, 3, 4])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \u3000\t1２a維和㈠\u200béA", max_size=40))
def test_a_known_normal_form_gives_the_same_map(norm: Normalizer, text: str) -> None:
    assert norm.normalize_map(text, norm.normalize(text)) == norm.normalize_map(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \u3000\u00a0\t\n\x01\x851２a維和㈠\u200béA", max_size=40))
def test_plain_text_maps_from_its_normal_form_alone(norm: Normalizer, text: str) -> None:
    expected = norm.normalize_map(text)
    if norm.plain(text):
        assert norm.normalize_map(text, norm.normalize(text), plain=True) == expected


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=" \u3000\u00a0\u2028\t\n\x01\x85\x9f1２a維和㈠\u200béA", max_size=40))
def test_the_offset_map_as_runs_equals_the_list(norm: Normalizer, text: str) -> None:
    known = norm.normalize(text)
    expected_norm, expected = norm.normalize_map(text)
    for plain in (norm.plain(text), False):
        got_norm, omap = norm.offset_map(text, known, plain)
        assert got_norm == expected_norm
        assert [omap.at(j) for j in range(len(expected))] == expected
        for s in range(len(known) + 1):
            for e in range(s, min(len(known), s + 4) + 1):
                assert omap.span(s, e) == map_span(expected, s, e)


def test_plain_is_the_common_case_and_refuses_what_folds_to_several_or_none(norm: Normalizer) -> None:
    assert norm.plain("截至 2020 年 6 月，共有 94 000 多名\u3000維和人员 COVID-19")
    assert not norm.plain("㈠ 第一")  # three characters from one
    assert not norm.plain("a\u200bb")  # a zero-width space folds to none


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=" \u3000\t\x011２a維和㈠\u200bé", max_size=30))
def test_normalize_plain_is_both_at_once(norm: Normalizer, text: str) -> None:
    assert norm.normalize_plain(text) == (norm.normalize(text), norm.plain(text))
