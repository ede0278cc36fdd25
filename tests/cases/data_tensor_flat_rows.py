# A tf.Tensor of flat rows: the fix uses tf.reshape and keeps a tensor
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
X = tf.random.uniform((64, 60))
y = np.random.rand(64, 1)
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
'''
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
AFTER = "assert tuple(X.shape) == (64, 20, 3) and isinstance(X, tf.Tensor)"
