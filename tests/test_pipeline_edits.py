"""pipeline.with_source_edits: a diagnosed fix carries the edit of the user's own cells, and the
notebook re-run from the top with that edit works (issue 12; real Keras, real shell)."""

import contextlib
import io

SETUP = """import numpy as np
import keras
from keras.layers import LSTM, Dense
X_train = np.random.rand(40, 24, 1)
y_train = np.random.rand(40, 1)
model = keras.Sequential([keras.Input((24, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"


def _run(shell, code):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return shell.run_cell(code, store_history=True)


def test_the_first_fix_carries_an_edit_that_reruns_from_the_top(shell, tf):
    import kerashape

    setup_n = len(shell.history_manager.input_hist_raw)
    assert _run(shell, SETUP).success
    assert not _run(shell, CELL).success
    d = kerashape.last()
    fix = d.verified_fixes[0]
    assert fix.kind == "rebuild_input" and fix.source_edits, fix.edit_note
    (edit,) = fix.source_edits
    assert edit.cell == setup_n and edit.before.strip() == SETUP.strip()
    assert "keras.Input((24, 1))" in edit.after and "kerashape" not in edit.after
    _run(shell, "%reset -f")
    assert _run(shell, edit.after).success
    assert _run(shell, CELL).success  # the notebook re-run from the top now trains


def test_a_model_from_a_function_gets_a_reason_instead_of_an_edit(shell, tf):
    import kerashape

    assert _run(
        shell,
        SETUP.replace("model = keras.Sequential", "def make():\n    return keras.Sequential")
        .replace("model.compile(", "model = make()\nmodel.compile(")
        .replace("Dense(1)])\n", "Dense(1)])\n", 1),
    ).success
    assert not _run(shell, CELL).success
    fix = kerashape.last().verified_fixes[0]
    assert fix.kind == "rebuild_input" and not fix.source_edits and fix.edit_note
