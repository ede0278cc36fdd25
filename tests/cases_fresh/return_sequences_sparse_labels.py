# source: https://github.com/keras-team/keras/issues/2415
# family: return_sequences_sparse_labels
# An LSTM with return_sequences=True feeds the Dense classifier, so the output is one prediction per
# timestep, (None, 10, 4), against one class index per sample (sparse loss). Right fix:
# return_sequences=False on the LSTM (one prediction per sample); repeating or reshaping the labels
# would change the task.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(2415)
X = rng.random((30, 10, 1)).astype("float32")
y = rng.integers(0, 4, 30)
X_saved, y_saved = X.copy(), y.copy()
model = keras.Sequential([
    keras.Input((10, 1)),
    layers.LSTM(16, return_sequences=True),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X, y, batch_size=10, epochs=1, verbose=0)"
KINDS = {"rank_mismatch", "label_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "repeat", "to_categorical", "transpose", "squeeze", "window"}
AFTER = """assert tuple(model.output_shape) == (None, 4), model.output_shape
assert np.array_equal(np.asarray(y), y_saved) and np.array_equal(np.asarray(X), X_saved)
assert tuple(model.input_shape) == (None, 10, 1)
"""
