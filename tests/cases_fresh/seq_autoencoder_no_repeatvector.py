# source: https://github.com/keras-team/keras/issues/1401
# family: seq_autoencoder_no_repeatvector
# LSTM autoencoder written without RepeatVector: the 3-unit encoder returns (None, 3) and the decoder LSTM
# needs a sequence. Right fix: insert RepeatVector(10) between them; return_sequences=True on the encoder also
# runs but removes the bottleneck, so it is not accepted (the AFTER check tells them apart).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(1401)
X = rng.random((24, 10, 5)).astype("float32")
X_saved = X.copy()
model = keras.Sequential([
    layers.LSTM(3),
    layers.LSTM(5, return_sequences=True),
])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X, X, batch_size=8, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "window", "repeat"}
AFTER = """names = [type(l).__name__ for l in model.layers]
assert names == ["LSTM", "RepeatVector", "LSTM"], names
assert not model.layers[0].return_sequences  # the 3-unit bottleneck is kept
assert model.layers[1].n == 10
assert tuple(model.output_shape)[1:] == (10, 5)  # a lazy Sequential keeps its build batch size
assert np.array_equal(np.asarray(X), X_saved)
"""
