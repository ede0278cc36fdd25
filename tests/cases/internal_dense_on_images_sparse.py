# Issue #3: MNIST-style Dense layers given 28x28 images directly (no Flatten first), sparse labels.
# Keras 3.15: "Argument `output` must have rank (ndim) `target.ndim - 1`. Received: target.shape=(None,),
# output.shape=(None, 28, 10)". The Flatten goes before the first Dense.
SETUP = """import numpy as np
import keras
from keras import layers

images = np.random.rand(40, 28, 28).astype("float32")
labels = np.arange(40) % 10
model = keras.Sequential([
    keras.Input((28, 28)),
    layers.Dense(64, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(images, labels, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "to_categorical"}
AFTER = """assert type(model.layers[0]).__name__ == "Flatten"
assert tuple(model.outputs[0].shape) == (None, 10)
"""
