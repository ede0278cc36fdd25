# source: https://github.com/tensorflow/tensorflow/issues/22862
# family: dataset_not_batched
# "dataset.batch(10)" called on its own line: Dataset methods return a new dataset, so the one given to fit is
# still unbatched and every element is one sample. Keras 3.15: "Invalid input shape ... Expected shape (None,
# 10, 3), but input has incompatible shape (10, 3)". Batch the dataset; adding an axis per element or changing
# the model would be wrong.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(0)
data = np.random.random((40, 10, 3)).astype("float32")
labels = np.random.random((40, 1)).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((data, labels))
dataset.batch(10)
model = keras.Sequential([keras.Input((10, 3)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(dataset, epochs=1, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"batch"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "transpose", "squeeze"}
AFTER = """spec = dataset.element_spec
assert tuple(spec[0].shape) == (None, 10, 3), spec
xs = np.concatenate([b[0].numpy() for b in dataset])
assert np.array_equal(xs, data)
"""
