# A softmax over one unit always outputs 1.0: with 0/1 labels and binary_crossentropy Keras 3 trains
# without an error and learns nothing. The check reports it; the output layer needs a sigmoid.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(50, 4).astype("float32")
y_train = np.random.randint(0, 2, size=50)
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                          keras.layers.Dense(1, activation="softmax")])
model.compile(optimizer="adam", loss="binary_crossentropy")
w0 = [w.copy() for w in model.get_weights()]
"""
CELL = ""
CHECK = "(model, X_train, y_train)"
KINDS = {"label_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "to_categorical", "argmax"}
RERUN = False
AFTER = """assert model.layers[-1].get_config()["activation"] == "sigmoid"
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w0)), "weights not kept"
p = model.predict(X_train[:4], verbose=0)
assert not np.allclose(p, 1.0), p
"""
