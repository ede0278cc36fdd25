# source: https://github.com/ZFTurbo/ZF_UNET_224_Pretrained_Model/issues/8
# family: grayscale_into_pretrained_rgb
# "If you use pretrained weights then you need to convert grayscale image to RGB (cv2.COLOR_GRAY2RGB)". Here
# the gray images come without a channel axis at all, (N, 28, 28), into a trained 3-channel model. Keras 3.15:
# "Invalid input shape ... Expected shape (None, 28, 28, 3), but input has incompatible shape (None, 28, 28)".
# The trained weights stay; every gray value becomes three equal channels.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((28, 28, 3)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.GlobalMaxPooling2D(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(12, 28, 28, 3), np.arange(12) % 2, epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
scans = np.random.rand(5, 28, 28).astype("float32")
scans_orig = scans.copy()
"""
CELL = "probs = model.predict(scans, verbose=0)"
KINDS = {"missing_axis", "feature_mismatch", "rank_mismatch"}
FIXES = {"repeat"}
FORBID = {"reshape", "transpose", "rebuild_input", "edit_layer", "resize"}
AFTER = """assert scans.shape == (5, 28, 28, 3), scans.shape
assert all(np.array_equal(scans[..., c], scans_orig) for c in range(3))
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
"""
