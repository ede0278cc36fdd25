# source: https://github.com/keras-team/keras/issues/10067
# family: concatenate_rank3_branch_with_rank2_branch
# Functional model: an Embedding branch on one input column gives (None, 1, 10) and a Lambda slice of
# another column gives (None, 1); Concatenate refuses them. Right fix: flatten the embedding branch
# (Flatten() or Reshape((10,))) so both are (None, k) and the concatenation is (None, 11).
SETUP = """import numpy as np
import keras
from keras import layers

rng = np.random.default_rng(10067)
"""
CELL = """inp = keras.Input(shape=(4,))
e_x = layers.Lambda(lambda x: x[:, 0:1], output_shape=(1,))(inp)
e_x = layers.Embedding(100, 10)(e_x)
d1 = layers.Dense(10)(e_x)
l1 = layers.Lambda(lambda x: x[:, 2:3], output_shape=(1,))(inp)
all_concats = layers.concatenate([d1, l1], axis=-1)
out = layers.Dense(1)(all_concats)
model = keras.Model(inp, out)
"""
KINDS = {"rank_mismatch"}
FIXES = {"flatten", "edit_layer"}
FORBID = {"reshape", "transpose"}
AFTER = """assert tuple(all_concats.shape) == (None, 11), all_concats.shape
x = rng.integers(0, 100, (3, 4)).astype("float32")
assert model.predict(x, verbose=0).shape == (3, 1)
"""
