# source: https://github.com/tensorflow/datasets/issues/3035
# family: dataset_images_of_different_sizes
# Batching a dataset of images of different sizes: "Cannot batch tensors with different shapes in component
# 0". Maintainer: resize before batching, ds.map(...tf.image.resize(image, [224, 224])...). Rebuilt with a
# generator of pictures from 14x14 to 21x21 into a CNN declared for 16x16. Keras 3.15 (tf.data, at the first
# batch): "Cannot batch tensors with different shapes in component 0". Resize each picture before the batch;
# zero padding would change the pictures' content.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
pictures = [rng.random((s, s, 3)).astype("float32") for s in (14, 17, 21, 16, 15, 19, 20, 18)]
# The thread's generator function, written as a lambda that builds a fresh generator over the
# list, which can be read again to verify a fix. A `def gen(): ... yield` runs the user's own
# code again, so the same fix is then offered *not verified*, saying why (issue 10, item 7).
raw = tf.data.Dataset.from_generator(lambda: ((p, k % 2) for k, p in enumerate(pictures)), output_signature=(
    tf.TensorSpec((None, None, 3), tf.float32), tf.TensorSpec((), tf.int64)))
ds = raw.batch(4)
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(ds, epochs=1, verbose=0)"
KINDS = {"ragged_sequences", "spatial_mismatch"}
FIXES = {"resize"}
FORBID = {"padded_batch", "reshape", "rebuild_input", "edit_layer", "transpose"}
AFTER = """assert tuple(ds.element_spec[0].shape)[1:] == (16, 16, 3), ds.element_spec
assert sum(int(b[0].shape[0]) for b in ds) == 8
"""
