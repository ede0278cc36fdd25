# source: https://github.com/googlecolab/colabtools/issues/1515
# family: object_array_variable_length_sequences
# A text classifier trained with k-fold splits of a cleaned DataFrame whose column holds token-id lists:
# model.fit(x_trn, y_trn, ...) -> "Failed to convert a NumPy array to a Tensor (Unsupported object type
# list)". Here: df["ids"].values, an object array of lists of different lengths. Keras 3.15: "Invalid dtype:
# object". Pad to one length; no id may be lost.
SETUP = """import numpy as np
import pandas as pd
import keras
from keras import layers

keras.utils.set_random_seed(0)
rng = np.random.default_rng(1)
df = pd.DataFrame({"ids": [list(rng.integers(1, 40, n)) for n in (4, 11, 7, 2, 9, 5, 10, 3, 6, 8)],
                   "label": [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]})
train_x = df["ids"].values
train_y = df["label"].values
model = keras.Sequential([layers.Embedding(40, 8), layers.LSTM(8), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(train_x, train_y, epochs=1, verbose=0)"
KINDS = {"ragged_sequences", "dtype_mismatch"}
FIXES = {"pad_sequences"}
FORBID = {"reshape", "transpose", "squeeze"}
AFTER = """train_x = np.asarray(train_x)
assert train_x.shape == (10, 11), train_x.shape
assert all(list(train_x[i][train_x[i] != 0]) == [int(t) for t in s] for i, s in enumerate(df["ids"]))
"""
