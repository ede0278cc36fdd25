"""Issue 3: windowing that realigns y, in a real IPython shell with a real Keras model."""

import contextlib
import io

import numpy as np

SETUP = """
import numpy as np
import keras
from keras.layers import LSTM, Dense, Input
X_train = np.random.rand(50, 48, 3)
y_train = np.random.randint(0, 2, (50, 1)).astype("float32")
X_orig, y_orig = X_train, y_train
model = keras.Sequential([Input((24, 3)), LSTM(8), Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""


def test_split_windows_keeps_x_and_y_aligned(shell, tf):
    import kerashape

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert shell.run_cell(SETUP).success
    ns = shell.user_ns
    d = kerashape.check(ns["model"], ns["X_train"], ns["y_train"])
    assert d.kind == "timestep_mismatch"
    window = next(f for f in d.fixes if f.kind == "window")
    assert window.verified, window.verification
    assert "X_train = X_train.reshape(-1, 24, 3)" in window.code  # shape-generic
    assert "y_train = np.repeat(y_train, 2, axis=0)" in window.code
    assert "repeats each label 2 times" in window.rationale
    kerashape.apply(window)
    X, y, X0, y0 = ns["X_train"], ns["y_train"], ns["X_orig"], ns["y_orig"]
    assert X.shape == (100, 24, 3) and y.shape == (100, 1)
    assert np.array_equal(X[1], X0[0, 24:]) and np.array_equal(X[2], X0[1, :24])
    assert y[0] == y[1] == y0[0] and y[2] == y0[1]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert shell.run_cell("model.fit(X_train, y_train, epochs=1, verbose=0)").success
    kerashape.undo()
    assert ns["X_train"] is X0 and ns["y_train"] is y0
