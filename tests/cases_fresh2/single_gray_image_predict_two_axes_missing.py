# source: https://github.com/lmoroney/dlaicourse/issues/34
# family: single_2d_image_missing_batch_and_channel
# A trained MNIST-style CNN declared for (28, 28, 1); one test picture is taken as img = x_test[5],
# a bare (28, 28) array, and passed to predict. Two axes are missing at once: the batch axis and the
# channel axis. Right fix: img.reshape(1, 28, 28, 1) (or expand_dims twice); weights untouched.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(34)
x_train = rng.random((32, 28, 28)).astype("float32")
x_test = rng.random((10, 28, 28)).astype("float32")
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(x_train.reshape(32, 28, 28, 1), rng.integers(0, 10, 32), epochs=1, verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
img = x_test[5]
img_saved = img.copy()
"""
CELL = "print(model.predict(img, verbose=0))"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"reshape", "expand_dims"}
FORBID = {"rebuild_input", "edit_layer", "resize", "repeat", "transpose"}
AFTER = """ia = np.asarray(img)
assert ia.shape == (1, 28, 28, 1), ia.shape
assert np.array_equal(ia[0, :, :, 0], img_saved)
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert model.predict(ia, verbose=0).shape == (1, 10)
"""
