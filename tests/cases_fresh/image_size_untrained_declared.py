# source: https://github.com/coxlab/prednet/issues/75
# family: image_size_untrained_declared
# Frames of 16x20 into a new (never trained) model whose input was declared 20x20.
# Right fix: declare the data's size in the model (rebuild); resizing would distort every frame to fit a typo.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(75)
X_train = rng.random((10, 16, 20, 3)).astype("float32")
y_train = rng.random((10, 1)).astype("float32")
X_saved = X_train.copy()
model = keras.Sequential([
    keras.Input((20, 20, 3)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X_train, y_train, batch_size=5, epochs=1, verbose=0)"
KINDS = {"spatial_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"resize", "reshape", "transpose"}
AFTER = """assert tuple(model.input_shape) == (None, 16, 20, 3), model.input_shape
assert np.array_equal(np.asarray(X_train), X_saved)
"""
