# source: https://github.com/NinV/Korean-License-Plate-Recognition/issues/4
# family: dataset_variable_length_inputs_and_label_sequences
# A tagger's tf.data pipeline: each sentence (token ids) and its tag sequence have their own length,
# and .batch(4) fails ("Cannot batch tensors with different shapes in component 0"; the labels,
# component 1, differ the same way). Right fix: padded_batch on the unbatched dataset, padding both the
# tokens and the tags with 0 (tokens use mask_zero), every token and tag kept.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(4)
lengths = rng.integers(3, 10, 20)
sents = [rng.integers(1, 30, n).astype("int32") for n in lengths]
tags = [rng.integers(1, 5, n).astype("int32") for n in lengths]
ds = tf.data.Dataset.from_generator(
    lambda: zip(sents, tags),
    output_signature=(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int32)))
train_ds = ds.batch(4)
model = keras.Sequential([
    layers.Embedding(30, 8, mask_zero=True),
    layers.LSTM(8, return_sequences=True),
    layers.Dense(5, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(train_ds, epochs=1, verbose=0)"
KINDS = {"ragged_sequences"}
FIXES = {"padded_batch"}
FORBID = {"resize", "reshape", "squeeze"}
RERUN = False
AFTER = """got_x, got_y = [], []
for xb, yb in train_ds:
    assert xb.shape == yb.shape, (xb.shape, yb.shape)
    for xr, yr in zip(xb.numpy(), yb.numpy()):
        got_x.append(xr[xr != 0]); got_y.append(yr[yr != 0])
assert len(got_x) == 20
assert all(np.array_equal(a, b) for a, b in zip(got_x, sents))
assert all(np.array_equal(a, b) for a, b in zip(got_y, tags))
model.fit(train_ds, epochs=1, verbose=0)
"""
