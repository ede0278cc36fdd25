# predict() on a trained model with flat rows
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(32, 20, 3), np.random.rand(32, 1), epochs=1, verbose=0)
X_new = np.random.rand(10, 60)
'''
CELL = "predictions = model.predict(X_new, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
FORBID = {"rebuild_input"}
AFTER = "assert predictions.shape == (10, 1)"
