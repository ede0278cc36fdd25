# source: https://github.com/ankitgoyal0301/Homemade-RecipeBowl-Your-Ingredients-Our-Recipes/issues/4
# family: embedding_input_extra_axis
# "Getting issue on LSTM layer embedding. Dim=3 expected but dim = 4 present.": ingredient-id sequences kept
# as (N, T, 1) before an Embedding + LSTM. Keras 3.15: "Input 0 ... of layer 'lstm' ... expected ndim=3, found
# ndim=4. Full shape received: (None, 15, 1, 16)". Squeeze the trailing axis of the ids.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
seqs = np.random.randint(1, 60, (26, 15, 1))
seqs_orig = seqs.copy()
recipe = np.random.randint(0, 4, 26)
model = keras.Sequential([
    layers.Embedding(60, 16),
    layers.LSTM(12),
    layers.Dense(4, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(seqs, recipe, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"squeeze", "reshape"}
FORBID = {"argmax", "transpose", "edit_layer", "expand_dims"}
AFTER = """assert seqs.shape == (26, 15), seqs.shape
assert np.array_equal(seqs, seqs_orig[..., 0])
"""
