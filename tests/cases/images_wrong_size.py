# 32x32 images into a TRAINED model built for 28x28: Keras 3 complains at the Dense after Flatten.
# The model carries learned weights, so the data is resized (core/rank.py, rule 3); the untrained
# variant is images_wrong_size_untrained.py.
SETUP = '''import numpy as np
import tensorflow as tf
import keras
from keras.layers import LSTM, Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 1)), Conv2D(4, 3, activation="relu"), Flatten(), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(np.random.rand(8, 28, 28, 1), keras.utils.to_categorical(np.arange(8) % 10, 10), verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
images = np.random.rand(16, 32, 32, 1)
labels = keras.utils.to_categorical(np.random.randint(0, 10, 16), 10)
'''
CELL = "model.fit(images, labels, epochs=1, verbose=0)"
KINDS = {"spatial_mismatch"}
FIXES = {"resize"}
FORBID = {"reshape", "transpose"}
AFTER = "assert images.shape == (16, 28, 28, 1) and model.input_shape == (None, 28, 28, 1)"
