# source: https://github.com/keras-team/keras/issues/7403
# family: rnn_given_image_shaped_4d
# Accelerometer windows (836, 400, 3) reshaped to (836, 400, 3, 1) for a Conv2D, then fed to an LSTM model:
# "Input 0 is incompatible with layer lstm_1: expected ndim=3, found ndim=4". Rebuilt without a declared input
# (Keras 3.15 squeezes silently when one is declared): "expected ndim=3, found ndim=4. Full shape received:
# (None, 40, 3, 1)". Drop the size-1 axis: 40 steps x 3 features.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
x_train = np.random.rand(30, 40, 3).astype("float32").reshape(30, 40, 3, 1)
x_orig = x_train.copy()
y_train = np.arange(30) % 3
model = keras.Sequential([
    layers.LSTM(16, return_sequences=True),
    layers.Dropout(0.5),
    layers.Dense(10, activation="relu"),
    layers.Flatten(),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(x_train, y_train, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"squeeze", "reshape"}
FORBID = {"transpose", "edit_layer", "rebuild_input"}
AFTER = """assert x_train.shape == (30, 40, 3), x_train.shape
assert np.array_equal(x_train, x_orig[..., 0])
"""
