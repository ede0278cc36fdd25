"""What the panel says, read as a new user reads it (issue 11, "Words"): the Keras message
once, no library paths, both names of the layer once, what a fix's resulting shape means,
what *verified* means."""

from __future__ import annotations

import dataclasses
import html as html_lib
import re

from kerashape_magic.core.types import Diagnosis, Fix
from kerashape_magic.render._common import graph_name, key_message_line, plain_paths, result_phrase
from kerashape_magic.render.html import VERIFIED_MEANS, render_html
from kerashape_magic.render.text import render_text

#: Keras 3.15.1 / TensorFlow 2.21's message for seed 001 (an LSTM declared for 3 features, fed 1),
#: as ``model.fit`` raises it in graph mode.
LSTM_MESSAGE = (
    "Exception encountered when calling LSTMCell.call().\n\n"
    "Dimensions must be equal, but are 1 and 3 for '{{node sequential_1/lstm_1/lstm_cell_1/MatMul}} = "
    "MatMul[T=DT_FLOAT, grad_a=false, grad_b=false, transpose_a=false, transpose_b=false]"
    "(sequential_1/lstm_1/strided_slice_2, sequential_1/lstm_1/lstm_cell_1/Cast/ReadVariableOp)' "
    "with input shapes: [?,1], [3,32].\n\n"
    "Arguments received by LSTMCell.call():\n"
    "  \u2022 inputs=tf.Tensor(shape=(None, 1), dtype=float32)\n"
    "  \u2022 states=('tf.Tensor(shape=(None, 8), dtype=float32)', "
    "'tf.Tensor(shape=(None, 8), dtype=float32)')\n"
    "  \u2022 training=True"
)
PATH = "/venv/lib/python3.11/site-packages/keras/src/layers/rnn/rnn.py:199"


def _words(page: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def _seed(seed001) -> Diagnosis:
    return dataclasses.replace(
        seed001,
        message=LSTM_MESSAGE,
        details=seed001.details + ("raised in %s" % PATH,),
        fixes=tuple(
            dataclasses.replace(f, verification=f.verification + " (" + PATH + ")") for f in seed001.fixes
        ),
    )


def test_the_keras_message_once_and_no_library_paths(seed001):
    d = _seed(seed001)
    page = render_html(d)
    words = _words(page)
    # The traceback above shows the whole message; the panel quotes its one telling line.
    assert words.count("Dimensions must be equal") == 1
    assert "Exception encountered when calling" not in words and "Arguments received by" not in words
    assert "grad_a=false" not in words and "in full in the traceback above" in words
    assert "keras/src" not in page and "site-packages" not in page and "rnn.py" not in page
    assert "raised in Keras's own code" in words


def test_both_names_of_the_layer_once(seed001):
    d = _seed(seed001)
    assert graph_name(d) == "sequential_1/lstm_1"
    for text in (_words(render_html(d)), render_text(d)):
        assert text.count("sequential_1/lstm_1") == 1, text
        assert "its graph name for Keras's layer" in text
    # A message without graph names (eager Keras) adds nothing.
    plain = dataclasses.replace(seed001, message='Input 0 of layer "lstm" is incompatible with the layer')
    assert graph_name(plain) is None and "graph name" not in render_text(plain)


def test_the_resulting_shape_says_what_changes(seed001):
    rebuild, repeat = seed001.fixes
    assert result_phrase(seed001, rebuild) == "after Apply, `model` takes (None, 24, 1)"
    assert result_phrase(seed001, repeat) == "after Apply, `X_train` becomes (100, 24, 3)"
    words = " ".join(_words(render_html(seed001)).split())
    assert "After Apply, model takes (None, 24, 1)." in words
    assert "After Apply, X_train becomes (100, 24, 3)." in words
    assert "Result:" not in words
    loss = Fix(
        "sparse_loss",
        "Use a sparse loss",
        "model.compile(loss='sparse_categorical_crossentropy')",
        "r",
        resulting_shape=(None, 10),
        target="model",
    )
    assert result_phrase(seed001, loss) is None  # a loss fix changes no shape


def test_the_badges_say_what_verified_means(seed001):
    page = render_html(seed001)
    assert 'title="%s"' % html_lib.escape(VERIFIED_MEANS) in page
    assert "at most 2 samples" in VERIFIED_MEANS and "your own call worked" in VERIFIED_MEANS


def test_helpers_never_lose_the_message():
    assert key_message_line("") == ""
    assert key_message_line("only one line") == "only one line"
    assert plain_paths("no path here") == "no path here"
    assert plain_paths("tensorflow/python/framework/ops.py, line 12") == "TensorFlow's own code"


def test_the_change_to_the_users_cells_is_shown(seed001):
    """``Fix.source_edits`` (issue 12's SourceEdit / NoEdit): the edited lines, marked."""
    from kerashape_magic.edits import NoEdit, SourceEdit

    before = "X_train = np.random.rand(100, 24, 1)\ny_train = np.random.rand(100, 1)\nmodel = build()"
    after = before.replace("y_train =", "X_train = np.repeat(X_train, 3, axis=-1)\ny_train =")
    rebuild, repeat = seed001.fixes
    repeat = dataclasses.replace(repeat, source_edits=(SourceEdit(2, before, after),))
    rebuild = dataclasses.replace(
        rebuild, source_edits=(NoEdit("`model` is loaded by load_model(...) in cell [1]"),)
    )
    d = dataclasses.replace(seed001, fixes=(rebuild, repeat))
    page = render_html(d)
    words = " ".join(_words(page).split())
    assert "To keep it when the notebook runs again, change cell [2]:" in words
    assert "+ X_train = np.repeat(X_train, 3, axis=-1)" in words
    assert "- " not in re.findall(r'<pre class="kerashape-edit"[^>]*>(.*?)</pre>', page)[0]  # only added
    assert "To keep it when the notebook runs again: model is loaded by load_model(...) in cell [1]." in words
    text = render_text(d)
    assert (
        "change cell [2]:" in text
        and "       + X_train = np.repeat(X_train, 3, axis=-1)" in text.splitlines()
    )
    # A Fix without edits, or with something else in the field, shows nothing more.
    assert "To keep it" not in render_html(seed001) and "To keep it" not in render_text(seed001)
    odd = dataclasses.replace(seed001, fixes=(dataclasses.replace(repeat, source_edits=(object(),)),))
    assert "To keep it" not in render_html(odd)


def test_the_reset_line_is_explained_once_in_plain_words(seed001):
    code = "X_train = X_train.reshape(-1, 24, 3)\nkerashape.reset(model)  # clear the training function\n"
    fix = Fix("reshape", "Reshape X_train", code, "r", resulting_shape=(100, 24, 3), target="X_train")
    words = " ".join(_words(render_html(dataclasses.replace(seed001, fixes=(fix,)))).split())
    assert (
        words.count("kerashape.reset(model) clears the training function Keras kept from the failed call")
        == 1
    )
    assert "no weight changes" in words
    assert "clears the training function Keras kept" not in _words(render_html(seed001))  # no reset line
    text = " ".join(render_text(dataclasses.replace(seed001, fixes=(fix,))).split())
    assert text.count("`kerashape.reset(model)` clears the training function") == 1
