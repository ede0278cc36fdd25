# source: https://github.com/tensorflow/tensorflow/issues/31600
# family: predict_single_feature_row
# predict on one sample given as a 1-D vector of its 7 features, (7,): Keras reads it as 7 samples.
# Right fix: add the batch axis in front, (1, 7). Never (7, 1), and no model change for a predict call.
SETUP = """import numpy as np
import keras
from keras import layers

trainarray = np.array([0, 0, 0, 0, 0, 0, 0])
model = keras.Sequential([
    keras.Input(trainarray.shape),
    layers.Dense(7),
    layers.Dense(12),
    layers.Dense(1),
])
sample = np.array([0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5])
sample_saved = sample.copy()
"""
CELL = "prediction = model.predict(sample, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"rebuild_input", "edit_layer", "transpose", "squeeze", "repeat"}
AFTER = """sa = np.asarray(sample)
assert sa.shape == (1, 7), sa.shape
assert np.array_equal(sa[0], sample_saved)
assert prediction.shape == (1, 1)
assert tuple(model.input_shape) == (None, 7)
"""
