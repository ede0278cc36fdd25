# source: https://github.com/molson194/LSTM-Stock-Prediction/issues/1
# family: lstm_extra_inner_axis
# Stock windows built as (N, 1, 60, 2) - one stray size-1 axis after the batch axis - into an LSTM declared
# for (60, 2) ("expected ndim=3, found ndim=4. Full shape received: [None, 1, 60, 2]").
# Right fix: drop that size-1 axis, (N, 60, 2); values untouched.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(1)
x_train = rng.random((20, 1, 60, 2)).astype("float32")
y_train = rng.random((20, 1)).astype("float32")
x_saved = x_train.copy()
model = keras.Sequential([
    keras.Input((60, 2)),
    layers.LSTM(16, return_sequences=True),
    layers.LSTM(8),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mean_squared_error")
"""
CELL = "model.fit(x_train, y_train, batch_size=5, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"squeeze", "reshape"}
FORBID = {"transpose", "rebuild_input", "window", "edit_layer"}
AFTER = """xa = np.asarray(x_train)
assert xa.shape == (20, 60, 2), xa.shape
assert np.array_equal(xa, x_saved[:, 0])
assert tuple(model.input_shape) == (None, 60, 2)
"""
