# seed 001, example 2, read the other way: 48 timesteps per sample into a model trained on 24-step windows.
# Rebuilding for free timesteps comes first; cutting each sample into two windows and repeating its label
# (x and y realigned) is verified too. FIXES accepts the first verified one; AFTER checks the alignment.
SETUP = '''import numpy as np
import keras
from keras.layers import LSTM, Dense, Input

X_train = np.random.rand(50, 48, 3)
y_train = np.random.randint(0, 2, (50, 1)).astype("float32")
model = keras.Sequential([Input((24, 3)), LSTM(8), Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
'''
CELL = ""
CHECK = "(model, X_train, y_train)"
KINDS = {"timestep_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"transpose"}
RERUN = False
AFTER = "import kerashape; d = kerashape.check(model, X_train, y_train); assert d is None or d.kind != 'timestep_mismatch'"
