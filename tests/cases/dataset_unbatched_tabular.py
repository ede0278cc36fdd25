# source: https://github.com/tensorflow/tensorflow/issues/37220
# family: dataset_not_batched
# The HIGGS tutorial's packed_ds = ds.batch(10000).map(pack_row).unbatch() given to fit without batching it
# again: "expected dense_1_input to have 2 dimensions, but got array with shape ()". Rebuilt with 28 features
# per row (the HIGGS count). Keras 3.15 reads each unbatched row as a batch: "Invalid input shape ... Expected
# shape (None, 28), but input has incompatible shape (28,)". Batch the dataset; rows and labels stay paired.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(0)
FEATURES = 28
rows = np.random.rand(50, FEATURES + 1).astype("float32")
rows[:, 0] = np.round(rows[:, 0])

def pack_row(row):
    return row[:, 1:], row[:, 0]

packed_ds = tf.data.Dataset.from_tensor_slices(rows).batch(10).map(pack_row).unbatch()
model = keras.Sequential([
    keras.Input((FEATURES,)),
    layers.Dense(16, activation="elu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
"""
CELL = "model.fit(packed_ds, epochs=1, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"batch"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "transpose", "squeeze", "expand_dims"}
AFTER = """assert tuple(packed_ds.element_spec[0].shape) == (None, 28), packed_ds.element_spec
xs = np.concatenate([b[0].numpy() for b in packed_ds])
ys = np.concatenate([b[1].numpy() for b in packed_ds])
assert np.array_equal(xs, rows[:, 1:]) and np.array_equal(ys, rows[:, 0])
"""
