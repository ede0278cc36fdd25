"""Moves and rules added for the second fresh batch (tests/cases_fresh2, issue 9): the
rank-bridging insert (a Reshape that merges trailing axes before a layer that wants fewer)."""

from __future__ import annotations

import pytest

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.messages import parse
from kerashape_magic.core.moves.layers import edit_layer
from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact

ALIASES = (("numpy", "np"), ("kerashape", "kerashape"), ("keras", "keras"))


def ndim_message(layer, expected, shape):
    return parse(
        "Input 0 with name 'None' of layer '%s' is incompatible with the layer: expected ndim=%d, found "
        "ndim=%d. Full shape received: (%s)"
        % (layer, expected, len(shape), ", ".join("None" if d is None else str(d) for d in shape))
    )


def lazy(*layers):
    return ModelFact(
        "model",
        "Sequential",
        (),
        declared=False,
        built=False,
        lazy_configured=True,
        stale=True,
        layers=tuple(layers),
        loss="sparse_categorical_crossentropy",
        input_layer_shape=(None, 32, 32, 3),
    )


def facts(model, x):
    return Facts(model=model, data=(DataFact("X", "X", "x", "ndarray", x, "float32"),), aliases=ALIASES)


@pytest.mark.parametrize(
    "prev,got,failing,ndim,target",
    [
        # (layer before, what it returns, failing layer, the ndim it wants) -> the Reshape's target
        ("MaxPooling2D", (8, 6, 6, 8), "LSTM", 3, (6, 48)),
        ("Conv2D", (None, 26, 26, 4), "GRU", 3, (26, 104)),
        ("Conv3D", (None, 4, 5, 6, 2), "LSTM", 3, (4, 60)),
        ("Conv3D", (None, 4, 5, 6, 2), "Conv2D", 4, (4, 5, 12)),
        ("Conv2D", (None, 10, 7, 3), "Conv1D", 3, (10, 21)),
    ],
)
def test_rank_bridge_inserts_one_reshape_merging_trailing_axes(prev, got, failing, ndim, target):
    m = lazy(LayerFact("before", prev), LayerFact("failing", failing))
    d = diagnose(ndim_message("failing", ndim, got), facts(m, (9, 32, 32, 3)))
    assert d is not None and d.rule == "rank_bridge" and d.kind == "rank_mismatch"
    fix = d.fixes[0]
    assert fix.kind == "edit_layer" and fix.changes_model
    assert 'insert_before={"failing": keras.layers.Reshape(%r)}' % (target,) in fix.code
    assert fix.resulting_shape == (None,) + target
    # the element count is kept: the Reshape only merges axes
    n = 1
    for d_ in got[1:]:
        n *= d_
    m_ = 1
    for d_ in target:
        m_ *= d_
    assert n == m_
    assert any("TimeDistributed" in note for note in d.notes)


def test_rank_bridge_needs_known_sizes():
    m = lazy(LayerFact("before", "Conv2D"), LayerFact("failing", "LSTM"))
    d = diagnose(ndim_message("failing", 3, (None, None, None, 4)), facts(m, (9, 32, 32, 3)))
    assert d is None or d.rule != "rank_bridge"


def test_edit_layer_writes_a_reshape_with_its_target_shape():
    m = ModelFact("model", "Sequential", layers=(LayerFact("conv", "Conv2D"), LayerFact("lstm", "LSTM")))
    f = Facts(model=m, aliases=ALIASES)
    fix = edit_layer(f, "why", "title", insert_before={"lstm": ("Reshape", (6, 48))})
    assert fix is not None
    assert 'insert_before={"lstm": keras.layers.Reshape((6, 48))}' in fix.code
    assert fix.op[4] == (("lstm", ("Reshape", (6, 48))),)
    one = edit_layer(f, "why", "title", insert_before={"lstm": ("Reshape", (12,))})
    assert one is not None and "Reshape((12,))" in one.code
    # a shape that is not a tuple of ints, or a class that is not insertable with a shape: no fix
    assert edit_layer(f, "why", "title", insert_before={"lstm": ("Reshape", ("a",))}) is None
    assert edit_layer(f, "why", "title", insert_before={"lstm": ("Dense", (3,))}) is None


# ---------------------------------------------------------------- token rows to the declared length


def _token_situation(received, expected, layer="Embedding", type_name="ndarray"):
    from kerashape_magic.core.moves.data import Situation
    from kerashape_magic.core.types import Diagnosis

    x = DataFact("X_new", "X_new", "x", type_name, received, "int32")
    d = Diagnosis("feature_mismatch", "embedding", received, expected, 1, "")
    return Situation(d, Facts(data=(x,), aliases=ALIASES), x, received, expected, ("batch_size", "t"), layer)


def test_token_rows_cut_or_padded_on_either_side_pre_first():
    from kerashape_magic.core.moves.sequences import fit_token_length

    cut = list(fit_token_length(_token_situation((3, 30), (None, 18))))
    assert [f.code.count('padding="pre", truncating="pre"') for f in cut] == [1, 0]
    assert 'padding="post", truncating="post"' in cut[1].code
    assert all(f.loses_data and f.kind == "pad_sequences" and f.resulting_shape == (3, 18) for f in cut)
    assert "lossless only if" in cut[0].rationale
    pad = list(fit_token_length(_token_situation((3, 10), (None, 18))))
    assert len(pad) == 2 and not any(f.loses_data for f in pad)
    frame = list(fit_token_length(_token_situation((3, 30), (None, 18), type_name="DataFrame")))
    assert "pad_sequences(X_new.to_numpy()" in frame[0].code
    # not token rows into an Embedding, a dataset, or the right length already: nothing
    assert not list(fit_token_length(_token_situation((3, 30), (None, 18), layer="Dense")))
    assert not list(fit_token_length(_token_situation((3, 30), (None, 18), type_name="Dataset")))
    assert not list(fit_token_length(_token_situation((3, 18), (None, 18))))


def test_token_fix_runs_as_written(tf):
    import numpy as np
    from keras.utils import pad_sequences

    from kerashape_magic.core.moves.sequences import fit_token_length

    X_new = pad_sequences([[5, 6, 7], [1] * 20], maxlen=30)
    fix = next(iter(fit_token_length(_token_situation((2, 30), (None, 18)))))
    ns = {"X_new": X_new, "keras": __import__("keras"), "kerashape": None}
    exec(fix.code.replace("import kerashape\n", ""), ns)
    assert ns["X_new"].shape == (2, 18)
    assert np.array_equal(ns["X_new"], X_new[:, -18:])


# ---------------------------------------------------------------- output rounded up to the model's stride


def _autoencoder(out, x, y, last="Conv2D"):
    m = ModelFact(
        "ae",
        "Functional",
        ((None,) + tuple(x[1:]),),
        declared=True,
        built=True,
        layers=(LayerFact("pool", "MaxPooling2D"), LayerFact("dec", last, None, out)),
        output_shape=out,
        loss="binary_crossentropy",
    )
    data = (
        DataFact("imgs", "imgs", "x", "ndarray", x, "float32"),
        DataFact("imgs", "imgs", "y", "ndarray", y, "float32"),
    )
    return Facts(model=m, data=data, aliases=ALIASES)


def _incompatible(a, b):
    return parse("Incompatible shapes: [8,%s] vs. [8,%s]" % (",".join(map(str, a)), ",".join(map(str, b))))


@pytest.mark.parametrize(
    "size,out,crop",
    [
        ((30, 42, 3), (None, 32, 44, 3), "((1, 1), (1, 1))"),
        ((27, 32, 1), (None, 28, 32, 1), "((0, 1), (0, 0))"),
        ((100, 4), (None, 104, 4), "(2, 2)"),  # Conv1D: Cropping1D, "steps"
    ],
)
def test_stride_rounding_crops_the_output_back(size, out, crop):
    f = _autoencoder(out, (16,) + size, (16,) + size, last="Conv1D" if len(size) == 2 else "Conv2D")
    d = diagnose(_incompatible(size, out[1:]), f)
    assert d is not None and (d.kind, d.rule) == ("spatial_mismatch", "stride_rounding")
    assert ("height x width" if len(size) == 3 else "steps") in d.summary
    assert "timesteps" not in d.summary
    fix = d.fixes[0]
    assert fix.kind == "edit_layer" and "Cropping%dD(%s)" % (len(size) - 1, crop) in fix.code
    assert fix.resulting_shape == (None,) + size


def test_stride_rounding_needs_targets_of_the_inputs_size_and_a_stride():
    # labels of another size than the input: not a rounding of the model's stride
    f = _autoencoder((None, 32, 44, 3), (16, 32, 44, 3), (16, 30, 42, 3))
    d = diagnose(_incompatible((30, 42, 3), (32, 44, 3)), f)
    assert d is None or d.rule != "stride_rounding"
    # 30 -> 33 is no rounding by a stride made of 2s and 3s
    f = _autoencoder((None, 33, 42, 3), (16, 30, 42, 3), (16, 30, 42, 3))
    d = diagnose(_incompatible((30, 42, 3), (33, 42, 3)), f)
    assert d is None or d.rule != "stride_rounding"


def test_edit_layer_writes_nested_int_tuples():
    m = ModelFact("model", "Functional", layers=(LayerFact("conv", "Conv2D"),))
    fix = edit_layer(
        Facts(model=m, aliases=ALIASES), "w", "t", insert_after={"conv": ("Cropping2D", ((1, 1), (0, 2)))}
    )
    assert fix is not None and 'insert_after={"conv": keras.layers.Cropping2D(((1, 1), (0, 2)))}' in fix.code


# ---------------------------------------------------------------- merge of branches of different ranks


def _concat_facts(source):
    from kerashape_magic.core.types import CallFact

    return Facts(call=CallFact("concatenate", source, 6), aliases=ALIASES)


CONCAT = (
    "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. "
    "Received: input_shape=[%s]"
)


@pytest.mark.parametrize(
    "source,shapes,flattened",
    [
        ("layers.concatenate([d1, l1], axis=-1)", "(None, 1, 10), (None, 1)", {"d1": (None, 10)}),
        (
            "Concatenate()([a, b, c])",
            "(None, 4), (None, 2, 3), (None, 5, 2, 2)",
            {"b": (None, 6), "c": (None, 20)},
        ),
    ],
)
def test_merge_of_different_ranks_flattens_the_higher_rank_branches(source, shapes, flattened):
    d = diagnose(parse(CONCAT % shapes), _concat_facts(source))
    assert d is not None and (d.kind, d.rule) == ("rank_mismatch", "merge_ranks")
    assert {f.target: f.resulting_shape for f in d.fixes} == flattened
    assert all(f.kind == "flatten" and not f.verified for f in d.fixes)
    assert all("%s = keras.layers.Flatten()(%s)" % (n, n) in f.code for n, f in zip(flattened, d.fixes))
    assert any("No model exists yet" in n for n in d.notes)


def test_merge_rule_needs_a_rank2_branch_and_branch_names():
    # same ranks: a size disagrees, flattening is not the fix
    d = diagnose(parse(CONCAT % "(None, 3, 10), (None, 4, 2)"), _concat_facts("concatenate([a, b])"))
    assert d is None or d.rule != "merge_ranks"
    # the branches are not written as names
    d = diagnose(parse(CONCAT % "(None, 1, 10), (None, 1)"), _concat_facts("concatenate([f(a), b])"))
    assert d is None or d.rule != "merge_ranks"


def test_flatten_branch_verifier_runs_the_fix_then_the_failing_call(tf):
    import keras

    from kerashape_magic.core.moves.layers import flatten_branch
    from kerashape_magic.core.types import CallFact
    from kerashape_magic.facts import Gathered
    from kerashape_magic.verify_internal import verify_flatten_branch

    inp = keras.Input((4,))
    d1 = keras.layers.Embedding(100, 10)(keras.layers.Lambda(lambda x: x[:, 0:1], output_shape=(1,))(inp))
    l1 = keras.layers.Lambda(lambda x: x[:, 2:3], output_shape=(1,))(inp)
    ns = {"keras": keras, "d1": d1, "l1": l1}
    call = "keras.layers.concatenate([d1, l1], axis=-1)"
    g = Gathered(facts=Facts(call=CallFact("concatenate", call, 1), aliases=ALIASES), namespace=ns)
    fix = flatten_branch(g.facts, "d1", (None, 10), "why")
    assert "(None, 11)" in verify_flatten_branch(fix, g)
    assert ns["d1"] is d1  # the user's names are left as they were
    bad = flatten_branch(g.facts, "l1", (None, 1), "why")  # flattening the wrong branch does not help
    with pytest.raises(ValueError):
        verify_flatten_branch(bad, g)
