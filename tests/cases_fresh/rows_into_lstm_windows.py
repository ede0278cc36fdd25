# source: https://github.com/austineaero/Remaining-Useful-Life-RUL-Estimation/issues/13
# family: rows_into_lstm_windows
# One engine's sensor readings, one row per cycle (60, 4), with one RUL label per cycle, into an LSTM declared
# for windows of 10 cycles. Right fix: sliding windows of 10 rows, (51, 10, 4), each labelled with the RUL of
# its last cycle, y[9:]. A plain reshape would mix cycles and lose the labels' alignment.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(13)
sensor = rng.random((60, 4)).astype("float32")
rul = np.arange(60, 0, -1, dtype="float32").reshape(-1, 1)
sensor_saved, rul_saved = sensor.copy(), rul.copy()
model = keras.Sequential([keras.Input((10, 4)), layers.LSTM(8), layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
"""
CELL = "model.fit(sensor, rul, batch_size=16, epochs=1, verbose=0)"
KINDS = {"missing_axis", "timestep_mismatch", "rank_mismatch"}
FIXES = {"window"}
FORBID = {"reshape", "transpose", "repeat"}
AFTER = """Xa, ya = np.asarray(sensor), np.asarray(rul)
assert Xa.shape == (51, 10, 4), Xa.shape
assert np.array_equal(Xa[0], sensor_saved[:10]) and np.array_equal(Xa[-1], sensor_saved[-10:])
assert ya.shape[0] == 51 and np.array_equal(ya.reshape(51), rul_saved[9:].reshape(51)), ya.shape
assert tuple(model.input_shape) == (None, 10, 4)
"""
