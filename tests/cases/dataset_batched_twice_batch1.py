# source: https://github.com/tensorflow/datasets/issues/2893
# family: dataset_batched_twice
# as_dataset(..., batch_size=1) already yields batches of one picture; batching that dataset again gives
# (None, 1, H, W, 3) elements ("logits and labels must have the same shape ((None, None, None, 1) vs (None,
# 1))" in the thread). Rebuilt with a batch(1) then batch(8) dataset into a Functional CNN. Keras 3.15: "Input
# 0 ... expected shape=(None, 20, 20, 3), found shape=(None, None, 20, 20, 3)". Remove the inner level
# (unbatch once, or drop the size-1 axis); every picture keeps its label, and the model is right.
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

keras.utils.set_random_seed(0)
pics = np.random.rand(32, 20, 20, 3).astype("float32")
kinds = (np.arange(32) % 4).astype("int32")
train_ds = tf.data.Dataset.from_tensor_slices((pics, kinds)).batch(1)
train_ds = train_ds.batch(8)
inputs = keras.Input((20, 20, 3))
h = layers.Conv2D(4, 3, activation="relu")(inputs)
h = layers.GlobalAveragePooling2D()(h)
outputs = layers.Dense(4, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "model.fit(train_ds, epochs=1, verbose=0)"
KINDS = {"rank_mismatch"}
FIXES = {"unbatch", "squeeze"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "transpose"}
AFTER = """spec = train_ds.element_spec
assert spec[0].shape.rank == 4 and tuple(spec[0].shape)[1:] == (20, 20, 3), spec
assert spec[1].shape.rank == 1, spec
xs = np.concatenate([b[0].numpy() for b in train_ds])
ys = np.concatenate([b[1].numpy() for b in train_ds])
assert np.array_equal(xs, pics) and np.array_equal(ys, kinds)
"""
