# Issue #3: input_shape that includes the sample axis, Dense(10, input_shape=X.shape). Keras 3.15 builds the
# model for (None, 50, 7) and fit fails: "Invalid input shape for input ... Expected shape (None, 50, 7),
# but input has incompatible shape (None, 7)". input_shape excludes the batch axis: X.shape[1:].
SETUP = """import numpy as np
import keras
from keras.layers import Dense

X = np.random.rand(50, 7)
y = np.random.rand(50, 1)
model = keras.Sequential([Dense(10, activation="relu", input_shape=X.shape), Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
AFTER = "assert tuple(model.inputs[0].shape) == (None, 7) and X.shape == (50, 7)"
