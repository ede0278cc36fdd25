# source: https://github.com/tensorflow/tensorflow/issues/78621
# family: dataset_twice_batched
# A dataset that is already batched (as image_dataset_from_directory returns it) gets .batch() again:
# elements become (None, None, 16, 16, 3). The model carries (stand-in) pretrained weights.
# Right fix: train_ds = train_ds.unbatch() once, back to (None, 16, 16, 3); weights untouched.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(78621)
images = rng.random((24, 16, 16, 3)).astype("float32")
labels = rng.integers(0, 3, 24)
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(images, labels, batch_size=8, epochs=1, verbose=0)  # stands in for pretrained weights
w_saved = [w.copy() for w in model.get_weights()]
train_ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)  # already batched
train_ds = train_ds.batch(4)  # batched a second time
"""
CELL = "model.fit(train_ds, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"unbatch"}
FORBID = {"squeeze", "rebuild_input", "edit_layer", "transpose"}
RERUN = False
AFTER = """assert train_ds.element_spec[0].shape.as_list() == [None, 16, 16, 3], train_ds.element_spec
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
xs = np.concatenate([x.numpy() for x, _ in train_ds])
ys = np.concatenate([y.numpy() for _, y in train_ds])
assert np.array_equal(xs, images) and np.array_equal(ys, labels)
model.fit(train_ds, epochs=1, verbose=0)
"""
