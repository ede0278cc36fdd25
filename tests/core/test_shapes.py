"""core/shapes.py: bounded work whatever a message claims (issue 10, item 4), and the helpers'
contracts. Pure."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.messages import parse
from kerashape_magic.core.shapes import align, axis_names, permutation
from kerashape_magic.core.types import Facts


def test_absurd_ranks_from_a_message_are_aligned_at_once():
    # itertools.combinations over (60 choose 30) never finished; the alignment is O(rank^2)
    rows = align((None,) * 30, (None,) * 60, axis_names(60, None))
    assert len(rows) == 60 and sum(r.status == "missing" for r in rows) == 30
    rows = align((8, 2, 3, 4), (None,) * 100, ())
    assert len(rows) == 100


def test_an_absurd_ndim_message_is_diagnosed_from_the_message_only():
    for text in (
        'Input 0 of layer "lstm" is incompatible with the layer: expected ndim=60, found ndim=30. '
        "Full shape received: (None, 24)",
        'Input 0 of layer "lstm" is incompatible with the layer: expected ndim=100, found ndim=4.',
    ):
        parsed = parse(text)
        d = diagnose(parsed, Facts(), mode="error")
        assert d is not None and d.kind == "rank_mismatch" and d.rule == "message_only", d


@settings(max_examples=200, deadline=1000)
@given(
    st.lists(st.one_of(st.none(), st.integers(1, 9)), min_size=1, max_size=12),
    st.lists(st.one_of(st.none(), st.integers(1, 9)), min_size=1, max_size=12),
)
def test_align_marks_every_expected_axis_once(received, expected):
    R, E = (7,) + tuple(received), (None,) + tuple(expected)
    rows = align(R, E, axis_names(len(E), None))
    assert len(rows) == max(len(E), len(R))
    if len(R) <= len(E):
        assert sum(r.status != "missing" for r in rows) == len(R)


def test_permutation_keeps_equal_sizes_in_order():
    assert permutation((8, 3, 28, 28), (None, 28, 28, 3))[0] == (0, 2, 3, 1)
    assert permutation((8, 24, 3), (None, 3, 24))[0] == (0, 2, 1)
    assert permutation((8, 5, 4), (None, 4, 6)) == (None, False)
