# source: https://github.com/keras-team/keras/issues/9739
# family: gray_untrained_declared_rgb
# A CNN trained "from scratch" (never trained yet) declared for 3 channels, fed grayscale (N, 32, 32, 1).
# Right fix: declare one channel in the model (rebuild); copying the gray channel three times only fits
# a typo.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(9739)
X_train = rng.random((12, 32, 32, 1)).astype("float32")
y_train = keras.utils.to_categorical(rng.integers(0, 3, 12), 3)
X_saved = X_train.copy()
inputs = keras.Input(shape=(32, 32, 3))
x = layers.Conv2D(8, 3, strides=2, activation="relu")(inputs)
x = layers.Conv2D(8, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, batch_size=4, epochs=1, verbose=0)"
KINDS = {"feature_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "transpose", "resize", "squeeze"}
AFTER = """assert tuple(model.input_shape) == (None, 32, 32, 1), model.input_shape
assert np.array_equal(np.asarray(X_train), X_saved)
assert tuple(model.output_shape) == (None, 3)
"""
