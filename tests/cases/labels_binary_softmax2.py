# Binary labels 0/1 (one per sample) with a softmax over 2 units and binary_crossentropy: Keras 3 raises
# "Arguments `target` and `output` must have the same rank (ndim)". One index per sample against
# 2 class scores is sparse_categorical_crossentropy.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(50, 4).astype("float32")
y_train = np.random.randint(0, 2, size=50)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"sparse_loss"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "argmax"}
AFTER = """assert model.loss == "sparse_categorical_crossentropy", model.loss
assert y_train.shape == (50,)
"""
