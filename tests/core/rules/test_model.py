"""Rules for mistakes inside the model (core/rules/model.py): pure, no TensorFlow needed.

The messages are Keras 3.15's, measured (see the case files tests/cases/internal_*.py for the
same situations with real models); the layer facts are what facts.model_fact reads from
those models.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.messages import parse
from kerashape_magic.core.moves import propose
from kerashape_magic.core.moves.layers import edit_layer
from kerashape_magic.core.rules import model as model_rules
from kerashape_magic.core.rules.context import NO_MESSAGE
from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact
from kerashape_magic.core.vocab import INSERTABLE

ALIASES = (("numpy", "np"), ("kerashape", "kerashape"), ("keras", "keras"))
DATA_FIXES = {"reshape", "expand_dims", "transpose", "squeeze"}


def model_rule(parsed, facts, *args, **kwargs):
    """The model rule, with its requested moves turned into fixes (core.moves.propose)."""
    d = model_rules.model_rule(parsed, facts, *args, **kwargs)
    return propose(d, facts) if d is not None else None


def ndim_message(layer, expected, shape):
    return parse(
        "Input 0 with name 'None' of layer '%s' is incompatible with the layer: expected ndim=%d, found "
        "ndim=%d. "
        "Full shape received: %s"
        % (layer, expected, len(shape), "(%s)" % ", ".join("None" if d is None else str(d) for d in shape))
    )


def lazy_model(*layers, input_layer_shape=None, loss="mean_squared_error"):
    """A Sequential without a declared input, left configured by the failed call (Keras 3.15)."""
    return ModelFact(
        "model",
        "Sequential",
        (),
        declared=False,
        built=False,
        lazy_configured=True,
        stale=True,
        layers=tuple(layers),
        loss=loss,
        input_layer_shape=input_layer_shape,
    )


def built_model(input_shape, *layers, loss="categorical_crossentropy"):
    return ModelFact(
        "model",
        "Sequential",
        (input_shape,),
        declared=True,
        built=True,
        layers=tuple(layers),
        output_shape=layers[-1].output_shape,
        loss=loss,
    )


def facts(model, x=None, y=None, onehot=0):
    data = []
    if x is not None:
        data.append(DataFact("X", "X", "x", "ndarray", x, "float32", onehot_tail=onehot))
    if y is not None:
        data.append(DataFact("y", "y", "y", "ndarray", y, "float32"))
    return Facts(model=model, data=tuple(data), aliases=ALIASES)


def lstm(name, units, seq=False, out=None):
    return LayerFact(name, "LSTM", (None, None, None), out, (("units", units), ("return_sequences", seq)))


# --------------------------------------------------------------------------- a failing layer inside


def test_stacked_lstm_names_both_layers_and_sets_return_sequences():
    m = lazy_model(
        lstm("lstm", 64, out=None),
        lstm("lstm_1", 32),
        LayerFact("dense", "Dense", (None, None)),
        input_layer_shape=(32, 24, 3),
    )
    d = diagnose(ndim_message("lstm_1", 3, (32, 64)), facts(m, x=(100, 24, 3), y=(100, 1)))
    assert (d.kind, d.rule, d.layer_name, d.layer_class) == (
        "rank_mismatch",
        "stacked_recurrent",
        "lstm_1",
        "LSTM",
    )
    assert d.summary.startswith(
        "LSTM 'lstm_1' expects 3-D input (batch_size, timesteps, features) but the layer before "
        "it, LSTM 'lstm', returns 2-D (None, 64): set return_sequences=True on 'lstm'."
    )
    assert "`X` (100, 24, 3) fits the model's input (None, 24, 3)" in d.summary
    assert d.received_shape == (None, 64) and d.expected_shape == (None, None, None)
    assert d.shape_path == (("input", (None, 24, 3)), ("lstm", (None, 64)))
    assert [(r.name, r.status) for r in d.rows] == [
        ("batch_size", "ok"),
        ("timesteps", "missing"),
        ("features", "ok"),
    ]
    assert [f.kind for f in d.fixes] == ["edit_layer"]
    fix = d.fixes[0]
    assert fix.code == 'model = kerashape.rebuild(model, edit={"lstm": {"return_sequences": True}})\n'
    assert fix.op == ("rebuild", None, (("lstm", (("return_sequences", True),)),), (), (), ())
    assert "rnn.py" in fix.rationale and not fix.verified and not fix.loses_data


def test_build_time_error_without_data_is_explained_from_the_model():
    # model.add(LSTM(16)) after model.add(LSTM(32, input_shape=(24, 3))): no data in the failing call
    m = lazy_model(lstm("lstm", 32), lstm("lstm_1", 16), input_layer_shape=(None, 24, 3))
    d = diagnose(ndim_message("lstm_1", 3, (None, 32)), facts(m))
    assert d.rule == "stacked_recurrent" and d.layer_name == "lstm_1"
    assert d.shape_path == (("input", (None, 24, 3)), ("lstm", (None, 32)))
    assert d.fixes[0].kind == "edit_layer"


def test_bidirectional_before_an_lstm_is_judged_by_its_output_rank():
    # Bidirectional's own config has no return_sequences (it is in the wrapped layer's)
    m = lazy_model(LayerFact("bidirectional", "Bidirectional", (None, None, None)), lstm("lstm", 8))
    d = diagnose(ndim_message("lstm", 3, (None, 64)), facts(m, x=(10, 5, 2)))
    assert d.rule == "stacked_recurrent"
    assert '"bidirectional": {"return_sequences": True}' in d.fixes[0].code


def test_embedding_given_dense_vectors_is_removed_not_reshaped():
    # corpus case 54: 64-d vectors per step into an Embedding
    emb = LayerFact(
        "embedding", "Embedding", None, (None, 200, 64, 32), (("input_dim", 1000), ("output_dim", 32))
    )
    m = lazy_model(
        emb, lstm("lstm", 50), LayerFact("dense", "Dense", (None, None)), input_layer_shape=(32, 200, 64)
    )
    d = diagnose(ndim_message("lstm", 3, (None, 200, 64, 32)), facts(m, x=(291, 200, 64), y=(291, 1)))
    assert d.rule == "embedding_vectors" and d.layer_name == "lstm"
    assert "Embedding 'embedding', returns 4-D (None, 200, 64, 32)" in d.summary
    assert "drop the Embedding 'embedding'" in d.summary
    assert [f.kind for f in d.fixes] == ["edit_layer"]
    assert d.fixes[0].code == 'model = kerashape.rebuild(model, remove="embedding")\n'
    assert any("embedding.py" in n for n in d.notes)


def test_onehot_into_embedding_offers_the_indices_first():
    emb = LayerFact(
        "embedding", "Embedding", None, (None, 20, 50, 16), (("input_dim", 50), ("output_dim", 16))
    )
    m = lazy_model(emb, lstm("lstm", 8), input_layer_shape=(32, 20, 50))
    d = diagnose(ndim_message("lstm", 3, (None, 20, 50, 16)), facts(m, x=(24, 20, 50), onehot=50))
    assert [f.kind for f in d.fixes] == ["argmax", "edit_layer"]
    assert d.fixes[0].code.splitlines()[0] == "X = np.argmax(X, axis=-1)"
    assert "kerashape.rebuild(model)" in d.fixes[0].code  # the failed call left the model configured
    assert d.fixes[0].resulting_shape == (24, 20)


def test_input_shape_with_the_sample_axis_at_the_first_layer():
    # corpus case 48: model.add(LSTM(100, input_shape=(1, 6, 30))) -> the add fails, no data in the call
    m = lazy_model(lstm("lstm", 100, seq=True), input_layer_shape=(None, 1, 6, 30))
    d = diagnose(ndim_message("lstm", 3, (None, 1, 6, 30)), facts(m))
    assert d.rule == "sample_axis_in_input_shape"
    assert "the declared input_shape (1, 6, 30) includes the sample axis; use (6, 30)" in d.summary
    assert d.fixes[0].kind == "rebuild_input"
    assert d.fixes[0].code == "model = kerashape.rebuild(model, input_shape=(6, 30))\n"
    assert d.fixes[0].op[0] == "rebuild"  # verified without data by verify_internal


def test_sample_axis_fix_needs_the_shape_from_the_model_not_the_message():
    m = lazy_model(lstm("lstm", 100))  # the InputLayer's shape was not read
    d = diagnose(ndim_message("lstm", 3, (None, 1, 6, 30)), facts(m))
    assert not [f for f in d.fixes if f.kind == "rebuild_input"]


def test_input_shape_equal_to_the_data_shape():
    # Dense(10, input_shape=X.shape), X (50, 7): the model expects (None, 50, 7)
    m = built_model(
        (None, 50, 7),
        LayerFact("dense", "Dense", (None, 50, 7), (None, 50, 10), (("units", 10),)),
        LayerFact("dense_1", "Dense", (None, 50, 10), (None, 50, 1), (("units", 1),)),
        loss="mse",
    )
    p = parse(
        'Invalid input shape for input Tensor("data:0", shape=(None, 7), dtype=float32) with name '
        "'keras_tensor' "
        "and path ''. Expected shape (None, 50, 7), but input has incompatible shape (None, 7)"
    )
    d = diagnose(p, facts(m, x=(50, 7), y=(50, 1)))
    assert (d.kind, d.rule) == ("rank_mismatch", "sample_axis_in_input_shape")
    assert [f.kind for f in d.fixes] == ["rebuild_input"]
    assert "input_shape=(7,)" in d.fixes[0].code
    assert "input_shape=(50, 7) is `X`'s whole shape" in d.summary


def test_a_layer_of_higher_rank_before_gets_a_reshape_inserted():
    # rule rank_bridge (34bfc5e): Conv2D's 4-D output into an LSTM: insert Reshape merging the
    # trailing axes; the note says when TimeDistributed is the right reading instead
    conv = LayerFact("conv2d", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 4), (("filters", 4),))
    m = lazy_model(conv, lstm("lstm", 8), input_layer_shape=(32, 28, 28, 1))
    d = diagnose(ndim_message("lstm", 3, (None, 26, 26, 4)), facts(m, x=(10, 28, 28, 1)))
    assert d.layer_name == "lstm" and d.rule == "rank_bridge"
    assert "the layer before it, Conv2D 'conv2d', returns 4-D (None, 26, 26, 4)" in d.summary
    assert [f.kind for f in d.fixes] == ["edit_layer"]
    assert 'insert_before={"lstm": keras.layers.Reshape((26, 104))}' in d.fixes[0].code
    assert any("TimeDistributed" in n for n in d.notes)


# --------------------------------------------------------------------------- the output vs the labels


def conv_dense_model():
    return built_model(
        (None, 28, 28, 1),
        LayerFact("conv2d", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 8), (("filters", 8),)),
        LayerFact("max_pooling2d", "MaxPooling2D", (None, 26, 26, 8), (None, 13, 13, 8)),
        LayerFact("dense", "Dense", (None, 13, 13, 8), (None, 13, 13, 10), (("units", 10),)),
    )


def test_dense_after_conv_without_flatten():
    p = parse(
        "Arguments `target` and `output` must have the same rank (ndim). Received: target.shape=(None, 10), "
        "output.shape=(None, 13, 13, 10)"
    )
    d = diagnose(p, facts(conv_dense_model(), x=(32, 28, 28, 1), y=(32, 10)))
    assert (d.kind, d.rule, d.layer_name) == ("rank_mismatch", "flatten_missing", "dense")
    assert d.received_shape == (None, 13, 13, 10) and d.expected_shape == (None, 10)
    assert "insert a Flatten after 'max_pooling2d'" in d.summary and "dense.py" in d.summary
    assert d.shape_path[-2:] == (("max_pooling2d", (None, 13, 13, 8)), ("dense", (None, 13, 13, 10)))
    assert [r.status for r in d.rows] == ["ok", "extra", "extra", "ok"]
    assert d.fixes[0].code == 'model = kerashape.rebuild(model, insert_after={"max_pooling2d": "Flatten"})\n'


def test_the_same_model_is_reported_by_a_preflight_check():
    d = diagnose(None, facts(conv_dense_model(), x=(32, 28, 28, 1), y=(32, 10)), mode="check")
    assert d is not None and d.rule == "flatten_missing"


def test_dense_on_images_gets_a_flatten_before_it():
    m = built_model(
        (None, 28, 28),
        LayerFact("dense", "Dense", (None, 28, 28), (None, 28, 64), (("units", 64),)),
        LayerFact("dense_1", "Dense", (None, 28, 64), (None, 28, 10), (("units", 10),)),
        loss="sparse_categorical_crossentropy",
    )
    p = parse(
        "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: target.shape=(None,), "
        "output.shape=(None, 28, 10)"
    )
    d = diagnose(p, facts(m, x=(40, 28, 28), y=(40,)))
    assert d.rule == "flatten_missing" and d.layer_name == "dense"
    assert 'insert_before={"dense": "Flatten"}' in d.fixes[0].code


def test_return_sequences_before_the_output_dense():
    m = built_model(
        (None, 24, 5),
        lstm("lstm", 16, seq=True, out=(None, 24, 16)),
        LayerFact("dense", "Dense", (None, 24, 16), (None, 24, 3), (("units", 3),)),
    )
    p = parse(
        "Arguments `target` and `output` must have the same rank (ndim). Received: target.shape=(None, 3), "
        "output.shape=(None, 24, 3)"
    )
    d = diagnose(p, facts(m, x=(30, 24, 5), y=(30, 3)))
    assert d.rule == "sequence_output"
    assert "set return_sequences=False on 'lstm'" in d.summary
    assert '"lstm": {"return_sequences": False}' in d.fixes[0].code


def test_sequence_labels_are_left_to_the_label_rules():
    m = built_model(
        (None, 24, 5),
        lstm("lstm", 16, seq=True, out=(None, 24, 16)),
        LayerFact("dense", "Dense", (None, 24, 16), (None, 24, 3), (("units", 3),)),
    )
    assert model_rule(NO_MESSAGE, facts(m, x=(30, 24, 5), y=(30, 24, 3)), mode="check") is None


def test_a_convolutional_output_is_not_a_missing_flatten():
    m = built_model((None, 28, 28, 1), LayerFact("conv2d", "Conv2D", (None, 28, 28, 1), (None, 28, 28, 1)))
    assert model_rule(NO_MESSAGE, facts(m, x=(4, 28, 28, 1), y=(4, 10)), mode="check") is None


def test_check_mode_leaves_wrong_data_to_the_data_rules():
    d = diagnose(None, facts(conv_dense_model(), x=(32, 28, 28), y=(32, 10)), mode="check")
    assert d.rule != "flatten_missing"


# --------------------------------------------------------------------------- the edit_layer template


def test_edit_layer_code_from_validated_names_only():
    m = lazy_model(lstm("lstm", 8), lstm("lstm_1", 4))
    f = facts(m)
    assert edit_layer(f, "r", "t", edit={"nope": {"units": 3}}) is None  # not a layer of the model
    assert edit_layer(f, "r", "t", edit={"lstm": {"units": "3); import os"}}) is None
    assert edit_layer(f, "r", "t", edit={"lstm": {"a.b": 1}}) is None
    assert edit_layer(f, "r", "t", insert_after={"lstm": "Lambda"}) is None
    assert edit_layer(f, "r", "t") is None
    fix = edit_layer(
        f,
        "r",
        "t",
        edit={"lstm_1": {"units": 6, "activation": "softmax"}},
        insert_after={"lstm": "Flatten"},
        remove=("lstm",),
    )
    assert fix.code == (
        'model = kerashape.rebuild(model, edit={"lstm_1": {"activation": "softmax", '
        '"units": 6}}, insert_after={"lstm": "Flatten"}, remove="lstm")\n'
    )
    assert "Flatten" in INSERTABLE


def test_edit_layer_needs_the_models_variable():
    m = ModelFact(None, "Sequential", layers=(lstm("lstm", 8),))
    assert edit_layer(facts(m), "r", "t", edit={"lstm": {"units": 3}}) is None


def test_unsafe_layer_names_get_no_code():
    m = lazy_model(LayerFact('x"); import os; ("', "LSTM"), lstm("lstm", 4))
    d = diagnose(ndim_message("lstm", 3, (None, 8)), facts(m, x=(3, 4, 5)))
    assert d is not None and not d.fixes


# --------------------------------------------------------------------------- properties

CLASSES = [
    "LSTM",
    "GRU",
    "Dense",
    "Conv2D",
    "Embedding",
    "Flatten",
    "Dropout",
    "Bidirectional",
    "MaxPooling2D",
]
dims = st.one_of(st.none(), st.integers(1, 64))
shapes = st.lists(dims, min_size=1, max_size=4).map(lambda s: (None,) + tuple(s))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(CLASSES), st.one_of(st.none(), shapes)), min_size=1, max_size=5),
    st.integers(0, 4),
    st.integers(2, 5),
    shapes,
    st.one_of(st.none(), st.integers(1, 4)),
)
def test_never_raises_and_never_blames_data_that_fits(stack, at, expected_ndim, received, first_rank):
    layers = tuple(
        LayerFact("l%d" % i, c, None, out, (("return_sequences", i % 2 == 0),))
        for i, (c, out) in enumerate(stack)
    )
    name = layers[min(at, len(layers) - 1)].name
    x = (7,) + tuple(received[1:]) if first_rank is None else (7,) + (3,) * first_rank
    m = lazy_model(*layers, input_layer_shape=(None,) + x[1:])
    d = diagnose(ndim_message(name, expected_ndim, received), facts(m, x=x, y=(7, 1)))
    if d is not None and d.rule in (
        "stacked_recurrent",
        "embedding_vectors",
        "internal_layer",
        "flatten_missing",
    ):
        assert not DATA_FIXES & {f.kind for f in d.fixes}
        assert d.layer_name == name


@pytest.mark.parametrize(
    "prev,got,failing,ndim,rule,fix",
    [
        # (layer before, what it returns, failing layer, its ndim) -> (rule, fix kind)
        ("LSTM", (None, 64), "LSTM", 3, "stacked_recurrent", "edit_layer"),
        ("GRU", (None, 8), "Conv1D", 3, "stacked_recurrent", "edit_layer"),
        ("SimpleRNN", (None, 8), "GRU", 3, "stacked_recurrent", "edit_layer"),
        ("Embedding", (None, 20, 5, 8), "LSTM", 3, "embedding_vectors", "edit_layer"),
        ("Conv2D", (None, 26, 26, 4), "LSTM", 3, "rank_bridge", "edit_layer"),
        ("Dense", (None, 64), "LSTM", 3, "internal_layer", None),
        ("Conv1D", (None, 10, 4), "BatchNorm2D", 2, "flatten_missing", "edit_layer"),
    ],
)
def test_table(prev, got, failing, ndim, rule, fix):
    layers = (
        LayerFact(
            "before",
            prev,
            None,
            None,
            (("return_sequences", False),) if prev in ("LSTM", "GRU", "SimpleRNN") else (),
        ),
        LayerFact("failing", failing),
    )
    m = lazy_model(*layers, input_layer_shape=(None, 20, 5))
    d = diagnose(ndim_message("failing", ndim, got), facts(m, x=(9, 20, 5)))
    assert d.rule == rule and d.layer_name == "failing"
    assert (d.fixes[0].kind if d.fixes else None) == fix


def test_wrong_data_into_a_declared_model_is_left_to_the_data_rules():
    # 32x32 images into a 28x28 model: Keras 3.15 complains at the Dense after Flatten, but the data is wrong
    m = built_model(
        (None, 28, 28, 1),
        LayerFact("conv2d", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 4)),
        LayerFact("flatten", "Flatten", (None, 26, 26, 4), (None, 2704)),
        LayerFact("dense", "Dense", (None, 2704), (None, 10), (("units", 10),)),
    )
    p = parse(
        'Input 0 of layer "dense" is incompatible with the layer: expected axis -1 of input shape to have '
        "value "
        "2704, but received input with shape (None, 3600)"
    )
    assert model_rule(p, facts(m, x=(16, 32, 32, 1), y=(16, 10))) is None


# --------------------------------------------------------------------------- through the hook (real Keras)


def test_a_sequential_that_fails_in_its_constructor_is_explained_without_code(tf, shell):
    """Keras 3.15 builds keras.Sequential([Input, LSTM, LSTM]) in __init__, so no variable
    holds the model: the half-built model is read from the traceback; no fix code can name it."""
    import kerashape

    shell.run_cell("import keras\nfrom keras import layers")
    result = shell.run_cell(
        "model = keras.Sequential([keras.Input((24, 3)), layers.LSTM(32, name='first'), "
        "layers.LSTM(16, name='second'), layers.Dense(1)])"
    )
    assert not result.success
    d = kerashape.last()
    assert d is not None and d.rule == "stacked_recurrent" and d.layer_name == "second"
    assert (
        "the layer before it, LSTM 'first', returns 2-D (None, 32): set return_sequences=True on 'first'"
        in d.summary
    )
    assert d.shape_path == (("input", (None, 24, 3)), ("first", (None, 32)))
    assert not d.fixes and any("code that builds the model" in n for n in d.notes)
