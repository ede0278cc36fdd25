# source: https://github.com/keras-team/keras/issues/12819
# family: multi_input_parts_stacked_on_a_sample_axis
# A Siamese model with two inputs (one per member of a pair) is given ONE array of pairs, (N, 2, 16)
# ("Expected to see 2 array(s) ... got 1"). Right fix: one array per input, [pairs[:, 0], pairs[:, 1]],
# in the order of model.inputs (as the Keras mnist_siamese example does).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(12819)
pairs = rng.random((40, 2, 16)).astype("float32")
pairs_saved = pairs.copy()
y = rng.integers(0, 2, 40).astype("float32")
base = keras.Sequential([keras.Input((16,)), layers.Dense(8, activation="relu")])
left_input = keras.Input((16,))
right_input = keras.Input((16,))
encoded_l, encoded_r = base(left_input), base(right_input)
l1 = layers.Lambda(lambda t: keras.ops.abs(t[0] - t[1]), output_shape=(8,))([encoded_l, encoded_r])
prediction = layers.Dense(1, activation="sigmoid")(l1)
siamese_net = keras.Model(inputs=[left_input, right_input], outputs=prediction)
siamese_net.compile(loss="binary_crossentropy", optimizer="adam")
"""
CELL = "siamese_net.fit(pairs, y, batch_size=8, epochs=1, verbose=0)"
KINDS = {"output_structure", "rank_mismatch"}
FIXES = {"split_inputs", "split_labels"}
FORBID = {"reshape", "squeeze", "rebuild_input", "edit_layer"}
AFTER = """assert isinstance(pairs, (list, tuple)) and len(pairs) == 2, type(pairs)
assert np.array_equal(np.asarray(pairs[0]), pairs_saved[:, 0])
assert np.array_equal(np.asarray(pairs[1]), pairs_saved[:, 1])
"""
