"""The %kerashape magic in a real IPython shell with real Keras models."""

import contextlib
import io

SETUP = """
import numpy as np
import keras
from keras.layers import LSTM, Dense, Input
model = keras.Sequential([Input((24, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
X_train, y_train = np.random.rand(20, 48, 3), np.random.rand(20, 1)
X_ok = np.random.rand(20, 24, 3)
"""


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    return result, out.getvalue()


def test_check_reports_what_keras_accepts_silently_and_last_shows_it_again(shell, tf):
    import kerashape

    assert run(shell, SETUP)[0].success
    result, out = run(shell, "%kerashape check model X_train y_train")
    assert result.success
    assert "48 timesteps, not 24" in out and "Keras 3 would train on it without a word" in out
    assert "[verified]" in out and "model = kerashape.rebuild(model, input_shape=(None, 3))" in out
    d = kerashape.last()
    assert d.kind == "timestep_mismatch" and d.received_name == "X_train" and d.model_name == "model"
    _, again = run(shell, "%kerashape last")
    assert "48 timesteps, not 24" in again


def test_check_with_fitting_data_says_so(shell, tf):
    run(shell, SETUP)
    _, out = run(shell, "%kerashape check model X_ok y_train")
    assert "X_ok fits a model taking (None, 24, 3): no disagreement found." in out


def test_check_usage_and_bad_names(shell, tf):
    run(shell, SETUP)
    _, out = run(shell, "%kerashape check model")
    assert "usage: %kerashape check MODEL X [Y]" in out
    _, out = run(shell, "%kerashape check model no_such_name")
    assert "could not evaluate" in out and "no_such_name" in out
    _, out = run(shell, "%kerashape frobnicate")
    assert out.startswith("usage: %kerashape on | off | status")
