# train_on_batch with flat rows
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
xb, yb = np.random.rand(8, 60), np.random.rand(8, 1)
'''
CELL = "model.train_on_batch(xb, yb)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
AFTER = "assert xb.shape == (8, 20, 3)"
