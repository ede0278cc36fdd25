# source: https://github.com/llSourcell/tensorflow_speech_recognition_demo/issues/6
# family: sequence_axes_swapped
# "the lstm layer ... accepts features of shape [batch x time x features_dim] and in the script they are
# passed like [batch x features_dim x time]". Here a trained LSTM (20 steps x 3 features) gets test series
# stored (N, 3, 20). Keras 3.15 (Sequential) fails in the LSTM cell's matmul: "Dimensions must be equal, but
# are 20 and 3". The sizes differ, so the axes are identified: transpose (0, 2, 1). A reshape would mix steps
# and features.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([keras.Input((20, 3)), layers.LSTM(8), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(24, 20, 3), np.random.rand(24, 1), epochs=1, verbose=0)
trained = [w.copy() for w in model.get_weights()]
X_test = np.random.rand(8, 3, 20).astype("float32")
X_test_orig = X_test.copy()
"""
CELL = "forecast = model.predict(X_test, verbose=0)"
KINDS = {"axis_order", "feature_mismatch"}
FIXES = {"transpose"}
FORBID = {"reshape", "rebuild_input", "edit_layer", "squeeze"}
AFTER = """assert X_test.shape == (8, 20, 3), X_test.shape
assert np.array_equal(X_test, X_test_orig.transpose(0, 2, 1))
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), trained))
"""
