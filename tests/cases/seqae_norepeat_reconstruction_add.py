# source: https://machinelearningmastery.com/lstm-autoencoders/
# family: seq_autoencoder_missing_repeatvector
# The tutorial's reconstruction LSTM autoencoder (LSTM(100, input_shape=(n_in, 1)), RepeatVector(n_in),
# LSTM(100, return_sequences=True), TimeDistributed(Dense(1))) typed in with model.add and the RepeatVector
# left out. Keras 3.15 raises at the add of the decoder (no data in the call): "Input 0 ... expected ndim=3,
# found ndim=2. Full shape received: (None, 16)". The fix is in the model (RepeatVector(9) before the decoder,
# or a sequence-returning encoder), never in the series.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
n_in = 9
sequence = np.tile(np.linspace(0.1, 0.9, n_in, dtype="float32"), (12, 1)).reshape(12, n_in, 1)
sequence_orig = sequence.copy()
model = keras.Sequential()
model.add(layers.LSTM(16, activation="relu", input_shape=(n_in, 1)))
"""
CELL = "model.add(layers.LSTM(16, activation='relu', return_sequences=True))"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "repeat"}
RERUN = False  # the add is the failing call; the fix leaves a model to keep building
AFTER = """model.add(layers.TimeDistributed(layers.Dense(1)))
model.compile(optimizer="adam", loss="mse")
model.fit(sequence, sequence, epochs=1, verbose=0)
assert model.predict(sequence[:2], verbose=0).shape == (2, 9, 1)
assert np.array_equal(sequence, sequence_orig)
"""
