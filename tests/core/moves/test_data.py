"""core/moves/data.py and model.py: properties of the proposed fixes over random shapes (pure)."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact

LAYERS = ("LSTM", "Conv2D", "Dense", "Conv1D", "GRU")
size = st.integers(1, 6)


def facts(expected, received, layer):
    m = ModelFact(
        "model",
        "Sequential",
        (expected,),
        declared=True,
        built=True,
        layers=(LayerFact("first", layer, expected),),
    )
    x = DataFact("X", "X", "x", "ndarray", received, "float32", element_count=math.prod(received))
    return Facts(
        model=m, data=(x,), aliases=(("numpy", "np"), ("keras", "keras"), ("kerashape", "kerashape"))
    )


shapes = st.tuples(st.integers(2, 5), st.integers(2, 5)).flatmap(
    lambda ranks: st.tuples(
        st.tuples(st.none(), *[st.one_of(size, st.none()) for _ in range(ranks[0] - 1)]),
        st.tuples(st.integers(1, 40), *[size for _ in range(ranks[1] - 1)]),
        st.sampled_from(LAYERS),
    )
)


@settings(max_examples=400, deadline=None)
@given(shapes)
def test_reshapes_keep_every_value_and_never_cross_a_wrong_feature_axis(case):
    expected, received, layer = case
    d = diagnose(None, facts(expected, received, layer), mode="check")
    if d is None:
        return
    n_values = math.prod(received)
    features_wrong = (
        len(received) == len(expected)
        and expected[-1] is not None
        and received[-1] != expected[-1]
        and (None in expected[1:] or sorted(received[1:]) != sorted(expected[1:]))
    )
    for f in d.fixes:
        assert f.code.endswith("\n") and "kerashape.reset" not in f.code.split("\n")[0]
        if f.kind in ("reshape", "flatten", "transpose") and f.move:
            # the feature count itself is wrong: no value may move between axes
            assert not features_wrong, (expected, received, f.title)
        if f.op and f.op[0] == "reshape":
            inner = math.prod(f.op[1][1:])
            assert n_values % inner == 0, (received, f.op)
            assert f.resulting_shape[0] * inner == n_values
            # a reshape merges or splits trailing axes, or groups stacked rows whose feature
            # axis already fits: the data's last axis is kept whole or is the flat axis
            R, out = received, f.resulting_shape
            assert out[-1] == R[-1] or out[0] == R[0], (R, out, f.move)
        if f.resulting_shape is not None and f.move and f.kind != "rebuild_input":
            assert len(f.resulting_shape) == len(expected)
            assert all(e is None or r == e for r, e in zip(f.resulting_shape[1:], expected[1:])), (
                f.move,
                f.resulting_shape,
            )


@settings(max_examples=200, deadline=None)
@given(shapes)
def test_every_fix_is_built_from_identifiers_and_integers_only(case):
    expected, received, layer = case
    d = diagnose(None, facts(expected, received, layer), mode="check")
    for f in d.fixes if d else ():
        compile(f.code, "<fix>", "exec")  # valid Python
        assert "__" not in f.code and "eval" not in f.code and "exec" not in f.code


def test_the_two_illustrations_of_the_issue_are_moves_not_rules():
    # grayscale into a model declared for RGB: "declare one channel" and "repeat the channel",
    # proposed by two moves whatever the layer's name
    d = diagnose(None, facts((None, 32, 32, 3), (10, 32, 32, 1), "Conv2D"), mode="check")
    assert {f.move for f in d.fixes} >= {"declare_input", "repeat_channel"}
    d = diagnose(None, facts((None, 32, 32, 3), (10, 32, 32, 1), "SeparableConv2D"), mode="check")
    assert {f.move for f in d.fixes} >= {"declare_input", "repeat_channel"}


def test_square_images_channels_first_move_only_the_channel_axis():
    d = diagnose(None, facts((None, 28, 28, 3), (8, 3, 28, 28), "Conv2D"), mode="check")
    (t,) = [f for f in d.fixes if f.kind == "transpose"]
    assert t.op[1] == (0, 2, 3, 1) and not t.verification


def test_exchanging_height_and_width_is_ruled_out():
    d = diagnose(None, facts((None, 28, 32, 3), (8, 32, 28, 3), "Conv2D"), mode="check")
    (t,) = [f for f in d.fixes if f.kind == "transpose"]
    assert t.verification.startswith("ruled out:") and "rotates" in t.verification
