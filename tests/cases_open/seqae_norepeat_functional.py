# source: https://github.com/keras-team/keras/issues/5203
# family: seq_autoencoder_missing_repeatvector
# "Why RepeatVector in the Sequence to Sequence Autoencoder?": the Keras-blog autoencoder written with the
# Functional API and the RepeatVector left out. Keras 3.15 raises while the graph is built (no data in the
# call): "Input 0 ... of layer 'lstm_1' ... expected ndim=3, found ndim=2. Full shape received: (None, 8)".
# The fix rebuilds the autoencoder with RepeatVector(timesteps) before the decoder.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
timesteps, input_dim, latent_dim = 15, 3, 8
series = np.random.rand(30, timesteps, input_dim).astype("float32")
"""
CELL = """inputs = keras.Input(shape=(timesteps, input_dim))
encoded = layers.LSTM(latent_dim)(inputs)
decoded = layers.LSTM(input_dim, return_sequences=True)(encoded)
sequence_autoencoder = keras.Model(inputs, decoded)
"""
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "repeat"}
RERUN = False  # the cell builds the graph; after the fix the autoencoder must exist and train
AFTER = """sequence_autoencoder.compile(optimizer="adam", loss="mse")
sequence_autoencoder.fit(series, series, epochs=1, verbose=0)
assert tuple(sequence_autoencoder.output.shape) == (None, timesteps, input_dim)
assert series.shape == (30, 15, 3)
"""
