# source: https://py4u.org/questions/58663739/
# family: single_sample_as_pandas_series
# A trained tabular model; one row taken with df.iloc[0] is a pandas Series of 6 feature values,
# shape (6,), and predict reads it as 6 samples of nothing. Right fix: keep it one sample with its
# feature axis, (1, 6) (df.iloc[[0]] / row.to_numpy().reshape(1, -1)); the model stays as it is.
SETUP = """import numpy as np
import pandas as pd
import keras
from keras import layers

rng = np.random.default_rng(58663739)
df = pd.DataFrame(rng.random((30, 6)).astype("float32"), columns=list("abcdef"))
model = keras.Sequential([keras.Input((6,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(df, rng.random(30).astype("float32"), epochs=1, verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
row = df.iloc[0]
row_saved = row.to_numpy().copy()
"""
CELL = "prediction = model.predict(row, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"rebuild_input", "edit_layer", "transpose"}
AFTER = """ra = np.asarray(row, dtype="float32")
assert ra.shape == (1, 6), ra.shape
assert np.array_equal(ra[0], row_saved)
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert prediction.shape == (1, 1)
"""
