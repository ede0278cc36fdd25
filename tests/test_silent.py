"""Warnings for what Keras accepts silently, after a cell that succeeded (kerashape_magic/silent.py).

Real IPython shell (``shell`` fixture), real Keras 3 models, real cells: each family Keras 3
accepts without an error gets a cell that succeeds and a warning under it, with the sentence,
the axis table, a verified fix and the change to the user's cells; correct code gets none.
"""

import contextlib
import io

import pytest

from kerashape_magic import silent
from kerashape_magic.render.warning import HEADING, warning_bundles

IMPORTS = """import numpy as np
import keras
from keras import layers
"""


def run(shell, code):
    """Run one cell (stored in the history, as a notebook does); return (result, warnings shown)."""
    from IPython.utils.capture import capture_output

    quiet = io.StringIO()
    with contextlib.redirect_stderr(quiet), capture_output() as captured:
        result = shell.run_cell(code, store_history=True)
    shown = [o.data for o in captured.outputs if HEADING in o.data.get("text/plain", "")]
    return result, shown


@pytest.fixture
def ks(tf, shell):
    """The shell with NumPy and Keras imported and warnings on (as after %load_ext kerashape)."""
    silent.enabled = True
    result, _ = run(shell, IMPORTS)
    assert result.success
    yield shell
    silent.enabled = True


def warned(shell, setup, cell):
    """Run ``setup`` (no warning), then ``cell`` (it must succeed); return the warnings and last()."""
    import kerashape

    result, shown = run(shell, setup)
    assert result.success and not shown, shown
    result, shown = run(shell, cell)
    assert result.success, result.error_in_exec
    return shown, kerashape.last()


# --------------------------------------------------------------------------- the seed and the families


SEED_001_EXAMPLE_2 = """X_train = np.random.rand(100, 48, 3)
y_train = np.random.rand(100, 1)
model = keras.Sequential([layers.LSTM(50, input_shape=(24, 3)), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def test_seed_001_timesteps_warned_after_a_successful_fit_with_fix_and_edit(ks):
    shown, d = warned(ks, SEED_001_EXAMPLE_2, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    assert len(shown) == 1
    text, page = shown[0]["text/plain"], shown[0]["text/html"]
    assert d.kind == "timestep_mismatch"
    assert "48 timesteps, not 24" in d.summary and "48 timesteps, not 24" in text
    rows = [(r.name, r.received, r.expected, r.status) for r in d.rows]
    assert rows[1] == ("timesteps", 48, 24, "mismatch")
    fix = d.fixes[0]
    assert fix.verified and fix.kind == "rebuild_input", [(f.kind, f.verification) for f in d.fixes]
    assert fix.source_edits, fix.edit_note
    edit = fix.source_edits[0]
    assert "input_shape=(24, 3)" in edit.before and "input_shape=(24, 3)" not in edit.after
    assert "kerashape" not in edit.after
    assert 'class="kerashape-warning"' in page and "kerashape-edit" in page and "mismatch" in page
    # the edit holds: the changed cell, run again, then the same fit, warns no more
    result, shown = run(ks, edit.after)
    assert result.success
    result, shown = run(ks, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    assert result.success and not shown


def test_timesteps_of_a_one_feature_series(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(30, 48, 1)\ny = np.random.rand(30, 1)\n"
        "model = keras.Sequential([layers.LSTM(8, input_shape=(24, 1)), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "history = model.fit(X, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.kind == "timestep_mismatch"
    assert d.fixes[0].verified


def test_size_1_axis_keras_adds(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(40, 24)\ny = np.random.rand(40, 1)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "model.fit(X, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.kind == "missing_axis", d and d.summary
    assert d.fixes[0].verified and d.fixes[0].kind in ("expand_dims", "reshape")
    assert d.fixes[0].source_edits


def test_size_1_axis_keras_drops(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(40, 24, 1, 1)\ny = np.random.rand(40, 1)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "model.fit(X, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.kind == "rank_mismatch", d and d.summary
    assert d.fixes[0].verified and d.fixes[0].kind == "squeeze"


def test_targets_broadcast_against_a_one_unit_output(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(40, 5)\ny = np.random.rand(40, 1, 4)\n"
        "model = keras.Sequential([keras.Input((5,)), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "model.fit(X, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.kind == "label_mismatch", d and d.summary
    assert "(40, 1, 4)" in d.summary


def test_one_target_per_row_broadcast_against_three_units(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(40, 9).astype('float32')\ny = np.random.rand(40, 1).astype('float32')\n"
        "model = keras.Sequential([keras.Input((9,)), layers.Dense(16, activation='relu'),\n"
        "                          layers.Dense(3)])\n"
        "model.compile(optimizer='adam', loss='mean_absolute_error')\n",
        "model.fit(X, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.kind in ("label_mismatch", "output_structure"), d and d.summary
    assert d.fixes and d.fixes[0].verified and d.fixes[0].kind == "edit_layer"


def test_softmax_over_one_unit(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(40, 5)\ny = np.random.randint(0, 2, 40)\n"
        "model = keras.Sequential([keras.Input((5,)), layers.Dense(1, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='binary_crossentropy')\n",
        "model.fit(X, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.rule == "softmax_single_unit", d and d.summary
    assert d.fixes[0].verified and d.fixes[0].kind == "edit_layer"


def test_dict_inputs_under_a_key_that_names_no_input(ks):
    shown, d = warned(
        ks,
        "a = np.random.rand(40, 3)\nb = np.random.rand(40, 2)\nc = np.random.rand(40, 2)\n"
        "y = np.random.rand(40, 1)\n"
        "left = keras.Input((3,), name='left')\nright = keras.Input((2,), name='right')\n"
        "model = keras.Model([left, right], layers.Dense(1)(layers.Concatenate()([left, right])))\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "model.fit({'left': a, 'right': b, 'rigth_extra': c}, y, epochs=1, verbose=0)",
    )
    assert len(shown) == 1 and d.rule == "input_keys", d and d.summary
    assert "'rigth_extra'" in d.summary
    assert ("key 'rigth_extra'", "extra") in [(r.name, r.status) for r in d.rows]


def test_predict_and_a_direct_call(ks):
    setup = (
        "X = np.random.rand(12, 24)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
    )
    shown, d = warned(ks, setup, "p = model.predict(X, verbose=0)")
    assert len(shown) == 1 and d.kind == "missing_axis"
    assert not any(f.changes_model and f.verified for f in d.fixes)  # predict: the data must change
    result, shown = run(ks, "out = model(X)")
    assert result.success and len(shown) == 1
    result, shown = run(ks, "out = model (X)")
    assert result.success and len(shown) == 1


# --------------------------------------------------------------------------- silence where it should be


def test_no_warning_on_data_that_fits(ks):
    shown, d = warned(
        ks,
        "X = np.random.rand(40, 24, 1)\ny = np.random.rand(40, 1)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "model.fit(X, y, epochs=1, verbose=0)\nmodel.evaluate(X, y, verbose=0)\nmodel.predict(X, verbose=0)",
    )
    assert not shown


def test_no_warning_when_the_cell_rebinds_the_data_after_the_call(ks):
    shown, _ = warned(
        ks,
        "X = np.random.rand(40, 24)\ny = np.random.rand(40, 1)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        "model.fit(X, y, epochs=1, verbose=0)\nX = X[..., None]",
    )
    assert not shown


def test_no_warning_for_expressions_or_calls_inside_functions(ks):
    setup = (
        "X = np.random.rand(40, 24)\ny = np.random.rand(40, 1)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n"
    )
    shown, _ = warned(ks, setup, "model.fit(X * 1.0, y, epochs=1, verbose=0)")
    assert not shown
    shown, _ = warned(ks, setup, "def train(m, X):\n    m.fit(X, y, epochs=1, verbose=0)\ntrain(model, X)")
    assert not shown


def test_warnings_off_silences_them_and_on_brings_them_back(ks):
    ks.run_cell(SEED_001_EXAMPLE_2)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ks.run_line_magic("kerashape", "off")
    result, shown = run(ks, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    assert result.success and not shown
    with contextlib.redirect_stdout(out):
        ks.run_line_magic("kerashape", "on")
    assert "warnings off" in silent.warnings_command(ks, ["off"])
    result, shown = run(ks, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    assert result.success and not shown
    assert "warnings off" in silent.warnings_command(ks, ["status"])
    assert "warnings on" in silent.warnings_command(ks, ["on"])
    result, shown = run(ks, "model.predict(X_train, verbose=0)")
    assert result.success and len(shown) == 1


def test_warnings_command_rejects_other_words(ks):
    from IPython.core.error import UsageError

    with pytest.raises(UsageError):
        silent.warnings_command(ks, ["maybe"])
    assert silent.enabled


def test_magic_routes_warnings(ks):
    """%kerashape warnings off|on (magics.COMMANDS routes to silent.warnings_command)."""
    from kerashape_magic import magics

    if "warnings" not in magics.COMMANDS:
        pytest.fail("%kerashape warnings is not routed yet (magics.COMMANDS has no 'warnings')")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ks.run_line_magic("kerashape", "warnings off")
    assert not silent.enabled and "warnings off" in out.getvalue()
    with contextlib.redirect_stdout(out):
        ks.run_line_magic("kerashape", "warnings on")
    assert silent.enabled


# --------------------------------------------------------------------------- reading the cell, the cheap path


def test_the_cheap_path_needs_a_model_call_in_the_text(ks):
    ks.run_cell("model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])\nX = np.zeros((2, 3))")
    ns = ks.user_ns
    assert not silent.may_call_model("z = 1 + 2", ns)
    assert not silent.may_call_model("print(len(X))", ns)
    assert silent.may_call_model("model.predict(X)", ns)
    assert silent.may_call_model("out = model(X)", ns)
    assert silent.may_call_model("out = model (X)", ns)  # PEP 8 frowns on it; Python allows it
    assert not silent.may_call_model("print(model)", ns)


def test_model_calls_resolve_names_and_never_evaluate(ks):
    ks.run_cell(
        "class Holder:\n"
        "    @property\n"
        "    def data(self):\n"
        "        raise RuntimeError('a property ran')\n"
        "h = Holder()\n"
        "model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])\n"
        "X = np.zeros((2, 3))\ny = np.zeros(2)"
    )
    ns = ks.user_ns
    calls = silent.model_calls("model.fit(X, y)\nmodel.predict(h.data)\nmodel(X)\nmodel.fit(x=X, y=y)", ns)
    assert [(c.method, c.x is ns["X"], c.line) for c in calls] == [
        ("fit", True, 1),
        ("__call__", True, 3),
        ("fit", True, 4),
    ]
    assert calls[0].y is ns["y"]


def test_the_warning_renders_with_controls_in_a_kernel(ks):
    ks.run_cell(SEED_001_EXAMPLE_2)
    run(ks, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    import kerashape

    d = kerashape.last()
    out = warning_bundles(d, widget=True)
    assert len(out) == 2 and "application/vnd.jupyter.widget-view+json" in out[1]
    static = warning_bundles(d, widget=False)
    assert len(static) == 1 and "kerashape-warning" in static[0]["text/html"]


@pytest.mark.parametrize("call", ["model.evaluate(X, y, verbose=0)", "model.fit(X, y, epochs=1, verbose=0)"])
def test_the_warnings_fix_applied_then_the_cell_again_runs_without_one(ks, call):
    """Keras 3.15 keeps the function it traced for (N, 24): the same call on (N, 24, 1) would then
    fail (an unknown rank). The data fix clears it (kerashape.reset), as after a failed call."""
    import kerashape

    shown, d = warned(
        ks,
        "X = np.random.rand(40, 24)\ny = np.random.rand(40, 1)\n"
        "model = keras.Sequential([keras.Input((24, 1)), layers.LSTM(4), layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n",
        call,
    )
    assert len(shown) == 1 and d.kind == "missing_axis"
    fix = d.fixes[0]
    assert fix.verified and fix.source_edits and "reset(model)" in fix.code
    kerashape.apply(fix)
    result, shown = run(ks, call)
    assert result.success, result.error_in_exec
    assert not shown
    assert ks.user_ns["X"].shape == (40, 24, 1)
