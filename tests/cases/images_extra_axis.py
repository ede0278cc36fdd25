# one axis too many (a stray expand_dims): squeeze it
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 1)), Conv2D(4, 3), Flatten(), Dense(10)])
model.compile(optimizer="adam", loss="mse")
images = np.random.rand(8, 1, 28, 28, 1)
'''
CELL = "model.fit(images, np.zeros((8, 10)), verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"squeeze"}
FORBID = {"reshape"}
AFTER = "assert images.shape == (8, 28, 28, 1)"
