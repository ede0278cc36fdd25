# Issue #3: return_sequences=True on the last LSTM of a classifier (Functional API). Keras 3.15:
# "Arguments `target` and `output` must have the same rank (ndim). Received: target.shape=(None, 3),
# output.shape=(None, 24, 3)". Fix in the model: return_sequences=False keeps every weight.
SETUP = """import numpy as np
import keras
from keras import layers

X = np.random.rand(30, 24, 5).astype("float32")
Y = keras.utils.to_categorical(np.arange(30) % 3, 3)
inp = keras.Input((24, 5))
h = layers.LSTM(16, return_sequences=True)(inp)
out = layers.Dense(3, activation="softmax")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CELL = "model.fit(X, Y, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze", "argmax"}
AFTER = """assert tuple(model.outputs[0].shape) == (None, 3)
assert Y.shape == (30, 3)
"""
