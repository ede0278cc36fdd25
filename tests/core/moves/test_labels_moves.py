"""core/moves/labels.py: labels never scramble; transpose, shift and encode moves; the rules that ask
for them (pure: facts only, no framework). The fixes' code is run on real NumPy arrays here."""

import numpy as np

from kerashape_magic.core.moves import propose
from kerashape_magic.core.moves.labels import (
    encode_labels_fix,
    reshape_labels_fix,
    reversed_labels,
    scrambles_samples,
    shift_labels_fix,
    transpose_labels_fix,
)
from kerashape_magic.core.rules import run
from kerashape_magic.core.rules.context import NO_MESSAGE, Context
from kerashape_magic.core.rules.labels import string_labels_rule
from kerashape_magic.core.types import FIX_KINDS, CallFact, DataFact, Facts, LayerFact, ModelFact

REG = ModelFact(
    "model",
    "Sequential",
    ((None, 5),),
    declared=True,
    built=True,
    output_shape=(None, 3),
    loss="mean_squared_error",
    layers=(LayerFact("dense", "Dense", (None, 5), (None, 3), (("units", 3),)),),
)


def _run_code(code, ns):
    exec(code, ns)  # the fix's own code, as Apply runs it
    return ns


def test_a_reshape_that_spreads_a_row_over_samples_is_ruled_out_never_offered():
    assert scrambles_samples((3, 100), (100, 3))
    assert scrambles_samples((4, 50), (100, 2))  # not reversed, still across samples
    assert not scrambles_samples((300,), (100, 3))  # flattened labels regrouped: each sample whole
    assert not scrambles_samples((200, 3), (100, 6))  # two consecutive rows per sample
    y = DataFact("y", "y", "y", "ndarray", (4, 50), "float32")
    fix = reshape_labels_fix(Facts(model=REG, data=(y,)), y, (100, 2), "r")
    assert fix is not None and fix.verification.startswith("ruled out:")
    flat = DataFact("y", "y", "y", "ndarray", (300,), "float32")
    ok = reshape_labels_fix(Facts(model=REG, data=(flat,)), flat, (100, 3), "r")
    assert ok is not None and ok.kind == "reshape" and not ok.verification


def test_reversed_labels_get_a_transpose_that_keeps_every_value_with_its_sample():
    assert reversed_labels((3, 100), (100, 3))
    assert not reversed_labels((5, 5), (5, 5))  # ambiguous: never transposed
    y = DataFact("y_cols", "y_cols", "y", "ndarray", (3, 100), "float32")
    fix = reshape_labels_fix(Facts(model=REG, data=(y,)), y, (100, 3), "r")
    assert fix is not None and fix.kind == "transpose" and fix.move == "transpose_labels"
    assert "scramble" in fix.rationale or "spread" in fix.rationale
    rows = np.random.default_rng(0).random((100, 3))
    ns = _run_code(fix.code, {"np": np, "y_cols": np.ascontiguousarray(rows.T)})
    assert np.array_equal(ns["y_cols"], rows)
    square = DataFact("y", "y", "y", "ndarray", (5, 5), "float32")
    assert transpose_labels_fix(Facts(model=REG, data=(square,)), square, (5, 5), "r") is None


def test_shift_moves_code_gives_zero_based_ids_and_drops_the_empty_column():
    ids = np.array([1, 2, 3, 10, 4])
    y = DataFact("y", "y", "y", "ndarray", (5,), "int64", labels=("class_indices", 11))
    fix = shift_labels_fix(Facts(data=(y,)), y, "indices", 10, "r")
    assert fix.kind == "shift_labels" and fix.kind in FIX_KINDS
    assert np.array_equal(_run_code(fix.code, {"np": np, "y": ids})["y"], ids - 1)
    onehot = np.eye(11)[ids]
    Y = DataFact("Y", "Y", "y", "ndarray", (5, 11), "float32", labels=("onehot", 11))
    fix = shift_labels_fix(Facts(data=(Y,)), Y, "onehot", 10, "r")
    out = _run_code(fix.code, {"np": np, "Y": onehot})["Y"]
    assert out.shape == (5, 10) and np.array_equal(out.argmax(1), ids - 1)
    assert fix.resulting_shape == (5, 10)


def test_the_label_rule_asks_for_the_shift_before_widening_the_output():
    model = ModelFact(
        "model",
        "Sequential",
        ((None, 16),),
        declared=True,
        built=True,
        output_shape=(None, 10),
        loss="categorical_crossentropy",
        layers=(
            LayerFact("dense_1", "Dense", (None, 16), (None, 10), (("units", 10), ("activation", "softmax"))),
        ),
    )
    Y = DataFact("Y_train", "Y_train", "y", "ndarray", (40, 11), "float64", labels=("onehot", 11))
    x = DataFact("X_train", "X_train", "x", "ndarray", (40, 16), "float32")
    facts = Facts(model=model, data=(x, Y), call=CallFact("fit"))
    d = propose(run(None, facts, "check"), facts)
    kinds = [f.kind for f in d.fixes]
    assert "shift_labels" in kinds and "edit_layer" in kinds
    assert kinds.index("shift_labels") < kinds.index("edit_layer")


def test_string_labels_are_encoded_with_the_names_kept():
    model = ModelFact(
        "model",
        "Sequential",
        ((None, 4),),
        declared=True,
        built=True,
        output_shape=(None, 3),
        loss="sparse_categorical_crossentropy",
    )
    y = DataFact("y", "y", "y", "ndarray", (6,), "str320")
    x = DataFact("X", "X", "x", "ndarray", (6, 4), "float32")
    facts = Facts(model=model, data=(x, y), call=CallFact("fit"))
    d = string_labels_rule(Context(NO_MESSAGE, facts, "objects"))
    assert d is not None and d.kind == "dtype_mismatch"
    fix = propose(d, facts).fixes[0]
    assert fix.kind == "encode_labels" and fix.kind in FIX_KINDS
    assert "np.searchsorted(y_classes" in fix.rationale  # the same classes encode test labels
    names = np.array(["b", "a", "c", "a", "b", "c"])
    ns = _run_code(fix.code, {"np": np, "y": names})
    assert np.array_equal(ns["y_classes"][ns["y"]], names)
    assert encode_labels_fix(facts, DataFact(None, "f(y)", "y", "ndarray", (6,), "str320"), "r") is None
    numbers = DataFact("y", "y", "y", "ndarray", (6,), "int64")
    assert string_labels_rule(Context(NO_MESSAGE, Facts(model=model, data=(x, numbers)), "objects")) is None


def _structured_equals_code(name, y, **args):
    """The contract of tests/test_verify_contract.py for the three label moves of this file: the
    structured slice the verifier computes equals the fix's own code run on the whole labels, cut."""
    from kerashape_magic import verify_labels
    from kerashape_magic.core.moves import REQUESTED
    from kerashape_magic.facts import data_fact

    fact = data_fact(y, "y", "y", "y")
    fix = REQUESTED[name].build(Facts(model=REG, data=(fact,)), y=fact, rationale="r", **args)
    assert fix is not None and REQUESTED[name].structured
    structured = np.asarray(verify_labels.structured_labels(fix, y))
    by_code = np.asarray(_run_code(fix.code, {"np": np, "y": y.copy()})["y"])[: len(structured)]
    assert structured.shape == by_code.shape and np.array_equal(structured, by_code), (structured, by_code)


def test_structured_label_verifiers_do_what_the_fix_code_does():
    rows = np.arange(30.0).reshape(10, 3)
    _structured_equals_code("transpose_labels", np.ascontiguousarray(rows.T), shape=(10, 3))
    _structured_equals_code("shift_labels", np.array([3, 1, 2, 3, 2]), form="indices", num_classes=3)
    _structured_equals_code("shift_labels", np.eye(4)[[3, 1, 2, 3]], form="onehot", num_classes=3)
    _structured_equals_code("encode_labels", np.array(["virginica", "setosa", "versicolor", "setosa"]))


def test_sparse_labels_numbered_from_one_get_the_shift_first():
    model = ModelFact(
        "model",
        "Sequential",
        ((None, 4),),
        declared=True,
        built=True,
        output_shape=(None, 10),
        loss="sparse_categorical_crossentropy",
        layers=(
            LayerFact("out", "Dense", (None, 4), (None, 10), (("units", 10), ("activation", "softmax"))),
        ),
    )
    y = DataFact("y", "y", "y", "ndarray", (50,), "int64", labels=("class_indices", 11))
    x = DataFact("X", "X", "x", "ndarray", (50, 4), "float32")
    facts = Facts(model=model, data=(x, y), call=CallFact("fit"))
    d = propose(run(None, facts, "check"), facts)
    kinds = [f.kind for f in d.fixes]
    assert kinds and kinds[0] == "shift_labels", kinds
