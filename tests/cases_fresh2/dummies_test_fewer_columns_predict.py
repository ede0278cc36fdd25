# source: https://techqa.club/v/q/keep-same-dummy-variable-in-training-and-testing-data-41335718
# family: one_hot_columns_differ_between_train_and_test
# pd.get_dummies applied separately to train and test: the test set has fewer cities, so 5 columns
# instead of the 7 the trained model was fitted on (predict). Right fix: align the test columns to the
# training columns, missing dummies filled with 0 (X_test.reindex(columns=X_train.columns, fill_value=0)).
# Padding zeros at the end, resizing, or rebuilding the trained model would be wrong.
SETUP = """import numpy as np
import pandas as pd
import keras
from keras import layers

rng = np.random.default_rng(41335718)
cities = ["Chicago", "New York", "Los Angeles", "Boston", "Denver"]
train = pd.DataFrame({"income": rng.random(40), "age": rng.random(40),
                      "city": [cities[i] for i in rng.integers(0, 5, 40)]})
train.loc[:4, "city"] = cities  # every city appears in training
test = pd.DataFrame({"income": rng.random(6), "age": rng.random(6),
                     "city": ["Boston", "Chicago", "Denver", "Boston", "Chicago", "Denver"]})
X_train = pd.get_dummies(train, columns=["city"], dtype="float32").astype("float32")
X_test = pd.get_dummies(test, columns=["city"], dtype="float32").astype("float32")
X_test_saved = X_test.copy()
y_train = rng.random(40).astype("float32")
model = keras.Sequential([
    keras.Input((X_train.shape[1],)),
    layers.Dense(8, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(X_train, y_train, epochs=1, verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
"""
CELL = "pred = model.predict(X_test, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"align_columns"}  # core/moves/data.py align_columns (the move was missing at first)
FORBID = {"rebuild_input", "edit_layer", "reshape", "resize", "pad_sequences", "repeat"}
AFTER = """assert list(X_test.columns) == list(X_train.columns), list(X_test.columns)
for c in X_test_saved.columns:
    assert np.array_equal(X_test[c].to_numpy(), X_test_saved[c].to_numpy()), c
for c in set(X_train.columns) - set(X_test_saved.columns):
    assert (X_test[c] == 0).all(), c
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert pred.shape == (6, 1)
"""
