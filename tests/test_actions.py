"""apply / undo / rebuild / reset with real Keras models and a real namespace."""

import numpy as np
import pytest

from kerashape_magic import actions
from kerashape_magic.core.types import Fix, KerashapeError


def fix(code, kind="reshape"):
    return Fix(kind, "t", code, "r")


def test_apply_rebinds_and_undo_restores_the_identical_objects():
    ns = {"np": np}
    X = np.random.rand(10, 4)
    ns["X"] = X
    line = actions.apply(fix("X = X.reshape(10, 2, 2)\nnew_name = 1"), ns)
    assert ns["X"].shape == (10, 2, 2)
    assert "X is now (10, 2, 2) float64" in line
    assert np.shares_memory(ns["X"], X)  # reshape of a contiguous array: a view, no copy
    back = actions.undo(ns)
    assert ns["X"] is X
    assert "new_name" not in ns
    assert "X is (10, 4) float64 again" in back


def test_failing_fix_rolls_back_and_raises_kerashape_error():
    X = np.zeros(6)
    ns = {"X": X}
    with pytest.raises(KerashapeError, match="rolled back"):
        actions.apply(fix("Y = 1\nX = X.reshape(4, 4)"), ns)
    assert ns == {"X": X}


def test_undo_with_nothing_applied_raises():
    actions.clear_history()
    with pytest.raises(KerashapeError, match="nothing to undo"):
        actions.undo({})


def test_apply_rejects_non_fix():
    with pytest.raises(KerashapeError):
        actions.apply("X = 1", {})


@pytest.fixture()
def keras(tf):
    import keras

    return keras


def test_rebuild_keeps_every_weight_that_fits_and_leaves_the_model_alone(keras):
    from keras.layers import LSTM, Dense

    model = keras.Sequential([LSTM(8, input_shape=(24, 3)), Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
    before = [w.numpy().copy() for w in model.weights]
    new = actions.rebuild(model, input_shape=(24, 1))
    assert new is not model
    assert tuple(new.inputs[0].shape) == (None, 24, 1)
    assert tuple(model.inputs[0].shape) == (None, 24, 3)
    assert all(np.array_equal(a, w.numpy()) for a, w in zip(before, model.weights))
    kept, total = new._kerashape_weights_kept
    assert (kept, total) == (4, 5)  # the LSTM input kernel (3 -> 1 features) is new
    old_w = {w.path.split("/", 1)[-1]: w.numpy() for w in model.weights}
    for w in new.weights:
        key = w.path.split("/", 1)[-1]
        if key in old_w and old_w[key].shape == tuple(w.shape):
            assert np.array_equal(old_w[key], w.numpy())
    assert new.compiled and new.loss == "mse"
    assert float(new.optimizer.learning_rate) == pytest.approx(0.01)
    new.fit(np.random.rand(4, 24, 1), np.random.rand(4, 1), epochs=1, verbose=0)


def test_rebuild_functional_for_free_timesteps_keeps_all_weights(keras):
    from keras.layers import LSTM, Dense

    inputs = keras.Input(shape=(24, 3))
    model = keras.Model(inputs, Dense(1)(LSTM(8)(inputs)))
    new = actions.rebuild(model, input_shape=(None, 3))
    assert tuple(new.inputs[0].shape) == (None, None, 3)
    assert new._kerashape_weights_kept == (5, 5)
    assert new(np.random.rand(2, 48, 3)).shape == (2, 1)


def test_rebuild_rejects_subclassed_models(keras):
    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

    m = Sub()
    m(np.zeros((1, 3)))
    with pytest.raises(KerashapeError, match="subclassed"):
        actions.rebuild(m, input_shape=(4,))


def test_reset_lets_a_model_fit_again_after_a_failed_fit(keras):
    from keras.layers import LSTM, Dense

    model = keras.Sequential([LSTM(8, input_shape=(20, 3)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    y = np.random.rand(8, 1)
    with pytest.raises(ValueError):
        model.fit(np.random.rand(8, 60), y, epochs=1, verbose=0)
    with pytest.raises(ValueError, match="non-first call"):
        model.fit(np.random.rand(8, 20, 3), y, epochs=1, verbose=0)
    weights = [w.numpy().copy() for w in model.weights]
    assert actions.reset(model) is model
    assert all(np.array_equal(a, w.numpy()) for a, w in zip(weights, model.weights))
    model.fit(np.random.rand(8, 20, 3), y, epochs=1, verbose=0)
