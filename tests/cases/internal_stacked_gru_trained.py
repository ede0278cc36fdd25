# Issue #3: a model that trained, then gets a second GRU stacked on its first (Functional API, rebuilt by
# the user from its trained layers). The fix must keep every trained weight: return_sequences does not
# change any weight's shape.
SETUP = """import numpy as np
import keras
from keras import layers

X = np.random.rand(32, 10, 4).astype("float32")
y = np.random.rand(32, 1).astype("float32")
base = keras.Sequential([layers.GRU(8), layers.Dense(1)])
base.compile(optimizer="adam", loss="mse")
base.fit(X, y, epochs=1, verbose=0)
model = keras.Sequential([base.layers[0], layers.GRU(4), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
trained = base.layers[0].get_weights()
"""
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "transpose", "squeeze"}
AFTER = """kept = model.layers[0].get_weights()
assert model.layers[0].return_sequences
assert len(kept) == len(trained) and all(np.allclose(a, b) for a, b in zip(kept, trained))
"""
RERUN = False
