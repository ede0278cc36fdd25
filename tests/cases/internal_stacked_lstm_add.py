# Issue #3: the stacked-LSTM mistake in the model.add style with input_shape= on the first layer.
# Keras 3.15 builds the model at each add(), so the error is raised by the add of the second LSTM
# (no data in the call): "Input 0 ... of layer 'lstm_1' ... expected ndim=3, found ndim=2. Full shape
# received: (None, 32)". The failed add leaves that LSTM in the model (unbuilt).
SETUP = """import numpy as np
import keras
from keras.layers import LSTM, Dense

X_train = np.random.rand(64, 24, 3)
y_train = np.random.rand(64, 1)
model = keras.Sequential()
model.add(LSTM(32, input_shape=(24, 3)))
"""
CELL = "model.add(LSTM(16))"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
RERUN = False  # the add already happened (Keras keeps the layer); continue building instead
AFTER = """model.add(Dense(1))
model.compile(optimizer="adam", loss="mse")
model.fit(X_train, y_train, epochs=1, verbose=0)
assert model.layers[0].return_sequences and len(model.layers) == 3
"""
