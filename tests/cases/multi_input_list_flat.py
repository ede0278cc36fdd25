# a Functional model with two inputs; the second input's data is flat
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
a = Input((10,), name="a")
b = Input((4, 5), name="b")
model = keras.Model([a, b], Dense(1)(keras.layers.concatenate([a, Flatten()(b)])))
model.compile(optimizer="adam", loss="mse")
Xa, Xb, y = np.random.rand(16, 10), np.random.rand(16, 20), np.random.rand(16, 1)
'''
CELL = "model.fit([Xa, Xb], y, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
FORBID = {"rebuild_input"}
AFTER = "assert Xb.shape == (16, 4, 5) and Xa.shape == (16, 10)"
