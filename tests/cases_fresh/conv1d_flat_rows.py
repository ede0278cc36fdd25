# source: https://github.com/keras-team/keras/issues/1348
# family: conv1d_flat_rows
# 24 numeric inputs per row, fed as (samples, 24) to a Conv1D classifier that declares no input
# (Keras 3: "expected min_ndim=3, found ndim=2"). Right fix: add a size-1 channel axis to the data,
# (N, 24) -> (N, 24, 1); declaring Input((24, 1)) in this never-trained model also works (Keras 3 then
# adds the trailing size-1 axis itself).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(1348)
X_train = rng.random((40, 24)).astype("float32")
Y_train = keras.utils.to_categorical(rng.integers(0, 6, 40), 6)
X_saved = X_train.copy()
model = keras.Sequential([
    layers.Conv1D(8, 3, activation="relu"),
    layers.MaxPooling1D(2),
    layers.Flatten(),
    layers.Dense(6, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, Y_train, batch_size=8, epochs=1, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape", "edit_layer", "rebuild_input"}
FORBID = {"transpose", "repeat", "resize", "window"}
AFTER = """Xa = np.asarray(X_train)
if Xa.ndim == 3:
    assert Xa.shape == (40, 24, 1), Xa.shape
    assert np.array_equal(Xa[:, :, 0], X_saved)
else:
    assert np.array_equal(Xa, X_saved), Xa.shape
    assert tuple(model.input_shape)[1:] in ((24,), (24, 1)), model.input_shape
# the model predicts one row of 6 class scores (Keras 2 gives a lazy Sequential no output_shape)
assert model.predict(Xa[:2], verbose=0).shape == (2, 6)
"""
