# source: https://github.com/tensorflow/tensorflow/issues/35154
# family: multi_output_single_label_array
# "Cannot train keras model with 2 outputs": data (50, 20), labels one array (50, 2), a Functional model with
# two Dense(1) heads. Keras 3.15: "y_true and y_pred have different structures. y_true: * y_pred: ['*', '*']".
# Maintainer's answer: model.fit(data, [labels[:, 0], labels[:, 1]]), one label array per output.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
data = np.random.rand(50, 20).astype("float32")
labels = np.random.rand(50, 2).astype("float32")
labels_orig = labels.copy()
inp = keras.Input((20,))
h = layers.Dense(16, activation="relu")(inp)
out1 = layers.Dense(1, name="out1")(h)
out2 = layers.Dense(1, name="out2")(h)
model = keras.Model(inp, [out1, out2])
model.compile(optimizer="adam", loss=["mse", "mse"])
"""
CELL = "model.fit(data, labels, epochs=1, batch_size=5, verbose=0)"
KINDS = {"output_structure"}
FIXES = {"split_labels"}
FORBID = {"reshape", "transpose", "edit_layer", "squeeze"}
AFTER = """assert isinstance(labels, (list, tuple)) and len(labels) == 2
assert np.array_equal(np.ravel(labels[0]), labels_orig[:, 0])
assert np.array_equal(np.ravel(labels[1]), labels_orig[:, 1])
"""
