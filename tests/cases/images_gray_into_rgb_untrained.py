# grayscale images into an RGB model that was never trained: declare one channel (DESIGN.md ranking,
# rule 3; issue 9's illustration: the same two moves as the trained case, ordered by training)
SETUP = '''import numpy as np
import keras
from keras.layers import Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 3)), Conv2D(4, 3), Flatten(), Dense(10)])
model.compile(optimizer="adam", loss="mse")
gray = np.random.rand(8, 28, 28, 1)
gray_saved = gray.copy()
'''
CELL = "model.fit(gray, np.zeros((8, 10)), verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "transpose"}
AFTER = "assert np.array_equal(gray, gray_saved) and model.input_shape == (None, 28, 28, 1)"
