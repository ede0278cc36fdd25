"""Issue 10, item 6: a NumPy error with no Keras in it is not kerashape's (decided by frames and objects).

A real shell with Keras imported and a model in the namespace: a broadcast error in plain
arithmetic gets no panel and reaches IPython untouched; data preparation (``reshape``,
``np.array``) and anything that runs through Keras are still explained.
"""

import contextlib
import io
import re

import pytest

from kerashape_magic import _state, facts

SETUP = """
import numpy as np
import keras
from keras.layers import Dense, Input
model = keras.Sequential([Input((3,)), Dense(1)])
"""


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    return result, re.sub(r"(In|Cell In)\s*\[\d+\]", r"\1[N]", out.getvalue())


@pytest.mark.parametrize(
    "cell",
    [
        "np.ones((4, 3)) + np.ones(5)",
        "np.add(np.ones((4, 3)), np.ones(5))",
        "def prepare(a):\n    return a * np.ones(5)\nprepare(np.ones((4, 3)))",
    ],
)
def test_a_plain_numpy_broadcast_error_is_passed_on_untouched(shell, tf, cell):
    assert run(shell, SETUP)[0].success
    _state.last_diagnosis = None
    result, hooked = run(shell, cell)
    assert "operands could not be broadcast together" in hooked
    assert _state.last_diagnosis is None
    shell.run_line_magic("kerashape", "off")
    try:
        _, plain = run(shell, cell)
    finally:
        shell.run_line_magic("kerashape", "on")
    assert hooked == plain


@pytest.mark.parametrize(
    "cell",
    [
        "model.predict(np.ones((4, 5)), verbose=0)",  # Keras frames
        "X = np.reshape(np.ones((1000, 30)), (1000, 5, 30))",  # data preparation
        "X = np.array([np.ones((5, 3)), np.ones((7, 3))])",
    ],
)
def test_keras_calls_and_data_preparation_are_still_explained(shell, tf, cell):
    assert run(shell, SETUP)[0].success
    _state.last_diagnosis = None
    result, _ = run(shell, cell)
    assert not result.success
    assert _state.last_diagnosis is not None


def test_involves_keras_reads_frames_and_the_failing_calls_objects(tf):
    import numpy as np

    ns = {"np": np}
    exec(compile("def f():\n    return np.ones((4, 3)) + np.ones(5)\n", "<cell-f>", "exec"), ns)
    try:
        ns["f"]()
    except ValueError as e:
        assert not facts.involves_keras(e.__traceback__, ns)


def test_iterating_a_tf_data_pipeline_that_cannot_batch_is_explained(shell, tf):
    cell = """
import numpy as np
import tensorflow as tf
ds = tf.data.Dataset.from_generator(lambda: (np.ones((n, 3)) for n in (5, 7)),
                                    output_signature=tf.TensorSpec((None, 3), tf.float64))
for batch in ds.batch(2):
    pass
"""
    _state.last_diagnosis = None
    result, out = run(shell, cell)
    assert not result.success and "Cannot batch tensors" in out
    assert _state.last_diagnosis is not None
