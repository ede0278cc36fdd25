# source: https://github.com/tensorflow/tensorflow/issues/50099
# family: dataset_unbatched
# tf.data.Dataset.from_tensor_slices((inputs, labels)) passed to fit without .batch(): every element is one
# sample of shape (2,), so the model sees no batch axis. Right fix: dataset = dataset.batch(...).
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(50099)
inputs = rng.random((32, 2)).astype("float32")
labels = (inputs @ np.array([[2.0], [-1.0]], dtype="float32") + 0.5).astype("float32")
dataset = tf.data.Dataset.from_tensor_slices((inputs, labels))
linear_model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
linear_model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
"""
CELL = "history = linear_model.fit(dataset, epochs=2, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"batch"}
FORBID = {"reshape", "transpose", "squeeze", "rebuild_input", "edit_layer"}
AFTER = """assert dataset.element_spec[0].shape.as_list() == [None, 2], dataset.element_spec
assert dataset.element_spec[1].shape.as_list() == [None, 1], dataset.element_spec
xb, yb = next(iter(dataset))
n = xb.shape[0]
assert n > 1 and np.array_equal(xb.numpy(), inputs[:n]) and np.array_equal(yb.numpy(), labels[:n])
assert tuple(linear_model.input_shape) == (None, 2)
"""
