"""Label, loss and cardinality rules (kerashape_magic/core/rules/labels.py, core/rules/cardinality.py).

Table tests on hand-built facts (no TensorFlow), messages as Keras 2 / Keras 3 print them,
and, at the end, real Keras 3 models in a real IPython shell for what a scenario case file
cannot express (no verified fix exists, or the magic's printed report).
"""

import contextlib
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.messages import parse
from kerashape_magic.core.moves import propose
from kerashape_magic.core.rules import cardinality, labels
from kerashape_magic.core.rules.cardinality import reshape_to, split_of
from kerashape_magic.core.rules.context import NO_MESSAGE
from kerashape_magic.core.rules.labels import loss_family, loss_name
from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact


def label_rule(parsed, facts, mode):
    """The label rule, with its requested moves turned into fixes (core.moves.propose)."""
    d = labels.label_rule(parsed, facts, mode)
    return propose(d, facts) if d is not None else None


def cardinality_rule(parsed, facts, *args):
    """The cardinality rule, with its requested moves turned into fixes."""
    d = cardinality.cardinality_rule(parsed, facts, *args)
    return propose(d, facts) if d is not None else None


ALIASES = (("numpy", "np"), ("kerashape", "kerashape"), ("keras", "keras"))


def model(
    output, act="softmax", loss="categorical_crossentropy", name="model", layer="dense_1", loss_config=()
):
    units = output[-1]
    return ModelFact(
        name,
        "Sequential",
        ((None, 8),),
        declared=True,
        built=True,
        output_shape=output,
        loss=loss,
        loss_config=loss_config,
        layers=(
            LayerFact("dense", "Dense", (None, 8), (None, 16), (("units", 16), ("activation", "relu"))),
            LayerFact(layer, "Dense", (None, 16), output, (("units", units), ("activation", act))),
        ),
    )


def facts(y_shape, labels, output, act="softmax", loss="categorical_crossentropy", y_name="y_train", **kw):
    x = DataFact("X_train", "X_train", "x", "ndarray", (y_shape[0], 8), "float32")
    y = DataFact(y_name, y_name, "y", "ndarray", y_shape, "int64", labels=labels)
    return Facts(model=model(output, act, loss, **kw), data=(x, y), aliases=ALIASES)


CCE, SCCE, BCE, MSE = (
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "mean_squared_error",
)

TABLE = [
    # (labels shape, labels, output, activation, loss) -> (rule, fix kinds)          # where it comes from
    (
        (100,),
        ("class_indices", 10),
        (None, 10),
        "softmax",
        CCE,
        "class_indices_categorical_loss",
        ["sparse_loss", "to_categorical"],
    ),  # K3 "same rank (ndim)"
    (
        (100, 1),
        ("class_indices", 10),
        (None, 10),
        "softmax",
        CCE,
        "class_indices_categorical_loss",
        ["sparse_loss", "to_categorical"],
    ),  # K2 "Shapes (None, 1) and (None, 10)"
    (
        (100,),
        ("class_indices", 8),
        (None, 10),
        "softmax",
        "categorical_focal_crossentropy",
        "class_indices_categorical_loss",
        ["to_categorical"],
    ),  # no sparse twin
    (
        (100, 10),
        ("onehot", 10),
        (None, 10),
        "softmax",
        SCCE,
        "onehot_sparse_loss",
        ["categorical_loss", "argmax"],
    ),
    ((1080, 6), ("onehot", 6), (None, 10), "softmax", CCE, "output_units", ["edit_layer"]),  # corpus case 15
    ((100,), ("class_indices", 12), (None, 10), "softmax", SCCE, "classes_exceed_units", ["edit_layer"]),
    (
        (32, 1, 3),
        ("onehot", 3),
        (None, 3),
        "softmax",
        CCE,
        "onehot_extra_axis",
        ["squeeze"],
    ),  # corpus case 30
    ((32, 1, 3), ("onehot", 3), (None, 3), "softmax", SCCE, "onehot_extra_axis", ["argmax"]),
    ((50,), ("binary", 2), (None, 2), "softmax", BCE, "class_indices_binary", ["sparse_loss"]),
    ((50, 1), ("binary", 2), (None, 1), "sigmoid", CCE, "binary_labels_categorical_loss", ["binary_loss"]),
    ((50,), ("binary", 2), (None, 1), "sigmoid", SCCE, "binary_labels_sparse_loss", ["binary_loss"]),
    ((40, 2), ("onehot", 2), (None, 1), "sigmoid", BCE, "onehot_single_unit", ["argmax"]),
    ((50,), ("binary", 2), (None, 1), "softmax", BCE, "softmax_single_unit", ["edit_layer"]),
    (
        (100,),
        ("class_indices", 10),
        (None, 10),
        "softmax",
        MSE,
        "class_indices_other",
        ["sparse_loss", "to_categorical"],
    ),
    ((100, 10), ("multi_hot", 10), (None, 10), "sigmoid", CCE, "multi_hot_labels", ["binary_loss"]),
    # mse broadcasts silently: the output layer gets one unit per target value
    ((100, 3), ("continuous", None), (None, 1), "linear", MSE, "label_shape", ["edit_layer"]),
    ((100, 20), ("class_indices", 10), (None, 10), "softmax", SCCE, "label_axes", []),  # labels per timestep
    ((100,), ("continuous", None), (None, 10), "softmax", SCCE, "continuous_labels", []),
]


@pytest.mark.parametrize("y_shape,labels,output,act,loss,rule,fix_kinds", TABLE)
def test_table(y_shape, labels, output, act, loss, rule, fix_kinds):
    d = label_rule(NO_MESSAGE, facts(y_shape, labels, output, act, loss), "check")
    assert d is not None and d.kind == "label_mismatch"
    assert d.rule == rule, d.summary
    assert [f.kind for f in d.fixes] == fix_kinds, d.summary
    assert d.received_shape == y_shape and d.received_name == "y_train"
    assert d.summary[0].isupper() or d.summary[0] == "`"
    assert "y_train" in d.summary or rule == "softmax_single_unit"  # that one is about the model only


FITS = [
    ((100,), ("class_indices", 10), (None, 10), "softmax", SCCE),
    ((100, 1), ("class_indices", 10), (None, 10), "softmax", SCCE),  # squeezed by the compiled loss
    ((100, 10), ("onehot", 10), (None, 10), "softmax", CCE),
    ((100,), ("class_indices", 6), (None, 10), "softmax", SCCE),  # a split may lack some classes
    ((100,), ("binary", 2), (None, 1), "sigmoid", BCE),
    ((100, 1), ("binary", 2), (None, 1), "sigmoid", BCE),
    ((100, 1), ("continuous", None), (None, 1), "linear", MSE),
    (
        (100,),
        ("continuous", None),
        (None, 1),
        "linear",
        MSE,
    ),  # (N,) meets (None, 1): keras/src/losses/loss.py
    ((100,), ("class_indices", 10), (None, 1), "linear", MSE),  # integers as a regression target
    ((100, 20), ("class_indices", 10), (None, 20, 10), "softmax", SCCE),  # one class per timestep
    ((100, 2), ("binary", 2), (None, 2), "softmax", CCE)
    if False
    else ((100, 2), ("onehot", 2), (None, 2), "softmax", CCE),
]


@pytest.mark.parametrize("y_shape,labels,output,act,loss", FITS)
def test_labels_that_fit_are_not_reported(y_shape, labels, output, act, loss):
    assert label_rule(NO_MESSAGE, facts(y_shape, labels, output, act, loss), "check") is None


def test_loss_fix_rebinds_the_model_through_rebuild():
    d = label_rule(NO_MESSAGE, facts((100,), ("class_indices", 10), (None, 10)), "check")
    sparse, to_cat = d.fixes
    assert sparse.code == 'model = kerashape.rebuild(model, loss="sparse_categorical_crossentropy")\n'
    assert sparse.target == "model" and sparse.op == ("loss", "sparse_categorical_crossentropy", False)
    assert to_cat.code == "y_train = keras.utils.to_categorical(y_train, num_classes=10)\n"
    assert to_cat.resulting_shape == (100, 10) and to_cat.op == ("to_categorical", 10)
    assert d.expected_shape == (None, 10)


def test_to_categorical_takes_num_classes_from_the_output_layer():
    # this split only holds classes 0..5: to_categorical without num_classes would give 6 columns
    d = label_rule(
        NO_MESSAGE,
        facts((100, 1), ("class_indices", 6), (None, 10), loss="categorical_focal_crossentropy"),
        "check",
    )
    assert "num_classes=10" in d.fixes[0].code and d.fixes[0].resulting_shape == (100, 10)


def test_from_logits_is_kept_and_label_smoothing_loss_is_said():
    f = facts((64, 5), ("onehot", 5), (None, 5), "linear", SCCE, loss_config=(("from_logits", True),))
    fix = label_rule(NO_MESSAGE, f, "check").fixes[0]
    assert "keras.losses.CategoricalCrossentropy(from_logits=True)" in fix.code and fix.op[2] is True
    f = facts((64,), ("class_indices", 5), (None, 5), "softmax", CCE, loss_config=(("label_smoothing", 0.1),))
    assert "label_smoothing" in label_rule(NO_MESSAGE, f, "check").fixes[0].rationale


def test_output_units_says_the_layer_is_wrong_and_never_converts_the_labels():
    d = label_rule(NO_MESSAGE, facts((1080, 6), ("onehot", 6), (None, 10)), "check")
    assert "dense_1" in d.summary and "needs 6 units" in d.summary
    assert d.fixes[0].code == 'model = kerashape.rebuild(model, edit={"dense_1": {"units": 6}})\n'
    notes = " ".join(d.notes)
    assert "num_classes=10" in notes and "would not help" in notes
    assert not [
        f for f in d.fixes if f.kind in ("to_categorical", "argmax", "sparse_loss", "categorical_loss")
    ]


def test_fixes_need_plain_names():
    d = label_rule(
        NO_MESSAGE,
        facts((100,), ("class_indices", 10), (None, 10), y_name="data[1]", name="models[0]"),
        "check",
    )
    assert d is not None and d.fixes == ()
    d = label_rule(NO_MESSAGE, facts((1080, 6), ("onehot", 6), (None, 10), layer='bad"name'), "check")
    assert d.fixes == ()


def test_uncompiled_model_gets_no_loss_fix():
    d = label_rule(NO_MESSAGE, facts((100,), ("class_indices", 10), (None, 10), loss=None), "check")
    assert d is None


def test_class_range_mentions_the_tensorflow_error_and_one_based_labels():
    d = label_rule(NO_MESSAGE, facts((100,), ("class_indices", 11), (None, 10), loss=SCCE), "check")
    assert "outside the valid range of [0, 10)" in d.summary and "NaN" in d.summary
    assert any("numbered 1..10" in n for n in d.notes)
    assert [(r.name, r.received, r.expected, r.status) for r in d.rows][-1] == ("classes", 11, 10, "mismatch")


# --------------------------------------------------------------------------- messages


def _diagnose(text, f=None):
    p = parse(text)
    assert p is not None, text
    return diagnose(p, f or Facts(), mode="error")


def test_keras2_shapes_incompatible_message_only():
    d = _diagnose("ValueError: Shapes (None, 1) and (None, 10) are incompatible")
    assert d.kind == "label_mismatch" and d.rule == "class_indices_categorical_loss"
    assert "look like one class index per sample" in d.summary and "sparse loss" in d.summary
    assert d.fixes == ()  # no names to build code from


def test_keras2_shapes_incompatible_with_facts():
    f = facts((100, 1), ("class_indices", 10), (None, 10))
    d = _diagnose("Shapes (None, 1) and (None, 10) are incompatible", f)
    assert [x.kind for x in d.fixes] == ["sparse_loss", "to_categorical"]


# tf_keras 2.21's own words for labels (None, 8) against an output (None, 4), measured: the loss's
# node is named after the loss (tf_keras/src/losses.py Loss.__call__ name_scope), and its "in user
# code:" listing passes through tf_keras/src/engine/compile_utils.py and tf_keras/src/losses.py.
K2_MSE = (
    "Dimensions must be equal, but are 4 and 8 for '{{node mean_squared_error/SquaredDifference}} = "
    "SquaredDifference[T=DT_FLOAT](sequential/dense_1/BiasAdd, IteratorGetNext:1)' with input shapes: "
    "[?,4], [?,8]."
)
K2_FRAMES = (
    "in user code:\n\n"
    '    File "/venv/site-packages/tf_keras/src/engine/compile_utils.py", line 277, in __call__\n'
    "        loss_value = loss_obj(y_t, y_p, sample_weight=sw)\n"
    '    File "/venv/site-packages/tf_keras/src/losses.py", line 143, in __call__\n'
    "        losses = call_fn(y_true, y_pred)\n\n"
    "    ValueError: Dimensions must be equal, but are 4 and 8 for '{{node some_scope/sub}} = "
    "Sub[T=DT_FLOAT](sequential/dense_1/BiasAdd, IteratorGetNext:1)' with input shapes: [?,4], [?,8]."
)
K3_MSE = (
    "Dimensions must be equal, but are 4 and 8 for '{{node compile_loss/mean_squared_error/sub}} = "
    "Sub[T=DT_FLOAT](sequential_1/dense_1/BiasAdd, data_1)' with input shapes: [?,4], [?,8]."
)


@pytest.mark.parametrize(
    "text",
    [K3_MSE, K2_MSE, K2_FRAMES, K2_MSE.replace("mean_squared_error/", "mean_squared_error_1/")],
    ids=["keras3", "keras2_node", "keras2_frames", "keras2_second_output"],
)
def test_a_loss_op_of_keras_2_or_3_is_the_labels_against_the_output(text):
    f = facts((100, 8), None, (None, 4), act=None, loss=MSE)
    d = _diagnose(text, f)
    assert d.kind == "label_mismatch", (d.kind, d.summary)
    assert d.received_shape == (100, 8) and d.expected_shape == (None, 4)
    assert [r.move for r in d.requests] == [
        r.move for r in _diagnose(K3_MSE, f).requests
    ]  # the same moves as Keras 3's wording


def test_a_custom_losss_node_is_the_loss_only_when_it_is_the_compiled_losss_name():
    text = K2_MSE.replace("mean_squared_error/SquaredDifference", "my_error/Sub")
    assert not labels.in_the_loss(parse(text))
    assert labels.in_the_loss(parse(text), "my_error")
    # a layer's op is never the loss, whatever the loss
    layer = K2_MSE.replace("mean_squared_error/SquaredDifference", "sequential/dense_1/MatMul")
    assert not labels.in_the_loss(parse(layer), "mean_squared_error")


def test_keras3_sparse_rank_message_only():
    d = _diagnose(
        "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: target.shape=(None, 10), "
        "output.shape=(None, 10)"
    )
    assert d.kind == "label_mismatch" and d.rule == "onehot_sparse_loss"


def test_corpus_case_15_message_only():
    d = _diagnose(
        "A target array with shape (1080, 6) was passed for an output of shape (None, 10) while using as "
        "loss "
        "`categorical_crossentropy`. This loss expects targets to have the same shape as the output."
    )
    assert d.rule == "output_units" and "needs 6 units" in d.summary


def test_label_range_message_is_parsed_without_the_label_values():
    text = (
        "Graph execution error:\n\nReceived a label value of 11 which is outside the valid range of [0, "
        "10).  "
        "Label values: 7 0 1 0 9 11 3 2 11 5 7 5 1 10 11 1\n\t [[{{node "
        "compile_loss/sparse_categorical_crossentropy/"
        "SparseSoftmaxCrossEntropyWithLogits}}]]"
    )
    p = parse(text)
    assert (p.family, p.label_value, p.expected_value, p.loss) == ("label_range", 11, 10, SCCE)
    assert "7 0 1 0 9" not in p.text
    d = _diagnose(text)
    assert d.kind == "label_mismatch" and d.rule == "classes_exceed_units"


def test_legacy_target_messages_corpus_30_and_18():
    d = _diagnose(
        "Error when checking target: expected dense_1 to have 2 dimensions, but got array with shape (32, "
        "1, 3)"
    )
    assert d.kind == "label_mismatch" and d.rule == "legacy_target" and "extra axis" in d.summary
    d = _diagnose(
        "ValueError: Error when checking target: expected activation_1 to have shape (None, None, 1) but got "
        "array with shape (1, 1, 2)"
    )
    assert d.kind == "label_mismatch" and "argmax" in d.summary


def test_incompatible_shapes_inside_a_layer_is_not_a_label_error():
    text = (
        'Exception encountered when calling layer "add_5" (type Add).\n\n'
        "Incompatible shapes: [21,250,128] vs. [21,249,128] [Op:AddV2]"
    )
    assert label_rule(parse(text), Facts(), "error") is None


def test_loss_names():
    assert loss_name("CategoricalCrossentropy") == CCE and loss_name("mse") == MSE
    assert (loss_family(SCCE), loss_family(BCE), loss_family("binary_focal_crossentropy")) == (
        "sparse",
        "binary",
        "binary",
    )


# --------------------------------------------------------------------------- cardinality


def card(
    x,
    y,
    siblings=(),
    label_siblings=(),
    expected=(None, 8),
    output=(None, 10),
    loss=CCE,
    xn="X_train",
    yn="y_train",
):
    m = ModelFact(
        "model",
        "Sequential",
        (expected,),
        declared=True,
        built=True,
        output_shape=output,
        loss=loss,
        layers=(LayerFact("first", "Dense", expected),),
    )
    data = (DataFact(xn, xn, "x", "ndarray", x), DataFact(yn, yn, "y", "ndarray", y))
    return Facts(model=m, data=data, siblings=siblings, label_siblings=label_siblings, aliases=ALIASES)


def test_cardinality_names_the_odd_one_from_its_siblings():
    f = card(
        (80, 8), (20,), siblings=(("X_test", (20, 8)),), label_siblings=(("y_train", (80,)),), yn="y_test"
    )
    d = diagnose(None, f, mode="check")
    assert d.kind == "cardinality_mismatch"
    assert "different splits" in d.summary and "`y_train` has 80 samples like `X_train`" in d.summary
    assert "`X_test` has 20 like `y_test`" in d.summary and d.fixes == ()
    f = card((80, 8), (20,), label_siblings=(("y_val", (80,)), ("y_train", (80,))), yn="y_test")
    d = diagnose(None, f, mode="check")
    assert "`y_test` is the odd one, `y_train` has 80 samples" in d.summary  # same split word first


def test_cardinality_keras3_message_with_facts():
    text = (
        "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples."
        "'x' sizes: 80\n'y' sizes: 20\n"
    )
    f = card((80, 8), (20,), label_siblings=(("y_train", (80,)),), yn="y_test")
    d = _diagnose(text, f)
    assert d.kind == "cardinality_mismatch" and "Did you pass `y_test` instead of `y_train`" in " ".join(
        d.notes
    )


def test_cardinality_x_over_reshaped_gets_a_reshape():
    d = diagnose(
        None, card((200, 24, 1), (100, 1), expected=(None, 48, 1), output=(None, 1), loss=MSE), mode="check"
    )
    assert "`X_train` is off" in d.summary
    assert d.fixes[0].kind == "reshape" and d.fixes[0].resulting_shape == (100, 48, 1)
    assert d.fixes[0].code == "X_train = X_train.reshape(-1, 48, 1)\n"  # shape-generic


def test_cardinality_flattened_labels_get_a_reshape():
    d = diagnose(None, card((100, 8), (1000,)), mode="check")
    assert "`y_train` is off" in d.summary
    assert d.fixes[0].op == ("label_reshape", (100, 10)) and d.fixes[0].kind == "reshape"


def test_cardinality_corpus_45_no_reshape():
    d = diagnose(
        None, card((65536, 8192), (2048,), expected=(None, 8192), output=(None, 1), loss=BCE), mode="check"
    )
    assert d.fixes == () and "32 x 2048" in d.summary
    assert "truncating or reshaping it would pair the wrong values" in " ".join(d.notes)


def test_cardinality_no_divisor():
    d = diagnose(None, card((80, 8), (30,)), mode="check")
    assert "neither count divides the other" in d.summary and d.fixes == ()


def test_cardinality_validation_pair():
    m = ModelFact(
        "model",
        "Sequential",
        ((None, 8),),
        declared=True,
        built=True,
        output_shape=(None, 1),
        loss=MSE,
        layers=(LayerFact("first", "Dense", (None, 8)),),
    )
    data = (
        DataFact("X_train", "X_train", "x", "ndarray", (80, 8)),
        DataFact("y_train", "y_train", "y", "ndarray", (80,)),
        DataFact("X_val", "X_val", "val_x", "ndarray", (20, 8)),
        DataFact("y_val", "y_val", "val_y", "ndarray", (30,)),
    )
    d = cardinality_rule(
        NO_MESSAGE, Facts(model=m, data=data), (None, 8), "Dense", "first", ("batch_size", "features")
    )
    assert d.kind == "cardinality_mismatch" and "`X_val` has 20 samples but `y_val` has 30" in d.summary


def test_cardinality_defers_stacked_rows_to_the_shape_rule():
    d = diagnose(
        None, card((144000, 3), (100, 1), expected=(None, 1440, 3), output=(None, 1), loss=MSE), mode="check"
    )
    assert d.kind == "flattened_input"


def test_split_words():
    assert [split_of(n) for n in ("X_train", "y_test", "xVal", "X_validation", "data")] == [
        "train",
        "test",
        "val",
        "val",
        None,
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 500),
    st.tuples(st.integers(1, 6), st.integers(1, 6)),
    st.integers(1, 500),
    st.sampled_from([(None, 8), (None, None, 3), (None, 4, 2), (None, 6, 4)]),
)
def test_cardinality_reshapes_keep_every_value(count, inner, n, wanted):
    shape = (n,) + inner
    new = reshape_to(count, shape, wanted)
    if new is not None:
        assert new[0] == count and n * inner[0] * inner[1] == count * new[1] * (new[2] if len(new) > 2 else 1)
        assert all(w is None or w == d for w, d in zip(wanted[1:], new[1:]))


KINDS = ["class_indices", "onehot", "binary", "multi_hot", "continuous", None]
LOSSES = [CCE, SCCE, BCE, MSE, "categorical_focal_crossentropy", "huber", None]
dims = st.one_of(st.none(), st.integers(1, 12))


@settings(max_examples=400, deadline=None)
@given(
    st.lists(dims, min_size=1, max_size=4),
    st.sampled_from(KINDS),
    st.one_of(st.none(), st.integers(1, 20)),
    st.lists(dims, min_size=2, max_size=4),
    st.sampled_from(["softmax", "sigmoid", "linear", None]),
    st.sampled_from(LOSSES),
    st.sampled_from(["check", "error"]),
)
def test_label_rule_never_raises(y_shape, kind, k, output, act, loss, mode):
    f = facts(tuple(y_shape), (kind, k) if kind else None, tuple(output), act, loss)
    d = label_rule(NO_MESSAGE, f, mode)
    if d is not None:
        assert d.kind == "label_mismatch"
        for fix in d.fixes:
            assert "\n" in fix.code and "[" not in fix.code.split("=")[0]


# --------------------------------------------------------------------------- real Keras 3, real IPython


def _run(shell, code):
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        result = shell.run_cell(code)
    return result, quiet.getvalue()


SPLITS = """import numpy as np
import keras
X = np.random.rand(100, 8).astype("float32")
y = np.random.randint(0, 3, size=100)
X_train, X_test, y_train, y_test = X[:80], X[80:], y[:80], y[80:]
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""


def test_wrong_split_names_the_right_labels(tf, shell):
    import kerashape

    assert _run(shell, SPLITS)[0].success
    assert not _run(shell, "model.fit(X_train, y_test, epochs=1, verbose=0)")[0].success
    d = kerashape.last()
    assert d.kind == "cardinality_mismatch", d.summary
    assert (
        "different splits" in d.summary
        and "pass `X_train` with `y_train`, or `X_test` with `y_test`" in d.summary
    )
    assert not d.fixes  # nothing to apply: the call itself must change


def test_check_magic_reports_labels_keras_accepts_silently(tf, shell):
    setup = SPLITS.replace(
        'loss="sparse_categorical_crossentropy"', 'loss="sparse_categorical_crossentropy"'
    ) + (
        "model1 = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1, activation='sigmoid')])\n"
        "model1.compile(optimizer='adam', loss='categorical_crossentropy')\n"
        "yb = (y_train > 0).astype('float32')\n"
    )
    assert _run(shell, setup)[0].success
    result, out = _run(shell, "%kerashape check model1 X_train yb")
    assert result.success
    assert "categorical_crossentropy normalises the output" in out and "binary_crossentropy" in out, out
    result, out = _run(shell, "%kerashape check model X_train y_train")
    assert "no disagreement" in out, out


def test_verification_never_touches_the_users_model_or_labels(tf, shell):
    import kerashape

    setup = SPLITS.replace("sparse_categorical_crossentropy", "categorical_crossentropy") + (
        "w0 = [w.copy() for w in model.get_weights()]\nm0, y0 = model, y_train\ny_copy = y_train.copy()\n"
    )
    assert _run(shell, setup)[0].success
    d = kerashape.check(shell.user_ns["model"], shell.user_ns["X_train"], shell.user_ns["y_train"])
    assert [f.kind for f in d.fixes if f.verified] == ["sparse_loss", "to_categorical"], [
        f.verification for f in d.fixes
    ]
    assert _run(
        shell,
        "assert model is m0 and model.loss == 'categorical_crossentropy'\n"
        "assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w0))\n"
        "assert y_train is y0 and np.array_equal(y_train, y_copy)\n"
        "assert model.train_function is None",
    )[0].success
