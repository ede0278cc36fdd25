# source: https://github.com/keras-team/keras/issues/12555
# family: conv2d_feature_maps_into_rnn
# A never-trained CNN+LSTM: Conv2D/MaxPooling2D feature maps (N, h, w, c) go straight into an LSTM,
# which wants (N, steps, features) ("expected ndim=3, found ndim=4"). Right fix: insert one layer
# before the LSTM that makes rows the steps, Reshape((h, w*c)) (or TimeDistributed(Flatten())); the
# images stay as they are.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(12555)
images = rng.random((16, 32, 32, 3)).astype("float32")
images_saved = images.copy()
labels = rng.integers(0, 2, 16)
cnn_model = keras.Sequential([
    layers.Conv2D(8, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(8, (3, 3), activation="relu"),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.LSTM(16),
    layers.Dense(2, activation="softmax"),
])
cnn_model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "cnn_model.fit(images, labels, batch_size=8, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"edit_layer", "flatten"}
FORBID = {"reshape", "squeeze", "transpose", "resize"}
AFTER = """assert np.array_equal(np.asarray(images), images_saved)
names = [type(l).__name__ for l in cnn_model.layers]
assert "LSTM" in names and names.count("Conv2D") == 2, names
assert cnn_model.predict(images[:2], verbose=0).shape == (2, 2)
"""
