"""Set operations of the exact-match layer: both paths (binary search, table) equal Python's sets."""

from __future__ import annotations

import numpy as np
import pytest

from index import SearchEngine
from index.exact import contains_mask, counts_at, intersect, union
from index.ranking import top_order
from tests.index.conftest import make_doc


def _rows(rng: np.random.Generator, n: int, span: int) -> np.ndarray:
    return np.sort(rng.choice(span, size=min(n, span), replace=False)).astype(np.int64)


@pytest.mark.parametrize(
    ("na", "nb", "span"), [(5, 7, 40), (3000, 2500, 9000), (50, 4000, 10000), (0, 9, 20)]
)
def test_union_intersection_membership_and_counts_equal_python_sets(na: int, nb: int, span: int) -> None:
    rng = np.random.default_rng(na + nb)
    a, b = _rows(rng, na, span), _rows(rng, nb, span)
    counts = rng.integers(1, 9, size=len(b))
    assert union([a, b]).tolist() == sorted(set(a.tolist()) | set(b.tolist()))
    assert intersect(a, b).tolist() == sorted(set(a.tolist()) & set(b.tolist()))
    assert contains_mask(a, b).tolist() == [x in set(b.tolist()) for x in a.tolist()]
    by_row = dict(zip(b.tolist(), counts.tolist(), strict=True))
    assert counts_at(a, b, counts).tolist() == [float(by_row.get(x, 0)) for x in a.tolist()]


def test_top_order_equals_a_full_sort_with_ties_in_row_order() -> None:
    rng = np.random.default_rng(3)
    for n, want in ((10, 3), (300, 20), (5000, 40), (5000, 1), (2000, 600)):
        rows = _rows(rng, n, 10 * n)
        scores = rng.integers(0, 7, size=n).astype(np.float64) / 3  # many ties
        expected = np.lexsort((rows, -scores))[:want]
        assert top_order(rows, scores, want).tolist() == expected.tolist()


def test_a_term_as_long_as_a_pasted_page_is_found_in_bounded_memory(engine: SearchEngine) -> None:
    import tracemalloc

    run = "x1" * 40_000  # 80 000 characters, every bigram of it repeated ~40 000 times in its row
    engine.add_document(make_doc("d1", [f"维和{run}的改革", "推进维和改革"]), words=False)
    tracemalloc.start()
    try:
        found = engine.search(run, words=False)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found.total == 1
    assert found.hits[0].block_id == "t0"
    assert peak < 200 * 1024 * 1024  # it once took 6 GB: positions of every bigram, term-long
