"""Issue 10, item 8: a diagnosis that verifies a rebuilt model leaves every random stream and
Keras's name counters as they were. Two real kernels' worth of work, in subprocesses: the same
notebook with and without kerashape must draw the same numbers and name the next layer alike.
The same notebook runs in a Keras 2 session (tf-keras leg): tf_keras keeps its own name counters
and initializer seeds (kerashape_magic/streams.py)."""

import json
import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import json, os, random, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
if sys.argv[1] == "with":
    assert shell.run_cell("%load_ext kerashape").success
    import kerashape_magic.facts
    kerashape_magic.facts.DEADLINE_S = 120.0  # the verification must run, however loaded the machine
cells = [
    "import random, numpy as np, tensorflow as tf\n" + KERAS_IMPORT + "\nkeras.utils.set_random_seed(1234)",
    "X = np.random.rand(20, 24, 1)\ny = np.random.rand(20, 1)\n"
    "model = keras.Sequential([keras.Input((24, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss='mse')",
    "model.fit(X, y, epochs=1, verbose=0)",  # fails: 1 feature, not 3 (a rebuild is verified)
]
for c in cells:
    shell.run_cell(c)
if sys.argv[1] == "with":
    import kerashape
    d = kerashape.last()
    assert d is not None and any(f.kind == "rebuild_input" and f.verified for f in d.fixes), d
ns = shell.user_ns
layer = ns["keras"].layers.Dense(2)
layer.build((None, 3))
out = {
    "python": ns["random"].random(),
    "numpy": float(ns["np"].random.rand()),
    "tf": [float(v) for v in ns["tf"].random.normal((3,))],
    "keras": [float(v) for v in ns["keras"].random.normal((3,))] if hasattr(ns["keras"], "random") else None,
    "name": layer.name,
    "kernel": [float(v) for v in layer.kernel.numpy().ravel()],
}
print("RESULT " + json.dumps(out))
"""


def _run(mode, tmp_path, keras_import="import keras", **env_extra):
    path = tmp_path / "streams.py"
    path.write_text("KERAS_IMPORT = %r\n" % keras_import + SCRIPT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", **env_extra)
    proc = subprocess.run(
        [sys.executable, str(path), mode], capture_output=True, text=True, env=env, timeout=600
    )
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert line, proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(line[0][len("RESULT ") :])


def test_a_diagnosis_leaves_random_streams_and_name_counters_alone(tf, tmp_path):
    without = _run("without", tmp_path)
    with_kerashape = _run("with", tmp_path)
    assert with_kerashape == without
    assert with_kerashape["name"] == "dense_1"


@pytest.mark.all_backends
def test_a_keras2_diagnosis_leaves_its_name_counters_and_seeds_alone(tmp_path):
    """tf_keras keeps per-graph name counters and the seed generator its set_random_seed installs
    (tf_keras/src/backend.py): a verified rebuild must leave them as they were."""
    try:
        import tf_keras  # noqa: F401
    except ImportError:
        if os.environ.get("TF_USE_LEGACY_KERAS") == "1":
            pytest.fail("TF_USE_LEGACY_KERAS=1 but tf_keras cannot be imported", pytrace=False)
        pytest.skip('tf_keras is not installed: pip install -e ".[tf-keras]"')
    keras2 = dict(keras_import="from tensorflow import keras", TF_USE_LEGACY_KERAS="1")
    without = _run("without", tmp_path, **keras2)
    with_kerashape = _run("with", tmp_path, **keras2)
    differ = {k: (v, without[k]) for k, v in with_kerashape.items() if v != without[k]}
    assert not differ, differ
    assert with_kerashape["name"] == "dense_1"
