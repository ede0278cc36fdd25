# source: https://openillumi.com/en/en-fix-keras-data-cardinality-ambiguous-tf-stack
# family: python_list_of_samples_as_model_input
# Images and targets collected in Python lists (24 arrays of (16, 16, 3), 24 arrays of 5 floats) and
# passed to fit of a single-input model; Keras reads a list as several inputs. Right fix: stack each
# list into one array, np.stack(data_list) -> (24, 16, 16, 3) and np.stack(y) -> (24, 5).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(2024)
data_list = [rng.random((16, 16, 3)).astype("float32") for _ in range(24)]
y = [rng.random(5).astype("float32") for _ in range(24)]
data_saved = np.stack(data_list)
y_saved = np.stack(y)
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(5),
])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(data_list, y, batch_size=8, epochs=1, verbose=0)"
KINDS = {"cardinality_mismatch", "output_structure", "ragged_sequences"}
FIXES = {"stack", "pad_sequences", "reshape"}
FORBID = {"transpose", "resize", "rebuild_input", "edit_layer"}
AFTER = """xa, ya = np.asarray(data_list), np.asarray(y)
assert xa.shape == (24, 16, 16, 3) and np.array_equal(xa, data_saved), xa.shape
assert ya.shape == (24, 5) and np.array_equal(ya, y_saved), ya.shape
"""
