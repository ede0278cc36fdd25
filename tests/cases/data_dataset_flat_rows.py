# A batched tf.data.Dataset of flat rows: the fix maps every element through tf.reshape
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
ds = tf.data.Dataset.from_tensor_slices((np.random.rand(64, 60), np.random.rand(64, 1))).batch(16)
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
'''
CELL = "model.fit(ds, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
AFTER = "assert tuple(ds.element_spec[0].shape) == (None, 20, 3), ds.element_spec"
