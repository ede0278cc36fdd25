# source: https://github.com/keras-team/keras/issues/12476
# family: multi_output_single_y
# A model with two softmax heads trained with ONE label array holding both answers, shape (N, 2)
# (Keras 3: "y_true and y_pred have different structures"). Right fix: one label array per output,
# [y[:, 0], y[:, 1]], in the order of model.outputs.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(12476)
inp = keras.Input((16,))
x = layers.Dense(32, activation="relu")(inp)
x_1 = layers.Dense(16, activation="relu")(x)
predictions_1 = layers.Dense(4, activation="softmax", name="head_1")(x_1)
x_2 = layers.Dense(16, activation="relu")(x)
predictions_2 = layers.Dense(4, activation="softmax", name="head_2")(x_2)
my_model = keras.Model(inputs=inp, outputs=[predictions_1, predictions_2])
my_model.compile(
    optimizer="adam", loss=["sparse_categorical_crossentropy", "sparse_categorical_crossentropy"]
)
x_train = rng.random((20, 16)).astype("float32")
y_train = rng.integers(0, 4, (20, 2))
y_saved = y_train.copy()
"""
CELL = "my_model.fit(x_train, y_train, batch_size=5, epochs=1, verbose=0)"
KINDS = {"output_structure"}
FIXES = {"split_labels"}
FORBID = {"reshape", "argmax", "to_categorical", "edit_layer", "rebuild_input", "squeeze", "transpose"}
AFTER = """assert isinstance(y_train, (list, tuple, dict)) and len(y_train) == 2, type(y_train)
parts = [y_train[k] for k in ("head_1", "head_2")] if isinstance(y_train, dict) else list(y_train)
assert np.array_equal(np.asarray(parts[0]).reshape(20), y_saved[:, 0])
assert np.array_equal(np.asarray(parts[1]).reshape(20), y_saved[:, 1])
assert len(my_model.outputs) == 2
"""
