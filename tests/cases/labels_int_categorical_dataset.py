# The labels travel inside a tf.data.Dataset of (x, y) pairs: kerashape cannot rewrite them, but
# the loss can change; the fix is verified on the dataset's first batch.
SETUP = """import numpy as np
import tensorflow as tf
import keras

X = np.random.rand(64, 8).astype("float32")
y = np.random.randint(0, 4, size=64)
train_ds = tf.data.Dataset.from_tensor_slices((X, y)).batch(16)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""
CELL = "model.fit(train_ds, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"sparse_loss"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose"}
AFTER = '''assert model.loss == "sparse_categorical_crossentropy"'''
