# One sigmoid unit, 0/1 labels and categorical_crossentropy: Keras 3 trains without a word, with a loss
# of exactly 0 (categorical crossentropy normalises over the last axis: one unit is always 1). The check
# reports it; the fix is binary_crossentropy.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(50, 4).astype("float32")
y_train = np.random.randint(0, 2, size=(50, 1)).astype("float32")
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CELL = "history = model.fit(X_train, y_train, epochs=1, verbose=0)"
CHECK = "(model, X_train, y_train)"
KINDS = {"label_mismatch"}
FIXES = {"binary_loss"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "argmax", "to_categorical", "sparse_loss"}
RERUN = False
AFTER = """assert model.loss == "binary_crossentropy", model.loss
history = model.fit(X_train, y_train, epochs=1, verbose=0)
assert history.history["loss"][0] > 0.01, history.history
"""
