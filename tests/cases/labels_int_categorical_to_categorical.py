# Class indices with a categorical loss that has no sparse twin (categorical_focal_crossentropy):
# one-hot encode them, with num_classes from the output layer (10) although this split only has
# classes 0..7 (to_categorical without num_classes would give 8 columns: keras/src/utils/numerical_utils.py).
SETUP = """import numpy as np
import keras

X_train = np.random.rand(100, 8).astype("float32")
y_train = np.arange(100) % 8
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_focal_crossentropy")
y0 = y_train
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"to_categorical"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "argmax", "sparse_loss", "edit_layer"}
AFTER = """assert y_train.shape == (100, 10), y_train.shape
assert np.array_equal(y_train.argmax(axis=1), y0)
"""
