# source: https://github.com/karolzak/keras-unet/issues/51
# family: declared_input_has_spurious_leading_axis
# A never-trained regression MLP declared with input_shape=(1, 3) for features of shape (1700, 3)
# ("expected shape=(None, 1, 3), found shape=(None, 3)"). The data agrees with itself; the declaration
# has a spurious axis. Right fix: declare (3,) (rebuild with the data's shape); adding an axis to the
# data would make every output (N, 1, 1) for (N,) targets.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(51)
features = rng.random((60, 3)).astype("float32")
labels = rng.random(60).astype("float32")
features_saved = features.copy()
nn_model = keras.Sequential([
    keras.Input((1, 3)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(1),
])
nn_model.compile(optimizer="adam", loss="mse")
"""
CELL = "history = nn_model.fit(features, labels, epochs=1, batch_size=16, verbose=0)"
KINDS = {"rank_mismatch", "missing_axis"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "transpose", "repeat"}
AFTER = """assert np.array_equal(np.asarray(features), features_saved)
assert tuple(nn_model.input_shape) == (None, 3), nn_model.input_shape
assert tuple(nn_model.output_shape) == (None, 1), nn_model.output_shape
assert nn_model.optimizer is not None
"""
