# source: https://taourl.com/read-3009702.html
# family: bidirectional_stacked_without_return_sequences
# "Input 0 of layer bidirectional is incompatible with the layer: expected ndim=3, found ndim=2. shape
# received: (None, 32)": two Bidirectional(LSTM) stacked with model.add, the first without
# return_sequences=True. Keras 3.15 raises at the second add (no data in the call). The first Bidirectional's
# LSTM must return sequences.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
X = np.random.rand(32, 10, 3).astype("float32")
X_orig = X.copy()
y = np.random.randint(0, 2, 32)
model = keras.Sequential()
model.add(keras.Input((10, 3)))
model.add(layers.Bidirectional(layers.LSTM(16)))
"""
CELL = "model.add(layers.Bidirectional(layers.LSTM(8)))"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
RERUN = False  # the add already happened (or not); continue building instead
AFTER = """model.add(layers.Dense(1, activation="sigmoid"))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
assert model.layers[0].forward_layer.return_sequences
assert model.predict(X[:2], verbose=0).shape == (2, 1)
assert np.array_equal(X, X_orig)
"""
