# source: https://github.com/keras-team/keras/issues/7544
# family: conv1d_missing_global_pooling
# "Conv1d with Error: expected dense to have shape (None, 800, 1) but got array with shape (200, 1, 1)":
# Conv1D, MaxPooling1D, then Dense(1, sigmoid) with no Flatten or global pooling, so the output keeps the step
# axis. Rebuilt as a text classifier (Embedding first). Keras 3.15: "Arguments `target` and `output` must have
# the same rank (ndim). Received: target.shape=(8,), output.shape=(8, 9, 1)". The labels are right: pool over
# the steps (GlobalMaxPooling1D or Flatten) before the Dense.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
X = np.random.randint(1, 50, (32, 20))
Y = np.random.randint(0, 2, 32)
Y_orig = Y.copy()
model = keras.Sequential([
    keras.Input((20,)),
    layers.Embedding(50, 8),
    layers.Conv1D(5, 3, activation="relu"),
    layers.MaxPooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
"""
CELL = "model.fit(X, Y, epochs=1, batch_size=8, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer", "flatten"}
FORBID = {"reshape", "expand_dims", "repeat", "squeeze", "to_categorical"}
AFTER = """assert tuple(model.output_shape) == (None, 1), model.output_shape
assert np.array_equal(Y, Y_orig) and X.shape == (32, 20)
"""
