# source: https://github.com/keras-team/keras/issues/1629
# family: bidirectional_on_2d_series
# A deep bidirectional LSTM fed 2-D data: "lstm needs 3d data, but you are providing it 2d". Here a Sequential
# without a declared input, a univariate series (N, 20). Keras 3.15: "Input 0 ... of layer 'bidirectional' ...
# expected ndim=3, found ndim=2. Full shape received: (None, 20)". Each row is 20 steps of one feature: add
# the feature axis; moving the 20 values into the feature axis would be wrong.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
series = np.random.rand(40, 20).astype("float32")
series_orig = series.copy()
target = np.random.rand(40, 1).astype("float32")
model = keras.Sequential([
    layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
    layers.Bidirectional(layers.LSTM(8)),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(series, target, epochs=1, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"transpose", "edit_layer", "repeat"}
AFTER = """assert series.shape == (40, 20, 1), series.shape
assert np.array_equal(series[..., 0], series_orig)
"""
