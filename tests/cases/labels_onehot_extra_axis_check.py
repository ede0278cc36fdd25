# Corpus case 30: labels shaped (N, 1) one-hot encoded keep their axis: np.eye(3)[y] gives (N, 1, 3)
# (as Keras 2's to_categorical did). Keras 3 squeezes it silently (keras/src/losses/loss.py
# squeeze_or_expand_to_same_rank); the pre-flight check still reports it and squeezes the labels.
SETUP = """import numpy as np
import keras

X = np.random.rand(32, 3).astype("float32")
y_col = np.random.randint(0, 3, size=(32, 1))
y = np.eye(3, dtype="float32")[y_col]
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CELL = ""
CHECK = "(model, X, y)"
KINDS = {"label_mismatch"}
FIXES = {"squeeze"}
FORBID = {"reshape", "transpose", "to_categorical", "argmax", "sparse_loss"}
RERUN = False
AFTER = """assert y.shape == (32, 3), y.shape
assert np.array_equal(y.argmax(axis=1), y_col[:, 0])
model.fit(X, y, epochs=1, verbose=0)
"""
