# source: https://github.com/legolas123/cv-tricks.com/issues/12
# family: conv2d_flat_vectors
# Each CSV row is one grayscale image flattened row-major (here 6x8 = 48 pixels); the CNN is declared for
# (6, 8, 1). Right fix: unflatten every row to (6, 8, 1) in row-major order (height, then width).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(12)
X_train = rng.random((30, 48)).astype("float32")
y_train = rng.integers(0, 3, 30)
X_saved = X_train.copy()
model = keras.Sequential([
    keras.Input((6, 8, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, batch_size=10, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape", "edit_layer"}
FORBID = {"transpose", "expand_dims", "resize", "repeat", "window"}
AFTER = """Xa = np.asarray(X_train)
if Xa.ndim == 4:
    assert Xa.shape == (30, 6, 8, 1), Xa.shape
    assert np.array_equal(Xa.reshape(30, 48), X_saved)
    assert Xa[0, 1, 0, 0] == X_saved[0, 8]  # second image row starts at pixel 8
else:
    assert np.array_equal(Xa, X_saved) and tuple(model.input_shape) == (None, 48), model.input_shape
assert tuple(model.output_shape) == (None, 3)
"""
