# source: https://github.com/SciSharp/Numpy.NET/issues/27
# family: multi_input_parts_stacked_on_the_batch_axis
# A trained two-input model (image1, image2) gets ONE array: the two pictures concatenated and reshaped
# to (2, 16, 16, 1), i.e. stacked on the batch axis ("Expected to see 2 array(s) ... got 1 arrays").
# Right fix: one array per input, each keeping a batch axis: [imageConcat[0:1], imageConcat[1:2]];
# the trained model stays as it is.
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(27)
in1 = keras.Input((16, 16, 1), name="image1")
in2 = keras.Input((16, 16, 1), name="image2")
branch = keras.Sequential([
    keras.Input((16, 16, 1)),
    layers.Conv2D(4, 3, activation="relu"),
    layers.GlobalAveragePooling2D(),
])
merged = layers.concatenate([branch(in1), branch(in2)])
out = layers.Dense(1, activation="sigmoid")(merged)
baseModel = keras.Model([in1, in2], out)
baseModel.compile(optimizer="adam", loss="binary_crossentropy")
a, b = rng.random((2, 12, 16, 16, 1)).astype("float32")
baseModel.fit([a, b], rng.integers(0, 2, 12).astype("float32"), epochs=1, verbose=0)
w_saved = [w.copy() for w in baseModel.get_weights()]
image1 = rng.random((16, 16)).astype("float32")
image2 = rng.random((16, 16)).astype("float32")
imageConcat = np.concatenate((image1, image2)).reshape(2, 16, 16, 1)
"""
CELL = "prediction = baseModel.predict(imageConcat, verbose=0)"
KINDS = {"output_structure", "rank_mismatch", "cardinality_mismatch"}
FIXES = {"split_inputs", "split_labels"}
FORBID = {"reshape", "squeeze", "rebuild_input", "edit_layer", "transpose"}
AFTER = """assert isinstance(imageConcat, (list, tuple, dict)) and len(imageConcat) == 2, type(imageConcat)
parts = [imageConcat[k] for k in ("image1", "image2")] if isinstance(imageConcat, dict) else list(imageConcat)
assert np.asarray(parts[0]).shape == (1, 16, 16, 1)
assert np.array_equal(np.asarray(parts[0])[0, :, :, 0], image1)
assert np.array_equal(np.asarray(parts[1])[0, :, :, 0], image2)
assert all(np.array_equal(x, z) for x, z in zip(baseModel.get_weights(), w_saved))
assert prediction.shape == (1, 1)
"""
