# source: https://github.com/keras-team/keras/issues/4698
# family: sequence_labels_per_timestep
# One label per timestep: y = np_utils.to_categorical(...) reshaped to (1, T, 2), a TimeDistributed softmax
# output, loss sparse_categorical_crossentropy. Rebuilt with several sequences: Keras 3.15 "Argument `output`
# must have rank (ndim) `target.ndim - 1`. Received: target.shape=(4, 25, 2), output.shape=(4, 25, 2)".
# One-hot rows want categorical_crossentropy (or argmax back to ids); never reshape them.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
x = np.random.rand(12, 25, 5).astype("float32")
steps = np.random.randint(0, 2, (12, 25))
y = keras.utils.to_categorical(steps, 2)
model = keras.Sequential([
    keras.Input((25, 5)),
    layers.LSTM(16, return_sequences=True),
    layers.TimeDistributed(layers.Dense(8, activation="sigmoid")),
    layers.TimeDistributed(layers.Dense(2, activation="softmax")),
])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
"""
CELL = "model.fit(x, y, batch_size=4, epochs=1, verbose=0)"
KINDS = {"label_mismatch", "rank_mismatch"}
FIXES = {"categorical_loss", "argmax"}
FORBID = {"reshape", "to_categorical", "edit_layer", "squeeze", "expand_dims"}
AFTER = """model.evaluate(x, y, verbose=0)
labels = np.asarray(y)
assert labels.shape in ((12, 25, 2), (12, 25)), labels.shape
assert np.array_equal(labels.argmax(-1) if labels.ndim == 3 else labels, steps)
"""
