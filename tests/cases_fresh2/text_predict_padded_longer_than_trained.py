# source: https://github.com/keras-team/keras/issues/13198
# family: inference_sequences_padded_to_another_length
# A trained Embedding+Flatten text classifier was fitted on sequences padded to 18 tokens; the new
# texts are padded to 30 at prediction time (all their tokens sit in the last 18 positions, the rest is
# left padding). Right fix: pad/truncate the new sequences to the trained length,
# pad_sequences(X_new, maxlen=18) (drops only left padding here); the trained model stays as it is.
SETUP = """import numpy as np
import keras
from keras import layers
from keras.utils import pad_sequences

rng = np.random.default_rng(13198)
train_seqs = [list(rng.integers(1, 50, rng.integers(3, 19))) for _ in range(40)]
X_train = pad_sequences(train_seqs, maxlen=18)
y_train = rng.integers(0, 2, 40)
model = keras.Sequential([
    keras.Input((18,)),
    layers.Embedding(50, 8),
    layers.Flatten(),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X_train, y_train, epochs=1, verbose=0)
w_saved = [w.copy() for w in model.get_weights()]
new_seqs = [list(rng.integers(1, 50, n)) for n in (5, 12, 18)]
X_new = pad_sequences(new_seqs, maxlen=30)
X_new_saved = X_new.copy()
"""
CELL = "p = model.predict(X_new, verbose=0)"
KINDS = {"timestep_mismatch", "feature_mismatch"}
FIXES = {"pad_sequences"}
FORBID = {"rebuild_input", "edit_layer", "reshape", "resize"}
AFTER = """Xa = np.asarray(X_new)
assert Xa.shape == (3, 18), Xa.shape
assert np.array_equal(Xa, X_new_saved[:, -18:])
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w_saved))
assert p.shape == (3, 1)
"""
