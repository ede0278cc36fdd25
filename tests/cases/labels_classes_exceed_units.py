# Class indices 0..11 with sparse_categorical_crossentropy and a Dense(10) output: TensorFlow stops the
# first step with "Received a label value of 11 which is outside the valid range of [0, 10)"
# (tensorflow/core/kernels/sparse_xent_op.cc; a GPU gives NaN instead). The output layer needs 12 units.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(96, 8).astype("float32")
y_train = np.arange(96) % 12
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"edit_layer"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "to_categorical", "argmax", "categorical_loss"}
AFTER = """assert model.output_shape == (None, 12), model.output_shape
assert model.loss == "sparse_categorical_crossentropy"
"""
