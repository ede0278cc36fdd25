# A model trained on 10 classes is evaluated on a test split whose labels were one-hot encoded without
# num_classes: to_categorical counted max label + 1 = 6 columns (keras/src/utils/numerical_utils.py).
# evaluate uses the trained model, so the output layer must not be rebuilt: widen the rows instead.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(100, 8).astype("float32")
y_train = keras.utils.to_categorical(np.arange(100) % 10)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X_train, y_train, epochs=1, verbose=0)
X_test = np.random.rand(30, 8).astype("float32")
classes = np.arange(30) % 6
y_test = keras.utils.to_categorical(classes)
"""
CELL = "model.evaluate(X_test, y_test, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"to_categorical"}
FORBID = {"edit_layer", "reshape", "squeeze", "argmax", "sparse_loss", "categorical_loss"}
AFTER = """assert y_test.shape == (30, 10), y_test.shape
assert np.array_equal(y_test.argmax(axis=1), classes)
"""
