# source: https://codemia.io/knowledge-hub/path/keras_modelfit_with_tfdataset_api_validation_data
# family: dataset_not_batched
# "Keras model.fit with tf.dataset API validation_data": the training dataset is batched, the validation one
# is built from the same kind of slices without .batch. Keras 3.15 fails at the end of the first epoch:
# "Invalid input shape ... Expected shape (None, 10, 3), but input has incompatible shape (10, 3)". The fix
# goes to val_ds (batch it), never to the model or to train_ds.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(0)
x_train = np.random.rand(32, 10, 3).astype("float32")
y_train = np.random.randint(0, 2, 32).astype("int32")
x_val = np.random.rand(12, 10, 3).astype("float32")
y_val = np.random.randint(0, 2, 12).astype("int32")
train_ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).batch(8)
val_ds = tf.data.Dataset.from_tensor_slices((x_val, y_val))
model = keras.Sequential([keras.Input((10, 3)), layers.GRU(6), layers.Dense(2, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"batch"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "transpose", "squeeze", "unbatch"}
AFTER = """assert tuple(val_ds.element_spec[0].shape) == (None, 10, 3), val_ds.element_spec
assert tuple(train_ds.element_spec[0].shape) == (None, 10, 3)
assert np.array_equal(np.concatenate([b[0].numpy() for b in val_ds]), x_val)
"""
