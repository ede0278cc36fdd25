# source: https://github.com/keras-team/keras/issues/3915
# family: conv1d_features_put_on_the_steps_axis
# 20 features per row reshaped "to [samples, time steps, features]" as (N, 1, 20) for a Conv1D with
# kernel 3: one step is shorter than the kernel ("negative dimensions" / Keras 3: negative output
# size). The model was never trained and declares nothing. Right fix: the features are the steps of a
# one-channel signal, (N, 20, 1) (a size-1 axis moved: transpose(0, 2, 1) or reshape, the same here).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(3915)
trainX = rng.random((40, 20)).astype("float32")
X_train = np.reshape(trainX, (trainX.shape[0], 1, trainX.shape[1]))
y_train = keras.utils.to_categorical(rng.integers(0, 5, 40), 5)
model = keras.Sequential([
    layers.Conv1D(16, 3, activation="relu"),
    layers.MaxPooling1D(2),
    layers.Flatten(),
    layers.Dense(5, activation="softmax"),
])
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
"""
CELL = "model.fit(X_train, y_train, batch_size=8, epochs=1, verbose=0)"
KINDS = {"axis_order", "timestep_mismatch"}
FIXES = {"transpose", "reshape"}
FORBID = {"resize", "repeat", "pad_sequences", "window"}
AFTER = """Xa = np.asarray(X_train)
assert Xa.shape == (40, 20, 1), Xa.shape
assert np.array_equal(Xa[:, :, 0], trainX)
# 5 class scores per sample (Keras 2 gives a lazy Sequential no output_shape)
assert model.predict(Xa[:2], verbose=0).shape == (2, 5)
"""
