# source: https://github.com/keras-team/keras/issues/5138
# family: seq_autoencoder_missing_repeatvector
# The maintainer's recipe "encoder LSTM return_sequences=False, decoder LSTM return_sequences=True, input and
# target the same frames" written without the RepeatVector, as a Sequential without a declared input. Keras
# 3.15 raises in fit at the decoder: "expected ndim=3, found ndim=2. Full shape received: (None, 6)". The
# frames are right (x is y): the model needs a RepeatVector(12) (or a sequence-returning encoder).
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
frames = np.random.rand(20, 12, 4).astype("float32")
frames_orig = frames.copy()
model = keras.Sequential([layers.LSTM(6), layers.LSTM(4, return_sequences=True)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(frames, frames, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "repeat"}
AFTER = """assert model.predict(frames[:3], verbose=0).shape == (3, 12, 4)
assert np.array_equal(frames, frames_orig)
"""
