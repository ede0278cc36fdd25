# 32x32 images into a model declared for 28x28 that was never trained: the declaration is the typo.
# Rebuilding for 32x32 keeps every value of the data; resizing would throw detail away to fit it
# (DESIGN.md ranking, rule 3; the "lossy resize first" misses).
SETUP = '''import numpy as np
import keras
from keras.layers import Dense, Conv2D, Flatten, Input
model = keras.Sequential([Input((28, 28, 1)), Conv2D(4, 3, activation="relu"), Flatten(), Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
images = np.random.rand(16, 32, 32, 1)
images_saved = images.copy()
labels = keras.utils.to_categorical(np.random.randint(0, 10, 16), 10)
'''
CELL = "model.fit(images, labels, epochs=1, verbose=0)"
KINDS = {"spatial_mismatch"}
FIXES = {"rebuild_input"}
FORBID = {"reshape", "resize", "transpose"}
AFTER = "assert np.array_equal(images, images_saved) and model.input_shape == (None, 32, 32, 1)"
