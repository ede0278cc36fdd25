# The training data fits; the validation data is flat: the fix goes to X_val, never to the model
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
X_train, y_train = np.random.rand(80, 20, 3), np.random.rand(80, 1)
X_val, y_val = np.random.rand(20, 60), np.random.rand(20, 1)
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
'''
CELL = "model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
FORBID = {"rebuild_input"}
AFTER = "assert X_val.shape == (20, 20, 3) and X_train.shape == (80, 20, 3)"
