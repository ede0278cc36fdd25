# source: https://github.com/ankonzoid/artificio/issues/12
# family: autoencoder_size_not_multiple_of_pooling
# A never-trained convolutional autoencoder with two 2x poolings ('same') and two 2x upsamplings gets
# pictures of 30x42: the reconstruction comes out 32x44, so the targets (the pictures themselves) do
# not match the output. Right fix: make height and width multiples of 4 (pad or resize the pictures to
# 32x44, keeping their orientation), or crop/pad inside the (untrained) model so it returns 30x42.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(12)
imgs = rng.random((16, 30, 42, 3)).astype("float32")
imgs_saved = imgs.copy()
inp = keras.Input((30, 42, 3))
x = layers.Conv2D(8, 3, activation="relu", padding="same")(inp)
x = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
encoded = layers.MaxPooling2D(2, padding="same")(x)
x = layers.Conv2D(8, 3, activation="relu", padding="same")(encoded)
x = layers.UpSampling2D(2)(x)
x = layers.Conv2D(8, 3, activation="relu", padding="same")(x)
x = layers.UpSampling2D(2)(x)
decoded = layers.Conv2D(3, 3, activation="sigmoid", padding="same")(x)
autoencoder = keras.Model(inp, decoded)
autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = "autoencoder.fit(imgs, imgs, batch_size=8, epochs=1, verbose=0)"
KINDS = {"spatial_mismatch", "label_mismatch"}
FIXES = {"resize", "edit_layer", "rebuild_input", "pad"}
FORBID = {"transpose", "reshape", "squeeze", "repeat"}
AFTER = """ia = np.asarray(imgs)
out = autoencoder.predict(ia[:2], verbose=0)
assert out.shape == ia[:2].shape, (out.shape, ia.shape)
assert ia.shape[0] == 16 and ia.shape[-1] == 3
assert ia.shape[1] < ia.shape[2], ia.shape  # pictures not rotated
if ia.shape == imgs_saved.shape:
    assert np.array_equal(ia, imgs_saved)
else:
    assert ia.shape[1] % 4 == 0 and ia.shape[2] % 4 == 0, ia.shape
"""
