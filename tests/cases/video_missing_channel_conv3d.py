# source: https://github.com/keras-team/keras/issues/10103
# family: video_missing_channel_axis
# "Loading frames to 3D CNN": grayscale clips loaded as (N, frames, height, width) into Conv3D, which reads
# (frames, height, width, channels). Keras 3.15 (no declared input): "Input 0 ... of layer 'conv3d' ...
# expected min_ndim=5, found ndim=4. Full shape received: (None, 6, 12, 12)". Add the channel axis at the end.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
clips = np.random.rand(16, 6, 12, 12).astype("float32")
clips_orig = clips.copy()
labels = np.arange(16) % 2
net = keras.Sequential([
    layers.Conv3D(4, kernel_size=(3, 3, 3), padding="same", activation="relu"),
    layers.MaxPooling3D(2),
    layers.Flatten(),
    layers.Dense(2, activation="softmax"),
])
net.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
"""
CELL = "net.fit(clips, labels, epochs=1, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape"}
FORBID = {"transpose", "repeat", "edit_layer"}
AFTER = """assert clips.shape == (16, 6, 12, 12, 1), clips.shape
assert np.array_equal(clips[..., 0], clips_orig)
"""
