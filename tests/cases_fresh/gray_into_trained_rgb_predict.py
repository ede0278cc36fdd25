# source: https://github.com/eriklindernoren/Keras-GAN/issues/94
# family: gray_into_trained_rgb
# Grayscale images (N, 16, 16, 1) into a trained feature extractor declared for RGB (predict).
# Right fix: repeat the single channel three times; the trained model and its weights stay untouched.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(94)
rgb = rng.random((16, 16, 16, 3)).astype("float32")
model = keras.Sequential([
    keras.Input((16, 16, 3)),
    layers.Conv2D(8, 3, activation="relu", name="block1_conv1"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(4),
])
model.compile(optimizer="adam", loss="mse")
model.fit(rgb, rng.random((16, 4)).astype("float32"), epochs=1, verbose=0)  # stands in for pretrained weights
w_saved = [w.copy() for w in model.get_weights()]
gray = rng.random((5, 16, 16, 1)).astype("float32")
gray_saved = gray.copy()
"""
CELL = "features = model.predict(gray, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"repeat"}
FORBID = {"rebuild_input", "edit_layer", "reshape", "resize", "transpose"}
AFTER = """ga = np.asarray(gray)
assert ga.shape == (5, 16, 16, 3), ga.shape
assert all(np.array_equal(ga[..., c], gray_saved[..., 0]) for c in range(3))
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert tuple(model.input_shape) == (None, 16, 16, 3)
assert features.shape == (5, 4)
"""
