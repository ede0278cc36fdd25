# source: https://github.com/EderSantana/seya/issues/14
# family: stateful_rnn_fixed_batch_size
# A stateful GRU trained with batch_size=10 "gives ValueError: Input dimension mis-match ... on
# model.predict()". Rebuilt with Keras 3.15: a stateful GRU declared with batch_shape=(3, 8, 1) that returns
# sequences, then a prediction on one series. "Expected batch size: 3 - Received batch size: 1". The trained
# weights go into the same network declared for batch size 1.
SETUP = """import numpy as np
import keras
from keras import layers

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input(batch_shape=(3, 8, 1)),
    layers.GRU(5, stateful=True, return_sequences=True),
    layers.Dropout(0.2),
    layers.Dense(1),
])
model.compile(optimizer="rmsprop", loss="mse")
X_train = np.random.rand(12, 8, 1)
model.fit(X_train, X_train, batch_size=3, epochs=1, shuffle=False, verbose=0)
trained = [w.copy() for w in model.get_weights()]
X_test = np.random.rand(1, 8, 1).astype("float32")
"""
CELL = "predicted = model.predict(X_test, verbose=0)"
KINDS = {"batch_size_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"repeat", "reshape", "expand_dims", "transpose"}
AFTER = """assert predicted.shape == (1, 8, 1)
kept = model.get_weights()
assert len(kept) == len(trained) and all(np.array_equal(a, b) for a, b in zip(kept, trained))
"""
