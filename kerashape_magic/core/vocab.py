"""Keras's vocabulary, each list once: layer families, call methods, losses, message families.

Every rule, move and renderer imports these names from here. Where a list encodes outside
knowledge it names the Keras source it was read from (Keras 3.15, ``keras/src/...``).
"""

from __future__ import annotations

#: Layers with ``return_sequences`` whose input is ``(batch_size, timesteps, features)``
#: (keras/src/layers/rnn/rnn.py, lstm.py, gru.py, simple_rnn.py, bidirectional.py,
#: conv_lstm*.py).
RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")

#: Layers whose 3-D input is ``(batch_size, timesteps, features)``: the recurrent layers
#: and ``TimeDistributed`` (keras/src/layers/rnn/time_distributed.py).
SEQUENCE_LAYERS = RECURRENT + ("TimeDistributed",)

#: Layers whose 3-D input is ``(batch_size, steps, channels)`` (keras/src/layers/convolutional/
#: conv1d.py, pooling/*1d.py, reshaping/*1d.py).
CONV1D = (
    "Conv1D",
    "SeparableConv1D",
    "DepthwiseConv1D",
    "MaxPooling1D",
    "AveragePooling1D",
    "GlobalAveragePooling1D",
    "GlobalMaxPooling1D",
    "Conv1DTranspose",
    "UpSampling1D",
    "ZeroPadding1D",
    "Cropping1D",
)

#: Layers whose 4-D input is ``(batch_size, height, width, channels)`` with channels_last
#: (keras/src/layers/convolutional/conv2d.py, pooling/*2d.py, preprocessing/image_preprocessing).
IMAGE2D = (
    "Conv2D",
    "SeparableConv2D",
    "DepthwiseConv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "Conv2DTranspose",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "UpSampling2D",
    "ZeroPadding2D",
    "Cropping2D",
    "Resizing",
    "Rescaling",
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomCrop",
)

#: Layers whose 5-D input is ``(batch_size, depth, height, width, channels)``.
IMAGE3D = ("Conv3D", "MaxPooling3D", "AveragePooling3D", "Conv3DTranspose")

#: Layers that work on the last axis only and keep the rank (a Dense "per position").
PER_POSITION = (
    "Dense",
    "EinsumDense",
    "TimeDistributed",
    "Dropout",
    "GaussianDropout",
    "GaussianNoise",
    "AlphaDropout",
    "Activation",
    "ReLU",
    "LeakyReLU",
    "PReLU",
    "ELU",
    "Softmax",
    "BatchNormalization",
    "LayerNormalization",
)

#: Layers a fix may insert, built with their default arguments only.
INSERTABLE = (
    "Flatten",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAveragePooling3D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GlobalMaxPooling3D",
)

#: Layers a fix may insert with one size argument: ``RepeatVector(n)``
#: (keras/src/layers/reshaping/repeat_vector.py).
INSERTABLE_WITH_SIZE = ("RepeatVector",)

#: Layers inserted with a (nested) tuple of ints: ``keras.layers.Reshape((6, 48))`` merges trailing
#: axes (keras/src/layers/reshaping/reshape.py, target shape without the batch axis);
#: ``keras.layers.Cropping2D(((1, 1), (1, 1)))`` crops an output back to its targets' size
#: (keras/src/layers/reshaping/cropping1d.py / cropping2d.py / cropping3d.py).
INSERTABLE_WITH_SHAPE = ("Reshape", "Cropping1D", "Cropping2D", "Cropping3D")

#: Model methods that train (keras/src/trainers/trainer.py and the backend trainers).
TRAINING_METHODS = ("fit", "train_on_batch")

#: Calls that use a model as it is: the data must fit it; a model change (a rebuild, a new
#: output layer, even recompiling) is never offered for them.
INFERENCE_METHODS = ("predict", "evaluate", "__call__", "call", "predict_on_batch", "test_on_batch")

#: Every Keras model method whose failure kerashape explains from the objects themselves
#: (the message is a hint: see core/rules/objects.py).
MODEL_METHODS = TRAINING_METHODS + INFERENCE_METHODS

#: Losses that compare labels with the output element by element (labels shaped like it)
#: (keras/src/losses/losses.py).
CATEGORICAL_LOSSES = (
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "kl_divergence",
    "categorical_hinge",
)
#: Losses that take one class index per output row.
SPARSE_LOSSES = ("sparse_categorical_crossentropy",)
#: Losses for 0/1 targets, one per output unit.
BINARY_LOSSES = ("binary_crossentropy", "binary_focal_crossentropy")
#: The loss classes a fix may name (``keras.losses.<Class>(from_logits=True)``).
LOSS_CLASSES = {
    "categorical_crossentropy": "CategoricalCrossentropy",
    "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy",
    "binary_crossentropy": "BinaryCrossentropy",
}

#: Message families about labels and losses (core/rules/labels.py owns them).
LABEL_FAMILIES = (
    "target_output",
    "shapes_incompatible",
    "logits_labels",
    "incompatible_shapes",
    "label_range",
)

#: Message families about ragged data (core/rules/ragged.py owns them).
RAGGED_FAMILIES = ("cannot_batch", "non_rectangular", "inhomogeneous", "object_array")

#: Keras's axis names, singular: ``"features" -> "feature"``.
SINGULAR = {"features": "feature", "timesteps": "timestep", "channels": "channel", "steps": "step"}

#: Diagnosis kinds where the data's sizes differ from what the model declares (a model
#: never trained gets its declaration fixed first: core/rank.py); in every other kind the
#: data holds the expected values in another arrangement.
SIZE_KINDS = ("feature_mismatch", "timestep_mismatch", "spatial_mismatch", "rank_mismatch")
