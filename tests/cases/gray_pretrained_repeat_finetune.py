# source: https://github.com/keras-team/keras/issues/11208
# family: grayscale_into_pretrained_rgb
# "Transfer Learning (VGG16) using MNIST": a network whose weights were learned on RGB, fine-tuned on
# grayscale digits; the user's fix stacks the gray channel into three (to_rgb + np.stack). Keras 3.15 (the
# model has trained once) fails in the convolution: "Depth of input must be a multiple of depth of filter: 1
# vs 3". The trained model keeps its weights; the data gets 3 identical channels.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((24, 24, 3)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(np.random.rand(16, 24, 24, 3), np.random.randint(0, 2, 16), epochs=1, verbose=0)
x_gray = np.random.rand(20, 24, 24, 1).astype("float32")
x_gray_orig = x_gray.copy()
y_gray = np.random.randint(0, 2, 20)
"""
CELL = "model.fit(x_gray, y_gray, epochs=1, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"repeat"}
FORBID = {"reshape", "transpose", "rebuild_input", "edit_layer", "resize"}
AFTER = """assert x_gray.shape == (20, 24, 24, 3), x_gray.shape
assert all(np.array_equal(x_gray[..., c], x_gray_orig[..., 0]) for c in range(3))
assert tuple(model.input_shape) == (None, 24, 24, 3)
"""
