# source: https://github.com/keras-team/keras/issues/6667
# family: sequence_labels_per_timestep
# An encoder-decoder over word ids (Embedding, LSTM, RepeatVector, LSTM(return_sequences), Dense(vocab,
# softmax)) trained with categorical_crossentropy on the id matrix itself: "expected act to have 3 dimensions,
# but got array with shape (21, 15)". Keras 3.15: "Arguments `target` and `output` must have the same rank
# (ndim). Received: target.shape=(None, 15), output.shape=(None, 15, 30)". One id per step against 30 scores
# is sparse_categorical_crossentropy (or one-hot ids with 30 classes); the model is right.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
data = np.random.randint(0, 30, (21, 15))
data_orig = data.copy()
model = keras.Sequential([
    keras.Input((15,)),
    layers.Embedding(30, 8),
    layers.LSTM(16),
    layers.RepeatVector(15),
    layers.LSTM(16, return_sequences=True),
    layers.Dense(30, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
"""
CELL = "model.fit(data, data, epochs=1, verbose=0)"
KINDS = {"label_mismatch", "rank_mismatch"}
FIXES = {"sparse_loss", "to_categorical"}
FORBID = {"reshape", "argmax", "expand_dims", "edit_layer", "squeeze"}
AFTER = """model.evaluate(data, data, verbose=0)
assert np.array_equal(data, data_orig)
assert tuple(model.output_shape) == (None, 15, 30)
"""
