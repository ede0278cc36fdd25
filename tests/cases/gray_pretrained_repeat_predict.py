# source: https://github.com/keras-team/keras/issues/14220
# family: grayscale_into_pretrained_rgb
# predict on a trained 3-channel CNN (VGG16 in the thread) with grayscale images (N, H, W, 1): "How can I
# convert (None, 224, 224, 1) to (None, 224, 224, 3)?". Keras 3.15: "expected axis -1 of input shape to have
# value 3". The weights were learned on 3 channels and predict must not change the model: repeat the gray
# channel.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
inp = keras.Input((32, 32, 3))
h = layers.Conv2D(4, 3, activation="relu")(inp)
h = layers.GlobalAveragePooling2D()(h)
out = layers.Dense(4, activation="softmax")(h)
model = keras.Model(inp, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(16, 32, 32, 3), np.arange(16) % 4, epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
gray_test = np.random.rand(6, 32, 32, 1).astype("float32")
gray_orig = gray_test.copy()
"""
CELL = "preds = model.predict(gray_test, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"repeat"}
FORBID = {"reshape", "transpose", "rebuild_input", "edit_layer", "resize"}
AFTER = """assert gray_test.shape == (6, 32, 32, 3), gray_test.shape
assert all(np.array_equal(gray_test[..., c], gray_orig[..., 0]) for c in range(3))
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
assert preds.shape == (6, 4)
"""
