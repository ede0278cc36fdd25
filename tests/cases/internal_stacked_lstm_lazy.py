# Issue #3, errors at an internal layer: a stacked LSTM without return_sequences=True on the first.
# Keras 3.15, a Sequential without a declared input: fit raises at the second LSTM,
# "Input 0 with name 'None' of layer 'lstm_1' is incompatible with the layer: expected ndim=3, found ndim=2.
#  Full shape received: (None, 32)". The data fits the model's input: never reshape it.
SETUP = """import numpy as np
import keras
from keras.layers import LSTM, Dense

X_train = np.random.rand(64, 24, 3)
y_train = np.random.rand(64, 1)
model = keras.Sequential([LSTM(32), LSTM(16), Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
AFTER = """assert model.layers[0].return_sequences and not model.layers[1].return_sequences
assert X_train.shape == (64, 24, 3)
assert kerashape.last().layer_name == model.layers[1].name
"""
