"""Table tests and properties of the pure diagnosis rules (no TensorFlow needed)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.rank import rank
from kerashape_magic.core.shapes import align, axis_names
from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact

ALIASES = (("numpy", "np"), ("kerashape", "kerashape"), ("keras", "keras"))


def facts(expected, received, layer="LSTM", y=None, declared=True, onehot=0, siblings=()):
    model = ModelFact(
        "model",
        "Sequential",
        (expected,) if declared else (),
        declared=declared,
        built=declared,
        layers=(LayerFact("first", layer, expected),),
    )
    data = [DataFact("X", "X", "x", "ndarray", received, "float64", onehot_tail=onehot)]
    if y is not None:
        data.append(DataFact("y", "y", "y", "ndarray", y, "float64"))
    return Facts(model=model, data=tuple(data), aliases=ALIASES, siblings=siblings)


TABLE = [
    # (expected, received, layer, y) -> (kind, first fix kind)         # where it comes from
    ((None, 24, 3), (100, 24, 1), "LSTM", None, "feature_mismatch", "rebuild_input"),  # seed 001 ex.1
    ((None, 24, 3), (100, 48, 3), "LSTM", None, "timestep_mismatch", "rebuild_input"),  # seed 001 ex.2
    ((None, 24, 1), (100, 24), "LSTM", None, "missing_axis", "expand_dims"),  # seed 001 ex.3
    ((None, 20, 3), (100, 60), "LSTM", None, "flattened_input", "reshape"),  # seed 002 ex.2
    ((None, 1440, 3), (144000, 3), "LSTM", (100, 1), "flattened_input", "reshape"),  # seed 003 ex.1
    ((None, 1440, 6), (100, 1440, 7), "LSTM", None, "feature_mismatch", "rebuild_input"),  # seed 003 ex.3
    ((None, 1), (5, 3), "Dense", None, "feature_mismatch", "rebuild_input"),  # seed 004 ex.1
    ((None, 28, 28, 1), (100, 28, 28), "Conv2D", None, "missing_axis", "expand_dims"),  # seed 004 ex.2
    ((None, 28, 28, 3), (100, 3, 28, 28), "Conv2D", None, "axis_order", "transpose"),  # channels first
    # grayscale into an RGB model never trained: declare one channel (core/rank.py, rule 3)
    ((None, 28, 28, 3), (100, 28, 28, 1), "Conv2D", None, "feature_mismatch", "rebuild_input"),
    (
        (None, 28, 28, 1),
        (28, 28, 1),
        "Conv2D",
        None,
        "missing_axis",
        "expand_dims",
    ),  # one image, no batch axis
    ((None, 6, 30), (10, 1, 6, 30), "LSTM", None, "rank_mismatch", "squeeze"),  # one axis too many
    ((None, 28, 28, 1), (100, 784), "Conv2D", None, "flattened_input", "reshape"),  # flat pixels
]


@pytest.mark.parametrize("expected,received,layer,y,kind,fix_kind", TABLE)
def test_table(expected, received, layer, y, kind, fix_kind):
    f = facts(expected, received, layer, y)
    d = rank(diagnose(None, f, mode="check"), f)  # no verification here: the ranking alone
    assert d is not None
    assert d.kind == kind, d.summary
    assert d.fixes and d.fixes[0].kind == fix_kind, [f.kind for f in d.fixes]
    assert d.received_shape == received and d.expected_shape == expected


def test_feature_count_never_gets_a_reshape():
    d = diagnose(None, facts((None, 24, 3), (100, 24, 1)), mode="check")
    assert not [f for f in d.fixes if f.kind in ("reshape", "transpose", "expand_dims")]
    assert "1 feature, not 3" in d.summary


def test_matching_data_in_check_mode_is_not_reported():
    assert diagnose(None, facts((None, 24, 3), (100, 24, 3)), mode="check") is None


def test_flat_rows_state_the_time_major_assumption_and_offer_the_feature_major_variant():
    d = diagnose(None, facts((None, 20, 3), (100, 60)), mode="check")
    assert "time-major" in d.fixes[0].rationale
    assert d.fixes[0].code.startswith("X = X.reshape(-1, 20, 3)")  # shape-generic: fits any slice
    assert d.fixes[1].kind == "transpose" and "feature-major" in d.fixes[1].rationale


def test_truncation_says_it_loses_data():
    d = diagnose(None, facts((None, 24, 3), (100, 48, 3)), mode="check")
    lossy = [f for f in d.fixes if f.kind == "pad_sequences"]
    assert lossy and lossy[0].loses_data and "DROPS" in lossy[0].rationale


def test_one_hot_detective_and_folds_that_disagree():
    d = diagnose(
        None,
        facts((None, 1440, 6), (100, 1440, 7), onehot=4, siblings=(("X_val", (20, 1440, 6)),)),
        mode="check",
    )
    text = " ".join(d.notes)
    assert "one-hot" in text and "4 classes" in text and "3 classes" in text
    assert "`X_val`" in text and "disagree" in text


def test_lazy_model_missing_feature_axis():
    d = diagnose(None, facts((None, None, None), (100, 24), declared=False), mode="check")
    assert d.kind == "missing_axis" and d.fixes[0].code.startswith("X = np.expand_dims(X, axis=-1)")


def test_fix_code_uses_only_identifiers_and_ints():
    f = facts((None, 20, 3), (100, 60))
    f = Facts(
        model=f.model,
        data=(DataFact(None, "np.random.rand(100, 60)", "x", "ndarray", (100, 60)),),
        aliases=ALIASES,
    )
    d = diagnose(None, f, mode="check")
    assert d.kind == "flattened_input" and d.fixes == ()  # an expression is never rebound


def test_align_marks_the_missing_axis():
    rows = align((144000, 3), (None, 1440, 3), axis_names(3, "LSTM"))
    assert [r.status for r in rows] == ["ok", "missing", "ok"]


dims = st.one_of(st.none(), st.integers(min_value=1, max_value=400))


@settings(max_examples=300, deadline=None)
@given(
    expected=st.lists(dims, min_size=1, max_size=5).map(lambda dims_: (None,) + tuple(dims_)),
    received=st.lists(st.integers(min_value=1, max_value=5000), min_size=1, max_size=5).map(tuple),
    layer=st.sampled_from(["LSTM", "Dense", "Conv2D", "Conv1D", "Embedding", "Custom"]),
    y=st.one_of(st.none(), st.integers(min_value=1, max_value=5000).map(lambda n: (n, 1))),
)
def test_diagnose_never_raises_and_reshapes_preserve_the_element_count(expected, received, layer, y):
    d = diagnose(None, facts(expected, received, layer, y), mode="check")
    if d is None:
        return
    for f in d.fixes:
        if f.kind in ("reshape", "flatten") and f.op and f.op[0] == "reshape":
            # shape-generic code: -1 stands for the batch axis; it must resolve to a whole
            # number of samples and keep every value
            inner = math.prod(f.op[1][1:])
            assert math.prod(received) % inner == 0
            assert f.resulting_shape[0] * inner == math.prod(received)
        assert "\n" in f.code and f.code.strip()
