# source: https://github.com/keras-team/keras/issues/14836
# family: timedistributed_frames_not_grouped
# CNN+LSTM action recognition: "expected ndim=5, found ndim=4". Here a trained TimeDistributed CNN-LSTM gets
# one clip of 4 frames (4, 16, 16, 1) without its batch axis, at predict time. Keras 3.15 reads the 4 frames
# as a batch and fails inside TimeDistributed ("Negative dimension size caused by subtracting 3 from 1"). One
# clip needs a batch axis: (1, 4, 16, 16, 1); the trained model stays as it is.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input((4, 16, 16, 1)),
    layers.TimeDistributed(layers.Conv2D(4, 3, activation="relu")),
    layers.TimeDistributed(layers.Flatten()),
    layers.LSTM(6),
    layers.Dense(3, activation="softmax"),
])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(9, 4, 16, 16, 1), np.arange(9) % 3, epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
clip = np.random.rand(4, 16, 16, 1).astype("float32")
clip_orig = clip.copy()
"""
CELL = "action = model.predict(clip, verbose=0)"
KINDS = {"missing_axis", "rank_mismatch"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"transpose", "rebuild_input", "edit_layer", "repeat", "resize"}
AFTER = """assert clip.shape == (1, 4, 16, 16, 1), clip.shape
assert np.array_equal(clip[0], clip_orig)
assert action.shape == (1, 3)
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
"""
