# source: https://github.com/matterport/Mask_RCNN/issues/140
# family: grayscale_into_untrained_rgb_declaration
# "Support for greyscale images (in general, number of channels different from 3)": a backbone trained from
# scratch keeps its 3-channel declaration while the images have one channel. Keras 3.15: "expected axis -1 of
# input shape to have value 3, but received input with shape (None, 32, 32, 1)". Nothing was learned yet, so
# the declaration is the typo: declare one channel; tripling the data would only triple the memory.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
inputs = keras.Input(shape=(32, 32, 3))
h = layers.Conv2D(8, 3, padding="same", activation="relu")(inputs)
h = layers.MaxPooling2D()(h)
h = layers.Conv2D(8, 3, padding="same", activation="relu")(h)
h = layers.GlobalAveragePooling2D()(h)
outputs = layers.Dense(3, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
X = np.random.rand(24, 32, 32, 1).astype("float32")
X_orig = X.copy()
y = np.arange(24) % 3
"""
CELL = "model.fit(X, y, epochs=1, batch_size=8, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "transpose", "resize"}
AFTER = """assert tuple(model.input_shape) == (None, 32, 32, 1), model.input_shape
assert X.shape == (24, 32, 32, 1) and np.array_equal(X, X_orig)
"""
