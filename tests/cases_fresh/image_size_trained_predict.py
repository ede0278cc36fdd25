# source: https://github.com/GantMan/nsfw_model/issues/138
# family: image_size_trained_predict
# A trained classifier built for 30x30 images is given 24x24 images in predict ("expected
# shape=(None, 30, 30, 3), found shape=(4, 24, 24, 3)"). Right fix: resize the images to 30x30; never
# touch the trained model, never rotate.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(138)
inp = keras.Input((30, 30, 3))
h = layers.Conv2D(8, 3, activation="relu")(inp)
h = layers.GlobalAveragePooling2D()(h)
out = layers.Dense(2, activation="softmax")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(rng.random((16, 30, 30, 3)), rng.integers(0, 2, 16), epochs=1, verbose=0)  # the trained model
w_saved = [w.copy() for w in model.get_weights()]
ramp = np.linspace(0.0, 1.0, 24, dtype="float32")[None, :, None, None]  # bright at the bottom
images = np.broadcast_to(ramp, (4, 24, 24, 3)).copy()
images[..., 1] *= 0.5
"""
CELL = "preds = model.predict(images, verbose=0)"
KINDS = {"spatial_mismatch"}
FIXES = {"resize"}
FORBID = {"rebuild_input", "edit_layer", "reshape", "transpose", "squeeze"}
AFTER = """im = np.asarray(images)
assert im.shape == (4, 30, 30, 3), im.shape
col = im[0, :, 15, 0]
# still bright at the bottom: not rotated
assert np.all(np.diff(col) >= -1e-4) and col[-1] - col[0] > 0.8, col
assert np.ptp(im[0, 15, :, 0]) < 1e-3  # constant along the width
assert np.allclose(im[..., 1], 0.5 * im[..., 0], atol=1e-3)  # channels kept apart
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert preds.shape == (4, 2)
"""
