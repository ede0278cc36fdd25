"""The data moves the second fresh batch (tests/cases_fresh2/README.md) found missing:
``add_axes`` (several size-1 axes at once), ``drop_channel`` (RGBA -> RGB), and the structure
moves ``stack_samples`` (a list of samples) and ``split_inputs`` (one array for several inputs),
plus the window rule of Keras 3's "Computed output size would be zero or negative".

Each fix's code is run exactly as Apply runs it, on real objects of every container the
template writes for, and the values are checked, not only the shape.
"""

import math

import numpy as np
import pytest

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.messages import parse
from kerashape_magic.core.moves.data import _embeddings
from kerashape_magic.core.rules.shape import window_fit
from kerashape_magic.core.types import FIX_KINDS, DataFact, Facts, LayerFact, ModelFact

ALIASES = (("numpy", "np"), ("tensorflow", "tf"), ("keras", "keras"))


def one_input(expected, received, layer, container, name="X", trained=False):
    m = ModelFact(
        "model",
        "Sequential",
        (expected,),
        declared=True,
        built=True,
        layers=(LayerFact("first", layer, expected),),
        trained=trained,
    )
    shape = (None,) + tuple(received[1:]) if container == "Dataset" else received
    x = DataFact(name, name, "x", container, shape, "float32", components=1 if container == "Dataset" else 0)
    return Facts(model=m, data=(x,), aliases=ALIASES)


def values(shape):
    return np.arange(math.prod(shape), dtype="float32").reshape(shape)


def as_container(container, arr, tf):
    if container == "Tensor":
        return tf.constant(arr)
    if container == "list":
        return [row for row in arr]
    if container == "Dataset":
        return tf.data.Dataset.from_tensor_slices(arr).batch(3)
    return arr


def run(fix, ns, tf):
    import keras

    ns = dict(ns, np=np, tf=tf, keras=keras)
    exec(compile(fix.code, "<fix>", "exec"), ns)
    return ns


def moves_of(d, move):
    return [f for f in (d.fixes if d else ()) if f.move == move]


def test_new_fix_kinds_are_in_the_vocabulary():
    assert {"drop_channel", "stack", "split_inputs"} <= set(FIX_KINDS)


# ---------------------------------------------------------------- add_axes


@pytest.mark.parametrize("container", ["ndarray", "Tensor", "list"])
def test_add_axes_one_grey_picture_gets_batch_and_channel_axes(container, tf):
    f = one_input((None, 28, 28, 1), (28, 28), "Conv2D", container, name="img", trained=True)
    d = diagnose(None, f, mode="check")
    fixes = moves_of(d, "add_axes")
    assert len(fixes) == 1 and fixes[0].kind == "expand_dims", [x.move for x in d.fixes]
    assert not fixes[0].verification.startswith("ruled out"), fixes[0].verification
    img = values((28, 28))
    out = np.asarray(run(fixes[0], {"img": as_container(container, img, tf)}, tf)["img"])
    assert out.shape == (1, 28, 28, 1) and np.array_equal(out[0, :, :, 0], img)
    assert fixes[0].resulting_shape == (1, 28, 28, 1)


def test_add_axes_two_inner_axes_keep_the_samples():
    # (N, 24) into (None, 1, 24, 1): two declared size-1 axes around the kept one
    f = one_input((None, 1, 24, 1), (6, 24), "Conv2D", "ndarray")
    d = diagnose(None, f, mode="check")
    (fix,) = moves_of(d, "add_axes")
    X = values((6, 24))
    out = run(fix, {"X": X}, None)["X"]
    assert out.shape == (6, 1, 24, 1) and np.array_equal(out[:, 0, :, 0], X)


def test_add_axes_never_inserts_at_a_free_inner_axis():
    # a free (None) inner axis says nothing about where the data's axes go
    assert _embeddings((5, 7), (None, None, None, 1)) == set()
    f = one_input((None, None, None, 1), (5, 7), "Conv2D", "ndarray")
    assert not moves_of(diagnose(None, f, mode="check"), "add_axes")


def test_add_axes_gives_one_fix_when_several_placements_make_the_same_array():
    # (1, 4) into (None, 1, 4, 1): the data's 1 may be the batch axis or the declared 1; inserting a
    # size-1 axis next to another gives the same array, so one fix, not ruled out as ambiguous
    E = (None, 1, 4, 1)
    assert _embeddings((1, 4), E) == {(1, 3), (0, 3)}
    f = one_input(E, (1, 4), "Conv2D", "ndarray")
    (fix,) = moves_of(diagnose(None, f, mode="check"), "add_axes")
    assert not fix.verification.startswith("ruled out") and fix.resulting_shape == (1, 1, 4, 1)
    X = values((1, 4))
    assert np.array_equal(run(fix, {"X": X}, None)["X"].ravel(), X.ravel())


# ---------------------------------------------------------------- drop_channel


@pytest.mark.parametrize("container", ["ndarray", "Tensor", "list", "Dataset"])
def test_drop_channel_keeps_the_first_three_channels(container, tf):
    f = one_input((None, 4, 5, 3), (6, 4, 5, 4), "Conv2D", container, trained=True)
    d = diagnose(None, f, mode="check")
    (fix,) = moves_of(d, "drop_channel")
    assert fix.kind == "drop_channel" and fix.loses_data and "alpha" in fix.rationale
    X = values((6, 4, 5, 4))
    out = run(fix, {"X": as_container(container, X, tf)}, tf)["X"]
    if container == "Dataset":
        out = next(iter(out))
        X = X[:3]
    out = np.asarray(out)
    assert out.shape == X.shape[:-1] + (3,) and np.array_equal(out, X[..., :3])


def test_drop_channel_never_drops_features_of_a_dense_layer():
    f = one_input((None, 3), (6, 4), "Dense", "ndarray")
    assert not moves_of(diagnose(None, f, mode="check"), "drop_channel")


def test_drop_channel_ranks_below_a_lossless_move():
    # channels first with one channel too many: no lossless move exists; with the right count a
    # transpose exists and drop_channel is not proposed (the sizes already agree)
    f = one_input((None, 4, 5, 3), (6, 4, 5, 3), "Conv2D", "ndarray")
    assert not moves_of(diagnose(None, f, mode="check"), "drop_channel")


# ---------------------------------------------------------------- stack_samples


def list_facts(x_shape, y_shape, expected):
    m = ModelFact(
        "model",
        "Sequential",
        (expected,),
        declared=True,
        built=True,
        layers=(LayerFact("c", "Conv2D", expected),),
    )
    x = DataFact("data_list", "data_list", "x", "list", x_shape, "float32")
    y = DataFact("y", "y", "y", "list", y_shape, "float32")
    return Facts(model=m, data=(x, y), aliases=ALIASES)


def test_a_list_of_samples_is_stacked_x_and_y():
    f = list_facts((24, 16, 16, 3), (24, 5), (None, 16, 16, 3))
    d = diagnose(None, f, mode="check")
    assert d is not None and d.rule == "sample_list" and d.kind == "cardinality_mismatch", d
    (fix,) = moves_of(d, "stack_samples")
    assert fix.kind == "stack" and fix.target == "data_list"
    X, Y = values((24, 16, 16, 3)), values((24, 5))
    ns = run(fix, {"data_list": list(X), "y": list(Y)}, None)
    assert np.array_equal(ns["data_list"], X) and np.array_equal(ns["y"], Y)


def test_a_list_whose_samples_do_not_fit_the_input_is_not_stacked():
    f = list_facts((2, 100, 16, 16, 3), (2, 100), (None, 16, 16, 3))
    d = diagnose(None, f, mode="check")
    assert not moves_of(d, "stack_samples")


# ---------------------------------------------------------------- split_inputs


def multi_facts(x_shape, inputs, container="ndarray"):
    m = ModelFact(
        "net", "Functional", tuple(inputs), ("a", "b", "c")[: len(inputs)], declared=True, built=True
    )
    x = DataFact("pairs", "pairs", "x", container, x_shape, "float32")
    return Facts(model=m, data=(x,), aliases=ALIASES)


@pytest.mark.parametrize("container", ["ndarray", "Tensor"])
def test_split_inputs_along_the_axis_of_the_input_count(container, tf):
    f = multi_facts((40, 2, 16), [(None, 16), (None, 16)], container)
    d = diagnose(None, f, mode="check")
    assert d is not None and d.rule == "one_array_many_inputs", d
    (fix,) = moves_of(d, "split_inputs")
    assert fix.kind == "split_inputs" and fix.op == ("split_inputs", 2, 1)
    P = values((40, 2, 16))
    out = run(fix, {"pairs": as_container(container, P, tf)}, tf)["pairs"]
    assert isinstance(out, list) and len(out) == 2
    assert np.array_equal(np.asarray(out[0]), P[:, 0]) and np.array_equal(np.asarray(out[1]), P[:, 1])


def test_split_inputs_on_the_batch_axis_keeps_a_batch_axis():
    f = multi_facts((2, 16, 16, 1), [(None, 16, 16, 1), (None, 16, 16, 1)])
    (fix,) = moves_of(diagnose(None, f, mode="check"), "split_inputs")
    P = values((2, 16, 16, 1))
    out = run(fix, {"pairs": P}, None)["pairs"]
    assert [o.shape for o in out] == [(1, 16, 16, 1)] * 2 and np.array_equal(out[1][0], P[1])


def test_split_inputs_is_ruled_out_when_two_axes_qualify():
    # (10, 2, 2) for two (None, 2) inputs: axis 1 and axis 2 both split into parts that fit
    f = multi_facts((10, 2, 2), [(None, 2), (None, 2)])
    fixes = moves_of(diagnose(None, f, mode="check"), "split_inputs")
    assert len(fixes) == 1 and fixes[0].verification.startswith("ruled out: ambiguous"), fixes


def test_split_inputs_needs_parts_that_fit_every_input():
    f = multi_facts((40, 3, 16), [(None, 16), (None, 16)])
    assert not moves_of(diagnose(None, f, mode="check"), "split_inputs")


# ---------------------------------------------------------------- window_fit

MSG = (
    "Computed output size would be zero or negative. Received `inputs shape=(8, 1, 20)`, "
    "`kernel shape=(3, 20, 16)`, `dilation_rate=[1]`, `strides=(1,)`, `padding=valid`."
)


def test_zero_or_negative_output_message_is_parsed_with_its_window():
    p = parse(MSG)
    assert p is not None and p.family == "negative_dimension"
    assert p.received_shape == (8, 1, 20) and p.other_shape == (3,)
    pool = parse(
        "Computed output size would be negative. Received: `inputs.shape=(None, 1, 8)` and `pool_size=(2,)`."
    )
    assert pool is not None and pool.other_shape == (2,)


def test_window_fit_finds_the_one_order_that_holds_the_kernel():
    p = parse(MSG)
    assert window_fit(p, (40, 1, 20)) == (None, 20, 1)
    assert window_fit(p, (40, 1, 21)) is None  # the message's input is not this data
    two_ways = parse(MSG.replace("(8, 1, 20)", "(8, 1, 5, 20)").replace("(3, 20, 16)", "(3, 3, 20, 16)"))
    assert window_fit(two_ways, (40, 1, 5, 20)) is None  # (5, 20, 1) and (20, 5, 1) both fit


KERAS2_MSG = (
    "One of the dimensions in the output is <= 0 due to downsampling in conv1d. Consider increasing the "
    "input size. Received input shape [8, 1, 20] which would produce output shape with a zero or negative "
    "value in a dimension."
)


def test_keras2s_message_names_the_layer_whose_kernel_gives_the_window():
    """tf_keras/src/layers/convolutional/base_conv.py (tf-keras 2.21) names the layer, not its kernel:
    the window is the named layer's kernel_size, read from the model's facts."""
    from kerashape_magic.core.types import Facts, LayerFact, ModelFact

    p = parse(KERAS2_MSG)
    assert p is not None and p.family == "negative_dimension"
    assert p.layer_name == "conv1d" and p.received_shape == (8, 1, 20) and p.other_shape is None
    conv = LayerFact("conv1d", "Conv1D", None, None, (("filters", 16), ("kernel_size", (3,))))
    facts = Facts(model=ModelFact("model", "Sequential", layers=(conv,)))
    assert window_fit(p, (40, 1, 20), facts) == (None, 20, 1)
    assert window_fit(p, (40, 1, 20)) is None  # no facts: no window, no guess
    other = Facts(
        model=ModelFact("model", "Sequential", layers=(LayerFact("x", "Conv1D", None, None, conv.config),))
    )
    assert window_fit(p, (40, 1, 20), other) is None  # the named layer is not in the model


# ---------------------------------------------------------------- align_columns

TRAIN_COLS = ("income", "age", "city_Boston", "city_Chicago", "city_Denver", "city_LA", "city_NY")
TEST_COLS = ("income", "age", "city_Boston", "city_Chicago", "city_Denver")


def frame_facts(frames, test_cols=TEST_COLS):
    f = one_input((None, len(TRAIN_COLS)), (6, len(test_cols)), "Dense", "DataFrame", name="X_test")
    x = DataFact("X_test", "X_test", "x", "DataFrame", (6, len(test_cols)), "float32", columns=test_cols)
    return Facts(model=f.model, data=(x,), aliases=ALIASES, frames=frames)


def test_align_columns_lines_up_a_split_made_apart_with_get_dummies():
    pd = pytest.importorskip("pandas")
    f = frame_facts((("X_train", TRAIN_COLS), ("other", ("a", "b"))))
    d = diagnose(None, f, mode="check")
    (fix,) = moves_of(d, "align_columns")
    assert fix.kind == "align_columns" and not fix.loses_data
    assert fix.code.startswith("X_test = X_test.reindex(columns=X_train.columns, fill_value=0)\n")
    assert "city_LA, city_NY" in fix.rationale and fix.resulting_shape == (6, 7)
    X_train = pd.DataFrame(values((3, 7)), columns=list(TRAIN_COLS))
    X_test = pd.DataFrame(values((6, 5)) + 100, columns=list(TEST_COLS))
    out = run(fix, {"X_test": X_test, "X_train": X_train, "model": None, "kerashape": _NoReset()}, None)[
        "X_test"
    ]
    assert list(out.columns) == list(TRAIN_COLS)
    for c in TEST_COLS:
        assert np.array_equal(out[c].to_numpy(), X_test[c].to_numpy())
    assert (out[["city_LA", "city_NY"]].to_numpy() == 0).all()


@pytest.mark.parametrize(
    "frames, test_cols",
    [
        ((("X_train", TRAIN_COLS), ("X_valid", TRAIN_COLS[::-1])), TEST_COLS),  # two candidates: a guess
        ((("X_train", TRAIN_COLS),), TEST_COLS[:-1] + ("city_Miami",)),  # a column the frame lacks
        ((("X_train", TRAIN_COLS[:-1]),), TEST_COLS),  # no frame of the expected width
        ((), TEST_COLS),  # nothing to line up with
    ],
)
def test_align_columns_proposes_nothing_it_would_have_to_guess(frames, test_cols):
    d = diagnose(None, frame_facts(frames, test_cols), mode="check")
    assert not moves_of(d, "align_columns")


class _NoReset:
    @staticmethod
    def reset(model):
        return model
