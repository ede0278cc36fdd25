# source: https://github.com/keras-team/keras/issues/6967
# family: trained_lstm_predict_one_row
# A trained LSTM declared for (1 timestep, 6 lag features) forecasts from one row given as (1, 6)
# ("expected lstm_2_input to have 3 dimensions, but got array with shape (1, 46)" in the source).
# Right fix: add the timestep axis, (1, 6) -> (1, 1, 6); no model change for predict.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(6967)
train_X = rng.random((30, 1, 6)).astype("float32")
train_y = rng.random((30, 1)).astype("float32")
model = keras.Sequential([keras.Input((1, 6)), layers.LSTM(4), layers.Dense(1)])
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(train_X, train_y, epochs=1, batch_size=10, verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
row = rng.random((1, 6)).astype("float32")
row_saved = row.copy()
"""
CELL = "yhat = model.predict(row, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"rebuild_input", "edit_layer", "transpose", "squeeze", "window", "repeat"}
AFTER = """ra = np.asarray(row)
assert ra.shape == (1, 1, 6), ra.shape
assert np.array_equal(ra[0, 0], row_saved[0])
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert yhat.shape == (1, 1)
"""
