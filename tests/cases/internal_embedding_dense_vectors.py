# Corpus case 54 (keras-team/keras#1897): data that already holds 64-dimensional vectors fed to an Embedding.
# Keras 3.15, lazy Sequential: fit raises at the LSTM, "expected ndim=3, found ndim=4. Full shape received:
# (None, 200, 64, 32)". Maintainer's fix: drop the Embedding (keras/src/layers/core/embedding.py expects
# integer indices (batch, sequence_length)).
SETUP = """import numpy as np
import keras
from keras.layers import Embedding, LSTM, Dense

X = np.random.rand(20, 200, 64).astype("float32")
y = np.random.rand(20, 1).astype("float32")
model = keras.Sequential([Embedding(1000, 32), LSTM(50), Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "argmax"}
AFTER = """assert [type(l).__name__ for l in model.layers] == ["LSTM", "Dense"]
assert X.shape == (20, 200, 64)
"""
