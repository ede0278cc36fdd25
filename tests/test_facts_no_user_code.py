"""Issue 10, item 10: gathering facts runs none of the user's attribute code, and has a deadline.

Real objects in a real shell: an unrelated object whose ``__getattr__`` is slow and counts its
calls, a property argument ``model.fit(d.X, y)`` read once (by Python, for the call), and a
diagnosis that would take 30 s stopped at ``facts.DEADLINE_S`` with what it had.
"""

import contextlib
import io

from kerashape_magic import _hook, _state, facts

SETUP = """
import time
import numpy as np
import keras
from keras.layers import LSTM, Dense, Input
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
y = np.random.rand(10, 1)
"""


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    return result, out.getvalue()


def test_an_unrelated_objects_getattr_never_runs(shell, tf):
    assert run(shell, SETUP)[0].success
    cell = """
class Remote:
    calls = 0
    def __getattr__(self, name):
        Remote.calls += 1
        time.sleep(30)
        raise AttributeError(name)
remote = Remote()
X = np.random.rand(10, 60)
"""
    assert run(shell, cell)[0].success
    _state.last_diagnosis = None
    result, _ = run(shell, "model.fit(X, y, verbose=0)")
    assert not result.success and _state.last_diagnosis is not None
    assert shell.user_ns["Remote"].calls == 0


def test_a_property_argument_is_read_once_and_still_described(shell, tf):
    assert run(shell, SETUP)[0].success
    cell = """
class Data:
    reads = 0
    def __init__(self):
        self._x = np.random.rand(10, 60)
    @property
    def X(self):
        Data.reads += 1
        return self._x
d = Data()
"""
    assert run(shell, cell)[0].success
    _state.last_diagnosis = None
    result, _ = run(shell, "model.fit(d.X, y, verbose=0)")
    assert not result.success
    assert shell.user_ns["Data"].reads == 1  # Python's own read for the call, none of kerashape's
    d = _state.last_diagnosis
    assert d is not None and d.received_shape == (10, 60)  # the value the call received


def test_the_deadline_stops_a_slow_diagnosis_and_says_what_it_skipped(shell, tf, monkeypatch):
    monkeypatch.setattr(facts, "DEADLINE_S", 0.5)
    assert run(shell, SETUP)[0].success
    cell = """
class Slow(np.ndarray):
    def __getitem__(self, k):
        if isinstance(k, slice) and k.stop is not None and k.stop <= 2:
            started.append(1)
            time.sleep(30)
            finished.append(1)
        return super().__getitem__(k)
started, finished = [], []
x = np.random.rand(10, 60).view(Slow)
"""
    assert run(shell, cell)[0].success
    _state.last_diagnosis = None
    result, out = run(shell, "model.fit(x, y, verbose=0)")
    assert isinstance(result.error_in_exec, ValueError)
    assert shell.user_ns["started"] and not shell.user_ns["finished"]  # cut off, not awaited
    d = _state.last_diagnosis
    assert d is not None, out[-2000:]
    assert any("stopped after 0.5 s" in n for n in d.notes)
    assert d.fixes and not any(f.verified for f in d.fixes)
    assert all("limit" in f.verification for f in d.fixes)
    assert _hook.installed(shell)


def test_static_attr_reads_stored_values_only():
    class D:
        def __init__(self):
            self.a = 1

        @property
        def b(self):
            raise AssertionError("a property ran")

        def __getattr__(self, name):
            raise AssertionError("__getattr__ ran")

    assert facts.static_attr(D(), "a") == (True, 1)
    assert facts.static_attr(D(), "b") == (False, None)
    assert facts.static_attr(D(), "missing") == (False, None)
