"""core/rank.py: the ranking of DESIGN.md as a table of situations -> order (pure)."""

import pytest

from kerashape_magic.core.rank import rank
from kerashape_magic.core.types import CallFact, DataFact, Diagnosis, Facts, Fix, ModelFact


def fix(kind, move, verified=True, loses=False, note=""):
    return Fix(
        kind,
        "%s/%s" % (kind, move),
        "",
        "",
        verified=verified,
        loses_data=loses,
        move=move,
        verification=note or ("ran" if verified else "not verified: no model"),
    )


def diag(kind, fixes, received=(8, 28, 28, 1), expected=(None, 28, 28, 3), name="X"):
    return Diagnosis(
        kind=kind,
        layer_name="conv2d",
        received_shape=received,
        expected_shape=expected,
        axis=3,
        summary="",
        fixes=tuple(fixes),
        received_name=name,
    )


def facts(trained=False, method="fit", role="x"):
    return Facts(
        call=CallFact(method),
        model=ModelFact("model", "Sequential", trained=trained),
        data=(DataFact("X", "X", role, "ndarray", (8, 28, 28, 1)),),
    )


REPEAT = fix("repeat", "repeat_channel")
DECLARE = fix("rebuild_input", "declare_input")
FREE = fix("rebuild_input", "free_axes")
RESIZE = fix("resize", "resize_images", loses=True)
PAD = fix("pad_sequences", "fit_timesteps")
CUT = fix("pad_sequences", "fit_timesteps", loses=True)
EXPAND = fix("expand_dims", "add_axis")
RESHAPE = fix("reshape", "unflatten")
FAILED = fix("reshape", "group_rows", verified=False, note="failed: ValueError: Input 0 ...")
ROTATE = fix("transpose", "move_axes", verified=False, note="ruled out: it would exchange height and width")
UNVERIFIED = fix("expand_dims", "add_axis", verified=False)

TABLE = [
    # (why, diagnosis, facts, expected order of titles' kinds/moves)
    (
        "grey images, model never trained: declare one channel",
        diag("feature_mismatch", [REPEAT, DECLARE]),
        facts(),
        ["declare_input", "repeat_channel"],
    ),
    (
        "grey images, trained model: repeat the channel",
        diag("feature_mismatch", [DECLARE, REPEAT]),
        facts(trained=True),
        ["repeat_channel"],  # the weight-discarding rebuild is needless: Details,
    ),
    (
        "wrong size, never trained: the declaration, not a lossy resize",
        diag("spatial_mismatch", [RESIZE, DECLARE]),
        facts(),
        ["declare_input"],  # the lossy resize is listed in Details, not offered
    ),
    (
        "wrong size, trained: resize keeps the weights",
        diag("spatial_mismatch", [DECLARE, RESIZE]),
        facts(trained=True),
        ["resize_images", "declare_input"],
    ),
    (
        "timesteps, trained: free axes keep every weight, then cutting data before re-initialising weights",
        diag("timestep_mismatch", [CUT, DECLARE, FREE], (8, 48, 3), (None, 24, 3)),
        facts(trained=True),
        ["free_axes", "fit_timesteps", "declare_input"],
    ),
    (
        "rearrangement: data first even when never trained",
        diag("flattened_input", [DECLARE, RESHAPE], (8, 72), (None, 24, 3)),
        facts(),
        ["unflatten", "declare_input"],
    ),
    (
        "verified before not verified",
        diag("missing_axis", [UNVERIFIED, RESHAPE], (8, 24), (None, 24, 1)),
        facts(),
        ["unflatten", "add_axis"],
    ),
    (
        "lossless before lossy",
        diag("timestep_mismatch", [CUT, PAD], (8, 20, 3), (None, 24, 3)),
        facts(trained=True),
        ["fit_timesteps", "fit_timesteps"],
    ),
    (
        "smaller changes first",
        diag("missing_axis", [RESHAPE, EXPAND], (8, 24), (None, 24, 1)),
        facts(),
        ["add_axis", "unflatten"],
    ),
]


@pytest.mark.parametrize("why,d,f,order", TABLE, ids=[row[0] for row in TABLE])
def test_order(why, d, f, order):
    assert [x.move for x in rank(d, f).fixes] == order


def test_lossless_comes_first_among_equals():
    d = rank(diag("timestep_mismatch", [CUT, PAD], (8, 20, 3), (None, 24, 3)), facts(trained=True))
    assert [x.loses_data for x in d.fixes] == [False, True]


@pytest.mark.parametrize("method", ["predict", "evaluate", "__call__", "predict_on_batch", "test_on_batch"])
def test_inference_calls_never_get_a_model_change_that_drops_weights(method):
    d = rank(diag("spatial_mismatch", [DECLARE, RESIZE]), facts(method=method))
    assert [x.move for x in d.fixes] == ["resize_images"]
    assert len(d.ruled_out) == 1 and "uses the model as trained" in d.ruled_out[0][1]
    # freeing an axis keeps the weights but shows the trained model other data: ruled out too;
    # another batch size (a stateful model) computes the same for every sample: allowed
    BATCH = fix("rebuild_input", "batch_size")
    d = rank(diag("batch_size_mismatch", [FREE, BATCH]), facts(method=method, trained=True))
    assert [x.move for x in d.fixes] == ["batch_size"]


def test_validation_data_never_rebuilds_the_declared_sizes():
    d = rank(diag("timestep_mismatch", [DECLARE, FREE, PAD], (8, 20, 3), (None, 24, 3)), facts(role="val_x"))
    assert [x.move for x in d.fixes] == ["free_axes", "fit_timesteps"]
    assert "validation data" in d.ruled_out[0][1]


def test_failed_and_ruled_out_candidates_are_listed_with_their_reason_not_offered():
    d = rank(diag("flattened_input", [FAILED, ROTATE, RESHAPE], (8, 72), (None, 24, 3)), facts())
    assert [x.move for x in d.fixes] == ["unflatten"]
    reasons = dict(d.ruled_out)
    assert reasons["reshape/group_rows"].startswith("the model rejected it: ValueError")
    assert "height and width" in reasons["transpose/move_axes"]


def test_rule_proposed_fixes_keep_the_rules_order():
    a, b = Fix("sparse_loss", "a", "", "", verified=True), Fix("to_categorical", "b", "", "", verified=True)
    d = rank(diag("label_mismatch", [a, b]), facts())
    assert [x.kind for x in d.fixes] == ["sparse_loss", "to_categorical"]


def test_a_trained_model_is_not_rebuilt_when_a_lossless_data_move_works():
    d = rank(diag("feature_mismatch", [DECLARE, FREE, REPEAT]), facts(trained=True))
    assert [x.move for x in d.fixes] == ["repeat_channel", "free_axes"]
    assert "re-initialise learned weights" in dict(d.ruled_out)["rebuild_input/declare_input"]
