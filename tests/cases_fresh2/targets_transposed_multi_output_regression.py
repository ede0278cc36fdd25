# source: https://taourl.com/read-2956226.html
# family: targets_stored_column_major
# Three regression targets per sample stored as one row per target, y shape (3, 100), for 100 input
# rows and a Dense(3) head (Keras 3: "Data cardinality is ambiguous"). Right fix: y.T -> (100, 3).
# A reshape to (100, 3) would run but scramble the targets across samples: it must not be verified.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(2956226)
X = rng.random((100, 5)).astype("float32")
y_rows = rng.random((100, 3)).astype("float32")
y_cols = np.ascontiguousarray(y_rows.T)  # WRONG orientation, as in the question
model = keras.Sequential([keras.Input((5,)), layers.Dense(10, activation="relu"), layers.Dense(3)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X, y_cols, epochs=1, verbose=0)"
KINDS = {"cardinality_mismatch"}
FIXES = {"transpose"}
FORBID = {"reshape", "squeeze", "edit_layer", "rebuild_input"}
AFTER = """ya = np.asarray(y_cols)
assert ya.shape == (100, 3), ya.shape
assert np.array_equal(ya, y_rows)
"""
