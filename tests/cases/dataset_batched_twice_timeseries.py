# source: https://github.com/keras-team/keras/issues/15645
# family: dataset_batched_twice
# timeseries_dataset_from_array always batched its output ("I can't set parameters about batch"), so users
# called .batch(...) on it again to choose their own. Keras 3.15: "Invalid input shape ... Expected shape
# (None, 6, 2), but input has incompatible shape (None, None, None, 2)" (the window length is not static in
# the spec). Unbatch the extra level; every window keeps its target.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(0)
series = np.random.rand(59, 2).astype("float32")
targets = series[6:, 0]
windows = keras.utils.timeseries_dataset_from_array(series[:-6], targets, sequence_length=6, batch_size=8)
windows = windows.batch(16)
model = keras.Sequential([keras.Input((6, 2)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(windows, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"unbatch"}
FORBID = {"reshape", "squeeze", "rebuild_input", "edit_layer", "transpose"}
AFTER = """spec = windows.element_spec[0]
assert tuple(spec.shape) in ((None, None, 2), (None, 6, 2)), windows.element_spec
xs = np.concatenate([b[0].numpy() for b in windows])
ys = np.concatenate([b[1].numpy() for b in windows])
assert xs.shape == (48, 6, 2) and np.array_equal(xs[:, 0, :], series[:48])
assert np.array_equal(ys, targets[:48])
"""
