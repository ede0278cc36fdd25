# source: https://github.com/aashishrai3799/Automated-Attendance-System-using-CNN/issues/3
# family: images_of_different_sizes
# Face crops of different sizes collected in a list and turned into one array for a network that takes 160x160
# pictures: "could not broadcast input array from shape (194,152,3) into shape (160,160,3)"; the author's
# answer: resize the training data to 160x160 first. NumPy 2 says "setting an array element with a sequence.
# The requested array has an inhomogeneous shape after 1 dimensions". Here the trained model takes 16x16x3:
# resize every crop to 16x16 (zero padding or reshaping would change the pictures), so that the cell runs.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
sizes = ((19, 15), (16, 16), (22, 18), (14, 17), (20, 20))
faces = [rng.random((h, w, 3)).astype("float32") for h, w in sizes]
face_16 = faces[1].copy()
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(8),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(10, 16, 16, 3), np.random.rand(10, 8), epochs=1, verbose=0)
"""
CELL = "X = np.array(faces)"
KINDS = {"ragged_sequences", "spatial_mismatch"}
FIXES = {"resize"}
FORBID = {"pad_sequences", "padded_batch", "reshape", "transpose"}
AFTER = """X = np.asarray(X)
assert X.shape == (5, 16, 16, 3), X.shape
assert np.allclose(X[1], face_16, atol=1e-5)
embeddings = model.predict(X, verbose=0)
assert embeddings.shape == (5, 8)
"""
