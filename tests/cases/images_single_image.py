# predict on one image without its batch axis
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 1)), Conv2D(4, 3), Flatten(), Dense(10)])
image = np.random.rand(28, 28, 1)
'''
CELL = "model.predict(image, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims"}
FORBID = {"reshape", "rebuild_input"}
AFTER = "assert image.shape == (1, 28, 28, 1)"
