"""Issue 10, item 1: Ctrl-C (and SystemExit, GeneratorExit) while kerashape works never removes the hook.

A real ``InteractiveShell``, a real Keras model, a real SIGINT sent by a timer while the diagnosis
runs. Required: the diagnosis stops, the plain traceback is shown with one line
``kerashape: interrupted``, no traceback of kerashape's own, and the hook stays installed.
"""

import contextlib
import io
import signal

import pytest

from kerashape_magic import _hook, facts

SETUP = """
import os, signal, threading, time
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


def assert_hook_survived(shell, out):
    assert "unregistering" not in out and "The original exception" not in out
    assert "kerashape_magic" not in out  # no traceback of kerashape's own
    assert _hook.installed(shell)
    _, status = run(shell, "%kerashape status")
    assert "hook installed" in status


def test_a_real_sigint_during_the_diagnosis_stops_it_and_keeps_the_hook(shell, tf, monkeypatch):
    monkeypatch.setattr(facts, "DEADLINE_S", 60)  # the interrupt, not the deadline, must stop it
    # Ctrl-C raises KeyboardInterrupt, as in a terminal or a kernel, even when this test process
    # was started in the background (where a shell leaves SIGINT ignored)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        _sigint_case(shell)
    finally:
        signal.signal(signal.SIGINT, previous)


def _sigint_case(shell):
    assert run(shell, SETUP)[0].success
    # the user's array type: slicing two samples (what verification does) is slow; a timer sends
    # a real SIGINT to the process 0.3 s into it, as Ctrl-C in a terminal or a kernel interrupt
    cell = """
class A(np.ndarray):
    def __getitem__(self, k):
        if isinstance(k, slice) and k.stop == 2 and not started:
            started.append(1)
            threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
            time.sleep(30)
            finished.append(1)
        return super().__getitem__(k)
started, finished = [], []
x = np.random.rand(10, 60).view(A)
"""
    assert run(shell, cell)[0].success
    result, out = run(shell, "model.fit(x, y, verbose=0)")
    assert isinstance(result.error_in_exec, ValueError)  # the user's error, not the interrupt
    assert shell.user_ns["started"] == [1] and shell.user_ns["finished"] == []  # sleep was cut short
    assert "Traceback" in out and "Invalid input shape" in out
    assert out.rstrip().endswith("kerashape: interrupted")
    assert_hook_survived(shell, out)
    # and the next shape error is explained as usual
    import kerashape

    before = kerashape.last()
    run(shell, "model.fit(np.random.rand(10, 60).astype('float32'), y, verbose=0)")
    assert kerashape.last() is not before


@pytest.mark.parametrize("stop", ["KeyboardInterrupt", "SystemExit", "GeneratorExit"])
def test_a_stop_raised_inside_the_diagnosis(shell, tf, stop):
    # issue 10's reproduction: an ndarray subclass whose __getitem__ raises for k.stop == 2
    assert run(shell, SETUP)[0].success
    cell = (
        """
class A(np.ndarray):
    def __getitem__(self, k):
        if isinstance(k, slice) and k.stop == 2:
            raise %s
        return super().__getitem__(k)
x = np.random.rand(10, 60).view(A)
"""
        % stop
    )
    assert run(shell, cell)[0].success
    result, out = run(shell, "model.fit(x, y, verbose=0)")
    assert isinstance(result.error_in_exec, ValueError)
    assert "Invalid input shape" in out
    assert "kerashape: interrupted" in out
    assert_hook_survived(shell, out)


@pytest.mark.parametrize("stop", ["KeyboardInterrupt", "SystemExit", "GeneratorExit"])
def test_a_stop_raised_by_the_exceptions_own_str(shell, stop):
    cell = (
        """
class E(ValueError):
    def __str__(self):
        raise %s
raise E()
"""
        % stop
    )
    result, out = run(shell, cell)
    assert not result.success
    assert "kerashape: interrupted" in out
    assert_hook_survived(shell, out)
