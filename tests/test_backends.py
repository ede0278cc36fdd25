"""Keras 3 on JAX and on PyTorch (issue 13): errors claimed, messages read, fixes in the user's type.

Marked ``all_backends``: the CI legs run these in each flavour's environment (``KERAS_BACKEND=jax``,
``KERAS_BACKEND=torch`` without TensorFlow, tf-keras) and the main environment runs them on
TensorFlow. A test about one backend's own behaviour says so and is skipped on the others; where
the environment names a backend (``KERAS_BACKEND``), Keras must really run on it, or the session
fails (no silent skips on the leg that is meant to run them).

The messages below were measured here (Keras 3.15.1, jax 0.10.2, torch 2.13.0 CPU) from the seed
scenarios' own failing calls.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from kerashape_magic import backend as kb
from kerashape_magic.core.messages import parse, parse_shape
from kerashape_magic.pipeline import claims, shape_exception

pytestmark = pytest.mark.all_backends


@pytest.fixture(scope="module")
def keras_backend():
    """The backend Keras 3 runs on here; fails when ``KERAS_BACKEND`` names another one."""
    keras = pytest.importorskip("keras")
    name = keras.config.backend()
    wanted = os.environ.get("KERAS_BACKEND")
    if wanted and wanted != name:
        pytest.fail("KERAS_BACKEND=%s but Keras runs on %s" % (wanted, name), pytrace=False)
    return name


def _only(backend: str, wanted: str) -> None:
    if backend != wanted:
        pytest.skip("about Keras 3 on %s; Keras runs on %s here" % (wanted, backend))


@contextlib.contextmanager
def _quiet():
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        yield out


def _run(shell, cell: str):
    with _quiet():
        return shell.run_cell(cell, store_history=True)


# --------------------------------------------------------------------------- messages (no framework)

_WRAP = (
    "Unable to automatically build the model. Please build it yourself before calling "
    "fit/evaluate/predict. A model is 'built' when its variables have been created and its "
    "`self.built` attribute is True. Usually, calling the model on a batch of data is the right way "
    "to build it.\nException encountered:\n'Exception encountered when calling %s.call().\n\n"
    "\x1b[1m%s\x1b[0m\n\nArguments received by %s.call():\n  • training=False'"
)


@pytest.mark.parametrize(
    "inner, layer, dims, op",
    [
        ("mat1 and mat2 shapes cannot be multiplied (768x1 and 3x200)", "LSTM", (1, 3), "MatMul"),
        ("mat1 and mat2 shapes cannot be multiplied (46080x7 and 6x32)", "LSTM", (7, 6), "MatMul"),
        (
            "Expected size for first two dimensions of batch2 tensor to be: [24, 1] but got: [24, 3].",
            "LSTM",
            (1, 3),
            "BatchMatMul",
        ),
        (
            "dot_general requires contracting dimensions to have the same shape, got (1,) and (3,).",
            "LSTMCell",
            (1, 3),
            "dot_general",
        ),
    ],
)
def test_jax_and_torch_matmul_messages_name_the_data_and_the_weights(inner, layer, dims, op):
    for text in (inner, _WRAP % (layer, inner, layer)):  # alone and inside Keras's RuntimeError
        p = parse(text)
        assert p is not None, text
        assert (p.family, p.dims, p.op) == ("dims_must_be_equal", dims, op)
    assert parse(_WRAP % (layer, inner, layer)).wrapper == layer


def test_a_torch_size_is_a_shape_and_tensor_values_are_cut():
    assert parse_shape("torch.Size([32, 60])") == (32, 60)
    assert parse_shape("torch.Size([])") == ()
    text = (
        "Invalid input shape for input tensor([[1., 1., 1.,  ..., 1., 1., 1.],\n"
        "        [1., 1., 1.,  ..., 1., 1., 1.]]) with name 'keras_tensor_24' and path ''. "
        "Expected shape (None, 20, 3), but input has incompatible shape torch.Size([32, 60])"
    )
    p = parse(text)
    assert (p.family, p.expected_shape, p.received_shape) == ("functional_shape", (None, 20, 3), (32, 60))
    assert "1., 1." not in p.text


def test_torch_class_index_past_the_units_is_a_label_range_error():
    p = parse("Target 11 is out of bounds.")  # aten/src/ATen/native/LossNLL.cpp, an IndexError
    assert (p.family, p.label_value, p.loss) == ("label_range", 11, "sparse_categorical_crossentropy")
    assert claims(IndexError("Target 11 is out of bounds."))


def test_a_runtime_error_wrapper_is_claimed_through_its_cause():
    inner = TypeError(
        "dot_general requires contracting dimensions to have the same shape, got (1,) and (3,)."
    )
    outer = RuntimeError("Unable to automatically build the model. Exception encountered: ...")
    outer.__cause__ = inner  # as keras/src/trainers/trainer.py _symbolic_build raises it
    found, parsed = shape_exception(outer)
    assert found is inner and parsed.dims == (1, 3)
    assert claims(outer)


# --------------------------------------------------------------------------- the backend helpers


def test_to_numpy_reads_a_tensor_that_requires_grad(keras_backend):
    _only(keras_backend, "torch")
    import torch

    value = (torch.ones(2, 3, requires_grad=True) * 2).sum()
    with pytest.raises(RuntimeError, match="requires grad"):
        np.asarray(value)  # what verification did before
    assert float(kb.to_numpy(value)) == 12.0
    assert value.requires_grad  # the tensor itself is left as it was


def test_on_slices_takes_no_gradient_and_puts_the_threads_back(keras_backend):
    _only(keras_backend, "torch")
    import torch

    threads = torch.get_num_threads()
    with kb.on_slices():
        assert not torch.is_grad_enabled()
        assert torch.get_num_threads() == 1
        y = torch.ones(2, requires_grad=True) * 3
    assert not y.requires_grad
    assert torch.is_grad_enabled() and torch.get_num_threads() == threads


# --------------------------------------------------------------------------- the seeds' errors, live

FEATURES = """
import numpy as np
import keras
X_train = np.random.rand(100, 24, 1)
y_train = np.random.rand(100, 1)
model = keras.Sequential([keras.layers.LSTM(8, input_shape=(24, 3)), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def test_a_feature_count_error_is_explained_and_fixed_on_this_backend(shell, keras_backend):
    import kerashape

    assert _run(shell, FEATURES).success
    result = _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    error = result.error_in_exec
    assert error is not None
    if keras_backend in ("jax", "torch"):  # Keras wraps the backend's matmul error
        assert type(error) is RuntimeError and "Unable to automatically build the model" in str(error)
        assert shape_exception(error)[1].dims == (1, 3)
    d = kerashape.last()
    assert d is not None and d.kind == "feature_mismatch"
    assert d.received_shape == (100, 24, 1) and d.expected_shape[-1] == 3
    verified = [f for f in d.fixes if f.verified]
    assert verified and verified[0].kind == "rebuild_input", [(f.kind, f.verification) for f in d.fixes]
    assert "loss computed" in verified[0].verification
    with _quiet():
        kerashape.apply(verified[0])
    assert _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)").success
    with _quiet():
        kerashape.undo()


def test_torch_labels_past_the_output_units_get_a_wider_output(shell, keras_backend):
    _only(keras_backend, "torch")
    import kerashape

    cell = (
        "import numpy as np\nimport keras\nX_train = np.random.rand(96, 8).astype('float32')\n"
        "y_train = np.arange(96) % 12\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
    )
    assert _run(shell, cell).success
    result = _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)")
    assert type(result.error_in_exec) is IndexError
    d = kerashape.last()
    assert d is not None and d.kind == "label_mismatch"
    first = next(f for f in d.fixes if f.verified)
    assert first.kind == "edit_layer" and '"units": 12' in first.code, first.code


def test_a_loss_fix_whose_backward_fails_on_torch_is_ruled_out(shell, keras_backend):
    """Keras 3.15's sparse_categorical_crossentropy over a per-pixel softmax computes on torch 2.13 and
    then fails in fit's backward pass ("grad_input must be contiguous"): verification runs that
    backward too (backend.loss_backward), so the sparse loss is ruled out there and the one-hot
    labels, which train, come first. On the other backends the sparse loss is verified."""
    import kerashape

    cell = (
        "import numpy as np\nimport keras\nfrom keras import layers\n"
        "images = np.random.rand(8, 6, 6, 3).astype('float32')\n"
        "masks = np.random.randint(0, 4, (8, 6, 6, 1))\n"
        "inp = keras.Input((6, 6, 3))\n"
        "out = layers.Conv2D(4, 1, activation='softmax')(layers.Conv2D(4, 3, padding='same')(inp))\n"
        "model = keras.Model(inp, out)\nmodel.compile(optimizer='adam', loss='categorical_crossentropy')\n"
    )
    assert _run(shell, cell).success
    assert not _run(shell, "model.fit(images, masks, batch_size=4, epochs=1, verbose=0)").success
    d = kerashape.last()
    assert d is not None and d.kind == "label_mismatch", d and d.summary
    verified = [f.kind for f in d.fixes if f.verified]
    if keras_backend == "torch":
        assert "sparse_loss" not in verified and verified[0] == "to_categorical", verified
        assert any("grad_input must be contiguous" in why for _, why in d.ruled_out), d.ruled_out
    else:
        assert "sparse_loss" in verified, [(f.kind, f.verification) for f in d.fixes]
    first = next(f for f in d.fixes if f.verified)
    with _quiet():
        kerashape.apply(first)
    assert _run(shell, "model.fit(images, masks, batch_size=4, epochs=1, verbose=0)").success


TORCH_FLAT = """
import torch
import keras
X_train = torch.rand(100, 60)
y_train = torch.rand(100, 1)
model = keras.Sequential([keras.Input((20, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def test_a_torch_tensor_gets_torch_code_verified_and_applied(shell, keras_backend):
    _only(keras_backend, "torch")
    import torch

    import kerashape

    assert _run(shell, TORCH_FLAT).success
    original = shell.user_ns["X_train"]
    assert not _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)").success
    d = kerashape.last()
    assert d is not None and d.kind == "flattened_input"
    fix = d.fixes[0]
    assert (fix.kind, fix.verified) == ("reshape", True), [(f.kind, f.verification) for f in d.fixes]
    assert fix.code == "X_train = X_train.reshape(-1, 20, 3)\n"
    other = next(f for f in d.fixes if f.kind == "transpose")  # feature-major: torch's permute
    assert other.code == "X_train = X_train.reshape(-1, 3, 20).permute(0, 2, 1)\n" and other.verified
    with _quiet():
        kerashape.apply(fix)
    fixed = shell.user_ns["X_train"]
    assert isinstance(fixed, torch.Tensor) and tuple(fixed.shape) == (100, 20, 3)
    assert torch.equal(fixed[1, 0], original[1, :3])  # time-major: sample 1's first timestep
    assert _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)").success
    with _quiet():
        kerashape.undo()
    assert shell.user_ns["X_train"] is original


def test_a_torch_image_batch_gets_unsqueeze(shell, keras_backend):
    _only(keras_backend, "torch")
    import kerashape

    cell = (
        "import torch\nimport keras\nX = torch.rand(16, 28, 28)\n"
        "model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3), "
        "keras.layers.Flatten(), keras.layers.Dense(1)])\n"
    )
    assert _run(shell, cell).success
    with _quiet():
        d = kerashape.check(shell.user_ns["model"], shell.user_ns["X"])
    assert d is not None and d.kind == "missing_axis"
    fix = next(f for f in d.fixes if f.kind == "expand_dims")
    assert fix.code == "X = X.unsqueeze(dim=-1)\n" and fix.verified, fix.verification


JAX_FLAT = """
import jax
import jax.numpy as jnp
import keras
X_train = jax.random.uniform(jax.random.PRNGKey(0), (100, 60))
y_train = jax.random.uniform(jax.random.PRNGKey(1), (100, 1))
model = keras.Sequential([keras.Input((20, 3)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def test_a_jax_array_gets_jax_numpy_code_verified_and_applied(shell, keras_backend, monkeypatch):
    _only(keras_backend, "jax")
    import jax

    import kerashape
    from kerashape_magic import facts

    monkeypatch.setattr(facts, "DEADLINE_S", 30.0)  # JAX compiles each op on its first call
    assert _run(shell, JAX_FLAT).success
    assert not _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)").success
    d = kerashape.last()
    fix = d.fixes[0]
    assert (fix.kind, fix.verified) == ("reshape", True), [(f.kind, f.verification) for f in d.fixes]
    assert fix.code == "X_train = jnp.reshape(X_train, (-1, 20, 3))\n"  # the user's own alias
    with _quiet():
        kerashape.apply(fix)
    assert isinstance(shell.user_ns["X_train"], jax.Array)
    assert tuple(shell.user_ns["X_train"].shape) == (100, 20, 3)
    assert _run(shell, "model.fit(X_train, y_train, epochs=1, verbose=0)").success
    with _quiet():
        kerashape.undo()


RESIZE = """
import numpy as np
import keras
X = np.random.rand(16, 32, 32, 1)
y = np.random.rand(16, 1)
model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                          keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(4, 28, 28, 1), np.random.rand(4, 1), epochs=1, verbose=0)
before = [w.copy() for w in model.get_weights()]
"""


def test_a_trained_model_keeps_its_weights_and_gets_a_portable_resize(shell, keras_backend, monkeypatch):
    """On JAX, the failed fit detached the model's weights (keras/src/backend/jax/trainer.py); the
    diagnosis puts them back. Without TensorFlow in the notebook, resize is keras.ops.image.resize."""
    if keras_backend == "tensorflow":
        pytest.skip("resize is written with tf.image where Keras runs on TensorFlow")
    import kerashape
    from kerashape_magic import facts

    monkeypatch.setattr(facts, "DEADLINE_S", 30.0)
    assert _run(shell, RESIZE).success
    assert not _run(shell, "model.fit(X, y, epochs=1, verbose=0)").success
    d = kerashape.last()
    assert d is not None and d.kind == "spatial_mismatch"
    weights = shell.user_ns["model"].get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(weights, shell.user_ns["before"]))
    fix = next(f for f in d.fixes if f.kind == "resize")
    assert "X = keras.ops.convert_to_numpy(keras.ops.image.resize(X, (28, 28)))" in fix.code
    assert fix.verified, fix.verification
    with _quiet():
        kerashape.apply(fix)
    assert isinstance(shell.user_ns["X"], np.ndarray) and shell.user_ns["X"].shape == (16, 28, 28, 1)
    assert _run(shell, "model.fit(X, y, epochs=1, verbose=0)").success
    with _quiet():
        kerashape.undo()


# --------------------------------------------------------------------------- no TensorFlow

_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from IPython.core.interactiveshell import InteractiveShell
    import kerashape_magic.facts as facts
    facts.DEADLINE_S = 60.0  # a slow machine must not skip the verification this test is about
    shell = InteractiveShell.instance()
    shell.run_cell("%load_ext kerashape")
    import kerashape
    out = {"after_load": "tensorflow" in sys.modules}
    shell.run_cell(SETUP)
    shell.run_cell("model.fit(X_train, y_train, epochs=1, verbose=0)")
    d = kerashape.last()
    first = [f for f in d.fixes if f.verified][0]
    kerashape.apply(first)
    out["rerun"] = shell.run_cell("model.fit(X_train, y_train, epochs=1, verbose=0)").success
    kerashape.undo()
    shell.run_cell(RESIZE)
    shell.run_cell("model.fit(X, y, epochs=1, verbose=0)")
    r = kerashape.last()
    out["kinds"] = [d.kind, r.kind]
    out["fixes"] = [first.kind] + [f.kind for f in r.fixes if f.verified]
    out["tensorflow"] = "tensorflow" in sys.modules
    tf = sys.modules.get("tensorflow")
    out["what"] = "%r from %s" % (tf, getattr(tf, "__file__", None)) if tf is not None else ""
    print("RESULT " + json.dumps(out))
    """
)


def test_a_full_diagnosis_never_imports_tensorflow_on_jax_or_torch(keras_backend):
    """``%load_ext kerashape``, two diagnoses with verification, Apply, Undo: TensorFlow stays out of
    the process (where it is installed, Keras's own get_config() would import it)."""
    if keras_backend == "tensorflow":
        pytest.skip("Keras itself imports TensorFlow on the TensorFlow backend")
    code = "SETUP = %r\nRESIZE = %r\n" % (FEATURES, RESIZE) + _SCRIPT
    env = dict(os.environ, KERAS_BACKEND=keras_backend)
    env.pop("VIRTUAL_ENV", None)  # IPython would add that environment's packages (init_virtualenv)
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=600)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line is not None, proc.stdout[-2000:] + proc.stderr[-2000:]
    out = json.loads(line[7:])
    assert out["kinds"] == ["feature_mismatch", "spatial_mismatch"]
    assert out["fixes"][0] == "rebuild_input" and "resize" in out["fixes"][1:]
    assert out["rerun"]
    assert out == dict(out, after_load=False, tensorflow=False), (
        "TensorFlow was imported (%s; installed: %s)"
        % (
            out["what"],
            importlib.util.find_spec("tensorflow") is not None,
        )
    )
