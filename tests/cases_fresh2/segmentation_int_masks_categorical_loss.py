# source: https://github.com/qubvel/segmentation_models/issues/137
# family: segmentation_masks_class_ids_with_categorical_loss
# Multi-class segmentation: masks hold one class id per pixel, (N, 16, 16, 1) with values 0..7, the
# model ends in an 8-way per-pixel softmax (N, 16, 16, 8), compiled with categorical_crossentropy.
# Right fix: sparse_categorical_crossentropy, or one-hot masks to_categorical(masks, 8) -> (N, 16, 16, 8).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(137)
images = rng.random((12, 16, 16, 3)).astype("float32")
masks = rng.integers(0, 8, (12, 16, 16, 1))
masks_saved = masks.copy()
inp = keras.Input((16, 16, 3))
x = layers.Conv2D(8, 3, activation="relu", padding="same")(inp)
x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
out = layers.Conv2D(8, 1, activation="softmax")(x)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CELL = "model.fit(images, masks, batch_size=4, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"sparse_loss", "to_categorical"}
FORBID = {"reshape", "argmax", "edit_layer", "rebuild_input", "squeeze", "transpose", "repeat"}
AFTER = """ma = np.asarray(masks)
if ma.shape == (12, 16, 16, 8):
    assert np.array_equal(ma.argmax(-1), masks_saved[..., 0])
else:
    assert np.array_equal(ma.reshape(12, 16, 16), masks_saved[..., 0]), ma.shape
    assert "sparse" in str(getattr(model.loss, "name", model.loss))
assert tuple(model.output_shape) == (None, 16, 16, 8)
"""
