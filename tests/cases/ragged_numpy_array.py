# numpy >= 1.24: a list of sequences of different lengths cannot become one array
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
sequences = [np.random.rand(n, 3) for n in (5, 9, 7, 6)]
'''
CELL = "X = np.array(sequences)"
KINDS = {"ragged_sequences"}
FIXES = {"pad_sequences"}
AFTER = "assert X.shape == (4, 9, 3)"
