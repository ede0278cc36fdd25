"""Which Keras a model belongs to (kerashape_magic/flavour.py), and kerashape working through it.

Marked ``all_backends``: these run in every flavour's environment (Keras 3 on TensorFlow, JAX,
PyTorch; Keras 2 through tf_keras). The Keras 2 tests need ``tf_keras``; they are skipped where
it is not installed, and fail instead where the environment asks for Keras 2
(``TF_USE_LEGACY_KERAS=1``, as the tf-keras leg sets).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from kerashape_magic import flavour
from kerashape_magic.core.moves.templates import _module
from kerashape_magic.core.types import Facts

pytestmark = pytest.mark.all_backends


def _legacy_leg() -> bool:
    return flavour.legacy_mode()


@pytest.fixture(scope="module")
def tf_keras():
    """``tf_keras`` (Keras 2). Fails, never skips, where the environment asks for legacy Keras."""
    try:
        import tf_keras
    except ImportError as error:
        if _legacy_leg():
            pytest.fail(
                "TF_USE_LEGACY_KERAS is set but tf_keras cannot be imported: %s" % error, pytrace=False
            )
        pytest.skip('tf_keras is not installed: pip install -e ".[tf-keras]"')
    return tf_keras


@contextlib.contextmanager
def _quiet():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        yield out


# --------------------------------------------------------------------------- detection


def test_objects_of_no_keras_have_no_flavour():
    assert flavour.package_of(np.zeros(3)) is None
    assert flavour.flavour_of([1, 2]) is None
    assert flavour.package_of(int) is None


def test_a_keras3_model_layer_and_tensor_are_keras3():
    keras = pytest.importorskip("keras", minversion="3")
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(2)(inputs))
    f = flavour.flavour_of(model)
    assert f == flavour.Flavour("keras", keras.__version__, keras.config.backend())
    assert f.keras3 and f.module is keras
    assert flavour.flavour_of(model.layers[-1]) == f
    assert flavour.flavour_of(inputs) == f  # a KerasTensor
    assert flavour.module_package(keras) == "keras"
    assert flavour.import_line(f) == "import keras\n"

    class Mine(keras.Model):  # a user's subclass: Keras's through its MRO
        pass

    assert flavour.package_of(Mine()) == "keras"


def test_a_tf_keras_model_layer_and_tensor_are_keras2(tf_keras):
    inputs = tf_keras.Input((4,))
    model = tf_keras.Model(inputs, tf_keras.layers.Dense(2)(inputs))
    f = flavour.flavour_of(model)
    assert f == flavour.Flavour("tf_keras", tf_keras.__version__, "tensorflow")
    assert not f.keras3 and f.major == 2 and f.module is tf_keras
    assert flavour.flavour_of(model.layers[-1]) == f
    assert flavour.flavour_of(inputs) == f
    assert flavour.module_package(tf_keras) == "tf_keras"
    assert not flavour.is_compiled(model)
    model.compile(optimizer="adam", loss="mse")
    assert flavour.is_compiled(model)


def test_tf_keras_in_legacy_mode_is_tf_keras(tf_keras):
    if not _legacy_leg():
        pytest.skip("tf.keras is Keras 3 here (TF_USE_LEGACY_KERAS is not set)")
    from tensorflow import keras  # TensorFlow's KerasLazyLoader

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    assert flavour.package_of(model) == "tf_keras"
    assert flavour.module_package(keras) == "tf_keras"
    assert flavour.import_line(flavour.flavour_of(model)) == "from tensorflow import keras\n"


# --------------------------------------------------------------------------- fix code's import


def test_fix_code_imports_the_models_keras_when_the_user_has_no_name_for_it():
    assert _module(Facts(), "keras", "keras") == ("keras", "import keras\n")
    legacy = Facts(aliases=(("keras_import", "tensorflow"),))
    assert _module(legacy, "keras", "keras") == ("keras", "from tensorflow import keras\n")
    direct = Facts(aliases=(("keras_import", "tf_keras"),))
    assert _module(direct, "keras", "keras") == ("keras", "import tf_keras as keras\n")
    named = Facts(aliases=(("keras", "tk"), ("keras_import", "tf_keras")))
    assert _module(named, "keras", "keras") == ("tk", "")


def test_the_keras_alias_is_the_users_name_for_the_models_own_keras(tf_keras):
    from kerashape_magic.facts import _aliases

    model = tf_keras.Sequential([tf_keras.Input((3,)), tf_keras.layers.Dense(1)])
    found = dict(_aliases({"tk": tf_keras, "np": np}, model))
    assert found["keras"] == "tk" and found["numpy"] == "np"
    assert found["keras_import"] == ("tensorflow" if _legacy_leg() else "tf_keras")
    try:
        import keras as keras3
    except ImportError:  # pragma: no cover - Keras 3 comes with every flavour's environment
        return
    if flavour.module_package(keras3) == "keras":  # Keras 3's `keras` is not a tf_keras model's name
        assert "keras" not in dict(_aliases({"keras": keras3}, model))


# --------------------------------------------------------------------------- rebuild on Keras 2


def test_rebuild_keeps_a_tf_keras_models_weights_and_compile_state(tf_keras):
    import kerashape

    layers = tf_keras.layers
    model = tf_keras.Sequential(
        [tf_keras.Input((6, 3)), layers.LSTM(4, name="lstm"), layers.Dense(1, name="out")]
    )
    model.compile(optimizer=tf_keras.optimizers.Adam(learning_rate=0.005), loss="mse", metrics=["mae"])
    with _quiet():
        model.fit(np.random.rand(8, 6, 3), np.random.rand(8, 1), epochs=1, verbose=0)
    new = kerashape.rebuild(model, input_shape=(6, 1))
    assert flavour.package_of(new) == "tf_keras"
    assert tuple(new.inputs[0].shape) == (None, 6, 1)
    old_lstm, new_lstm = model.get_layer("lstm").get_weights(), new.get_layer("lstm").get_weights()
    assert old_lstm[0].shape == (3, 16) and new_lstm[0].shape == (1, 16)  # the input kernel is new
    np.testing.assert_array_equal(old_lstm[1], new_lstm[1])  # recurrent kernel kept
    np.testing.assert_array_equal(old_lstm[2], new_lstm[2])  # bias kept
    for a, b in zip(model.get_layer("out").get_weights(), new.get_layer("out").get_weights()):
        np.testing.assert_array_equal(a, b)
    assert new._kerashape_weights_kept == (4, 5)
    assert flavour.is_compiled(new)
    assert type(new.optimizer) is type(model.optimizer) and new.optimizer is not model.optimizer
    assert float(new.optimizer.learning_rate.numpy()) == pytest.approx(0.005)
    assert new.loss == "mse"
    with _quiet():
        history = new.fit(np.random.rand(8, 6, 1), np.random.rand(8, 1), epochs=1, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert tuple(model.inputs[0].shape) == (None, 6, 3)  # the old model is not modified


def test_rebuild_edits_a_tf_keras_functional_model(tf_keras):
    import kerashape

    layers = tf_keras.layers
    inputs = tf_keras.Input((5,))
    model = tf_keras.Model(inputs, layers.Dense(3, name="head")(layers.Dense(4, name="hidden")(inputs)))
    model.compile(optimizer="adam", loss="mse")
    new = kerashape.rebuild(model, edit={"head": {"units": 2}})
    assert flavour.package_of(new) == "tf_keras"
    assert tuple(new.outputs[0].shape) == (None, 2)
    for a, b in zip(model.get_layer("hidden").get_weights(), new.get_layer("hidden").get_weights()):
        np.testing.assert_array_equal(a, b)
    assert flavour.is_compiled(new)


def test_rebuild_inserts_and_removes_layers_in_a_tf_keras_functional_model(tf_keras):
    """tf_keras's clone_model has no call_function: the config is rewired instead."""
    import kerashape

    layers = tf_keras.layers
    inputs = tf_keras.Input((5,))
    model = tf_keras.Model(inputs, layers.Dense(3, name="head")(layers.Dense(4, name="hidden")(inputs)))
    model.compile(optimizer="adam", loss="mse")
    head = model.get_layer("head").get_weights()

    def names(m):
        return [lay.name for lay in m.layers]

    after = kerashape.rebuild(model, insert_after={"hidden": "LayerNormalization"})
    assert names(after)[1:] == ["hidden", "layer_normalization", "head"]
    before = kerashape.rebuild(model, insert_before={"head": "LayerNormalization"}, input_shape=(5,))
    assert [type(lay).__name__ for lay in before.layers][1:] == ["Dense", "LayerNormalization", "Dense"]
    for new in (after, before):
        assert flavour.package_of(new) == "tf_keras" and flavour.is_compiled(new)
        for a, b in zip(head, new.get_layer("head").get_weights()):
            np.testing.assert_array_equal(a, b)  # head still takes 4 values: its weights are kept
        assert new.predict(np.zeros((2, 5)), verbose=0).shape == (2, 3)
    removed = kerashape.rebuild(model, remove="hidden")
    assert names(removed)[1:] == ["head"]
    assert removed.get_layer("head").get_weights()[0].shape == (5, 3)
    np.testing.assert_array_equal(removed.get_layer("head").get_weights()[1], head[1])  # bias kept
    assert removed.predict(np.zeros((2, 5)), verbose=0).shape == (2, 3)
    wider = kerashape.rebuild(model, input_shape=(7,), remove="hidden")
    assert tuple(wider.inputs[0].shape) == (None, 7)


def test_an_edit_keeps_the_weights_of_reused_trained_layers_in_an_unbuilt_tf_keras_model(tf_keras):
    """Keras 2 leaves no InputLayer in an unbuilt Sequential: the first layer's build shape is used."""
    import kerashape

    layers = tf_keras.layers
    base = tf_keras.Sequential([layers.GRU(8), layers.Dense(1)])
    base.compile(optimizer="adam", loss="mse")
    with _quiet():
        base.fit(np.random.rand(8, 10, 4), np.random.rand(8, 1), epochs=1, verbose=0)
    trained = base.layers[0].get_weights()
    model = tf_keras.Sequential([base.layers[0], layers.GRU(4), layers.Dense(1)])
    new = kerashape.rebuild(model, edit={base.layers[0].name: {"return_sequences": True}})
    assert new.layers[0].return_sequences and tuple(new.inputs[0].shape) == (None, 10, 4)
    for a, b in zip(trained, new.layers[0].get_weights()):
        np.testing.assert_array_equal(a, b)


def test_a_layer_of_another_keras_is_inserted_as_the_models_own(tf_keras):
    """verify_internal builds inserted layers with the Keras it has; rebuild makes them the model's."""
    import kerashape

    keras3 = pytest.importorskip("keras", minversion="3")
    layers = tf_keras.layers
    model = tf_keras.Sequential(
        [tf_keras.Input((4,)), layers.Dense(5, name="code"), layers.Flatten(), layers.Dense(3)]
    )
    new = kerashape.rebuild(model, insert_after={"code": keras3.layers.RepeatVector(6)})
    inserted = new.layers[1]
    assert flavour.package_of(inserted) == "tf_keras" and type(inserted).__name__ == "RepeatVector"
    assert inserted.n == 6
    assert new.predict(np.zeros((2, 4)), verbose=0).shape == (2, 3)


# --------------------------------------------------------------------------- in a Keras 2 session


def test_a_keras2_session_diagnoses_and_fixes_without_importing_keras3(tf_keras):
    """Facts, the fix search, verification and apply on a tf.keras model, in a fresh process where
    Keras 3 is never imported: the fix code imports nothing over the user's ``keras``."""
    script = textwrap.dedent(
        """
        import os, sys, io, contextlib
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
        from IPython.core.interactiveshell import InteractiveShell
        import kerashape_magic.facts
        kerashape_magic.facts.DEADLINE_S = 120.0  # correctness here, not speed (a loaded machine)
        shell = InteractiveShell.instance()
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            shell.run_cell("%load_ext kerashape")
            assert shell.run_cell('''
        import numpy as np
        from tensorflow import keras
        X = np.random.rand(20, 8, 1)
        y = np.eye(4)[np.random.randint(0, 4, 20)]
        layers = keras.layers
        model = keras.Sequential([keras.Input((8, 3)), layers.LSTM(4), layers.Dense(4, activation="softmax")])
        model.compile(optimizer="adam", loss="categorical_crossentropy")
        ''').success
            user_keras = shell.user_ns["keras"]
            shell.run_cell("model.fit(X, y, epochs=1, verbose=0)")
        import kerashape
        d = kerashape.last()
        assert d is not None, out.getvalue()[-3000:]
        verified = [f for f in d.fixes if f.verified]
        assert verified, [(f.kind, f.verification) for f in d.fixes]
        for f in d.fixes:
            assert "import keras" not in f.code.splitlines(), f.code
        print("KIND", d.kind, verified[0].kind)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            kerashape.apply(verified[0])
        assert shell.user_ns["keras"] is user_keras
        print("KERAS3", "keras" in sys.modules)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):  # integer labels now
            shell.run_cell("labels = np.random.randint(0, 4, 20)")
            shell.run_cell("model.fit(X, labels, epochs=1, verbose=0)")
        d = kerashape.last()
        first = [f for f in d.fixes if f.kind == "to_categorical"][0]
        print("LABELS", d.kind, first.kind, first.verified, repr(first.code))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            kerashape.apply(first)
            assert shell.run_cell("model.fit(X, labels, epochs=1, verbose=0)").success
        assert shell.user_ns["keras"] is user_keras
        """
    )
    env = dict(os.environ, TF_USE_LEGACY_KERAS="1", TF_CPP_MIN_LOG_LEVEL="3")
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "KIND feature_mismatch rebuild_input" in proc.stdout
    assert "LABELS label_mismatch to_categorical" in proc.stdout
    assert "'labels = keras.utils.to_categorical(labels, num_classes=4)\\n" in proc.stdout  # the user's keras
    assert "KERAS3 False" in proc.stdout


def test_a_tf_keras_models_label_fix_is_verified(shell, tf_keras):
    shell.user_ns["tk"] = tf_keras
    cell = """
import numpy as np
X = np.random.rand(20, 5)
labels = np.random.randint(0, 4, 20)
model = tk.Sequential([tk.Input((5,)), tk.layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
    import kerashape
    import kerashape_magic.facts

    with _quiet():
        assert shell.run_cell(cell).success
        deadline, kerashape_magic.facts.DEADLINE_S = kerashape_magic.facts.DEADLINE_S, 120.0
        try:
            shell.run_cell("model.fit(X, labels, epochs=1, verbose=0)")
        finally:
            kerashape_magic.facts.DEADLINE_S = deadline
    d = kerashape.last()
    assert d is not None and d.kind == "label_mismatch"
    fix = next(f for f in d.fixes if f.kind == "to_categorical")
    assert fix.code.startswith("import kerashape\nlabels = tk.utils.to_categorical(labels, num_classes=4)")
    assert fix.verified, fix.verification


def test_keras2s_loss_node_is_the_loss(shell, tf_keras):
    """tf_keras names its loss's ops after the loss (tf_keras/src/losses.py ``Loss.__call__``):
    labels of the wrong width get the diagnosis and the fixes Keras 3's ``compile_loss/`` gets."""
    from kerashape_magic.core.messages import parse
    from kerashape_magic.core.rules.shape import in_the_loss

    text = (
        "Dimensions must be equal, but are 4 and 8 for '{{node mean_squared_error/SquaredDifference}} = "
        "SquaredDifference[T=DT_FLOAT](sequential/dense_1/BiasAdd, IteratorGetNext:1)' with input shapes: "
        "[?,4], [?,8]."
    )
    parsed = parse(text)
    assert parsed is not None and parsed.family == "dims_must_be_equal"
    assert in_the_loss(parsed)  # tf_keras 2.21's wording, measured

    # the real pipeline: a Keras 2 model, labels 8 wide against 4 outputs, its own loss object
    shell.user_ns["tk"] = tf_keras
    cell = """
import numpy as np
X = np.random.rand(16, 5)
Y = np.random.rand(16, 8)
model = tk.Sequential([tk.Input((5,)), tk.layers.Dense(4)])
model.compile(optimizer="adam", loss=tk.losses.MeanAbsoluteError())
"""
    import kerashape
    import kerashape_magic.facts

    with _quiet():
        assert shell.run_cell(cell).success
        deadline, kerashape_magic.facts.DEADLINE_S = kerashape_magic.facts.DEADLINE_S, 120.0
        try:
            assert not shell.run_cell("model.fit(X, Y, epochs=1, verbose=0)").success
        finally:
            kerashape_magic.facts.DEADLINE_S = deadline
    d = kerashape.last()
    assert d is not None and d.kind == "label_mismatch", d and (d.kind, d.summary)
    assert d.received_shape == (16, 8) and d.expected_shape == (None, 4)
    assert "mean_absolute_error" in d.summary
    # Keras 3 offers the output layer with 8 units (verified there): the same move here
    assert any(f.kind == "edit_layer" and '"units": 8' in f.code for f in d.fixes), [f.code for f in d.fixes]


def _failing_cell(shell, cell):
    """Run ``cell`` (it must fail) with a deadline for correctness, not speed; the diagnosis."""
    import kerashape
    import kerashape_magic.facts

    with _quiet() as out:
        deadline, kerashape_magic.facts.DEADLINE_S = kerashape_magic.facts.DEADLINE_S, 120.0
        try:
            assert not shell.run_cell(cell, store_history=True).success
        finally:
            kerashape_magic.facts.DEADLINE_S = deadline
    d = kerashape.last()
    assert d is not None, out.getvalue()[-3000:]
    return d


def test_a_layer_keras2_left_out_of_a_failed_add_is_added_back_by_the_fix(shell, tf_keras):
    """tf_keras calls the new layer before it appends it (tf_keras/src/engine/sequential.py): the
    model the user meant is the model plus that layer. The fix rebuilds it with the edit and the layer
    added back (``add=kerashape.rejected_layer(model)``); undo gives the old model back."""
    import kerashape

    shell.user_ns["tk"] = tf_keras
    setup = """
import numpy as np
X = np.random.rand(8, 10, 3).astype("float32")
model = tk.Sequential([tk.Input((10, 3)), tk.layers.LSTM(16, name="first")])
"""
    with _quiet():
        assert shell.run_cell(setup, store_history=True).success
    before = shell.user_ns["model"]
    d = _failing_cell(shell, 'model.add(tk.layers.LSTM(8, name="second"))')
    assert [lay.name for lay in before.layers] == ["first"]  # Keras 2 left it out
    assert d.kind == "rank_mismatch" and d.layer_name == "second", (d.kind, d.summary)
    fix = next(f for f in d.fixes if f.verified)
    assert fix.kind == "edit_layer", [(f.kind, f.verification) for f in d.fixes]
    assert "add=kerashape.rejected_layer(model)" in fix.code, fix.code
    assert kerashape.rejected_layer(before).name == "second"
    with _quiet():
        kerashape.apply(fix)
    new = shell.user_ns["model"]
    assert [lay.name for lay in new.layers] == ["first", "second"] and new.layers[0].return_sequences
    assert new.predict(np.zeros((2, 10, 3)), verbose=0).shape == (2, 8)
    assert [lay.name for lay in before.layers] == ["first"] and not before.layers[0].return_sequences
    with _quiet():
        kerashape.undo()
    assert shell.user_ns["model"] is before
    assert fix.source_edits and "return_sequences=True" in fix.source_edits[0].after


def test_a_first_add_that_declares_the_wrong_input_is_rebuilt_with_its_layer(shell, tf_keras):
    """The first ``add(LSTM(..., input_shape=(1, 6, 30)))`` fails in Keras 2 before the model holds
    anything: the declared shape is the model's input, and the fix rebuilds for (6, 30) with the LSTM."""
    import kerashape

    shell.user_ns["tk"] = tf_keras
    with _quiet():
        assert shell.run_cell("import numpy as np\nX = np.random.rand(4, 6, 30)\nm = tk.Sequential()").success
    d = _failing_cell(shell, "m.add(tk.layers.LSTM(5, input_shape=(1, 6, 30)))")
    assert d.kind == "rank_mismatch", d.summary
    fix = next(f for f in d.fixes if f.verified)
    assert fix.kind == "rebuild_input" and "input_shape=(6, 30), add=kerashape.rejected_layer(m)" in fix.code
    with _quiet():
        kerashape.apply(fix)
    new = shell.user_ns["m"]
    assert tuple(new.input_shape) == (None, 6, 30)
    assert new.predict(np.zeros((1, 6, 30)), verbose=0).shape == (1, 5)


def test_an_embeddings_own_input_is_no_declaration_in_keras2(shell, tf_keras):
    """tf_keras's Embedding gives itself ``input_shape=(None,)``: vectors fed to it are not blamed on a
    declared input; the layer after it fails inside the model and the Embedding is removed."""
    shell.user_ns["tk"] = tf_keras
    setup = """
import numpy as np
X = np.random.rand(12, 20, 6).astype("float32")
y = np.random.rand(12, 1).astype("float32")
model = tk.Sequential([tk.layers.Embedding(100, 4), tk.layers.LSTM(3), tk.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
    with _quiet():
        assert shell.run_cell(setup).success
    d = _failing_cell(shell, "model.fit(X, y, epochs=1, verbose=0)")
    assert d.kind == "rank_mismatch" and "the problem is inside the model" in d.summary, d.summary
    fix = next(f for f in d.fixes if f.verified)
    assert fix.kind == "edit_layer" and "remove=" in fix.code, [(f.kind, f.code) for f in d.fixes]


def test_rejected_layer_says_when_no_add_failed():
    import kerashape

    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(kerashape.KerashapeError, match="no failed add"):
        kerashape.rejected_layer(model)
