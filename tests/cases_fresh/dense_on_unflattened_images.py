# source: https://github.com/keras-team/keras/issues/13916
# family: dense_on_unflattened_images
# MNIST-style images (N, 8, 8) fed to an MLP declared with input_dim = 64 (the user's own commented line
# flattened them). Right fix: flatten each image to 64 values in row-major order, or declare (8, 8) + Flatten
# in this never-trained model. Both keep every pixel; nothing is transposed or resized.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(13916)
X_train = rng.random((20, 8, 8)).astype("float32")
Y_train_dummy = keras.utils.to_categorical(rng.integers(0, 10, 20), 10)
X_saved = X_train.copy()
model = keras.Sequential([
    keras.Input((64,)),
    layers.Dense(32, activation="relu"),
    layers.Dense(16, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="sgd", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, Y_train_dummy, batch_size=5, epochs=1, verbose=0)"
KINDS = {"rank_mismatch", "feature_mismatch"}
FIXES = {"flatten", "reshape", "edit_layer", "rebuild_input"}
FORBID = {"transpose", "resize", "squeeze", "repeat", "window"}
AFTER = """Xa = np.asarray(X_train)
if Xa.ndim == 2:
    assert Xa.shape == (20, 64) and np.array_equal(Xa, X_saved.reshape(20, 64)), Xa.shape
    assert tuple(model.input_shape) == (None, 64)
else:
    assert np.array_equal(Xa, X_saved) and tuple(model.input_shape) == (None, 8, 8), model.input_shape
assert tuple(model.output_shape) == (None, 10)
"""
