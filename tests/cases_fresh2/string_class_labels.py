# source: https://github.com/tensorflow/tensorflow/issues/28367
# family: class_labels_as_strings
# Class labels are the species names themselves ("setosa", ...), passed as y to a sparse softmax
# classifier. Right fix: encode each name as an integer class id (one id per distinct name, e.g.
# np.unique(y, return_inverse=True)[1]), keeping the sparse loss and the model.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(28367)
X = rng.random((30, 4)).astype("float32")
y = np.array(["setosa", "versicolor", "virginica"])[rng.integers(0, 3, 30)]
y[:3] = ["setosa", "versicolor", "virginica"]
y_saved = y.copy()
model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"dtype_mismatch", "label_mismatch"}
FIXES = {"encode_labels", "label_encode"}  # not in FIX_KINDS today: the move is missing
FORBID = {"edit_layer", "rebuild_input", "reshape", "argmax"}
AFTER = """ya = np.asarray(y)
assert ya.shape == (30,) and np.issubdtype(ya.dtype, np.integer), (ya.shape, ya.dtype)
assert set(ya.tolist()) <= {0, 1, 2}
pairs = set(zip(y_saved.tolist(), ya.tolist()))
assert len(pairs) == 3 and len({a for a, _ in pairs}) == 3 and len({b for _, b in pairs}) == 3, pairs
"""
