# Corpus case 15 (keras-team/keras#12910), rebuilt with Keras 3: labels one-hot with 6 classes, a
# Dense(10) softmax output. The labels are right; the output layer must have 6 units. Converting the
# labels or switching the loss would be wrong.
SETUP = """import numpy as np
import keras

train_x = np.random.rand(60, 16, 16, 3).astype("float32")
train_y_2 = keras.utils.to_categorical(np.arange(60) % 6, num_classes=6)
model = keras.Sequential([keras.Input((16, 16, 3)), keras.layers.Flatten(),
                          keras.layers.Dense(32, activation="relu"),
                          keras.layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
hidden0 = [w.copy() for w in model.layers[1].get_weights()]
"""
CELL = "model.fit(train_x, train_y_2, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"edit_layer"}
FORBID = {
    "reshape",
    "expand_dims",
    "squeeze",
    "transpose",
    "to_categorical",
    "argmax",
    "sparse_loss",
    "categorical_loss",
}
RERUN = False
AFTER = """assert model.output_shape == (None, 6), model.output_shape
assert model.loss == "categorical_crossentropy"
hidden = model.layers[1].get_weights()
assert all(np.array_equal(a, b) for a, b in zip(hidden, hidden0)), "hidden weights not kept"
assert train_y_2.shape == (60, 6)
model.fit(train_x, train_y_2, epochs=1, verbose=0)
"""
