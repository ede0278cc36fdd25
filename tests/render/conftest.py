"""Hand-built diagnoses for the render tests, one per scenario the panel must draw well.

The shapes and fixes follow the seed cases of DESIGN.md (seed 001: an LSTM that expects
``(None, 24, 3)`` given ``X_train`` of ``(100, 24, 1)``).
"""

from __future__ import annotations

from typing import Dict

import pytest

from kerashape_magic.core.types import AxisRow, Diagnosis, Fix

#: An array dump as Keras 3 can print it; the renderers must never show its numbers.
ARRAY_DUMP = "x=array([[0.1234567, 0.7654321],\n       [0.5555555, 0.4444444]], dtype=float32)"


def _rows(*rows: tuple) -> tuple:
    return tuple(AxisRow(*r) for r in rows)


def scenarios() -> Dict[str, Diagnosis]:
    """Diagnoses by name: seed001, missing_axis, flattened, image, dense, truncate, rank1, rank5."""
    lstm_rows = _rows(
        ("batch_size", 100, None, "ok"), ("timesteps", 24, 24, "ok"), ("features", 1, 3, "mismatch")
    )
    seed001 = Diagnosis(
        kind="feature_mismatch",
        layer_name="lstm",
        received_shape=(100, 24, 1),
        expected_shape=(None, 24, 3),
        axis=2,
        summary="LSTM 'lstm' expects (batch_size, timesteps=24, features=3); `X_train` is (100, 24, 1): "
        "1 feature, not 3.",
        rule="lstm_feature_count",
        layer_class="LSTM",
        received_name="X_train",
        model_name="model",
        rows=lstm_rows,
        fixes=(
            Fix(
                "rebuild_input",
                "Rebuild the model for 1 feature",
                "model = kerashape.rebuild(model, input_shape=(24, 1))",
                "Your data has 1 feature per timestep; a model built for (24, 1) keeps every weight "
                "that still fits.",
                resulting_shape=(None, 24, 1),
                verified=True,
                target="model",
                verification="fit on X_train[:2] with the rebuilt model: accepted",
            ),
            Fix(
                "repeat",
                "Copy the feature 3 times",
                "X_train = np.repeat(X_train, 3, axis=-1)",
                "Only meaningful if the three features really are one signal; this invents data.",
                resulting_shape=(100, 24, 3),
                target="X_train",
                verification="not tried: repeating one feature does not recover the other two",
            ),
        ),
        notes=("y_train is (100, 1): labels fit the Dense(1) output.",),
        details=("model: Sequential 'sequential' in `model`", "x: ndarray float64 (100, 24, 1) in `X_train`"),
        message='Input 0 of layer "lstm" is incompatible with the layer: expected shape=(None, 24, 3), '
        "found shape=(100, 24, 1)\n" + ARRAY_DUMP,
        uninspected=("validation_data=(make_val(), y_val): an expression, not a variable",),
        shape_path=(("input_layer", (None, 24, 3)), ("lstm", (None, 32))),
    )
    missing = Diagnosis(
        kind="missing_axis",
        layer_name="lstm",
        received_shape=(100, 24),
        expected_shape=(None, 24, 1),
        axis=2,
        summary="LSTM 'lstm' expects (batch_size, timesteps=24, features=1); `X_train` is (100, 24): "
        "the features axis is missing.",
        layer_class="LSTM",
        received_name="X_train",
        rows=_rows(
            ("batch_size", 100, None, "ok"), ("timesteps", 24, 24, "ok"), ("features", None, 1, "missing")
        ),
        fixes=(
            Fix(
                "expand_dims",
                "Add the features axis",
                "X_train = np.expand_dims(X_train, axis=-1)",
                "One feature per timestep: adds a size-1 axis at the end, no values move.",
                resulting_shape=(100, 24, 1),
                verified=True,
                target="X_train",
            ),
            Fix(
                "expand_dims",
                "Add the axis only when it is missing",
                "if X_train.ndim == 2:\n    X_train = X_train[..., None]",
                "The same, safe to run twice.",
                resulting_shape=(100, 24, 1),
                target="X_train",
            ),
        ),
    )
    flattened = Diagnosis(
        kind="flattened_input",
        layer_name="lstm",
        received_shape=(144000, 3),
        expected_shape=(None, 1440, 3),
        axis=1,
        summary="LSTM 'lstm' expects (batch_size, timesteps=1440, features=3); `X_train` is (144000, 3): "
        "100 sequences of 1440 steps flattened into rows.",
        layer_class="LSTM",
        received_name="X_train",
        rows=_rows(
            ("batch_size", 144000, None, "ok"), ("timesteps", None, 1440, "missing"), ("features", 3, 3, "ok")
        ),
        fixes=(
            Fix(
                "reshape",
                "Fold rows back into 100 sequences of 1440 steps",
                "X_train = X_train.reshape(100, 1440, 3)",
                "Correct only if the rows are time-major: sequence 0's 1440 steps first, then sequence 1's.",
                resulting_shape=(100, 1440, 3),
                verified=True,
                target="X_train",
            ),
        ),
    )
    image = Diagnosis(
        kind="missing_axis",
        layer_name="conv2d",
        received_shape=(100, 28, 28),
        expected_shape=(None, 28, 28, 1),
        axis=3,
        summary="Conv2D 'conv2d' expects (batch_size, height=28, width=28, channels=1); `x_train` is "
        "(100, 28, 28): the channels axis is missing.",
        layer_class="Conv2D",
        received_name="x_train",
        rows=_rows(
            ("batch_size", 100, None, "ok"),
            ("height", 28, 28, "ok"),
            ("width", 28, 28, "ok"),
            ("channels", None, 1, "missing"),
        ),
        fixes=(
            Fix(
                "expand_dims",
                "Add a channels axis",
                "x_train = x_train[..., None]",
                "Grayscale images have one channel.",
                resulting_shape=(100, 28, 28, 1),
                verified=True,
                target="x_train",
            ),
        ),
    )
    dense = Diagnosis(
        kind="feature_mismatch",
        layer_name="dense",
        received_shape=(5, 3),
        expected_shape=(None, 1),
        axis=1,
        summary="Dense 'dense' expects (batch_size, features=1); `X` is (5, 3): 3 features, not 1.",
        layer_class="Dense",
        received_name="X",
        rows=_rows(("batch_size", 5, None, "ok"), ("features", 3, 1, "mismatch")),
        fixes=(
            Fix(
                "reshape",
                "Keep only the first column",
                "X = X[:, :1]",
                "Drops 2 of the 3 features.",
                resulting_shape=(5, 1),
                loses_data=True,
                target="X",
            ),
        ),
    )
    truncate = Diagnosis(
        kind="timestep_mismatch",
        layer_name="lstm",
        received_shape=(100, 48, 3),
        expected_shape=(None, 24, 3),
        axis=1,
        summary="LSTM 'lstm' expects (batch_size, timesteps=24, features=3); `X_train` is (100, 48, 3): "
        "48 timesteps, not 24.",
        layer_class="LSTM",
        received_name="X_train",
        rows=_rows(
            ("batch_size", 100, None, "ok"), ("timesteps", 48, 24, "mismatch"), ("features", 3, 3, "ok")
        ),
        fixes=(
            Fix(
                "window",
                "Keep the last 24 steps",
                "X_train = X_train[:, -24:, :]",
                "Drops the first 24 steps of every sequence.",
                resulting_shape=(100, 24, 3),
                verified=True,
                loses_data=True,
                target="X_train",
            ),
        ),
    )
    rank1 = Diagnosis(
        kind="missing_axis",
        layer_name="dense",
        received_shape=(100,),
        expected_shape=(None, 1),
        axis=1,
        summary="Dense 'dense' expects (batch_size, features=1); `x` is (100,).",
        layer_class="Dense",
        received_name="x",
        rows=_rows(("batch_size", 100, None, "ok"), ("features", None, 1, "missing")),
    )
    rank5 = Diagnosis(
        kind="spatial_mismatch",
        layer_name="conv3d",
        received_shape=(2, 8, 32, 32, 3),
        expected_shape=(None, 8, 64, 64, 3),
        axis=2,
        summary="Conv3D 'conv3d' expects 64 x 64 frames; `clips` has 32 x 32.",
        layer_class="Conv3D",
        received_name="clips",
    )
    return {
        "seed001": seed001,
        "missing_axis": missing,
        "flattened": flattened,
        "image": image,
        "dense": dense,
        "truncate": truncate,
        "rank1": rank1,
        "rank5": rank5,
    }


@pytest.fixture
def cases() -> Dict[str, Diagnosis]:
    """All scenarios by name."""
    return scenarios()


@pytest.fixture
def seed001() -> Diagnosis:
    """Seed 001: LSTM 'lstm' expects (None, 24, 3); X_train is (100, 24, 1)."""
    return scenarios()["seed001"]
