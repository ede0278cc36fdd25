"""Issue 10, item 7: verification reads a re-readable dataset at most once per diagnosis (however
many fixes it tries) and never reads one that runs the user's Python (a generator function, a
one-shot iterator, a py_function). Real tf.data pipelines, real shell."""

import contextlib
import io


def _run(shell, code):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return shell.run_cell(code)


MODEL = """model = keras.Sequential([keras.Input((20, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""


def test_a_rereadable_dataset_is_read_once_for_all_fixes(shell, tf):
    import kerashape

    assert _run(
        shell,
        "import numpy as np, tensorflow as tf, keras\n"
        "reads = tf.Variable(0)\n"
        "def count(x, y):\n"
        "    reads.assign_add(1)\n"
        "    return x, y\n"
        "ds = tf.data.Dataset.from_tensor_slices((np.random.rand(64, 60), np.random.rand(64, 1))).map(count)"
        ".batch(16)\n" + MODEL,
    ).success
    start = int(shell.user_ns["reads"].numpy())
    d = kerashape.check(shell.user_ns["model"], shell.user_ns["ds"])
    read = int(shell.user_ns["reads"].numpy()) - start
    tried = [f for f in d.fixes if not f.verification.startswith("not verified")]
    assert len(tried) >= 2 and d.verified_fixes  # the reshape and its feature-major variant
    # one read of the first two batches (16 elements each; tf.data may map one element ahead)
    # for all the fixes tried, where one read per fix would be 2 x 32
    assert 0 < read < 3 * 16, read


def test_a_generator_dataset_is_never_read(shell, tf):
    import kerashape

    assert _run(
        shell,
        "import numpy as np, tensorflow as tf, keras\n"
        "calls = []\n"
        "def gen():\n"
        "    for i in range(40):\n"
        "        calls.append(i)\n"
        "        yield np.random.rand(60).astype('float32'), np.ones(1, 'float32')\n"
        "stream = tf.data.Dataset.from_generator(gen, output_signature=(tf.TensorSpec((60,), tf.float32),"
        " tf.TensorSpec((1,), tf.float32))).batch(8)\n" + MODEL,
    ).success
    assert not _run(shell, "model.fit(stream, epochs=1, verbose=0)").success
    n = len(shell.user_ns["calls"])
    d = kerashape.last()
    assert d.fixes and all(not f.verified for f in d.fixes)
    assert any("would consume your data" in f.verification for f in d.fixes)
    assert len(shell.user_ns["calls"]) == n  # nothing ran the generator after the failed fit
