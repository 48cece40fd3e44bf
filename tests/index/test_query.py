import pytest

from index.query import Scope, Term, parse_query


def test_space_is_and_quotes_make_phrases() -> None:
    q = parse_query('维和 "特派团 改革" -妇女')
    assert q.groups == [[Term("维和")], [Term("特派团 改革", phrase=True)]]
    assert q.excluded == [Term("妇女")]


def test_or_joins_neighbours() -> None:
    q = parse_query("维和 OR 维持和平 特派团")
    assert q.groups == [[Term("维和"), Term("维持和平")], [Term("特派团")]]


def test_filters() -> None:
    q = parse_query("doc:A/75/563 in:title 战略")
    assert q.docs == ["A/75/563"]
    assert q.scope is Scope.TITLES
    assert q.groups == [[Term("战略")]]
    assert parse_query("in:notes 支持").scope is Scope.NOTES


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ('"unbalanced 维和', ["unbalanced", "维和"]),
        ("-", ["-"]),
        ("-19", ["-19"]),
        ("OR", ["OR"]),
        ('"', []),
        ("   ", []),
        ("VID-19", ["VID-19"]),
        ("a OR", ["a"]),
    ],
)
def test_malformed_queries_fall_back_to_plain_text(text: str, literal: list[str]) -> None:
    q = parse_query(text)
    assert [t.text for t in q.terms] == literal
    assert q.excluded == []


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("94 000", ["94 000"]),
        ("94 000 维和", ["94 000", "维和"]),
        ("1 250 000", ["1 250 000"]),
        ('"94 000"', ["94 000"]),
        ("1948 2020", ["1948", "2020"]),  # two years, not a thousands group
        ("a 123", ["a", "123"]),
    ],
)
def test_a_number_with_a_thousands_space_is_one_term(text: str, terms: list[str]) -> None:
    assert [t.text for t in parse_query(text).terms] == terms
