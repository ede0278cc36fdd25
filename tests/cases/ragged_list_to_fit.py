# a ragged list passed to fit directly (Keras 3 reads it as several inputs: 'Data cardinality is ambiguous')
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
sequences = [np.random.rand(n, 3) for n in (5, 9, 7, 6, 8)]
labels = np.random.rand(5, 1)
model = keras.Sequential([Input((None, 3)), keras.layers.Masking(), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
'''
CELL = "model.fit(sequences, labels, epochs=1, verbose=0)"
KINDS = {"ragged_sequences"}
FIXES = {"pad_sequences"}
AFTER = "assert sequences.shape == (5, 9, 3)"
