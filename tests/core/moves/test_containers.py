"""Every data move exists for every container the facts name: its code runs on a real NumPy
array, pandas DataFrame, tf.Tensor, list and tf.data.Dataset and gives the promised shape.

The fix code is executed exactly as Apply executes it (real objects, TensorFlow required).
"""

import math

import numpy as np
import pytest

from kerashape_magic.core.diagnose import diagnose
from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact

# (move, expected input, received data shape, layer)
SITUATIONS = [
    ("add_axis", (None, 24, 1), (6, 24), "LSTM"),
    ("drop_axis", (None, 24, 3), (6, 1, 24, 3), "LSTM"),
    ("move_axes", (None, 4, 5, 3), (6, 3, 4, 5), "Conv2D"),
    ("flatten", (None, 12), (6, 3, 4), "Dense"),
    ("unflatten", (None, 4, 3), (6, 12), "LSTM"),
    ("unflatten_feature_major", (None, 4, 3), (6, 12), "LSTM"),
    ("group_rows", (None, 4, 3), (24, 3), "LSTM"),
    ("repeat_channel", (None, 4, 5, 3), (6, 4, 5, 1), "Conv2D"),
    ("resize_images", (None, 4, 4, 1), (6, 8, 8, 1), "Conv2D"),
    ("fit_timesteps", (None, 8, 3), (6, 4, 3), "LSTM"),
]
CONTAINERS = ["ndarray", "DataFrame", "Tensor", "list", "Dataset"]
#: Moves that do not exist for a container, and why (the panel says the same).
NOT_FOR = {
    ("fit_timesteps", "Dataset"): "a dataset is padded as it is batched: padded_batch",
}


def make(container, shape, tf):
    values = np.arange(math.prod(shape), dtype="float32").reshape(shape)
    if container == "ndarray":
        return values
    if container == "DataFrame":
        import pandas as pd

        return pd.DataFrame(values)
    if container == "Tensor":
        return tf.constant(values)
    if container == "list":
        return [row for row in values]
    return tf.data.Dataset.from_tensor_slices(values).batch(3)


def facts(expected, received, layer, container):
    m = ModelFact(
        "model",
        "Sequential",
        (expected,),
        declared=True,
        built=True,
        layers=(LayerFact("first", layer, expected),),
    )
    shape = (None,) + received[1:] if container == "Dataset" else received
    x = DataFact("X", "X", "x", container, shape, "float32", components=1 if container == "Dataset" else 0)
    return Facts(model=m, data=(x,), aliases=(("numpy", "np"), ("tensorflow", "tf"), ("keras", "keras")))


#: every (situation, container) pair; a DataFrame is two-dimensional, so it meets only the
#: situations whose data has two axes
PAIRS = [(s, c) for s in SITUATIONS for c in CONTAINERS if not (c == "DataFrame" and len(s[2]) != 2)]


@pytest.mark.parametrize("situation,container", PAIRS, ids=["%s-%s" % (s[0], c) for s, c in PAIRS])
def test_move_code_runs_on_the_container(situation, container, tf):
    import keras

    move, expected, received, layer = situation
    f = facts(expected, received, layer, container)
    if container == "Dataset" and move == "group_rows":
        return  # rows of a batched dataset are not samples: the rule never sees stacked rows there
    d = diagnose(None, f, mode="check")
    fixes = [x for x in (d.fixes if d else ()) if x.move == move]
    if (move, container) in NOT_FOR:
        assert not fixes, NOT_FOR[(move, container)]
        return
    assert fixes, (move, container, [x.move for x in (d.fixes if d else ())])
    fix = fixes[0]
    ns = {"X": make(container, received, tf), "np": np, "tf": tf, "keras": keras}
    exec(compile(fix.code, "<fix>", "exec"), ns)
    out = ns["X"]
    if container == "Dataset":
        out = next(iter(out))
    got = tuple(np.asarray(out).shape)
    assert all(e is None or g == e for g, e in zip(got[1:], expected[1:])) and len(got) == len(expected), (
        got,
        fix.code,
    )
    if container != "Dataset" and fix.resulting_shape is not None:
        assert got == tuple(fix.resulting_shape), fix.code
