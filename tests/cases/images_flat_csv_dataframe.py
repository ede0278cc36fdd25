# source: https://github.com/keras-team/keras/issues/162
# family: images_flattened_into_cnn
# A Kaggle-style CSV of pixel columns read with pandas (df.values, X[:, 1:]) and fed to Convolution2D. Here
# the pixel columns stay in a DataFrame (N, 144) and go to a trained 12x12x1 CNN for more training. Keras 3.15
# (the model has trained once): "Cannot take the length of shape with unknown rank." - no shape in the
# message. Reshape the rows to (N, 12, 12, 1) in row-major order.
SETUP = """import numpy as np
import pandas as pd
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((12, 12, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.Flatten(),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(15, 12, 12, 1), np.arange(15) % 3, epochs=1, verbose=0)
columns = ["label"] + ["pixel%d" % i for i in range(144)]
df = pd.DataFrame(np.random.rand(18, 145).astype("float32"), columns=columns)
df["label"] = np.arange(18) % 3
X = df.drop(columns="label")
y = df["label"].values
X_orig = X.values.copy()
"""
CELL = "model.fit(X, y, epochs=1, verbose=0)"
KINDS = {"flattened_input"}
FIXES = {"reshape"}
FORBID = {"resize", "rebuild_input", "edit_layer", "transpose", "expand_dims"}
AFTER = """arr = np.asarray(X)
assert arr.shape == (18, 12, 12, 1), arr.shape
assert np.array_equal(arr.reshape(18, 144), X_orig)
"""
