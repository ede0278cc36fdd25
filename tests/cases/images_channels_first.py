# RGB images stored channels first into a channels_last model: transpose, never reshape
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 3)), Conv2D(4, 3), Flatten(), Dense(10)])
model.compile(optimizer="adam", loss="mse")
images = np.random.rand(8, 3, 28, 28)
'''
CELL = "model.fit(images, np.zeros((8, 10)), verbose=0)"
KINDS = {"axis_order"}
FIXES = {"transpose"}
FORBID = {"reshape"}
AFTER = "assert images.shape == (8, 28, 28, 3)"
