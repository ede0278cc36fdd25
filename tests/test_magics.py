"""The %kerashape magic in a real IPython shell with real Keras models."""

import contextlib
import io

from IPython.core.error import UsageError

from kerashape_magic import _state

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
    result, out = run(shell, "%kerashape check model")
    assert not result.success and "UsageError" in out and "%kerashape check MODEL X [Y]" in out
    _, out = run(shell, "%kerashape check model no_such_name")
    assert "could not evaluate" in out and "no_such_name" in out


def test_bad_arguments_get_ipythons_own_usage_error(shell):
    result, out = run(shell, "%kerashape frobnicate")
    assert not result.success and isinstance(result.error_in_exec, UsageError)
    assert "invalid choice: 'frobnicate'" in out and "'check', 'last', 'verify'" in out
    result, out = run(shell, "%kerashape on please")
    assert isinstance(result.error_in_exec, UsageError) and "takes no arguments" in out
    result, out = run(shell, "%kerashape verify sometimes")
    assert isinstance(result.error_in_exec, UsageError) and "on or off" in out
    assert _state.enabled and _state.verify_enabled  # nothing changed


def test_the_manual_is_the_magics_help(shell):
    usage = "%kerashape [{status,on,off,check,last,verify,undo,history,warnings}]"  # then [args ...]
    doc = shell.find_line_magic("kerashape").__doc__
    assert usage in doc  # written by magic_arguments from the declared arguments
    for text in ("check MODEL X [Y]", "verify on|off", "%kerashape last", "positional arguments"):
        assert text in doc, text
    _, out = run(shell, "%kerashape?")  # IPython's pinfo prints the same manual
    assert usage in out and "verify on|off" in out


def test_on_off_verify_and_status(shell):
    try:
        _, out = run(shell, "%kerashape verify off")
        assert _state.verify_enabled is False and "verification off" in out
        _, out = run(shell, "%kerashape")
        assert out.startswith(
            "kerashape: on; hook installed; verification off; warnings after successful cells on; "
            "last diagnosis:"
        )
        _, out = run(shell, "%kerashape warnings off")
        _, out = run(shell, "%kerashape status")
        assert "warnings after successful cells off;" in out
        run(shell, "%kerashape warnings on")
        _, out = run(shell, "%kerashape verify")
        assert out.strip() == "kerashape: verification off"
        _, out = run(shell, "%kerashape off")
        assert _state.enabled is False and "kerashape: off" in out
        _, out = run(shell, "%kerashape status")
        assert out.startswith("kerashape: off; hook installed; verification off")
    finally:
        run(shell, "%kerashape on")
        run(shell, "%kerashape verify on")
    assert _state.enabled is True and _state.verify_enabled is True
