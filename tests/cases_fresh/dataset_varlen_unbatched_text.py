# source: https://github.com/lmoroney/dlaicourse/issues/43
# family: dataset_varlen_unbatched
# A tf.data text dataset of token-id sequences of different lengths, never batched, passed to fit: each
# sequence arrives as if it were a batch of scalars. .batch() cannot stack different lengths, so the right
# fix is padded_batch (pads each batch to its longest sequence; every token kept, labels untouched).
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(43)
lengths = [5, 9, 3, 7, 6, 4, 8, 2]
token_lists = [rng.integers(1, 100, n).astype("int64") for n in lengths]
label_list = rng.integers(0, 2, len(lengths)).astype("int64")
train_data = tf.data.Dataset.from_generator(
    lambda: iter(zip(token_lists, label_list)),
    output_signature=(tf.TensorSpec((None,), tf.int64), tf.TensorSpec((), tf.int64)),
)
model = keras.Sequential([
    layers.Embedding(100, 16),
    layers.GlobalAveragePooling1D(),
    layers.Dense(6, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
"""
CELL = "history = model.fit(train_data, epochs=1, verbose=0)"
KINDS = {"ragged_sequences", "missing_axis", "rank_mismatch"}
FIXES = {"padded_batch"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "rebuild_input", "edit_layer"}
AFTER = """spec = train_data.element_spec
assert spec[0].shape.as_list() == [None, None], spec
assert spec[1].shape.rank == 1, spec
seen = []
for xb, yb in train_data:
    for row, lab in zip(xb.numpy().tolist(), yb.numpy().reshape(-1).tolist()):
        seen.append((row, lab))
assert len(seen) == len(token_lists)
for (row, lab), toks, want in zip(seen, token_lists, label_list):
    n = len(toks)
    pre = row[-n:] == toks.tolist() and not any(row[:-n])
    post = row[:n] == toks.tolist() and not any(row[n:])
    assert (pre or post) and lab == want, (row, toks, lab, want)
"""
