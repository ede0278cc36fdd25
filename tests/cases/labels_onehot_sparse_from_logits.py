# One-hot labels with SparseCategoricalCrossentropy(from_logits=True) on a linear output: the
# categorical twin must keep from_logits=True, or the model would be trained on the wrong loss.
SETUP = """import numpy as np
import keras

X_train = np.random.rand(64, 12).astype("float32")
y_train = np.eye(5, dtype="float32")[np.random.randint(0, 5, size=64)]
model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(5)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
KINDS = {"label_mismatch"}
FIXES = {"categorical_loss"}
FORBID = {"reshape", "expand_dims", "squeeze", "transpose", "to_categorical", "sparse_loss"}
AFTER = """assert isinstance(model.loss, keras.losses.CategoricalCrossentropy), model.loss
assert model.loss.get_config()["from_logits"] is True
"""
