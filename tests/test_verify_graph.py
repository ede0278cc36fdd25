"""verify's graph calls: a recurrent model runs through a traced ``stateless_call``.

The graph is shared between models of one architecture (a re-run cell, a rebuilt
candidate) and fed each model's own weights; these tests check that it computes exactly
what the model computes, never writes a weight, keeps no model alive, and is not shared
where the architecture alone does not decide the computation.
"""

from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

from kerashape_magic import verify


@pytest.fixture
def keras(tf):
    import keras

    verify._shared_graphs.clear()
    return keras


def _lstm(keras, steps=24, units=8, features=3):
    inputs = keras.Input(shape=(steps, features))
    return keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(units)(inputs)))


def _eager(model, x):
    return np.asarray(model(x, training=False))


def test_the_graph_computes_what_the_model_computes(keras):
    model = _lstm(keras)
    x = np.random.rand(2, 24, 3)
    out = np.asarray(verify._infer(model, x))
    assert out.shape == (2, 1)
    np.testing.assert_allclose(out, _eager(model, x), rtol=1e-5, atol=1e-6)
    assert len(verify._shared_graphs) == 1


def test_one_graph_serves_every_model_of_the_architecture_with_its_own_weights(keras):
    first, second = _lstm(keras), _lstm(keras)  # as a re-run cell makes: lstm, lstm_1, ...
    assert first.layers[1].name != second.layers[1].name
    assert verify.architecture_key(first) == verify.architecture_key(second)
    x = np.random.rand(2, 24, 3)
    a, b = np.asarray(verify._infer(first, x)), np.asarray(verify._infer(second, x))
    assert len(verify._shared_graphs) == 1
    assert not np.allclose(a, b)  # different initial weights: the graph used each model's own
    np.testing.assert_allclose(b, _eager(second, x), rtol=1e-5, atol=1e-6)


def test_new_weights_are_used_after_training_and_no_weight_is_written(keras):
    model = _lstm(keras)
    model.compile(optimizer="adam", loss="mse")
    x = np.random.rand(2, 24, 3)
    before = np.asarray(verify._infer(model, x))
    model.fit(np.random.rand(8, 24, 3), np.random.rand(8, 1), epochs=2, verbose=0)
    weights = [w.numpy().copy() for w in model.weights]
    after = np.asarray(verify._infer(model, x))
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, _eager(model, x), rtol=1e-5, atol=1e-6)
    assert all(np.array_equal(w0, w.numpy()) for w0, w in zip(weights, model.weights))


def test_free_timesteps_share_one_graph_whatever_the_length(keras):
    inputs = keras.Input(shape=(None, 3))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.GRU(4)(inputs)))
    for steps in (30, 57):
        x = np.random.rand(2, steps, 3).astype("float32")
        np.testing.assert_allclose(
            np.asarray(verify._infer(model, x)), _eager(model, x), rtol=1e-5, atol=1e-6
        )
    assert len(verify._shared_graphs) == 1


def test_other_configs_and_shapes_get_their_own_graph(keras):
    x = np.random.rand(2, 24, 3)
    verify._infer(_lstm(keras, units=8), x)
    verify._infer(_lstm(keras, units=16), x)
    assert len(verify._shared_graphs) == 2
    assert verify.architecture_key(_lstm(keras, steps=24)) != verify.architecture_key(_lstm(keras, steps=48))


def test_layer_names_never_stand_in_for_other_config_values(keras):
    def model(name):  # a layer named after the activation of another
        inputs = keras.Input(shape=(24, 3))
        hidden = keras.layers.LSTM(4, activation=name)(inputs)
        return keras.Model(inputs, keras.layers.Dense(1, name=name)(hidden))

    assert verify.architecture_key(model("relu")) != verify.architecture_key(model("tanh"))


def test_lambda_layers_and_subclassed_models_are_never_shared(keras):
    inputs = keras.Input(shape=(24, 3))
    scaled = keras.layers.Lambda(lambda t: t * 2.0)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(4)(scaled)))
    assert verify.architecture_key(model) is None
    x = np.random.rand(2, 24, 3)
    np.testing.assert_allclose(np.asarray(verify._infer(model, x)), _eager(model, x), rtol=1e-5, atol=1e-6)
    assert len(verify._shared_graphs) == 0

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.rnn, self.out = keras.layers.LSTM(4), keras.layers.Dense(1)

        def call(self, t):
            return self.out(self.rnn(t))

    sub = Sub()
    sub(x)
    assert verify.architecture_key(sub) is None


def test_the_shared_graph_keeps_no_model_alive(keras):
    model = _lstm(keras)
    verify._infer(model, np.random.rand(2, 24, 3))
    ref = weakref.ref(model)
    del model
    gc.collect()
    assert ref() is None
    assert len(verify._shared_graphs) == 1


def test_feedforward_models_run_eagerly(keras):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    x = np.random.rand(2, 4)
    np.testing.assert_allclose(np.asarray(verify._infer(model, x)), _eager(model, x), rtol=1e-6)
    assert len(verify._shared_graphs) == 0


def test_grappler_is_off_only_inside_kerashape_calls(keras):
    from tensorflow.core.protobuf import config_pb2
    from tensorflow.python.eager import context

    def optimiser_off() -> bool:
        config = config_pb2.ConfigProto()
        config.ParseFromString(context.context().function_call_options.config_proto_serialized or b"")
        return config.graph_options.rewrite_options.disable_meta_optimizer

    before = context.context().function_call_options.config_proto_serialized
    with verify._unoptimised_calls():
        assert optimiser_off()
    assert context.context().function_call_options.config_proto_serialized == before
    assert not optimiser_off()
    with pytest.raises(ZeroDivisionError):
        with verify._unoptimised_calls():
            1 / 0
    assert context.context().function_call_options.config_proto_serialized == before


def test_a_slice_the_model_rejects_raises_keras_own_error(keras):
    model = _lstm(keras)  # (24, 3)
    with pytest.raises(ValueError, match="incompatible|expected"):
        verify._infer(model, np.random.rand(2, 24, 5))
    assert len(verify._shared_graphs) == 0  # nothing kept for a shape the model rejects
    np.testing.assert_allclose(  # and the model still runs on what it takes
        np.asarray(verify._infer(model, np.ones((2, 24, 3)))), _eager(model, np.ones((2, 24, 3))), rtol=1e-5
    )
