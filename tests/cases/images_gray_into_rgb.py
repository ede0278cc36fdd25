# grayscale images into an RGB model
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 3)), Conv2D(4, 3), Flatten(), Dense(10)])
model.compile(optimizer="adam", loss="mse")
gray = np.random.rand(8, 28, 28, 1)
'''
CELL = "model.fit(gray, np.zeros((8, 10)), verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"repeat"}
FORBID = {"reshape"}
AFTER = "assert gray.shape == (8, 28, 28, 3) and np.array_equal(gray[..., 0], gray[..., 2])"
