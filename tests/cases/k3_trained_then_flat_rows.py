# Keras 3.15: a model that has already trained once retraces with relaxed shapes, so flat rows
# fail with "Cannot take the length of shape with unknown rank." - no shape in the message at all.
SETUP = '''import numpy as np
import keras
from keras.layers import LSTM, Dense

model = keras.Sequential([keras.Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(16, 20, 3), np.random.rand(16, 1), epochs=1, verbose=0)
data = np.random.rand(100, 60)
target = np.random.rand(100, 1)
'''
CELL = "model.fit(data, target, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
AFTER = "assert data.shape == (100, 20, 3), data.shape"
