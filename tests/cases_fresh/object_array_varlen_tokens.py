# source: https://github.com/maciej-cecot/brand-detection/issues/2
# family: object_array_varlen_tokens
# Token-id sequences of different lengths kept in a NumPy object array and passed to fit
# (Keras 3: "Invalid dtype: object"). Right fix: pad_sequences to one length; every token kept, in order.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(2)
lengths = [3, 7, 5, 4, 6, 2]
train_x = np.empty(len(lengths), dtype=object)
for i, n in enumerate(lengths):
    train_x[i] = [int(t) for t in rng.integers(1, 50, n)]
sequences_saved = [list(s) for s in train_x]
train_y = np.array([0, 1, 0, 1, 1, 0])
model = keras.Sequential([
    keras.Input((None,), dtype="int32"),
    layers.Embedding(50, 8, mask_zero=True),
    layers.LSTM(8),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(train_x, train_y, epochs=1, batch_size=3, verbose=0)"
KINDS = {"ragged_sequences", "dtype_mismatch"}
FIXES = {"pad_sequences"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose"}
AFTER = """arr = np.asarray(train_x)
assert arr.shape == (6, 7) and arr.dtype != object, (arr.shape, arr.dtype)
for row, s in zip(arr.tolist(), sequences_saved):
    n = len(s)
    pre = row[-n:] == s and not any(row[:-n])
    post = row[:n] == s and not any(row[n:])
    assert pre or post, (row, s)
"""
