# model(x) on one sample without its batch axis
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
sample = np.random.rand(20, 3)
'''
CELL = "out = model(sample)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims"}
FORBID = {"rebuild_input", "reshape"}
AFTER = "assert sample.shape == (1, 20, 3) and tuple(out.shape) == (1, 1)"
