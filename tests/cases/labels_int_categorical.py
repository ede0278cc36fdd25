# Keras 3: class indices with categorical_crossentropy -> "Arguments `target` and `output` must have the
# same rank (ndim). Received: target.shape=(None,), output.shape=(None, 10)"
# (keras/src/backend/tensorflow/nn.py).
# The sparse twin of the loss takes the labels as they are; the rebuilt model keeps every weight.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(100, 8).astype("float32")
y_train = np.random.randint(0, 10, size=100)
model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="categorical_crossentropy",
              metrics=["accuracy"])
model0, y0 = model, y_train
w0 = [w.copy() for w in model.get_weights()]
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"sparse_loss"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "argmax", "edit_layer"}
RERUN = False  # the fit is in AFTER, once the weights have been compared
AFTER = """assert model is not model0 and model.loss == "sparse_categorical_crossentropy", model.loss
assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), w0)), "weights not kept"
assert abs(float(model.optimizer.learning_rate) - 0.003) < 1e-6, "optimizer settings not kept"
assert y_train is y0
model.fit(X_train, y_train, epochs=1, verbose=0)
"""
