# Corpus case 48 (keras-team/keras#11480): LSTM(100, input_shape=(1, 6, 30)) with data (1, 6, 30).
# Keras 3.15 raises at the add (no data in the call): "Input 0 ... of layer 'lstm' is incompatible with the
# layer: expected ndim=3, found ndim=4. Full shape received: (None, 1, 6, 30)". input_shape excludes the
# batch axis (keras-team/keras#10360): (6, 30).
SETUP = """import numpy as np
import keras
from keras.models import Sequential
from keras.layers import LSTM, Dense

InputBatch = np.random.rand(6, 30)
InputBatch = np.expand_dims(InputBatch, 0)
model = Sequential()
"""
CELL = "model.add(LSTM(100, input_shape=(1, 6, 30), return_sequences=True))"
KINDS = {"rank_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
RERUN = False
AFTER = """assert tuple(model.inputs[0].shape) == (None, 6, 30)
model.add(Dense(1))
out = model.predict(InputBatch, verbose=0)
assert out.shape == (1, 6, 1)
"""
