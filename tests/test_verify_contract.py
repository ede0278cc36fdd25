"""Contract: a structured verifier does what the fix's own code does (issue 9, "Verification
runs the fix's own code").

Some fixes carry ``op=(...)`` that a verifier reads instead of running ``fix.code``: the label
transforms of ``verify_labels.py`` (the code may name the whole array's size, ``y.reshape(100,
10)``, which a 2-sample slice cannot take), the loss and output-layer rebuilds, the layer
rebuilds of ``verify_internal.py`` and verify.py's fallbacks for a model whose variable is not a
plain name. For every requested move whose table entry says ``structured=True``
(``core.moves.REQUESTED``), this test builds the fix with the move's own builder from the real
facts layer's description of real arrays and real Keras models, computes the structured
result, runs ``fix.code`` (exactly what Apply runs, with the real ``kerashape`` module) on a
copy, and requires the same shapes and values (for models: the same layers, weights, input,
compiled loss, and the same predictions). A structured move without a case here fails.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from kerashape_magic.core.moves import REQUESTED
from kerashape_magic.core.types import Facts

STRUCTURED = sorted(name for name, spec in REQUESTED.items() if spec.structured)
WHY = "a test reason"


def _facts(model=None, model_name="model", **data):
    """Facts as the facts layer describes ``model`` and the named arrays (role from the name)."""
    from kerashape_magic import facts as F

    roles = {"x": "x", "y": "y", "ds": "x", "batched": "x"}
    mf = F.model_fact(model, model_name) if model is not None else None
    df = tuple(F.data_fact(obj, name, name, roles.get(name, "x"), dict(data)) for name, obj in data.items())
    return Facts(model=mf, data=df)


def _run_code(fix, ns):
    """Run ``fix.code`` as Apply does, in a copy of ``ns`` whose arrays are copies; the namespace after."""
    ns = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in ns.items()}
    exec(compile(fix.code, "<fix %s>" % fix.kind, "exec"), ns)
    return ns


def _assert_same_array(structured, by_code):
    structured, by_code = np.asarray(structured), np.asarray(by_code)
    assert structured.shape == by_code.shape, (structured.shape, by_code.shape)
    np.testing.assert_allclose(structured, by_code)


def _assert_same_model(structured, by_code, x, y=None, same_weights=True):
    """Same layers, input, output, weight shapes (and values), compiled loss and predictions."""
    assert structured is not by_code
    assert [type(layer).__name__ for layer in structured.layers] == [
        type(layer).__name__ for layer in by_code.layers
    ]
    assert tuple(structured.inputs[0].shape) == tuple(by_code.inputs[0].shape)
    assert tuple(structured.outputs[0].shape) == tuple(by_code.outputs[0].shape)
    ws, wc = structured.get_weights(), by_code.get_weights()
    assert [w.shape for w in ws] == [w.shape for w in wc]
    assert getattr(structured, "_kerashape_weights_kept", None) == getattr(
        by_code, "_kerashape_weights_kept", None
    )
    if not same_weights:  # an edited layer starts from new random weights in both: give both the same
        by_code.set_weights(ws)
    for a, b in zip(ws, by_code.get_weights()):
        np.testing.assert_allclose(a, b)
    assert structured.compiled == by_code.compiled
    if structured.compiled:
        assert repr(structured.loss) == repr(by_code.loss) or type(structured.loss) is type(by_code.loss)
    n = 2 if structured.inputs[0].shape[0] is None else structured.inputs[0].shape[0]
    xs = x[:n]
    _assert_same_array(structured.predict(xs, verbose=0), by_code.predict(xs, verbose=0))
    if y is not None and structured.compiled:
        out = structured(xs)
        la = float(structured.compute_loss(x=xs, y=y[:n], y_pred=out))
        lb = float(by_code.compute_loss(x=xs, y=y[:n], y_pred=by_code(xs)))
        assert la == pytest.approx(lb, rel=1e-6)


def _classifier(keras, units=3, loss="categorical_crossentropy", from_logits=False):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dense(units, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=0.01),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True) if from_logits else loss,
    )
    return model


# --------------------------------------------------------------------------- label transforms


def _label_case(name, y, **args):
    from kerashape_magic import verify_labels

    facts = _facts(y=y)
    fix = REQUESTED[name].build(facts, y=facts.data[0], rationale=WHY, **args)
    assert fix is not None and fix.op, name
    structured = verify_labels.structured_labels(fix, y)
    by_code = _run_code(fix, {"y": y})["y"]
    _assert_same_array(structured, np.asarray(by_code)[: len(structured)])
    return fix


def case_to_categorical(tf):
    y = np.array([0, 2, 1, 2, 0, 1])
    _label_case("to_categorical", y, num_classes=4, result=(6, 4))


def case_pad_onehot(tf):
    import keras

    y = keras.utils.to_categorical(np.array([2, 0, 1, 2, 1, 0]), 3)
    _label_case("pad_onehot", y, num_classes=5, result=(6, 5))


def case_argmax_labels(tf):
    import keras

    y = keras.utils.to_categorical(np.array([2, 0, 1, 2, 1, 0]), 3)
    _label_case("argmax_labels", y, result=(6,))


def case_squeeze_labels(tf):
    y = np.array([[1], [0], [2], [1], [0], [2]])
    _label_case("squeeze_labels", y, axis=1, result=(6,))


def case_reshape_labels(tf):
    y = np.arange(12.0)  # flattened (6, 2) labels
    fix = _label_case("reshape_labels", y, shape=(6, 2))
    assert fix.op[0] == "label_reshape"


def case_transpose_labels(tf):
    y = np.ascontiguousarray(np.arange(30.0).reshape(10, 3).T)  # (3, 10): targets by row
    _label_case("transpose_labels", y, shape=(10, 3))


def case_shift_labels(tf):
    _label_case("shift_labels", np.array([3, 1, 2, 3, 2, 1]), form="indices", num_classes=3)
    _label_case("shift_labels", np.eye(4)[[3, 1, 2, 3, 2, 1]], form="onehot", num_classes=3)


def case_encode_labels(tf):
    _label_case(
        "encode_labels", np.array(["virginica", "setosa", "versicolor", "setosa", "setosa", "virginica"])
    )


# --------------------------------------------------------------------------- losses and output layers


def _model_change(keras, name, model, x, y, same_weights=True, **args):
    from kerashape_magic import verify_labels

    facts = _facts(model, x=x, y=y)
    fix = REQUESTED[name].build(facts, rationale=WHY, **args)
    assert fix is not None and fix.op, name
    structured = verify_labels.structured_model(fix, model)
    by_code = _run_code(fix, {"model": model, "x": x, "y": y})["model"]
    _assert_same_model(structured, by_code, x, y, same_weights=same_weights)


def case_change_loss(tf):
    import keras

    x, y = np.random.default_rng(0).random((6, 4)).astype("float32"), np.array([0, 2, 1, 2, 0, 1])
    for logits in (False, True):
        model = _classifier(keras, from_logits=logits)
        _model_change(
            keras, "change_loss", model, x, y, kind="sparse_loss", loss="sparse_categorical_crossentropy"
        )


def case_edit_output(tf):
    import keras

    x = np.random.default_rng(0).random((6, 4)).astype("float32")
    y = keras.utils.to_categorical(np.array([0, 5, 1, 2, 0, 1]), 6)
    model = _classifier(keras)
    layer = _facts(model).model.layers[-1]
    _model_change(
        keras, "edit_output", model, x, y, same_weights=False, layer=layer, units=6, activation="softmax"
    )


# --------------------------------------------------------------------------- layer and model rebuilds


def _rebuild_case(model, x, y, name, structured_fn, same_weights=True, **args):
    facts = _facts(model, x=x, y=y) if y is not None else _facts(model, x=x)
    fix = REQUESTED[name].build(facts, rationale=WHY, **args)
    assert fix is not None and fix.op, name
    structured = structured_fn(fix, model)
    by_code = _run_code(fix, {"model": model, "x": x, "y": y})["model"]
    _assert_same_model(structured, by_code, x, y, same_weights=same_weights)


def case_edit_layer(tf):
    import keras

    from kerashape_magic.verify_internal import structured_rebuild

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((5, 3)), keras.layers.LSTM(4, name="lstm"), keras.layers.Dense(2, name="dense")]
    )
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(1).random((4, 5, 3)).astype("float32")
    y = np.random.default_rng(2).random((4, 3, 2)).astype("float32")
    _rebuild_case(
        model, x, y, "edit_layer", structured_rebuild, title="t", insert_after={"lstm": ("RepeatVector", 3)}
    )
    _rebuild_case(
        model, x, None, "edit_layer", structured_rebuild, title="t", edit={"lstm": {"return_sequences": True}}
    )


def case_rebuild_declared_input(tf):
    import keras

    from kerashape_magic.verify_internal import structured_rebuild

    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((None, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(1).random((4, 7, 3)).astype("float32")
    _rebuild_case(
        model, x, np.zeros((4, 1), "float32"), "rebuild_declared_input", structured_rebuild, shape=(7, 3)
    )


def case_rebuild_input(tf):
    import keras

    from kerashape_magic.verify import structured_rebuild_input

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((24, 3)), keras.layers.Conv1D(4, 3), keras.layers.GlobalAveragePooling1D()]
    )
    x = np.random.default_rng(1).random((4, 30, 3)).astype("float32")
    _rebuild_case(model, x, None, "rebuild_input", structured_rebuild_input, shape=(30, 3))


def case_rebuild_batch_size(tf):
    """The size the batch rule asks for (core/rules/batch.py: the batch the user's call feeds) is
    built alike by both forms, and the user's unchanged call then runs on the copy; the rule never
    asks for ``batch_size=None`` (Keras 3 refuses a stateful layer with a free batch size)."""
    import keras

    from kerashape_magic.core.rules import batch
    from kerashape_magic.core.rules.context import NO_MESSAGE, Context
    from kerashape_magic.core.types import CallFact
    from kerashape_magic.verify import structured_rebuild_input

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input(batch_shape=(4, 5, 3)), keras.layers.LSTM(2, stateful=True), keras.layers.Dense(1)]
    )
    x = np.random.default_rng(1).random((10, 5, 3)).astype("float32")
    call = CallFact("predict", "out = model.predict(x, verbose=0)")
    d = batch.rule(Context(NO_MESSAGE, replace(_facts(model, x=x), call=call), "error"))
    assert d is not None and d.kind == "batch_size_mismatch"
    (request,) = d.requests
    assert request.move == "rebuild_batch_size" and request.args["batch_size"] == 10  # one batch of 10
    size = request.args["batch_size"]
    _rebuild_case(model, x, None, "rebuild_batch_size", structured_rebuild_input, batch_size=size)
    rebuilt = REQUESTED["rebuild_batch_size"].build(_facts(model, x=x), **request.args)
    copy = structured_rebuild_input(rebuilt, model)
    assert copy.predict(x, verbose=0).shape == (10, 1)  # the user's call, unchanged
    with pytest.raises(Exception, match="batch size"):
        model.predict(x, verbose=0)  # as it failed before
    # batch_size=None (what the rule asked for before): Keras 3 refuses it, so no request names it
    fix = REQUESTED["rebuild_batch_size"].build(_facts(model, x=x), batch_size=None, rationale=WHY)
    with pytest.raises(Exception, match="batch size must be static"):
        structured_rebuild_input(fix, model)
    for n, source in (
        (10, "model.predict(x, batch_size=4)"),
        (40, "model.predict(x)"),
        (8, "model.fit(x, y)"),
    ):
        xs = np.zeros((n, 5, 3), "float32")
        facts = replace(_facts(model, x=xs), call=CallFact(source.split(".")[1].split("(")[0], source))
        found = batch.rule(Context(NO_MESSAGE, facts, "error"))
        assert found is not None and all(r.args.get("batch_size") is not None for r in found.requests), source


# --------------------------------------------------------------------------- data moves of a layer


def case_argmax_input(tf):
    import keras

    from kerashape_magic.verify_internal import structured_input

    x = keras.utils.to_categorical(np.random.default_rng(0).integers(0, 10, (6, 5)), 10)
    facts = _facts(x=x)
    fix = REQUESTED["argmax_input"].build(facts, x=facts.data[0], rationale=WHY)
    assert fix is not None and fix.op[0] == "argmax_input"
    structured = structured_input(fix, x)
    _assert_same_array(structured, _run_code(fix, {"x": x})["x"][: len(structured)])


def case_padded_batch(tf):
    """The structured form batches the first 2 elements; the fix's code, run as verification
    runs it (verify.run_fix_code: the source dataset replayed to its first 2 elements), must
    give the same first batch."""
    from kerashape_magic import verify
    from kerashape_magic.facts import Gathered

    seqs = [np.arange(n, dtype="float32") for n in (3, 5, 2, 4)]
    ds = tf.data.Dataset.from_generator(
        lambda: iter(seqs), output_signature=tf.TensorSpec((None,), tf.float32)
    )
    ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([s.tolist() for s in seqs])).map(lambda r: r)
    batched = ds.batch(2)
    facts = _facts(batched=batched)  # the call's data; ds is the namespace's dataset it came from
    fix = REQUESTED["padded_batch"].build(facts, target="batched", source="ds", batch_size=32, rationale=WHY)
    assert fix is not None and fix.op[0] == "padded_batch"
    structured = verify.padded_element(fix, ds)
    ns = verify.run_fix_code(fix, Gathered(facts, None, {}, {"ds": ds, "batched": batched}))
    by_code = next(iter(ns["batched"]))
    _assert_same_array(structured, by_code)
    assert next(iter(ds)).shape == (3,)  # the user's dataset was replayed, not consumed


CASES = {name[len("case_") :]: fn for name, fn in dict(globals()).items() if name.startswith("case_")}


def test_every_structured_move_has_a_case():
    missing = sorted(set(STRUCTURED) - set(CASES))
    assert not missing, "structured moves without a contract case in %s: %s" % (__file__, missing)
    assert not set(CASES) - set(REQUESTED), sorted(set(CASES) - set(REQUESTED))


@pytest.mark.parametrize("name", STRUCTURED)
def test_structured_verification_does_what_the_fix_code_does(name, tf):
    assert name in CASES, "no contract case for the structured move %r" % name
    CASES[name](tf)


# --------------------------------------------------------------------------- data moves' structured fallback
# verify.transformed_slice computes a data fix's result from ``fix.op`` when the fix's code cannot
# run on a slice under the target's own name (a dotted target such as ``data.X``); every verb it
# knows gets a case here, built by the move's own template.


def _slice_verbs():
    import ast
    import inspect

    from kerashape_magic import verify

    tree = ast.parse(inspect.getsource(verify.transformed_slice))
    return sorted(
        {
            node.comparators[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and node.left.id == "verb"
            and isinstance(node.comparators[0], ast.Constant)
        }
    )


def _slice_case(fix, obj, name="X", **extra):
    """transformed_slice(fix, obj) against fix.code run on a full copy (its first samples)."""
    from kerashape_magic import verify

    assert fix is not None and fix.op, fix
    structured = np.asarray(verify.transformed_slice(fix, obj))
    by_code = np.asarray(_run_code(fix, {name: obj, "np": np, **extra})[name])
    assert structured.shape == by_code[: len(structured)].shape, (fix.op, structured.shape, by_code.shape)
    np.testing.assert_allclose(structured, by_code[: len(structured)], atol=1e-5)


def _x(shape, name="X"):
    obj = np.random.default_rng(0).random(shape).astype("float32")
    return obj, _facts(**{name: obj})


def slice_expand_dims(tf):
    from kerashape_magic.core.moves import templates as T

    for shape, axis, result in (((6, 24), -1, (6, 24, 1)), ((24, 3), 0, (1, 24, 3))):
        X, facts = _x(shape)
        _slice_case(T.expand_dims(facts, "X", "ndarray", axis, result, WHY), X)


def slice_reshape(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((6, 72))
    _slice_case(T.reshape(facts, "X", "ndarray", (6, 24, 3), WHY), X)


def slice_reshape_transpose(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((6, 72))
    _slice_case(T.reshape_feature_major(facts, "X", "ndarray", (6, 24, 3)), X)


def slice_transpose(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((6, 3, 24))
    _slice_case(T.transpose(facts, "X", "ndarray", (0, 2, 1), (6, 24, 3), WHY), X)


def slice_squeeze(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((6, 24, 1, 3))
    _slice_case(T.squeeze(facts, "X", "ndarray", 2, (6, 24, 3), WHY), X)


def slice_repeat(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((6, 8, 8, 1))
    _slice_case(T.repeat(facts, "X", "ndarray", 3, -1, (6, 8, 8, 3), WHY, "t"), X)


def slice_window(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((30, 3))
    _slice_case(T.sliding_windows(facts, "X", "ndarray", 5, 3, 30), X)


def slice_blocks(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((30, 3))
    _slice_case(T.row_blocks(facts, "X", "ndarray", 5, 3, 30), X)


def slice_split_windows(tf):
    from kerashape_magic.core.moves import templates as T

    X, _ = _x((4, 48, 3))
    y = np.arange(4.0).reshape(4, 1)
    facts = _facts(X=X, y=y)
    _slice_case(T.split_windows(facts, facts.data[0], facts.data[1], 24, (4, 48, 3)), X, y=y)


def slice_resize(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((4, 32, 32, 1))
    _slice_case(T.resize(facts, "X", "ndarray", (28, 28), (4, 28, 28, 1), WHY, True), X, tf=tf)


def slice_pad_sequences(tf):
    from kerashape_magic.core.moves import templates as T

    seqs = [np.arange(n, dtype="float32") for n in (3, 2, 5, 4)]  # the longest is not among the first two
    facts = _facts(seqs=seqs)
    _slice_case(T.pad_sequences(facts, "seqs", None, "float32", WHY, False), seqs, name="seqs")


def slice_keep_channels(tf):
    from kerashape_magic.core.moves import templates as T

    X, facts = _x((4, 8, 8, 4))  # RGBA pictures for an RGB model
    _slice_case(T.keep_channels(facts, "X", "ndarray", 3, (4, 8, 8, 3), WHY), X)


SLICE_CASES = {name[len("slice_") :]: fn for name, fn in dict(globals()).items() if name.startswith("slice_")}

#: Known differences between a structured form and the fix's code, each a defect to fix (strict:
#: the test fails once the difference is gone, so the entry must then be removed).
KNOWN_DIFFERENCES: dict = {}


def test_every_slice_verb_has_a_case():
    missing = sorted(set(_slice_verbs()) - set(SLICE_CASES))
    assert not missing, "transformed_slice verbs without a contract case in %s: %s" % (__file__, missing)


@pytest.mark.parametrize("verb", _slice_verbs())
def test_transformed_slice_does_what_the_fix_code_does(verb, tf):
    assert verb in SLICE_CASES, "no contract case for the slice verb %r" % verb
    if verb in KNOWN_DIFFERENCES:
        with pytest.raises(AssertionError):
            SLICE_CASES[verb](tf)
        return
    SLICE_CASES[verb](tf)
