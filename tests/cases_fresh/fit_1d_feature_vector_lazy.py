# source: https://github.com/mrdbourke/tensorflow-deep-learning/issues/495
# family: fit_1d_feature_vector
# A regression on one feature, X given as a 1-D tensor (N,), into a Sequential of Dense layers without a
# declared input (Keras 3: "expected min_ndim=2, found ndim=1"). Right fix: the feature axis at the END,
# (N, 1) - tf.expand_dims(X, axis=-1) - or declaring Input((1,)) in this never-trained model. Never (1, N).
SETUP = """import numpy as np
import tensorflow as tf
import keras
from keras import layers

X = tf.range(-100, 100, 4, dtype=tf.float32)
y = X + 10
X_train, y_train = X[:40], y[:40]
X_saved = X_train.numpy().copy()
keras.utils.set_random_seed(42)
model_2 = keras.Sequential([layers.Dense(10), layers.Dense(1)])
model_2.compile(loss="mae", optimizer=keras.optimizers.SGD(), metrics=["mae"])
"""
CELL = "model_2.fit(X_train, y_train, epochs=2, verbose=0)"
KINDS = {"missing_axis"}
FIXES = {"expand_dims", "reshape", "rebuild_input"}
FORBID = {"transpose", "squeeze", "repeat"}
AFTER = """Xa = np.asarray(X_train)
assert Xa.shape in ((40, 1), (40,)), Xa.shape
assert np.array_equal(Xa.reshape(40), X_saved)
if Xa.ndim == 1:
    assert tuple(model_2.input_shape)[1:] == (1,), model_2.input_shape
# one output per sample (Keras 2 gives a lazy Sequential no output_shape)
assert model_2.predict(Xa[:2], verbose=0).shape == (2, 1)
"""
