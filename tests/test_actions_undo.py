"""Issue 10, items 11, 13 and 14 (and issue 11's loss-fix message): undo never loses the user's work.

Real namespaces, real Keras models, a real shell for ``%reset`` and ``%unload_ext``.
"""

import gc
import weakref

import numpy as np
import pytest

from kerashape_magic import actions
from kerashape_magic.core.types import Fix


def fix(code, kind="reshape", title="t"):
    return Fix(kind, title, code, "r")


@pytest.fixture(autouse=True)
def empty_history():
    actions.clear_history()
    yield
    actions.clear_history()


def test_undo_keeps_newer_work_and_says_so():
    X = np.random.rand(10, 4)
    ns = {"np": np, "X": X, "Z": np.zeros(3)}
    actions.apply(fix("X = X.reshape(10, 2, 2)\nZ = Z + 1"), ns)
    ns["X"] = "new work"
    line = actions.undo(ns)
    assert ns["X"] == "new work"  # not thrown away
    assert isinstance(ns["Z"], np.ndarray) and ns["Z"].sum() == 0  # Z still held what apply put there
    assert "not restored" in line and "X" in line.split("not restored")[1]
    assert "Z is (3,) float64 again" in line


class Holder:
    pass


def test_attribute_targets_are_reported_and_undone_with_the_identical_object():
    h = Holder()
    h.X = np.random.rand(10, 4)
    old = h.X
    ns = {"h": h}
    line = actions.apply(fix("h.X = h.X.reshape(10, 2, 2)"), ns)
    assert "h.X is now (10, 2, 2) float64" in line and "nothing" not in line
    back = actions.undo(ns)
    assert h.X is old
    assert "h.X is (10, 4) float64 again" in back


def test_an_attribute_rebound_after_the_fix_is_kept():
    h = Holder()
    h.X = np.random.rand(10, 4)
    ns = {"h": h}
    actions.apply(fix("h.X = h.X.reshape(10, 2, 2)"), ns)
    h.X = "newer"
    line = actions.undo(ns)
    assert h.X == "newer" and "h.X" in line.split("not restored")[1]


@pytest.fixture()
def keras(tf):
    import keras

    return keras


def failed_model(keras):
    from keras.layers import LSTM, Dense, Input

    model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError):
        model.fit(np.random.rand(8, 60), np.random.rand(8, 1), epochs=1, verbose=0)
    return model


def test_undo_gives_a_reset_model_its_identical_optimizer_back(keras):
    import kerashape

    model = failed_model(keras)
    optimizer, compile_config = model.optimizer, model._compile_config
    ns = {"np": np, "kerashape": kerashape, "model": model, "X": np.random.rand(8, 60)}
    line = actions.apply(fix("X = X.reshape(-1, 20, 3)\nkerashape.reset(model)"), ns)
    assert model.optimizer is not optimizer  # a never-stepped optimizer is replaced by reset()
    assert "model" in line and "optimizer" in line
    back = actions.undo(ns)
    assert model.optimizer is optimizer and model._compile_config is compile_config
    assert "model has its old optimizer" in back
    assert ns["model"] is model


def test_a_model_trained_after_the_fix_keeps_its_state(keras):
    import kerashape

    model = failed_model(keras)
    ns = {"np": np, "kerashape": kerashape, "model": model, "X": np.random.rand(8, 60)}
    actions.apply(fix("X = X.reshape(-1, 20, 3)\nkerashape.reset(model)"), ns)
    model.fit(ns["X"], np.random.rand(8, 1), epochs=1, verbose=0)
    trained = model.optimizer
    line = actions.undo(ns)
    assert model.optimizer is trained
    assert "model's state" in line


def test_a_loss_fix_says_the_new_loss(keras):
    from keras.layers import Dense, Input

    import kerashape

    model = keras.Sequential([Input((4,)), Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    ns = {"kerashape": kerashape, "model": model}
    code = 'model = kerashape.rebuild(model, loss="sparse_categorical_crossentropy")'
    line = actions.apply(fix(code, kind="sparse_loss"), ns)
    assert "loss 'sparse_categorical_crossentropy'" in line and "categorical_crossentropy'" in line
    assert "taking" not in line
    actions.undo(ns)
    assert ns["model"] is model


def test_the_history_is_bounded(monkeypatch):
    monkeypatch.setattr(actions, "HISTORY_SIZE", 2)
    ns = {"X": np.zeros((4, 4))}
    olds = []
    for i in range(4):
        olds.append(weakref.ref(ns["X"]))
        actions.apply(fix("X = X + %d" % (i + 1)), ns)
    gc.collect()
    assert olds[0]() is None and olds[1]() is None  # forgotten: released
    actions.undo(ns)
    actions.undo(ns)
    with pytest.raises(Exception, match="nothing to undo"):
        actions.undo(ns)


def test_del_reset_and_unload_release_the_old_objects(shell):
    shell.run_cell("import numpy as np\nX = np.zeros((1000, 100))")
    old = weakref.ref(shell.user_ns["X"])
    actions.apply(fix("X = X + 1"))
    shell.run_cell("del X")
    gc.collect()
    assert old() is None  # the name it belonged to is gone: the history let go of it
    shell.run_cell("X = np.zeros((1000, 100))")
    actions.apply(fix("X = X + 1"))
    assert actions.can_undo()
    shell.run_cell("%reset -f")  # a cell, as in a notebook
    assert not actions.can_undo()
    shell.run_cell("import numpy as np\nX = np.zeros((1000, 100))")
    actions.apply(fix("X = X + 1"))
    shell.run_line_magic("unload_ext", "kerashape")
    assert not actions.can_undo()
    shell.run_line_magic("load_ext", "kerashape")


def test_undo_documents_what_it_keeps():
    import kerashape

    doc = kerashape.undo.__doc__
    assert "HISTORY_SIZE" in doc or "last 3" in doc
    assert "%reset" in doc
