# source: https://github.com/datalogue/keras-attention/issues/22
# family: sequence_labels_per_timestep
# Xtrain (100, 148) word ids, ytrain (100, 148) target ids, Embedding + Bidirectional(LSTM(return_sequences))
# + a per-step softmax over the vocabulary, categorical_crossentropy: "expected AttentionDecoder to have 3
# dimensions, but got array with shape (100, 148)". Rebuilt with a TimeDistributed Dense in place of the
# attention decoder. Keras 3.15: "Arguments `target` and `output` must have the same rank". The ids are right.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
vocab_size, max_length = 25, 14
Xtrain = np.random.randint(1, vocab_size, (20, max_length))
ytrain = np.random.randint(1, vocab_size, (20, max_length))
ytrain_orig = ytrain.copy()
model = keras.Sequential([
    keras.Input((max_length,)),
    layers.Embedding(vocab_size, 12),
    layers.Bidirectional(layers.LSTM(10, return_sequences=True)),
    layers.TimeDistributed(layers.Dense(vocab_size, activation="softmax")),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["acc"])
"""
CELL = "model.fit(Xtrain, ytrain, epochs=1, verbose=0)"
KINDS = {"label_mismatch", "rank_mismatch"}
FIXES = {"sparse_loss", "to_categorical"}
FORBID = {"reshape", "argmax", "expand_dims", "edit_layer", "squeeze"}
AFTER = """model.evaluate(Xtrain, ytrain, verbose=0)
labels = np.asarray(ytrain)
assert labels.shape in ((20, 14), (20, 14, 25)), labels.shape
assert np.array_equal(labels.argmax(-1) if labels.ndim == 3 else labels, ytrain_orig)
assert tuple(model.output_shape) == (None, 14, 25)
"""
