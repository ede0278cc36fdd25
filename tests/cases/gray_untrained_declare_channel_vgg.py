# source: https://github.com/keras-team/keras/issues/6849
# family: grayscale_into_untrained_rgb_declaration
# A VGG-style network with weights=None for grayscale images ("If I keep input_shape=None then I get a shape
# mismatch error at the beginning of training"): here a small VGG-like Sequential declared for 3 channels and
# trained from scratch on (N, 28, 28, 1). Keras 3.15: "expected axis -1 of input shape to have value 3". Never
# trained: declare (28, 28, 1).
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((28, 28, 3)),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.Conv2D(8, 3, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
x_train = np.random.rand(20, 28, 28, 1).astype("float32")
x_orig = x_train.copy()
y_train = np.random.randint(0, 2, (20, 1))
"""
CELL = "model.fit(x_train, y_train, epochs=1, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "transpose", "resize"}
AFTER = """assert tuple(model.input_shape) == (None, 28, 28, 1), model.input_shape
assert np.array_equal(x_train, x_orig)
"""
