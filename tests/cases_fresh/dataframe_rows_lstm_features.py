# source: https://www.pythond.com/52081/como-procesar-la-forma-de-entrada-y-salida-para-keras-lstm.html
# family: dataframe_rows_lstm_features
# A pandas DataFrame of independent rows, 9 feature columns, into an LSTM declared for 9 features per
# step (LSTM(32, input_dim=9) in the source). Right fix: one timestep per row, (40, 9) -> (40, 1, 9); the
# 9 features stay the feature axis (the Q&A answer's (N, 9, 1) would turn features into timesteps).
SETUP = """import numpy as np
import pandas as pd
import keras
from keras import layers

rng = np.random.default_rng(52081)
X = pd.DataFrame(rng.random((40, 9)).astype("float32"), columns=[f"f{i}" for i in range(9)])
Y = rng.random((40, 2)).astype("float32")
X_saved = X.to_numpy().copy()
model = keras.Sequential([keras.Input((None, 9)), layers.LSTM(32), layers.Dense(2)])
model.compile(loss="mean_squared_error", optimizer="adam")
"""
CELL = "model.fit(X, Y, batch_size=8, epochs=1, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"transpose", "window", "rebuild_input"}
AFTER = """Xa = np.asarray(X)
assert Xa.shape == (40, 1, 9), Xa.shape
assert np.array_equal(Xa[:, 0, :], X_saved)
assert tuple(model.input_shape) == (None, None, 9)
"""
