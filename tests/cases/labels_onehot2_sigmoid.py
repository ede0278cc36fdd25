# One-hot pairs (N, 2) for one sigmoid unit with binary_crossentropy: Keras 3 raises "Arguments `target`
# and `output` must have the same shape. Received: target.shape=(None, 2), output.shape=(None, 1)".
# argmax turns each pair into the 0/1 label the sigmoid predicts.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(40, 6).astype("float32")
classes = np.random.randint(0, 2, size=40)
y_train = keras.utils.to_categorical(classes, 2)
model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"argmax"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "to_categorical"}
AFTER = """assert y_train.shape == (40,), y_train.shape
assert np.array_equal(y_train, classes)
"""
