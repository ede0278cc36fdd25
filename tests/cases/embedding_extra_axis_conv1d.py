# source: https://github.com/keras-team/keras/issues/5259
# family: embedding_input_extra_axis
# Character ids stored as (N, chars, 1) into an Embedding, then Conv1D + GlobalMaxPooling1D: "Input
# incompatible with layer convolution1d_1: expected ndim=3, found ndim=4". Keras 3.15 (no declared input):
# "Kernel shape must have the same length as input, but received kernel of shape (3, 8, 6) and input of shape
# (None, 12, 1, 8)". The Embedding wants (N, chars): drop the size-1 axis; the ids stay as they are (no
# argmax, they are not one-hot).
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
char_ids = np.random.randint(1, 28, (30, 12, 1))
char_ids_orig = char_ids.copy()
y = np.random.randint(0, 2, 30)
model = keras.Sequential([
    layers.Embedding(28, 8),
    layers.Conv1D(6, 3, activation="relu"),
    layers.GlobalMaxPooling1D(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = "model.fit(char_ids, y, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"squeeze", "reshape"}
FORBID = {"argmax", "transpose", "edit_layer", "expand_dims"}
AFTER = """assert char_ids.shape == (30, 12), char_ids.shape
assert np.array_equal(char_ids, char_ids_orig[..., 0])
"""
