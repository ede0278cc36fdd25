"""kerashape.rebuild(model, edit=, insert_after=, insert_before=, remove=) with real Keras models.

The ``edit_layer`` fix kind (DESIGN.md): a new model with one layer's configuration changed
or a layer inserted or removed, keeping every weight that still fits, for Sequential and
Functional models, the old model untouched.
"""

import numpy as np
import pytest

from kerashape_magic import actions
from kerashape_magic.core.types import KerashapeError


@pytest.fixture
def keras(tf):
    import keras

    return keras


def weights(layer):
    return [np.array(w) for w in layer.get_weights()]


def same(a, b):
    return len(a) == len(b) and all(x.shape == y.shape and np.allclose(x, y) for x, y in zip(a, b))


def trained_lstm(keras):
    L = keras.layers
    model = keras.Sequential([keras.Input((12, 3)), L.LSTM(8, name="lstm"), L.Dense(1, name="out")])
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    model.fit(np.random.rand(16, 12, 3), np.random.rand(16, 1), epochs=1, verbose=0)
    return model


def test_edit_return_sequences_keeps_every_weight_and_the_old_model(keras):
    model = trained_lstm(keras)
    before = {lay.name: weights(lay) for lay in model.layers}
    old_layers = list(model.layers)
    new = actions.rebuild(
        model,
        edit={"lstm": {"return_sequences": True}},
        insert_after={"lstm": keras.layers.LSTM(4, name="lstm_2")},
    )
    assert new is not model
    assert [lay.name for lay in new.layers] == ["lstm", "lstm_2", "out"]
    assert new.get_layer("lstm").return_sequences and not model.get_layer("lstm").return_sequences
    assert same(weights(new.get_layer("lstm")), before["lstm"])
    out = weights(new.get_layer("out"))
    assert out[0].shape == (4, 1) and np.allclose(
        out[1], before["out"][1]
    )  # 'out' now reads lstm_2's 4 units
    assert new._kerashape_weights_kept == (4, 5)
    assert list(model.layers) == old_layers and all(
        same(weights(lay), before[lay.name]) for lay in model.layers
    )
    assert new.loss == model.loss and type(new.optimizer) is type(model.optimizer)
    assert new.predict(np.random.rand(2, 12, 3), verbose=0).shape == (2, 1)


def test_insert_flatten_after_a_conv_in_a_functional_model(keras):
    L = keras.layers
    inp = keras.Input((10, 10, 1), name="image")
    h = L.Conv2D(4, 3, name="conv")(inp)
    out = L.Dense(5, name="head")(h)
    model = keras.Model(inp, out)
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    new = actions.rebuild(model, insert_after={"conv": "Flatten"})
    assert [type(lay).__name__ for lay in new.layers] == ["InputLayer", "Conv2D", "Flatten", "Dense"]
    assert tuple(new.outputs[0].shape) == (None, 5)
    assert tuple(model.outputs[0].shape) == (None, 8, 8, 5)  # the old model is unchanged
    assert same(weights(new.get_layer("conv")), weights(model.get_layer("conv")))
    assert new.get_layer("head").get_weights()[0].shape == (256, 5)  # the kernel's input size changed
    assert np.allclose(new.get_layer("head").get_weights()[1], model.get_layer("head").get_weights()[1])
    assert new._kerashape_weights_kept == (3, 4)


def test_insert_before_the_first_layer_of_a_sequential_and_a_functional(keras):
    L = keras.layers
    seq = keras.Sequential([keras.Input((28, 28)), L.Dense(16, name="d1"), L.Dense(10, name="d2")])
    new = actions.rebuild(seq, insert_before={"d1": "Flatten"})
    assert [type(lay).__name__ for lay in new.layers] == ["Flatten", "Dense", "Dense"]
    assert tuple(new.outputs[0].shape) == (None, 10)
    inp = keras.Input((28, 28))
    fun = keras.Model(inp, L.Dense(10, name="d")(L.Dense(16, name="c")(inp)))
    new = actions.rebuild(fun, insert_before={"c": ["Flatten", L.Dropout(0.1, name="drop")]})
    assert [type(lay).__name__ for lay in new.layers][1:] == ["Flatten", "Dropout", "Dense", "Dense"]
    assert tuple(new.outputs[0].shape) == (None, 10)


def test_remove_an_embedding_that_was_given_vectors(keras):
    L = keras.layers
    model = keras.Sequential(
        [keras.Input((20,)), L.Embedding(100, 8, name="emb"), L.LSTM(4, name="lstm"), L.Dense(1, name="out")]
    )
    new = actions.rebuild(model, input_shape=(20, 8), remove="emb")
    assert [lay.name for lay in new.layers] == ["lstm", "out"]
    assert new._kerashape_weights_kept == (5, 5)  # the LSTM saw 8 features before and after
    assert same(weights(new.get_layer("lstm")), weights(model.get_layer("lstm")))
    inp = keras.Input((20,))
    h = L.Embedding(100, 8, name="emb")(inp)
    fun = keras.Model(inp, L.LSTM(4, name="lstm")(h))
    new = actions.rebuild(fun, input_shape=(20, 8), remove=["emb"])
    assert "emb" not in [lay.name for lay in new.layers]
    assert new.predict(np.random.rand(2, 20, 8), verbose=0).shape == (2, 4)


def test_edit_reaches_into_a_bidirectional_wrapper(keras):
    L = keras.layers
    model = keras.Sequential([keras.Input((6, 2)), L.Bidirectional(L.LSTM(3), name="bi"), L.Dense(1)])
    new = actions.rebuild(model, edit={"bi": {"return_sequences": True}})
    assert tuple(new.outputs[0].shape) == (None, 6, 1)
    assert new._kerashape_weights_kept == (8, 8)


def test_edit_the_output_units(keras):
    model = trained_lstm(keras)
    new = actions.rebuild(model, edit={"out": {"units": 3}})
    assert tuple(new.outputs[0].shape) == (None, 3)
    assert new._kerashape_weights_kept == (3, 5)  # the LSTM's 3 weights; out's kernel and bias change size


@pytest.mark.parametrize(
    "kwargs,match",
    [
        ({"edit": {"nope": {"units": 2}}}, "no layer named 'nope'.*'lstm', 'out'"),
        ({"edit": {"lstm": {"unitz": 2}}}, "no configuration key 'unitz'"),
        ({"edit": {"lstm": {"name": "x"}}}, "name cannot be edited"),
        ({"edit": {"lstm": {}}}, "expected"),
        ({"edit": {"lstm": {"units": 2}}, "remove": "lstm"}, "both edit and remove"),
        ({"insert_after": {"lstm": "NoSuchLayer"}}, "not a layer class"),
        ({"insert_after": {"lstm": 3}}, "expected a keras.layers"),
        ({"insert_after": {"out": "Flatten"}, "remove": ["out"]}, "it is removed"),
        ({"remove": "missing"}, "no layer named"),
    ],
)
def test_bad_edits_raise_kerashape_error_and_leave_the_model(keras, kwargs, match):
    model = trained_lstm(keras)
    before = weights(model.get_layer("lstm"))
    with pytest.raises(KerashapeError, match=match):
        actions.rebuild(model, **kwargs)
    assert same(weights(model.get_layer("lstm")), before)


def test_an_edit_that_does_not_build_raises_with_kerass_error_chained(keras):
    L = keras.layers
    model = keras.Sequential([keras.Input((6, 2)), L.LSTM(3, name="a"), L.Dense(1)])
    with pytest.raises(KerashapeError, match="with these edits") as info:
        actions.rebuild(model, insert_after={"a": L.LSTM(2, name="b")})  # 'a' returns 2-D: 'b' cannot take it
    assert info.value.__cause__ is not None


def test_inserted_layer_names_do_not_clash(keras):
    L = keras.layers
    model = keras.Sequential([keras.Input((4, 4, 1)), L.Conv2D(2, 2, name="flatten"), L.Dense(1)])
    new = actions.rebuild(model, insert_after={"flatten": "Flatten"})
    names = [lay.name for lay in new.layers]
    assert len(set(names)) == len(names)


def test_a_failed_add_keeps_its_declared_input(keras):
    L = keras.layers
    model = keras.Sequential()
    model.add(L.LSTM(5, input_shape=(7, 2), name="a"))
    with pytest.raises(ValueError):
        model.add(L.LSTM(3, name="b"))  # Keras 3.15: the model keeps 'b' and stays unbuilt
    assert not model.built
    new = actions.rebuild(model, edit={"a": {"return_sequences": True}})
    assert new.built and tuple(new.inputs[0].shape) == (None, 7, 2)
    assert [lay.name for lay in new.layers] == ["a", "b"]
    assert new._kerashape_weights_kept == (3, 3)


def test_a_lazy_model_configured_by_a_failed_fit_keeps_its_trained_layers(keras):
    L = keras.layers
    X, y = np.random.rand(8, 5, 2).astype("float32"), np.random.rand(8, 1).astype("float32")
    base = keras.Sequential([L.GRU(4, name="g"), L.Dense(1)])
    base.compile(optimizer="adam", loss="mse")
    base.fit(X, y, epochs=1, verbose=0)
    trained = weights(base.get_layer("g"))
    model = keras.Sequential([base.get_layer("g"), L.GRU(2, name="g2"), L.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError):
        model.fit(X, y, epochs=1, verbose=0)
    assert not model.built
    new = actions.rebuild(model, edit={"g": {"return_sequences": True}})
    assert new.built and same(weights(new.get_layer("g")), trained)
    new.fit(X, y, epochs=1, verbose=0)
    plain = actions.rebuild(model)  # without edits: a lazy copy, as before
    assert not plain.built


def test_subclassed_models_cannot_be_edited(keras):
    class Tiny(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(1)

        def call(self, x):
            return self.d(x)

    m = Tiny()
    m(np.zeros((1, 3)))
    with pytest.raises(KerashapeError):
        actions.rebuild(m, edit={m.d.name: {"units": 2}})
