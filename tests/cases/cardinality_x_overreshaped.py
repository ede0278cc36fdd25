# x over-reshaped: 100 sequences of 48 steps cut into 200 samples of 24 steps. Keras 3 checks the
# counts first: "Data cardinality is ambiguous. ... 'x' sizes: 200 'y' sizes: 100". x is the one that
# is off, and a reshape to (100, 48, 1), the model's input, restores it without moving a value.
SETUP = """import numpy as np
import keras

series = np.random.rand(100, 48).astype("float32")
X_train = series.reshape(-1, 24, 1)
y_train = np.random.rand(100, 1).astype("float32")
model = keras.Sequential([keras.Input((48, 1)), keras.layers.LSTM(8), keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"cardinality_mismatch"}
FIXES = {"reshape"}
FORBID = {"expand_dims", "squeeze", "transpose", "pad_sequences"}
AFTER = """assert X_train.shape == (100, 48, 1), X_train.shape
assert np.array_equal(X_train[:, :, 0], series)
"""
