# One-hot labels flattened with ravel(): 100 x 10 values became 1000 "samples". y is the one that is
# off; reshaped to (100, 10), the shape of the model's output, it pairs with x again.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(100, 8).astype("float32")
onehot = keras.utils.to_categorical(np.random.randint(0, 10, size=100), 10)
y_train = onehot.ravel()
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"cardinality_mismatch"}
FIXES = {"reshape"}
FORBID = {"expand_dims", "squeeze", "transpose", "to_categorical", "argmax"}
AFTER = """assert y_train.shape == (100, 10), y_train.shape
assert np.array_equal(y_train, onehot)
"""
