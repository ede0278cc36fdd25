# source: http://fatal001.com/tensorflow/50872958595547719616.html
# family: conv1d_on_2d_tabular
# "I want to apply a 1D convolution to my 29-feature input ... input_shape=(29, 1) but ... expected to have 3
# dimensions, but got array with shape (4000, 29)". Keras 3.15 no longer raises here: a Sequential declared
# for (29, 1) quietly adds the channel axis to (N, 29) rows and trains. The pre-flight check should still
# report the missing axis; the fix adds it to the data (the declaration is right).
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
X = np.random.rand(40, 29).astype("float32")
X_orig = X.copy()
y = np.random.randint(0, 2, 40)
model = keras.Sequential([
    keras.Input((29, 1)),
    layers.Conv1D(32, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = ""
CHECK = "(model, X, y)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"transpose", "repeat", "rebuild_input", "edit_layer"}
RERUN = False
AFTER = """assert X.shape == (40, 29, 1), X.shape
assert np.array_equal(X[..., 0], X_orig)
"""
