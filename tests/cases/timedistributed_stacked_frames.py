# source: https://github.com/tensorflow/tensorflow/issues/28323
# family: timedistributed_frames_not_grouped
# A CNN wrapped in TimeDistributed feeding an LSTM, "x values ... 5D shape (batch_size, num_steps, height,
# width, channels)", but the frames were stacked into (4, 28, 28, 1). Here 8 clips x 4 frames stacked as (32,
# 16, 16, 1), one label per clip. Keras 3.15 checks counts first: "Data cardinality is ambiguous ... 'x'
# sizes: 32 'y' sizes: 8". Group the frames back into clips (8, 4, 16, 16, 1) without moving a pixel.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
frames = np.random.rand(32, 16, 16, 1).astype("float32")
frames_orig = frames.copy()
clip_labels = np.arange(8) % 2
model = keras.Sequential([
    keras.Input((4, 16, 16, 1)),
    layers.TimeDistributed(layers.Conv2D(4, 3, activation="relu")),
    layers.TimeDistributed(layers.GlobalAveragePooling2D()),
    layers.LSTM(8),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
"""
CELL = "model.fit(frames, clip_labels, epochs=1, batch_size=4, verbose=0)"
KINDS = {"cardinality_mismatch", "flattened_input"}
FIXES = {"reshape"}
FORBID = {"expand_dims", "repeat", "rebuild_input", "edit_layer", "transpose"}
AFTER = """assert frames.shape == (8, 4, 16, 16, 1), frames.shape
assert np.array_equal(frames.reshape(32, 16, 16, 1), frames_orig)
assert clip_labels.shape == (8,)
"""
