# source: https://github.com/tensorflow/tensorflow/issues/44065
# family: conv1d_on_2d_tabular
# Conv1D(filters=32, kernel_size=1, strides=3, input_shape=(1886,)) for rows of sparse EEG coefficients (here
# 60). Keras 3.15 raises at the add: "expected min_ndim=3, found ndim=2. Full shape received: (None, 60)". A
# Conv1D reads (steps, channels): the declaration must be (60, 1); the rows themselves are right.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
coeffs = np.random.rand(40, 60).astype("float32")
coeffs_orig = coeffs.copy()
labels = np.random.randint(0, 3, 40)
model = keras.Sequential()
"""
CELL = "model.add(layers.Conv1D(filters=8, kernel_size=1, strides=3, input_shape=(60,)))"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "transpose", "repeat"}
RERUN = False  # the add is the failing call; the fix must leave a model declared for (60, 1)
AFTER = """assert tuple(model.input_shape) == (None, 60, 1), model.input_shape
model.add(layers.Flatten())
model.add(layers.Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(coeffs[..., None], labels, epochs=1, verbose=0)
assert np.array_equal(coeffs, coeffs_orig)
"""
