# source: https://github.com/keras-team/keras/issues/5423
# family: conv1d_missing_global_pooling
# "Error when checking model target: expected dense_1 to have 3 dimensions, but got array with shape (8544,
# 5)": Convolution1D + MaxPooling1D + Dropout + Dense(5, softmax), sparse_categorical_crossentropy, and no
# Flatten, so the Dense runs per step. Keras 3.15 with class ids: "Argument `output` must have rank (ndim)
# `target.ndim - 1`. Received: target.shape=(None,), output.shape=(None, 10, 5)". The model needs the step
# axis pooled away before the classifier; the labels must not be touched.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
MAX_LEN, VECTOR_LEN = 20, 6
x_train = np.random.rand(30, MAX_LEN, VECTOR_LEN).astype("float32")
y_train = np.arange(30) % 5
y_orig = y_train.copy()
model = keras.Sequential([
    keras.Input((MAX_LEN, VECTOR_LEN)),
    layers.Conv1D(10, 3, padding="same"),
    layers.MaxPooling1D(2),
    layers.Dropout(0.5),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adadelta", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(x_train, y_train, epochs=1, verbose=0)"
KINDS = {"rank_mismatch", "label_mismatch"}
FIXES = {"edit_layer", "flatten"}
FORBID = {"reshape", "expand_dims", "repeat", "to_categorical", "categorical_loss", "argmax"}
AFTER = """assert tuple(model.output_shape) == (None, 5), model.output_shape
assert np.array_equal(y_train, y_orig)
"""
