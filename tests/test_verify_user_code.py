"""Issue 10, item 9: verification that runs the user's own layer code says so, runs it at most
twice per tried fix (once to build a rebuilt copy, once on the slice), and
`%kerashape verify off` stops it (a real model with a custom layer that counts its calls)."""

import contextlib
import io

SETUP = """import numpy as np
import keras

class Counter(keras.layers.Layer):
    n = 0

    def call(self, x):
        Counter.n += 1
        return x

X = np.random.rand(10, 24, 1)
y = np.random.rand(10, 1)
model = keras.Sequential([keras.Input((24, 3)), Counter(), keras.layers.LSTM(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
FIT = "model.fit(X, y, epochs=1, verbose=0)"


def _run(shell, code):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return shell.run_cell(code)


def test_verification_says_it_ran_the_users_layer_and_verify_off_runs_none_of_it(shell, tf):
    import kerashape

    assert _run(shell, SETUP).success
    assert _run(shell, "%kerashape verify off").success
    try:
        assert not _run(shell, FIT).success
        d = kerashape.last()
        assert d.fixes and all(not f.verified and "verification is off" in f.verification for f in d.fixes)
        assert not [n for n in d.notes if "your own layer" in n]
    finally:
        _run(shell, "%kerashape verify on")
    by_the_fit_alone = shell.user_ns["Counter"].n  # what the user's own failed fit ran

    assert _run(shell, SETUP).success  # a new Counter class, counting from 0
    assert not _run(shell, FIT).success
    d = kerashape.last()
    tried = [f for f in d.fixes if f.verification and not f.verification.startswith("not verified")]
    assert tried and any(f.verified for f in tried)
    (note,) = [n for n in d.notes if "your own layer" in n]
    assert "`Counter`" in note and "verify off" in note
    by_verification = shell.user_ns["Counter"].n - by_the_fit_alone
    assert 0 < by_verification <= 2 * len(tried)
