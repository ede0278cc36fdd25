# source: https://github.com/tensorflow/tensorflow/issues/42342
# family: images_wrong_size_into_trained_cnn
# "Unable to predict CNN model": a trained CNN (Flatten + Dense) fed bigger pictures at predict time; the
# Dense expected 100352 values and got 131072. Keras 3.15: "Input 0 ... of layer 'dense' ... expected axis -1
# of input shape to have value 605, but received input with shape (4, 845)". The model is trained and predict
# must not change it: resize the pictures to 24x24.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((24, 24, 3)),
    layers.Conv2D(5, 3, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(2, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(16, 24, 24, 3), np.arange(16) % 2, epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
photos = np.random.rand(4, 28, 28, 3).astype("float32")
"""
CELL = "predictions = model.predict(photos, verbose=0)"
KINDS = {"spatial_mismatch"}
FIXES = {"resize"}
FORBID = {"reshape", "transpose", "rebuild_input", "edit_layer", "squeeze"}
AFTER = """assert photos.shape == (4, 24, 24, 3), photos.shape
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
assert predictions.shape == (4, 2)
"""
