"""Back and forward over jumps."""

from __future__ import annotations

from reader.core.history import History, Place


def test_back_and_forward_return_where_the_reader_was() -> None:
    h = History()
    a, b, c = Place("d", "p1"), Place("d", "p37"), Place("e", "h2")
    h.jump(a, b)
    h.jump(Place("d", "p40"), c)  # read on from p37 to p40, then jumped
    assert h.places == [a, Place("d", "p40"), c]
    assert h.back(Place("e", "h3")) == Place("d", "p40")
    assert h.back(None) == a
    assert not h.can_go_back()
    assert h.forward(None) == Place("d", "p40")
    assert h.forward(None) == Place("e", "h3")  # where the reader had got to, not where the jump landed
    assert not h.can_go_forward()


def test_a_new_jump_drops_the_forward_places() -> None:
    h = History()
    h.jump(Place("d", "p1"), Place("d", "p2"))
    h.jump(Place("d", "p2"), Place("d", "p3"))
    h.back(None)
    h.jump(Place("d", "p2"), Place("d", "p9"))
    assert h.places == [Place("d", "p1"), Place("d", "p2"), Place("d", "p9")]
    assert not h.can_go_forward()


def test_history_is_bounded() -> None:
    h = History(limit=5)
    for i in range(20):
        h.jump(Place("d", f"p{i}"), Place("d", f"p{i + 1}"))
    assert len(h.places) == 5
    assert h.places[-1] == Place("d", "p20")
