# source: https://github.com/keras-team/keras/issues/8611
# family: multi_output_single_label_array
# "The model expects 3 target arrays, but only received one array. Found: array with shape (32, 3)": a CNN
# regressing 3 parameters with three Dense(1) heads, the labels one (N, 3) array. Keras 3.15 (single loss):
# "The path: (0,) in the `loss` argument, can't be found in either the model's output (`y_pred`) or in the
# labels (`y_true`)". Split the columns, one per output, in output order.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
images = np.random.rand(24, 16, 16, 3).astype("float32")
params = np.random.rand(24, 3).astype("float32")
params_orig = params.copy()
inp = keras.Input((16, 16, 3))
h = layers.Conv2D(4, 3, activation="relu")(inp)
h = layers.Flatten()(h)
h = layers.Dense(16, activation="relu")(h)
heads = [layers.Dense(1, name=n)(h) for n in ("p1", "p2", "p3")]
model = keras.Model(inp, heads)
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(images, params, epochs=1, batch_size=8, verbose=0)"
KINDS = {"output_structure"}
FIXES = {"split_labels"}
FORBID = {"reshape", "transpose", "edit_layer", "squeeze"}
AFTER = """assert isinstance(params, (list, tuple, dict)) and len(params) == 3
cols = list(params.values()) if isinstance(params, dict) else list(params)
assert all(np.array_equal(np.ravel(cols[k]), params_orig[:, k]) for k in range(3))
"""
