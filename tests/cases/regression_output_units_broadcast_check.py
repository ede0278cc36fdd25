# source: https://github.com/tensorflow/tensorflow/issues/45813
# family: regression_output_units_mismatch
# "Shape of model output can differ from target data shape": the regression tutorial with Dense(units=3) fits
# targets of shape (batch, 1) without an error (mse broadcasts (N, 1) against (N, 3)). Keras 3.15 still trains
# silently. The pre-flight check should report it; the model was never trained and one target per row means
# the output layer needs 1 unit. Broadcasting the target to 3 columns would hide the bug.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
train_features = np.random.rand(40, 9).astype("float32")
train_labels = np.random.rand(40, 1).astype("float32")
labels_orig = train_labels.copy()
model = keras.Sequential([
    keras.Input((9,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(units=3),
])
model.compile(optimizer="adam", loss="mean_absolute_error")
"""
CELL = ""
CHECK = "(model, train_features, train_labels)"
KINDS = {"label_mismatch", "output_structure"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "repeat", "to_categorical", "transpose"}
RERUN = False
AFTER = """assert tuple(model.output_shape) == (None, 1), model.output_shape
assert np.array_equal(train_labels, labels_orig)
model.fit(train_features, train_labels, epochs=1, verbose=0)
"""
