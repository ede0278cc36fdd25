# source: https://github.com/keras-team/keras/issues/12622
# family: images_flattened_into_cnn
# "Input 0 is incompatible with layer conv2d_14: expected ndim=4, found ndim=2": a CNN given rows of flattened
# pixels. Here a trained 28x28x1 CNN predicts on MNIST-style rows (N, 784). Keras 3.15: "Invalid input shape
# ... Expected shape (None, 28, 28, 1), but input has incompatible shape (None, 784)". 784 = 28*28*1,
# row-major: reshape to (N, 28, 28, 1) keeps every pixel in place; the trained model stays.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(20, 28, 28, 1), np.arange(20) % 10, epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
x_rows = np.random.rand(6, 784).astype("float32")
x_rows_orig = x_rows.copy()
"""
CELL = "digits = model.predict(x_rows, verbose=0).argmax(axis=1)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
FORBID = {"resize", "rebuild_input", "edit_layer", "transpose", "expand_dims"}
AFTER = """assert x_rows.shape == (6, 28, 28, 1), x_rows.shape
assert np.array_equal(x_rows.reshape(6, 784), x_rows_orig)
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
"""
