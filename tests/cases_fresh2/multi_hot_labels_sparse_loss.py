# source: https://github.com/keras-team/keras/issues/7303
# family: multi_label_targets_with_sparse_loss
# Multi-label targets: every row of y is multi-hot (several 1s), (N, 12), the model ends in Dense(12,
# sigmoid), compiled with sparse_categorical_crossentropy. Right fix: binary_crossentropy (one
# independent yes/no per label). argmax would throw labels away; it must not be offered as verified.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(7303)
x_train = rng.random((40, 20)).astype("float32")
y_train = (rng.random((40, 12)) < 0.25).astype("float32")
y_train[np.arange(40), rng.integers(0, 12, 40)] = 1.0  # at least one label per row
y_saved = y_train.copy()
model = keras.Sequential([
    keras.Input((20,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(12, activation="sigmoid"),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
"""
CELL = "model.fit(x_train, y_train, epochs=1, batch_size=8, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"binary_loss"}
FORBID = {"argmax", "reshape", "edit_layer", "squeeze", "rebuild_input"}
AFTER = """assert np.array_equal(np.asarray(y_train), y_saved)
assert "binary" in str(getattr(model.loss, "name", model.loss)), model.loss
assert tuple(model.output_shape) == (None, 12)
"""
