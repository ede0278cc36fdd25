# source: https://github.com/imfing/keras-flask-deploy-webapp/issues/23
# family: rgba_alpha_channel_into_trained_rgb
# A PNG read as RGBA, (1, 28, 28, 4), into a trained classifier declared for RGB (28, 28, 3) (predict).
# Right fix: drop the alpha channel, img[..., :3] (what img.convert("RGB") does for opaque pixels);
# the trained model stays untouched. Declaring 4 channels or reshaping would be wrong.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(23)
rgb = rng.random((16, 28, 28, 3)).astype("float32")
model = keras.Sequential([
    keras.Input((28, 28, 3)),
    layers.Conv2D(8, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(rgb, rng.integers(0, 2, 16), epochs=1, verbose=0)  # stands in for the trained model
w_saved = [w.copy() for w in model.get_weights()]
img = rng.random((1, 28, 28, 4)).astype("float32")
img[..., 3] = 1.0  # opaque alpha, as in a PNG without transparency
img_saved = img.copy()
"""
CELL = "nt_weapon = model.predict(img, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"drop_channel", "slice_channels"}  # not in FIX_KINDS today: the move is missing
FORBID = {"rebuild_input", "edit_layer", "reshape", "resize", "transpose", "repeat"}
AFTER = """ia = np.asarray(img)
assert ia.shape == (1, 28, 28, 3), ia.shape
assert np.array_equal(ia, img_saved[..., :3])
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert nt_weapon.shape == (1, 2)
"""
