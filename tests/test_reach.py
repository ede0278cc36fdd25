"""Issue 3: what kerashape says when it cannot reach or must not change an object.

Real Keras models in a real IPython shell (the ``shell`` fixture of conftest.py).
"""

import contextlib
import io
import re
import sys
import textwrap

import pytest

SETUP = """
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


@pytest.fixture()
def ks(shell, tf):
    import kerashape
    from kerashape_magic import _state

    _state.last_diagnosis = None
    assert run(shell, SETUP)[0].success
    return kerashape


def test_expression_argument_gets_the_diagnosis_and_says_what_it_could_not_inspect(shell, ks):
    result, out = run(shell, "model.fit(np.random.rand(10, 60), y, verbose=0)")
    assert not result.success and "Traceback" in out
    d = ks.last()
    assert d.kind == "flattened_input"
    assert d.expected_shape == (None, 20, 3) and d.received_shape == (None, 60)
    assert "np.random.rand(10, 60)" in d.summary
    assert any("np.random.rand(10, 60)" in u for u in d.uninspected)
    assert any("assign it first" in n for n in d.notes)
    assert d.fixes == ()  # nothing to rebind: no code is offered for an expression


def test_error_from_a_library_the_user_called(shell, ks, tmp_path, monkeypatch):
    (tmp_path / "trainlib.py").write_text(
        textwrap.dedent("""
        def train(m, X, y):
            return m.fit(X, y, verbose=0)
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    run(shell, "X = np.random.rand(10, 60)")
    result, out = run(shell, "import trainlib\ntrainlib.train(model, X, y)")
    assert not result.success
    d = ks.last()
    assert d.kind == "flattened_input" and d.received_name == "X"
    assert d.fixes and d.fixes[0].verified
    assert re.search(r"(?m)^X = X\.reshape\((10|-1), 20, 3\)$", d.fixes[0].code), d.fixes[0].code
    sys.modules.pop("trainlib", None)


def test_data_in_a_user_function_is_fixed_under_its_global_name(shell, ks):
    run(shell, "data = np.random.rand(10, 60)\ndef train(X):\n    return model.fit(X, y, verbose=0)")
    result, _ = run(shell, "train(data)")
    assert not result.success
    d = ks.last()
    assert d.received_name == "data"  # the local name `X` would not exist in the namespace
    assert re.search(r"(?m)^data = data\.reshape\((10|-1), 20, 3\)$", d.fixes[0].code), d.fixes[0].code


def test_predict_never_rebuilds_a_trained_model_for_other_features(shell, ks):
    run(shell, "model.fit(np.random.rand(16, 20, 3), np.random.rand(16, 1), epochs=1, verbose=0)")
    result, _ = run(shell, "X_new = np.random.rand(4, 20, 2)\nmodel.predict(X_new, verbose=0)")
    assert not result.success
    d = ks.last()
    assert d.kind == "feature_mismatch" and d.received_name == "X_new"
    assert not [f for f in d.fixes if f.kind == "rebuild_input"]
    # the panel says why (a note, or the ruled-out rebuild's reason)
    said = list(d.notes) + [reason for _, reason in getattr(d, "ruled_out", ())]
    assert any("as trained" in n for n in said), said


def test_check_reports_a_dict_whose_arrays_sit_under_the_wrong_keys(shell, ks):
    # Keras 3 accepts this silently: both arrays are concatenated, the widths add up
    run(
        shell,
        textwrap.dedent("""
        a = Input((10,), name="a")
        b = Input((5,), name="b")
        two = keras.Model([a, b], Dense(1)(keras.layers.concatenate([a, b])))
        Xa, Xb = np.random.rand(8, 10), np.random.rand(8, 5)
        two.predict({"a": Xb, "b": Xa}, verbose=0)
    """),
    )
    d = ks.check(shell.user_ns["two"], {"a": shell.user_ns["Xb"], "b": shell.user_ns["Xa"]})
    assert d is not None and d.kind == "feature_mismatch"
    assert d.layer_name == "a" and d.received_name == "Xb"
    assert d.expected_shape == (None, 10) and d.received_shape == (8, 5)
    assert ks.check(shell.user_ns["two"], {"b": shell.user_ns["Xb"], "a": shell.user_ns["Xa"]}) is None


def test_subclassed_model_gets_no_rebuild(shell, ks):
    run(
        shell,
        textwrap.dedent("""
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.lstm = LSTM(8)
                self.out = Dense(1)
            def call(self, x):
                return self.out(self.lstm(x))
        net = Net()
        net.compile(optimizer="adam", loss="mse")
        net.fit(np.random.rand(8, 20, 3), np.random.rand(8, 1), epochs=1, verbose=0)
    """),
    )
    result, _ = run(
        shell, "X2 = np.random.rand(8, 20, 2)\nnet.fit(X2, np.random.rand(8, 1), epochs=1, verbose=0)"
    )
    assert not result.success
    d = ks.last()
    assert d is not None and d.kind == "feature_mismatch"
    assert d.expected_shape == (None, 20, 3)
    assert not [f for f in d.fixes if f.kind == "rebuild_input"]
