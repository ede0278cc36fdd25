# source: https://github.com/tensorflow/tensorflow/issues/44250
# family: validation_dataset_unbatched
# The training dataset is batched, the validation dataset is not: fit fails when validation starts
# (Conv2D gets (12, 24, 3)). Right fix: val_ds = val_ds.batch(...); the model and train_ds stay as they are.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(44250)
train_x = rng.uniform(0, 10, (48, 12, 24, 3)).astype("float32")
train_y = rng.integers(0, 2, 48)
val_x = rng.uniform(0, 10, (16, 12, 24, 3)).astype("float32")
val_y = rng.integers(0, 2, 16)
model = keras.Sequential([
    keras.Input((12, 24, 3)),
    layers.Conv2D(8, 3, activation="relu", padding="same"),
    layers.MaxPooling2D(),
    layers.GlobalAveragePooling2D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="mse", optimizer=keras.optimizers.SGD(1e-3), metrics=["accuracy"])
train_ds = tf.data.Dataset.from_tensor_slices((train_x, train_y)).shuffle(48, seed=0).batch(16)
train_ds = train_ds.prefetch(tf.data.AUTOTUNE)
val_ds = tf.data.Dataset.from_tensor_slices((val_x, val_y)).prefetch(tf.data.AUTOTUNE)
"""
CELL = "model.fit(train_ds, validation_data=val_ds, epochs=1, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"batch"}
FORBID = {"reshape", "transpose", "squeeze", "rebuild_input", "edit_layer"}
AFTER = """assert val_ds.element_spec[0].shape.as_list() == [None, 12, 24, 3], val_ds.element_spec
assert train_ds.element_spec[0].shape.as_list() == [None, 12, 24, 3], train_ds.element_spec
xb, yb = next(iter(val_ds))
n = xb.shape[0]
assert n > 1 and np.array_equal(xb.numpy(), val_x[:n]) and np.array_equal(yb.numpy(), val_y[:n])
assert tuple(model.input_shape) == (None, 12, 24, 3)
"""
