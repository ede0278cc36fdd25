# A pandas DataFrame of flat rows (60 columns = 20 timesteps x 3 features) into an LSTM
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
import pandas as pd
frame = pd.DataFrame(np.random.rand(100, 60))
target = np.random.rand(100, 1)
model = keras.Sequential([Input((20, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
'''
CELL = "model.fit(frame, target, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
AFTER = "assert frame.shape == (100, 20, 3) and isinstance(frame, np.ndarray), frame.shape"
