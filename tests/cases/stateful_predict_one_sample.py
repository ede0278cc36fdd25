# source: https://github.com/keras-team/keras/issues/1332
# family: stateful_rnn_fixed_batch_size
# "Prediction with stateful deep LSTM": trained with a fixed batch_input_shape, then predicting one sample
# fails ("dimension mismatch"). Keras 3.15: "If an RNN is stateful, the batch size of the input sequences must
# be the same as the batch size of the initial state. - Expected batch size: 4 - Received batch size: 1". The
# usual fix: the same network declared for batch size 1 with the trained weights copied in; repeating the
# sample to 4 rows would change the user's data (four samples, four predictions) to fit the declaration.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input(batch_shape=(4, 5, 2)),
    layers.LSTM(6, stateful=True),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(16, 5, 2), np.random.rand(16, 1), batch_size=4, epochs=1, shuffle=False, verbose=0)
trained = [w.copy() for w in model.get_weights()]
x_new = np.random.rand(1, 5, 2).astype("float32")
x_new_orig = x_new.copy()
"""
CELL = "next_value = model.predict(x_new, verbose=0)"
KINDS = {"batch_size_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"repeat", "reshape", "expand_dims", "transpose"}
AFTER = """assert next_value.shape == (1, 1)
assert np.array_equal(x_new, x_new_orig)
kept = model.get_weights()
assert len(kept) == len(trained) and all(np.array_equal(a, b) for a, b in zip(kept, trained))
"""
