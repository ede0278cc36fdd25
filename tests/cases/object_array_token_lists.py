# source: https://github.com/keras-team/keras/issues/13940
# family: object_array_variable_length_sequences
# A chatbot's sentences turned into lists of word ids of different lengths and then np.array(...) (an object
# array). TF 2.1 said "Failed to convert a NumPy array to a Tensor (Unsupported object type list)"; Keras 3.15
# says "Invalid dtype: object". Pad the sequences to one length; every id must survive in its row.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
sentences = [list(rng.integers(1, 30, n)) for n in (5, 9, 3, 7, 6, 8, 4, 9, 2, 6, 7, 5)]
X = np.array(sentences, dtype=object)
Y = np.arange(12) % 2
model = keras.Sequential([layers.Embedding(30, 8), layers.LSTM(8), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = "model.fit(X, Y, epochs=1, verbose=0)"
KINDS = {"ragged_sequences", "dtype_mismatch"}
FIXES = {"pad_sequences"}
FORBID = {"reshape", "transpose", "squeeze"}
AFTER = """X = np.asarray(X)
assert X.shape == (12, 9), X.shape
assert all(list(X[i][X[i] != 0]) == [int(t) for t in s] for i, s in enumerate(sentences))
"""
