# a subclassed model that trained once, then gets flat rows (no rebuild possible; the data is fixed)
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
class Forecaster(keras.Model):
    def __init__(self):
        super().__init__()
        self.lstm = LSTM(8)
        self.out = Dense(1)

    def call(self, x):
        return self.out(self.lstm(x))

model = Forecaster()
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(16, 20, 3), np.random.rand(16, 1), epochs=1, verbose=0)
X, y = np.random.rand(32, 60), np.random.rand(32, 1)
'''
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
FORBID = {"rebuild_input"}
AFTER = "assert X.shape == (32, 20, 3)"
