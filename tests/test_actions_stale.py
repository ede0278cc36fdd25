"""Issue 10, item 12: a stale fix never runs on different data.

A real shell and model: the fix was diagnosed for ``X`` of (10, 60); the user then bound ``X``
to a (20, 30) array. Apply refuses, says why, and runs nothing.
"""

import contextlib
import io

import pytest

SETUP = """
import numpy as np
import keras
from keras.layers import LSTM, Dense, Input
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
X = np.random.rand(10, 60)
y = np.random.rand(10, 1)
"""


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        return shell.run_cell(cell)


@pytest.fixture()
def diagnosed(shell, tf):
    import kerashape

    assert run(shell, SETUP).success
    assert not run(shell, "model.fit(X, y, verbose=0)").success
    d = kerashape.last()
    assert d is not None and d.fixes and any("X" in f.code for f in d.fixes)
    return d


def test_apply_refuses_when_the_data_changed_since_the_diagnosis(shell, diagnosed):
    import kerashape

    run(shell, "X = np.random.rand(20, 30)")
    changed = shell.user_ns["X"]
    fix = next(f for f in diagnosed.fixes if "X" in f.code)
    with pytest.raises(kerashape.KerashapeError, match="X changed since kerashape diagnosed"):
        kerashape.apply(fix)
    assert shell.user_ns["X"] is changed and changed.shape == (20, 30)


def test_apply_refuses_when_the_model_was_replaced(shell, diagnosed):
    import kerashape

    run(shell, "model = keras.Sequential([Input((20, 3)), LSTM(4), Dense(1)])")
    fix = next(f for f in diagnosed.fixes if "model" in f.code)
    with pytest.raises(kerashape.KerashapeError, match="model changed since"):
        kerashape.apply(fix)


def test_apply_runs_when_nothing_changed(shell, diagnosed):
    import kerashape

    fix = next(f for f in diagnosed.fixes if f.verified)
    kerashape.apply(fix)
    assert run(shell, "model.fit(X, y, verbose=0)").success
    kerashape.undo()
