# source: https://github.com/keras-team/keras/issues/16228
# family: leftover_singleton_axis_into_dense_head
# Rows kept as (N, 1, 12) (reshaped earlier "for an LSTM") go into a never-trained Dense classifier that
# declares nothing: Dense acts on the last axis, predictions come out (N, 1, 7) against one-hot labels
# (N, 7) ("Shapes (None, 7) and (None, 1, 7) are incompatible"). Right fix: drop the size-1 axis from
# the data, X[:, 0, :] -> (N, 12) (squeeze(1) / reshape(len(X), -1)); a Flatten first also works.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(16228)
rows = rng.random((50, 12)).astype("float32")
X_train = rows.reshape(50, 1, 12)
y_train = keras.utils.to_categorical(rng.integers(0, 7, 50), 7)
y_saved = y_train.copy()
model = keras.Sequential([
    layers.Dense(32, activation="relu"),
    layers.Dense(7, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, batch_size=10, epochs=1, verbose=0)"
KINDS = {"rank_mismatch", "label_mismatch"}
FIXES = {"squeeze", "reshape", "flatten", "edit_layer"}
FORBID = {"transpose", "repeat", "to_categorical", "argmax"}
AFTER = """Xa = np.asarray(X_train)
assert np.array_equal(Xa.reshape(50, 12), rows), Xa.shape
assert np.array_equal(np.asarray(y_train), y_saved)
assert model.predict(Xa[:3], verbose=0).shape == (3, 7)
"""
