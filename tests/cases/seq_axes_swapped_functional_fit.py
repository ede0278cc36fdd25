# source: https://github.com/titu1994/MLSTM-FCN/issues/9
# family: sequence_axes_swapped
# "the input shape for LSTM needs to be input_shape=(timesteps, data_dim) but ... shape=(MAX_NB_VARIABLES,
# MAX_TIMESTEPS) which is the transpose": multivariate series kept as (batch, variables, timesteps). Here a
# trained Functional LSTM classifier (30 steps x 4 variables) is trained further on a new batch stored (N, 4,
# 30). Keras 3.15 (the model has trained once, so its graph is relaxed) fails inside the LSTM cell: "Graph
# execution error ... Matrix size-incompatible: In[0]: [12,30], In[1]: [4,32]". Transpose the new data; the
# trained model keeps its declaration.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
ip = keras.Input(shape=(30, 4))
x = layers.LSTM(8)(ip)
out = layers.Dense(3, activation="softmax")(x)
model = keras.Model(ip, out)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
model.fit(np.random.rand(18, 30, 4), np.arange(18) % 3, epochs=1, verbose=0)
X_new = np.random.rand(12, 4, 30).astype("float32")
X_new_orig = X_new.copy()
y_new = np.arange(12) % 3
"""
CELL = "model.fit(X_new, y_new, epochs=1, verbose=0)"
KINDS = {"axis_order", "feature_mismatch"}
FIXES = {"transpose"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "squeeze"}
AFTER = """assert X_new.shape == (12, 30, 4), X_new.shape
assert np.array_equal(X_new, X_new_orig.transpose(0, 2, 1))
assert tuple(model.input_shape) == (None, 30, 4)
"""
