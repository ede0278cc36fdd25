# keras-team/tf-keras#440 (noted in corpus case 54): one-hot sequences fed to an Embedding. Keras 3.15:
# "expected ndim=3, found ndim=4. Full shape received: (None, 20, 50, 16)" at the LSTM after it.
# The indices are what the Embedding expects: argmax of the one-hot rows loses nothing.
SETUP = """import numpy as np
import keras
from keras.layers import Embedding, LSTM, Dense

tokens = np.random.randint(0, 50, (24, 20))
X_onehot = keras.utils.to_categorical(tokens, 50)
y = np.random.rand(24, 1)
model = keras.Sequential([Embedding(50, 16), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X_onehot, y, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"argmax", "edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
AFTER = """assert X_onehot.shape == (24, 20)
assert (X_onehot == tokens).all()
"""
