# source: https://github.com/flyyufelix/cnn_finetune/issues/25
# family: channels_first_into_trained
# Square images stored channels-first (N, 3, 16, 16) into a trained channels-last model (16, 16, 3).
# Right fix: move the channel axis to the end, np.moveaxis(X, 1, -1) / transpose (0, 2, 3, 1); height and
# width keep their order (a (0, 3, 2, 1) permutation would rotate every picture). The weights are kept.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(25)
inp = keras.Input((16, 16, 3))
h = layers.Conv2D(8, 3, activation="relu")(inp)
h = layers.GlobalAveragePooling2D()(h)
out = layers.Dense(2, activation="softmax")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
# stands in for fine-tuned weights:
model.fit(rng.random((16, 16, 16, 3)), rng.integers(0, 2, 16), epochs=1, verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
X_new = rng.random((6, 3, 16, 16)).astype("float32")
y_new = rng.integers(0, 2, 6)
X_saved = X_new.copy()
"""
CELL = "model.fit(X_new, y_new, epochs=1, verbose=0)"
KINDS = {"axis_order"}
FIXES = {"transpose"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "resize", "repeat"}
RERUN = False
AFTER = """Xa = np.asarray(X_new)
assert Xa.shape == (6, 16, 16, 3), Xa.shape
assert np.array_equal(Xa, np.moveaxis(X_saved, 1, -1))  # not rotated
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
model.fit(X_new, y_new, epochs=1, verbose=0)
"""
