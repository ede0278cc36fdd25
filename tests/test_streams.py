"""Issue 10, item 8: a diagnosis that verifies a rebuilt model leaves every random stream and
Keras's name counters as they were. Two real kernels' worth of work, in subprocesses: the same
notebook with and without kerashape must draw the same numbers and name the next layer alike."""

import json
import os
import subprocess
import sys

SCRIPT = r"""
import json, os, random, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
if sys.argv[1] == "with":
    assert shell.run_cell("%load_ext kerashape").success
cells = [
    "import random, numpy as np, keras\nkeras.utils.set_random_seed(1234)",
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
    "keras": [float(v) for v in ns["keras"].random.normal((3,))],
    "name": layer.name,
    "kernel": [float(v) for v in layer.kernel.numpy().ravel()],
}
print("RESULT " + json.dumps(out))
"""


def _run(mode, tmp_path):
    path = tmp_path / "streams.py"
    path.write_text(SCRIPT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
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
