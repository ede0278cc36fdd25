# keras-team/keras#8568: rows x 30 features cannot reshape to (rows, 5, 30); windows keep the 30 features
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
X = np.random.rand(1000, 30)
model = keras.Sequential([Input((5, 30)), LSTM(8), Dense(1)])
'''
CELL = "X = np.reshape(X, (1000, 5, 30))"
KINDS = {"reshape_size"}
FIXES = {"window"}
RERUN = False
AFTER = "assert X.shape == (996, 5, 30) and X[0, 4, 7] == X[4, 0, 7]"
