# Issue #3: a Dense after a Conv2D without Flatten. Keras 3.15 builds it without complaint (Dense works on
# the last axis, keras/src/layers/core/dense.py) and the loss fails instead: "Arguments `target` and `output`
# must have the same rank (ndim). Received: target.shape=(None, 10), output.shape=(None, 13, 13, 10)".
# The images fit the model's input: the fix is a Flatten inside the model, not a change to the data or labels.
SETUP = """import numpy as np
import keras
from keras import layers

x_train = np.random.rand(32, 28, 28, 1).astype("float32")
y_train = keras.utils.to_categorical(np.arange(32) % 10, 10)
model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(x_train, y_train, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "argmax", "to_categorical"}
AFTER = """assert [type(l).__name__ for l in model.layers] == ["Conv2D", "MaxPooling2D", "Flatten", "Dense"]
assert tuple(model.outputs[0].shape) == (None, 10)
assert y_train.shape == (32, 10) and x_train.shape == (32, 28, 28, 1)
"""
