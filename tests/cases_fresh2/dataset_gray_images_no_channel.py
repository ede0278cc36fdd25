# source: https://github.com/keras-team/keras/issues/11950
# family: dataset_images_missing_channel_axis
# Grayscale pictures (28, 28) go through tf.data (from_tensor_slices + batch) into a never-trained CNN
# that declares no input: each batch lacks the channel axis ("expected min_ndim=4, found ndim=3").
# (With keras.Input((28, 28, 1)) Keras 3 adds the trailing size-1 axis itself and nothing fails.)
# Declaring (28, 28) cannot work for Conv2D. Right fix: add the channel axis in the pipeline,
# ds.map(lambda x, y: (x[..., None], y)); declaring Input((28, 28, 1)) also works in Keras 3.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(11950)
images = rng.random((32, 28, 28)).astype("float32")
labels = rng.integers(0, 10, 32)
train_ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)
model = keras.Sequential([
    layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(train_ds, epochs=1, verbose=0)"
KINDS = {"missing_axis"}
FORBID = {"repeat", "resize", "transpose", "edit_layer"}
FIXES = {"expand_dims", "reshape", "rebuild_input"}
AFTER = """xs = np.concatenate([x.numpy() for x, _ in train_ds])
ys = np.concatenate([y.numpy() for _, y in train_ds])
assert np.array_equal(ys, labels)
if xs.ndim == 4:
    assert train_ds.element_spec[0].shape.as_list() == [None, 28, 28, 1], train_ds.element_spec
    assert np.array_equal(xs[..., 0], images)
else:
    assert np.array_equal(xs, images) and tuple(model.input_shape) == (None, 28, 28, 1), model.input_shape
# the model predicts 10 class scores (Keras 2 gives a lazy Sequential no output_shape)
assert model.predict(xs[:2], verbose=0).shape == (2, 10)
"""
