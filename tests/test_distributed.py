"""Issue 3: a model built under tf.distribute.MirroredStrategy (two logical CPU devices).

TensorFlow's logical devices can only be configured before it initialises, so the scenario
runs in a fresh subprocess with a real IPython shell: the failing fit, the diagnosis, the
verified fix (checked in the same strategy scope), apply, the re-run, undo.
"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(r'''
    import os
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    from IPython.core.interactiveshell import InteractiveShell
    import kerashape
    shell = InteractiveShell.instance()
    shell.run_cell("%load_ext kerashape")
    assert shell.run_cell("""
    import numpy as np, tensorflow as tf, keras
    from keras.layers import LSTM, Dense, Input
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        model = keras.Sequential([Input((24, 3)), LSTM(8), Dense(1)])
        model.compile(optimizer="adam", loss="mse")
    X_train, y_train = np.random.rand(32, 24, 1), np.random.rand(32, 1)
    """).success
    original = shell.user_ns["model"]
    assert not shell.run_cell("model.fit(X_train, y_train, epochs=1, verbose=0)").success
    d = kerashape.last()
    fix = d.verified_fixes[0]
    print("KIND", d.kind, fix.kind)
    print("VERIFY", fix.verification)
    kerashape.apply(fix)
    new = shell.user_ns["model"]
    same = new.distribute_strategy is shell.user_ns["strategy"]
    print("STRATEGY", type(new.distribute_strategy).__name__, same)
    print("MIRRORED", type(new.weights[0]._value).__name__ if hasattr(new.weights[0], "_value") else "?")
    print("RERUN", shell.run_cell("model.fit(X_train, y_train, epochs=1, verbose=0)").success)
    kerashape.undo()
    print("UNDO", shell.user_ns["model"] is original)
''')


def test_mirrored_strategy_model_is_rebuilt_and_verified_in_its_scope(tf, tmp_path):
    script = tmp_path / "distributed.py"
    script.write_text(SCRIPT)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", IPYTHONDIR=str(tmp_path / "ipython"))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=600, env=env
    )
    out = result.stdout
    assert result.returncode == 0, (out + result.stderr)[-3000:]
    assert "KIND feature_mismatch rebuild_input" in out
    assert "in the model's MirroredStrategy scope" in out
    assert "STRATEGY MirroredStrategy True" in out
    assert "MIRRORED MirroredVariable" in out
    assert "RERUN True" in out
    assert "UNDO True" in out
