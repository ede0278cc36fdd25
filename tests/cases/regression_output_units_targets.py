# source: https://github.com/pb-jchin/VariantNET/issues/4
# family: regression_output_units_mismatch
# "A target array with shape (500, 8) was passed for an output of shape (None, 4) while using as loss
# `mean_squared_error`": 8 regression targets per row, an output layer with 4 units. Keras 3.15: "Dimensions
# must be equal, but are 8 and 4 for '{{node compile_loss/mean_squared_error/sub}} ...'". The model was never
# trained and the targets are the truth: the output layer needs 8 units. Cutting or reshaping the targets
# would lose them.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
X = np.random.rand(30, 12).astype("float32")
Y = np.random.rand(30, 8).astype("float32")
Y_orig = Y.copy()
model = keras.Sequential([
    keras.Input((12,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(4),
])
model.compile(optimizer="adam", loss="mean_squared_error")
"""
CELL = "model.fit(X, Y, epochs=1, verbose=0)"
KINDS = {"label_mismatch", "output_structure"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "split_labels", "argmax", "squeeze", "transpose"}
AFTER = """assert tuple(model.output_shape) == (None, 8), model.output_shape
assert np.array_equal(Y, Y_orig)
"""
