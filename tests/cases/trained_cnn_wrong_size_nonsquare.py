# source: https://github.com/jaredvasquez/CNN-HowManyFingers/issues/1
# family: images_wrong_size_into_trained_cnn
# "expected conv2d_1_input to have shape (None, 300, 300, 1) but got array with shape (1, 260, 300, 1)": one
# camera frame of a different height into a trained CNN (here 26x30 for 30x30). Keras 3.15 complains at the
# Dense after Flatten. Resize the frame; a transpose or a reshape would scramble (rotate) the picture. The
# frame is a vertical gradient, so a rotated result is detectable.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((30, 30, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(6, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(12, 30, 30, 1), np.arange(12) % 6, epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
img = np.repeat(np.linspace(0.0, 1.0, 26, dtype="float32")[None, :, None, None], 30, axis=2)
"""
CELL = "pred = model.predict(img, verbose=0)"
KINDS = {"spatial_mismatch"}
FIXES = {"resize"}
FORBID = {"reshape", "transpose", "rebuild_input", "edit_layer"}
AFTER = """assert img.shape == (1, 30, 30, 1), img.shape
frame = np.asarray(img)[0, :, :, 0]
assert np.all(np.diff(frame, axis=0) >= -1e-5), "rows no longer increase: the picture was rotated"
assert np.allclose(frame[:, 0], frame[:, -1], atol=1e-5), "columns differ: the picture was rotated"
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
"""
