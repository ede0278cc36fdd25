# source: https://github.com/tensorflow/tensorflow/issues/19912
# family: dataset_of_feature_dicts_into_single_input_model
# A DataFrame turned into tf.data the tutorial way, from_tensor_slices((dict(features), target)): each
# element is a dict of 4 scalar columns, but the Sequential model has one input of 4 features.
# Right fix: stack the columns into one feature vector in the pipeline, in the DataFrame's column order
# (ds.map(lambda f, y: (tf.stack([f[c] for c in columns], -1), y))).
SETUP = """import numpy as np
import pandas as pd
import tensorflow as tf
import keras
from keras import layers

rng = np.random.default_rng(19912)
df = pd.DataFrame(rng.random((32, 4)).astype("float32"), columns=["age", "fare", "sibsp", "parch"])
target = rng.integers(0, 2, 32)
train_ds = tf.data.Dataset.from_tensor_slices((dict(df), target)).batch(8)
model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = "model.fit(train_ds, epochs=1, verbose=0)"
KINDS = {"feature_mismatch", "rank_mismatch", "output_structure"}
FIXES = {"stack_features", "stack"}  # not in FIX_KINDS today: the move is missing
FORBID = {"rebuild_input", "edit_layer", "reshape"}
RERUN = False
AFTER = """assert train_ds.element_spec[0].shape.as_list() == [None, 4], train_ds.element_spec
xs = np.concatenate([x.numpy() for x, _ in train_ds])
ys = np.concatenate([y.numpy() for _, y in train_ds])
assert np.array_equal(xs, df.to_numpy()) and np.array_equal(ys, target)
model.fit(train_ds, epochs=1, verbose=0)
"""
