# Keras 3: one-hot labels with sparse_categorical_crossentropy -> "Argument `output` must have rank (ndim)
# `target.ndim - 1`. Received: target.shape=(None, 10), output.shape=(None, 10)". Corpus case 18 (Keras 2):
# never reshape one-hot rows; switch to categorical_crossentropy (or argmax).
SETUP = """import numpy as np
import keras

X_train = np.random.rand(64, 12).astype("float32")
y_train = keras.utils.to_categorical(np.random.randint(0, 10, size=64), num_classes=10)
model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
w0 = [w.copy() for w in model.get_weights()]
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"categorical_loss"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "to_categorical", "sparse_loss", "edit_layer"}
RERUN = False
AFTER = """assert model.loss == "categorical_crossentropy", model.loss
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w0))
model.fit(X_train, y_train, epochs=1, verbose=0)
"""
