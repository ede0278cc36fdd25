# source: https://github.com/SidiLu001/disk_failure_prediction/issues/1
# family: rnn_given_image_shaped_4d
# Disk SMART windows stored (844, 240, 94, 1) for an LSTM: "expected ndim=3, found ndim=4. Full shape
# received: [None, 240, 94, 1]". Rebuilt smaller with a GRU and no declared input; Keras 3.15: "Input 0 ... of
# layer 'gru' ... expected ndim=3, found ndim=4. Full shape received: (None, 24, 9, 1)". Squeeze the last
# axis.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
train_X = np.random.rand(28, 24, 9, 1).astype("float32")
train_X_orig = train_X.copy()
train_y = np.random.randint(0, 2, (28, 1))
model = keras.Sequential([layers.GRU(12), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = "model.fit(train_X, train_y, epochs=1, shuffle=True, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"squeeze", "reshape"}
FORBID = {"transpose", "edit_layer", "rebuild_input"}
AFTER = """assert train_X.shape == (28, 24, 9), train_X.shape
assert np.array_equal(train_X, train_X_orig[..., 0])
"""
