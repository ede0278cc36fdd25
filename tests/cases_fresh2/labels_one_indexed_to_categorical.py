# source: https://github.com/imfing/audio-classification/issues/5
# family: one_indexed_class_ids_one_hot_has_extra_column
# Class ids run 1..10, so keras.utils.to_categorical(y) makes 11 columns (column 0 always empty) for a
# 10-way softmax: "(None, 11) vs (None, 10)". Right fix: shift the ids to 0..9 before one-hot,
# to_categorical(y - 1, num_classes=10) (equivalently drop the empty first column). Widening the model
# to 11 units would invent a class that never occurs; argmax + sparse loss keeps ids 1..10, where 10 is
# out of range.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(5)
X_train = rng.random((40, 16)).astype("float32")
y_train = rng.integers(1, 11, 40)
y_train[:10] = np.arange(1, 11)  # every class appears
Y_train = keras.utils.to_categorical(y_train)
model = keras.Sequential([
    keras.Input((16,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, Y_train, batch_size=8, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"to_categorical", "shift_labels", "slice_labels"}
FORBID = {"argmax", "sparse_loss", "reshape", "squeeze"}
AFTER = """Ya = np.asarray(Y_train)
assert Ya.shape == (40, 10), Ya.shape
assert np.array_equal(Ya.argmax(1), y_train - 1)
assert tuple(model.output_shape) == (None, 10)
"""
