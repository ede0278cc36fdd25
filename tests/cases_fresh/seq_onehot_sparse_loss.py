# source: https://github.com/keras-team/keras/issues/7749
# family: seq_onehot_labels_sparse_loss
# Per-timestep one-hot labels (N, 5, 2) with sparse_categorical_crossentropy on a (None, None, 2)
# softmax output.
# Right fix: categorical_crossentropy for one-hot labels (or the labels' argmax with the sparse loss);
# the label array is never reshaped.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(7749)
inp = rng.random((12, 5, 2)).astype("float32")
out = keras.utils.to_categorical(rng.integers(0, 2, (12, 5)), 2)
inp_saved, out_saved = inp.copy(), out.copy()
model = keras.Sequential([keras.Input((None, 2)), layers.Dense(2), layers.Activation("softmax")])
model.compile(loss="sparse_categorical_crossentropy", optimizer="rmsprop", metrics=["accuracy"])
"""
CELL = "model.fit(inp, out, batch_size=4, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"categorical_loss", "argmax"}
FORBID = {"reshape", "squeeze", "to_categorical", "transpose", "expand_dims", "edit_layer", "rebuild_input"}
AFTER = """loss = model.loss
loss = loss if isinstance(loss, str) else getattr(loss, "name", type(loss).__name__)
if "sparse" in str(loss).lower():
    assert np.array_equal(np.asarray(out).reshape(12, 5), out_saved.argmax(-1)), np.asarray(out).shape
else:
    assert "categorical" in str(loss).lower(), loss
    assert np.array_equal(np.asarray(out), out_saved)
assert np.array_equal(np.asarray(inp), inp_saved)
"""
