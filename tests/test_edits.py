"""Tests of kerashape_magic.edits: the change to the user's own cells (issue 12).

Table tests on tutorial-style notebook histories (``{execution count: raw cell}``): each row is
a finder call and the exact cell text expected after it, or the words its NoEdit reason must
say. Every edit found must start from the cell as it ran, parse, keep the user's magics,
comments and blank lines, and never mention kerashape. The tests marked ``tf`` run the edited
cells top to bottom in a fresh namespace with real Keras: the original cells fail, the edited
ones run.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kerashape_magic import edits as E
from kerashape_magic.edits import NoEdit, SourceEdit


def d(text: str) -> str:
    """A cell written indented in the table: dedented, first newline dropped."""
    return textwrap.dedent(text).lstrip("\n")


IMPORTS = d("""
    %matplotlib inline
    import numpy as np
    import keras
    from keras.layers import LSTM, Dense
    """)

# --------------------------------------------------------------------------- data edits

DATA = [
    pytest.param(
        {
            1: "import numpy as np\nfrom sklearn.model_selection import train_test_split\n",
            2: d("""
                X = np.random.rand(100, 24)
                y = np.random.rand(100)
                X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
                print(X_train.shape, X_test.shape)
                """),
            3: "model.fit(X_train, y_train, epochs=5)",
        },
        dict(cell=3, name="X_train", code="X_train = np.expand_dims(X_train, -1)"),
        2,
        d("""
            X = np.random.rand(100, 24)
            y = np.random.rand(100)
            X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)
            print(X_train.shape, X_test.shape)
            X_train = np.expand_dims(X_train, -1)
            """),
        id="tuple-unpacking",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: "(X_train, y_train), (X_test, y_test) = keras.datasets.mnist.load_data()\n",
            3: "# scale to [0, 1]\nX_train = X_train.astype('float32')\n"
            "X_train /= 255.0\n\nX_test = X_test / 255.0\n",
            4: "model.fit(X_train, y_train, epochs=3, batch_size=128)",
        },
        dict(cell=4, name="X_train", code="X_train = np.expand_dims(X_train, -1)"),
        3,
        "# scale to [0, 1]\nX_train = X_train.astype('float32')\nX_train /= 255.0\n"
        "X_train = np.expand_dims(X_train, -1)\n\nX_test = X_test / 255.0\n",
        id="augmented-assignment-nested-tuples",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: d("""
                with open("train.npy", "rb") as f:
                    X_train = np.load(f)
                    y_train = np.load(f)
                print(X_train.shape)
                """),
            3: "model.fit(X_train, y_train)",
        },
        dict(cell=3, name="X_train", code="X_train = X_train.reshape(-1, 24, 3)"),
        2,
        d("""
            with open("train.npy", "rb") as f:
                X_train = np.load(f)
                y_train = np.load(f)
            print(X_train.shape)
            X_train = X_train.reshape(-1, 24, 3)
            """),
        id="with-block-after-the-block",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: "X_train = np.random.rand(64, 24)\nnormalize = True\n",
            3: d("""
                if normalize:
                    X_train = X_train / X_train.max()
                else:
                    X_train = X_train - 0.5  # centred
                y_train = np.zeros(64)
                """),
            4: "model.fit(X_train, y_train)",
        },
        dict(cell=4, name="X_train", code="X_train = np.expand_dims(X_train, -1)"),
        3,
        d("""
            if normalize:
                X_train = X_train / X_train.max()
            else:
                X_train = X_train - 0.5  # centred
            X_train = np.expand_dims(X_train, -1)
            y_train = np.zeros(64)
            """),
        id="if-else-after-the-block",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: d("""
                X = np.random.rand(32, 24)
                y = np.random.rand(32, 1)
                model.fit(X, y, epochs=1)
                X = None
                """),
        },
        dict(cell=2, name="X", code="X = np.expand_dims(X, -1)"),
        2,
        d("""
            X = np.random.rand(32, 24)
            X = np.expand_dims(X, -1)
            y = np.random.rand(32, 1)
            model.fit(X, y, epochs=1)
            X = None
            """),
        id="data-built-in-the-failing-cell",
    ),
    pytest.param(
        {1: "import numpy as np", 2: "    X = np.zeros((4, 3))\n    y = np.ones(4)\n", 3: "model.fit(X, y)"},
        dict(cell=3, name="X", code="X = X[..., None]"),
        2,
        "    X = np.zeros((4, 3))\n    X = X[..., None]\n    y = np.ones(4)\n",
        id="indented-cell",
    ),
    pytest.param(
        {
            1: "import numpy as np",
            2: "X = np.zeros((4, 3))",
            3: "model.fit(X, y)\nX = np.zeros((8, 3))\nmodel.fit(X, y)",
        },
        dict(cell=3, name="X", code="X = X[..., None]", line=3),
        3,
        "model.fit(X, y)\nX = np.zeros((8, 3))\nX = X[..., None]\nmodel.fit(X, y)",
        id="line-of-the-second-call",
    ),
    pytest.param(
        {1: "import numpy as np", 2: "X = np.zeros((4, 3))", 3: "model.fit(X, y)"},
        dict(cell=3, name="X", code="X = X[..., None]"),
        2,
        "X = np.zeros((4, 3))\nX = X[..., None]",
        id="last-line-without-newline",
    ),
    pytest.param(
        {
            1: d("""
                %load_ext autoreload
                %autoreload 2
                # load the data
                X_train = np.load('x.npy')   # (N, 24)

                !ls data
                files = !ls data
                X_train?
                """),
            2: "model.fit(X_train, y_train)",
        },
        dict(cell=2, name="X_train", code="X_train = np.expand_dims(X_train, -1)"),
        1,
        d("""
            %load_ext autoreload
            %autoreload 2
            # load the data
            X_train = np.load('x.npy')   # (N, 24)
            X_train = np.expand_dims(X_train, -1)

            !ls data
            files = !ls data
            X_train?
            """),
        id="magics-comments-blank-lines-kept",
    ),
    pytest.param(
        {1: "%%time\nX = np.random.rand(10, 5)\n", 2: "%%bash\necho $X\n", 3: "model.fit(X, y)"},
        dict(cell=3, name="X", code="X = X[..., None]"),
        1,
        "%%time\nX = np.random.rand(10, 5)\nX = X[..., None]\n",
        id="time-cell-magic-is-python-bash-is-not",
    ),
    pytest.param(
        {
            1: "from mydata import X_train, y_train  # prepared elsewhere\nimport numpy as np",
            2: "model.fit(X_train, y_train)",
        },
        dict(cell=2, name="X_train", code="X_train = np.expand_dims(X_train, -1)"),
        1,
        "from mydata import X_train, y_train  # prepared elsewhere\n"
        "X_train = np.expand_dims(X_train, -1)\nimport numpy as np",
        id="imported-data",
    ),
]


@pytest.mark.parametrize("history, kwargs, cell, expected", DATA)
def test_data_edit(history, kwargs, cell, expected):
    found = E.data_edit(history, **kwargs)
    assert isinstance(found, SourceEdit), found
    assert (found.cell, found.after) == (cell, expected)
    assert_well_formed(history, found)


def test_data_built_in_place_goes_after_the_loop():
    history = {
        1: "import numpy as np\nseries = np.random.rand(100)\n",
        2: "X, y = [], []\nfor i in range(len(series) - 24):\n    X.append(series[i : i + 24])\n"
        "    y.append(series[i + 24])\ny = np.array(y)\nprint(len(X))\n",
        3: "X = np.array(X)",
        4: "model.fit(X, y)",
    }
    found = E.data_edit(history, 4, "X", "X = np.expand_dims(X, -1)")
    assert found.cell == 3 and found.after == "X = np.array(X)\nX = np.expand_dims(X, -1)"
    del history[3]
    found = E.data_edit(history, 4, "X", "X = np.expand_dims(np.array(X), -1)")
    assert found.after == (
        "X, y = [], []\nfor i in range(len(series) - 24):\n    X.append(series[i : i + 24])\n"
        "    y.append(series[i + 24])\ny = np.array(y)\nprint(len(X))\nX = np.expand_dims(np.array(X), -1)\n"
    )
    history[3] = "X[0] = X[1]\nX.shape"
    assert E.data_edit(history, 4, "X", "X = X[..., None]").after == "X[0] = X[1]\nX.shape\nX = X[..., None]"


def test_walrus_binding_is_found():
    history = {1: "import numpy as np\nif (X := np.zeros(3)).any():\n    pass\nprint(1)", 2: "model.fit(X)"}
    found = E.data_edit(history, 2, "X", "X = X[:, None]")
    assert (
        found.after == "import numpy as np\nif (X := np.zeros(3)).any():\n    pass\nX = X[:, None]\nprint(1)"
    )


NO_DATA = [
    ({1: "X = 1", 2: "%run prep.py", 3: "model.fit(X)"}, "`%run` in cell [2] may rebind `X`"),
    ({1: "X = 1", 2: "%%capture X\nprint(1)", 3: "model.fit(X)"}, "`%%capture` in cell [2] may rebind `X`"),
    (
        {1: "X = 1", 2: "s = ('%d'\n     % 3)\nX = s", 3: "model.fit(X)"},
        "cell [2] could not be read as Python",
    ),
    (
        {1: "for X in batches:\n    model.train_on_batch(X)", 2: "model.fit(X)"},
        "`X` is a loop variable in cell [1]",
    ),
    (
        {1: "import numpy as np", 2: "model.fit(X_train)"},
        "`X_train` is not assigned in any cell run before [2]",
    ),
    ({1: "def X():\n    pass", 2: "model.fit(X)"}, "function or class"),
    ({1: "X = 1\ndel X", 2: "model.fit(X)"}, "`X` is deleted"),
]


@pytest.mark.parametrize("history, reason", NO_DATA)
def test_data_edit_not_found(history, reason):
    found = E.data_edit(history, max(history), "X_train" if "X_train" in reason else "X", "X = X[..., None]")
    assert isinstance(found, NoEdit) and not found
    assert reason in found.reason


def test_barriers_for_other_names_are_passed():
    history = {1: "X = 1", 2: "%store -r other\n%%capture out", 3: "s = ('%d'\n % 3)", 4: "model.fit(X)"}
    assert E.data_edit(history, 4, "X", "X = X + 1").cell == 1


@pytest.mark.parametrize("code", ["import kerashape\nX = kerashape.fix(X)", "X = (", "X ="])
def test_data_edit_refuses_bad_code(code):
    found = E.data_edit({1: "X = 1", 2: "model.fit(X)"}, 2, "X", code)
    assert isinstance(found, NoEdit)


def test_the_failing_line_that_builds_the_data_is_replaced():
    """Keras-team/keras#8568: the reshape itself raised; Apply ran the fix on X as it was before
    that line, so the fix's lines take the line's place (X and y both rebound)."""
    hist = {
        1: "import numpy as np\nX = np.random.rand(1000, 30)\ny = np.random.rand(1000)\n",
        2: "# windows of 5\nX = np.reshape(X, (1000, 5, 30))  # fails\nprint(X.shape)\n",
    }
    code = "X = np.lib.stride_tricks.sliding_window_view(X, 5, axis=0).transpose(0, 2, 1)\ny = y[4:]"
    found = E.data_edit(hist, 2, ("X", "y"), code, line=2)
    assert found.cell == 2
    assert found.after == "# windows of 5\n" + code + "\nprint(X.shape)\n"
    ns = {}
    for n in (1, 2):
        exec(E.apply_edits(hist, [found])[n], ns)
    assert ns["X"].shape == (996, 5, 30) and ns["y"].shape == (996,)
    found = E.data_edit(hist, 2, "X", "X = X[..., None]")  # no line: the first line reading X
    assert found.after == "# windows of 5\nX = X[..., None]\nprint(X.shape)\n"
    hist[2] = "X, Z = np.reshape(X, (1000, 5, 30)), 1"
    assert "together with more" in E.data_edit(hist, 2, "X", "X = X[..., None]", line=1).reason


# --------------------------------------------------------------------------- input shape

SEQ_LIST = d("""
    model = keras.Sequential([
        LSTM(50, input_shape=(24, 3)),
        Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    """)

SHAPE = [
    pytest.param(
        {
            1: IMPORTS,
            2: "X_train = np.random.rand(100, 24, 1)",
            3: SEQ_LIST + "model.fit(X_train, y_train)\n",
        },
        dict(cell=3, model="model", shape=(24, 1)),
        3,
        SEQ_LIST.replace("(24, 3)", "(24, 1)") + "model.fit(X_train, y_train)\n",
        id="model-and-fit-in-one-cell",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([Dense(16, input_dim=3), Dense(1)])", 3: "model.fit(X, y)"},
        dict(cell=3, model="model", shape=(5,)),
        2,
        "model = keras.Sequential([Dense(16, input_dim=5), Dense(1)])",
        id="input-dim",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([Dense(16, input_dim=3), Dense(1)])", 3: "model.fit(X, y)"},
        dict(cell=3, model="model", shape=(24, 3)),
        2,
        "model = keras.Sequential([Dense(16, input_shape=(24, 3)), Dense(1)])",
        id="input-dim-to-input-shape",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([LSTM(8, batch_input_shape=(32, 24, 3)), Dense(1)])"},
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = keras.Sequential([LSTM(8, batch_input_shape=(32, 24, 1)), Dense(1)])",
        id="batch-input-shape-keeps-batch",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([keras.Input((24, 3)), LSTM(8), Dense(1)])"},
        dict(cell=3, model="model", shape=(48, 3)),
        2,
        "model = keras.Sequential([keras.Input((48, 3)), LSTM(8), Dense(1)])",
        id="keras-input-element",
    ),
    pytest.param(
        {
            1: "import keras\nfrom keras import layers\n",
            2: "model = keras.Sequential([layers.InputLayer(input_shape=[28, 28, 3]), layers.Flatten()])",
        },
        dict(cell=3, model="model", shape=(28, 28, 1)),
        2,
        "model = keras.Sequential([layers.InputLayer(input_shape=[28, 28, 1]), layers.Flatten()])",
        id="input-layer-list-literal",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: "n_steps, n_features = 24, 3\n",
            3: "model = keras.Sequential([LSTM(50, input_shape=(n_steps, n_features)), Dense(1)])",
        },
        dict(cell=4, model="model", shape=(24, 1), declared=(24, 3)),
        3,
        "model = keras.Sequential([LSTM(50, input_shape=(n_steps, 1)), Dense(1)])",
        id="variables-kept-where-unchanged",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: "model = keras.Sequential()\n",
            3: "model.add(LSTM(50, input_shape=(24, 3)))\n# output\n",
            4: "model.add(Dense(1))\nmodel.compile(loss='mse')",
            5: "model.fit(X_train, y_train)",
        },
        dict(cell=5, model="model", shape=(24, 1)),
        3,
        "model.add(LSTM(50, input_shape=(24, 1)))\n# output\n",
        id="model-add-over-several-cells",
    ),
    pytest.param(
        {
            1: "import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n",
            2: "inputs = keras.Input(shape=(24, 3))\n",
            3: "x = keras.layers.LSTM(50)(inputs)\noutputs = keras.layers.Dense(1)(x)\n"
            "model = keras.Model(inputs=inputs, outputs=outputs)",
            4: "model.fit(X_train, y_train)",
        },
        dict(cell=4, model="model", shape=(None, 3)),
        2,
        "inputs = keras.Input(shape=(None, 3))\n",
        id="functional-over-cells",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([LSTM(50), Dense(1)])"},
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = keras.Sequential([keras.Input((24, 1)), LSTM(50), Dense(1)])",
        id="lazy-list-gets-keras-input",
    ),
    pytest.param(
        {
            1: "from keras.models import Sequential\nfrom keras.layers import LSTM, Dense, Input\n",
            2: "model = Sequential([\n    LSTM(50),  # encoder\n    Dense(1)\n])",
        },
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = Sequential([\n    Input((24, 1)),\n    LSTM(50),  # encoder\n    Dense(1)\n])",
        id="lazy-multiline-list-own-input-name",
    ),
    pytest.param(
        {
            1: "from tensorflow.keras import layers, models\n",
            2: "model = models.Sequential([layers.Dense(1)])",
        },
        dict(cell=3, model="model", shape=(7,)),
        2,
        "model = models.Sequential([layers.Input((7,)), layers.Dense(1)])",
        id="lazy-layers-alias",
    ),
    pytest.param(
        {
            1: "from tensorflow.keras.models import Sequential\nfrom tensorflow.keras.layers import Dense\n",
            2: "# the model\nmodel = Sequential([Dense(1)])",
        },
        dict(cell=3, model="model", shape=(7,)),
        2,
        "# the model\nfrom tensorflow.keras.layers import Input\nmodel = Sequential([Input((7,)), Dense(1)])",
        id="lazy-no-input-name-adds-import",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential()\nmodel.add(LSTM(50))\nmodel.add(Dense(1))\n"},
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = keras.Sequential()\nmodel.add(keras.Input((24, 1)))\n"
        "model.add(LSTM(50))\nmodel.add(Dense(1))\n",
        id="lazy-add-style",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: "strategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n"
            "    model = keras.Sequential([LSTM(8, input_shape=(24, 3)), Dense(1)])\n"
            "    model.compile(loss='mse')\n",
        },
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "strategy = tf.distribute.MirroredStrategy()\nwith strategy.scope():\n"
        "    model = keras.Sequential([LSTM(8, input_shape=(24, 1)), Dense(1)])\n"
        "    model.compile(loss='mse')\n",
        id="inside-strategy-scope",
    ),
    pytest.param(
        {
            1: IMPORTS,
            2: "my_layers = [LSTM(50, input_shape=(24, 3)), Dense(1)]\n",
            3: "model = keras.Sequential(my_layers)",
        },
        dict(cell=4, model="model", shape=(24, 1)),
        2,
        "my_layers = [LSTM(50, input_shape=(24, 1)), Dense(1)]\n",
        id="list-variable",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([LSTM(8), Dense(1)])\nmodel.build((None, 24, 3))\n"},
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = keras.Sequential([LSTM(8), Dense(1)])\nmodel.build((None, 24, 1))\n",
        id="model-build",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([Bidirectional(LSTM(8, input_shape=(24, 3))), Dense(1)])"},
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = keras.Sequential([Bidirectional(LSTM(8, input_shape=(24, 1))), Dense(1)])",
        id="inside-a-wrapper",
    ),
    pytest.param(
        {1: IMPORTS, 2: "model = keras.Sequential([Bidirectional(LSTM(8), input_shape=(24, 3)), Dense(1)])"},
        dict(cell=3, model="model", shape=(24, 1)),
        2,
        "model = keras.Sequential([Bidirectional(LSTM(8), input_shape=(24, 1)), Dense(1)])",
        id="on-a-wrapper",
    ),
    pytest.param(
        {
            1: "import keras\n",
            2: "a = keras.Input((8,), name='a')\nb = keras.Input((4,), name='b')\n"
            "x = keras.layers.concatenate([a, b])\nmodel = keras.Model([a, b], keras.layers.Dense(1)(x))",
        },
        dict(cell=3, model="model", shape=(5,), input_index=1),
        2,
        "a = keras.Input((8,), name='a')\nb = keras.Input((5,), name='b')\n"
        "x = keras.layers.concatenate([a, b])\nmodel = keras.Model([a, b], keras.layers.Dense(1)(x))",
        id="functional-second-input",
    ),
]


@pytest.mark.parametrize("history, kwargs, cell, expected", SHAPE)
def test_input_shape_edit(history, kwargs, cell, expected):
    found = E.input_shape_edit(history, **kwargs)
    assert isinstance(found, SourceEdit), found
    assert (found.cell, found.after) == (cell, expected)
    assert_well_formed(history, found)


NO_MODEL = [
    (
        {1: "import keras", 2: "model = keras.models.load_model('m.keras')"},
        "loaded by `keras.models.load_model(...)`",
    ),
    (
        {1: "def build_model():\n    return keras.Sequential([Dense(1)])", 2: "model = build_model()"},
        "return value of `build_model()` (defined in cell [1])",
    ),
    ({1: "from mymodels import model"}, "`model` is imported from a module in cell [1]"),
    (
        {
            1: "class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n",
            2: "model = Net()",
        },
        "a `Net` (a Model subclass defined in cell [1])",
    ),
    ({1: "for u in (8, 16):\n    model = keras.Sequential([Dense(u)])"}, "built inside a loop in cell [1]"),
    (
        {
            1: "if big:\n    model = keras.Sequential([Dense(64)])\n"
            "else:\n    model = keras.Sequential([Dense(8)])"
        },
        "`if` block",
    ),
    ({1: "import keras"}, "`model` is not assigned in any cell run before [2]"),
    ({1: "model = other_model"}, "`model` is `other_model` in cell [1]"),
    (
        {1: "model = keras.Sequential([Dense(1)])", 2: "%run build.py"},
        "`%run` in cell [2] may rebind `model`",
    ),
    ({1: "model, history = train(X)"}, "more than a plain `model = ...`"),
    ({1: "model = keras.Sequential(make_layers())"}, "not a list written in the notebook"),
    ({1: "inputs = get_inputs()\nmodel = keras.Model(inputs, Dense(1)(inputs))"}, "not an `Input(...)`"),
]


@pytest.mark.parametrize("history, reason", NO_MODEL)
def test_model_source_not_found(history, reason):
    found = E.input_shape_edit(history, 2 if max(history) < 2 else max(history) + 1, "model", (24, 1))
    assert isinstance(found, NoEdit) and not found
    assert reason in found.reason


def test_a_model_that_already_ran_keeps_its_declaration():
    """A trained model fed new data of another shape: editing its declaration would break the
    cell that trained it when the notebook is re-run (Apply rebuilt it keeping the weights)."""
    hist = {
        1: IMPORTS,
        2: "model = keras.Sequential([keras.Input((28, 28, 3)), layers.Flatten(), Dense(10)])\n"
        "model.compile(loss='mse')\n",
        3: "model.fit(x_rgb, y, epochs=3)\n",
        4: "preds = model.predict(gray)",
        5: "preds = model.predict(gray)",
    }
    for found in (
        E.input_shape_edit(hist, 5, "model", (28, 28, 1)),
        E.layer_argument_edit(hist, 5, "model", -1, "units", 3),
        E.loss_edit(hist, 5, "model", "huber"),
    ):
        assert isinstance(found, NoEdit)
        assert "already ran on data in cell [3] (`model.fit(x_rgb, y, epochs=3)`)" in found.reason
    hist[3] = "model.fit(x_rgb, y, epochs=3, batch_size=32, validation_split=0.2, verbose=0)"
    assert "(`model.fit(...)`)" in E.input_shape_edit(hist, 5, "model", (28, 28, 1)).reason
    del hist[3]  # cell [4] is an earlier run of the failing cell's own text: it does not count
    assert E.input_shape_edit(hist, 5, "model", (28, 28, 1)).cell == 2
    hist[3] = "model.fit(x_rgb, y, epochs=3)"  # it raised too (kerashape saw it): it trained nothing
    assert E.input_shape_edit(hist, 5, "model", (28, 28, 1), failed={3}).cell == 2
    assert E.fix_edits(hist, 5, "model = kerashape.rebuild(model, loss='huber')", failed=[3])[0].cell == 2
    del hist[3], hist[4]
    hist[5] = "model.fit(x_rgb, y)\npreds = model.predict(gray)"
    assert "already ran on data in cell [5]" in E.input_shape_edit(hist, 5, "model", (9,), line=2).reason
    assert E.input_shape_edit(hist, 5, "model", (9,)).cell == 2  # which line failed is not known
    hist[3] = "out = model(x_rgb[:1])"
    assert (
        "already ran on data in cell [3] (`model(x_rgb[:1])`)"
        in E.input_shape_edit(hist, 5, "model", (9,)).reason
    )


def test_same_cell_readers_keep_what_they_saw():
    """keras-team/keras#162 style: the pixels stay a DataFrame for the rest of the cell
    (X_orig = X.values.copy()); the reshape goes after them, in the cell that builds X."""
    hist = {
        1: "import numpy as np\nimport pandas as pd\n",
        2: "df = pd.read_csv('train.csv')\nX = df.drop(columns='label')\ny = df['label'].values\n"
        "X_orig = X.values.copy()\n",
        3: "n_pixels = X.shape[1]\n",
        4: "model.fit(X, y)",
    }
    found = E.data_edit(hist, 4, "X", "X = X.to_numpy().reshape(-1, 12, 12, 1)")
    assert found.cell == 2 and found.after == hist[2] + "X = X.to_numpy().reshape(-1, 12, 12, 1)\n"


def test_same_shape_is_no_edit():
    found = E.input_shape_edit({1: "model = keras.Sequential([keras.Input((24, 3))])"}, 2, "model", (24, 3))
    assert isinstance(found, NoEdit) and "already" in found.reason


# --------------------------------------------------------------------------- layer arguments

STACKED = {
    1: "import numpy as np\nimport keras\nfrom keras.layers import LSTM, Dense\n",
    2: "model = keras.Sequential()\nmodel.add(LSTM(32, input_shape=(24, 3)))\n",
    3: "model.add(LSTM(16))",
}
CLASSIFIER = d("""
    model = keras.Sequential([
        keras.Input((12,)),
        layers.Dense(32, activation='relu'),
        layers.Dense(10, activation='softmax'),
    ])
    """)

ARGUMENT = [
    pytest.param(
        STACKED,
        dict(cell=3, model="model", layer=0, keyword="return_sequences", value=True),
        2,
        "model = keras.Sequential()\nmodel.add(LSTM(32, input_shape=(24, 3), return_sequences=True))\n",
        id="stacked-lstm-add",
    ),
    pytest.param(
        STACKED,
        dict(cell=3, model="model", layer=("LSTM", 1), keyword="units", value=8),
        3,
        "model.add(LSTM(8))",
        id="failing-add-itself-positional-units",
    ),
    pytest.param(
        {1: "from keras import layers", 2: CLASSIFIER},
        dict(cell=3, model="model", layer=-1, keyword="units", value=3),
        2,
        CLASSIFIER.replace("Dense(10", "Dense(3"),
        id="dense-units-positional",
    ),
    pytest.param(
        {1: "from keras import layers", 2: CLASSIFIER},
        dict(cell=3, model="model", layer=("Dense", 1), keyword="activation", value="sigmoid"),
        2,
        CLASSIFIER.replace("'softmax'", "'sigmoid'"),
        id="activation-in-the-cell's-quotes",
    ),
    pytest.param(
        {
            1: "from keras import layers",
            2: "model = keras.Sequential([\n    layers.LSTM(\n        64,\n"
            "        dropout=0.2,\n    ),\n    layers.Dense(1),\n])",
        },
        dict(cell=3, model="model", layer=0, keyword="return_sequences", value=True),
        2,
        "model = keras.Sequential([\n    layers.LSTM(\n        64,\n        dropout=0.2,\n"
        "        return_sequences=True,\n    ),\n    layers.Dense(1),\n])",
        id="one-argument-per-line",
    ),
    pytest.param(
        {
            1: "from keras.layers import Bidirectional, LSTM",
            2: "model = Sequential([Bidirectional(LSTM(32)), Dense(1)])",
        },
        dict(cell=3, model="model", layer=0, keyword="return_sequences", value=True),
        2,
        "model = Sequential([Bidirectional(LSTM(32, return_sequences=True)), Dense(1)])",
        id="bidirectional-inner",
    ),
    pytest.param(
        {
            1: "import keras\nfrom keras import layers",
            2: "inp = keras.Input((24, 5))\n"
            "h = layers.LSTM(16, return_sequences=True)(inp)\n"
            'out = layers.Dense(3, activation="softmax")(h)\n'
            "model = keras.Model(inp, out)",
        },
        dict(cell=3, model="model", layer=("LSTM", 0), keyword="return_sequences", value=False),
        2,
        "inp = keras.Input((24, 5))\nh = layers.LSTM(16, return_sequences=False)(inp)\n"
        'out = layers.Dense(3, activation="softmax")(h)\nmodel = keras.Model(inp, out)',
        id="functional",
    ),
    pytest.param(
        {
            1: "import keras\nfrom keras.layers import Dense, LSTM",
            2: "lstm = LSTM(8)\n",
            3: "model = keras.Sequential([keras.Input((24, 3)), lstm, Dense(1)])",
        },
        dict(cell=4, model="model", layer=0, keyword="return_sequences", value=True),
        2,
        "lstm = LSTM(8, return_sequences=True)\n",
        id="layer-variable",
    ),
    pytest.param(
        {
            1: "import keras\nfrom keras import layers",
            2: "a = keras.Input((4,))\nb = keras.Input((4,))\nshared = layers.Dense(8)\n"
            "x = layers.concatenate([shared(a), shared(b)])\nout = layers.Dense(1)(x)\n"
            "model = keras.Model([a, b], out)",
        },
        dict(cell=3, model="model", layer=("Dense", 1), keyword="units", value=2),
        2,
        "a = keras.Input((4,))\nb = keras.Input((4,))\nshared = layers.Dense(8)\n"
        "x = layers.concatenate([shared(a), shared(b)])\nout = layers.Dense(2)(x)\n"
        "model = keras.Model([a, b], out)",
        id="shared-layer-counted-once",
    ),
    pytest.param(
        {1: "model = Sequential()\nmodel.add(Dense(8))\nfor _ in range(2):\n    model.add(Dense(8))\n"},
        dict(cell=2, model="model", layer=0, keyword="units", value=4),
        1,
        "model = Sequential()\nmodel.add(Dense(4))\nfor _ in range(2):\n    model.add(Dense(8))\n",
        id="before-a-loop-is-known",
    ),
    pytest.param(
        {
            1: "model = Sequential()\nmodel.add(Dense(8))\nprint(model)\n"
            "plot_model(model, 'm.png')\nmodel.add(Dense(2))\n"
        },
        dict(cell=2, model="model", layer=1, keyword="units", value=4),
        1,
        "model = Sequential()\nmodel.add(Dense(8))\nprint(model)\n"
        "plot_model(model, 'm.png')\nmodel.add(Dense(4))\n",
        id="looking-at-the-model-changes-nothing",
    ),
]


@pytest.mark.parametrize("history, kwargs, cell, expected", ARGUMENT)
def test_layer_argument_edit(history, kwargs, cell, expected):
    found = E.layer_argument_edit(history, **kwargs)
    assert isinstance(found, SourceEdit), found
    assert (found.cell, found.after) == (cell, expected)
    assert_well_formed(history, found)


NO_ARGUMENT = [
    ({1: "model = Sequential([Dense(**cfg)])"}, 0, "unpacked"),
    ({1: "model = Sequential([Dense(8)])"}, 3, "declares 1 layer, none at index 3"),
    (
        {1: "model = Sequential()\nmodel.add(Dense(8))\nfor _ in range(2):\n    model.add(Dense(8))\n"},
        2,
        "in a loop",
    ),
    ({1: "model = Sequential([Dense(8)])"}, ("LSTM", 0), "no LSTM number 1"),
    ({1: "model = Sequential([*base, Dense(8)])"}, 0, "holds `*base`, not a layer declared there"),
    ({1: "model = Sequential([base.layers[0], Dense(8)])"}, 0, "holds `base.layers[0]`"),
    (
        {1: "model = Sequential()\nmodel.add(Dense(8))\nadd_block(model)\nmodel.add(Dense(2))"},
        1,
        "`add_block(model)`",
    ),
    (
        {1: "model = Sequential()\nmodel.add(Dense(8))\nadd_block(model)\nmodel.add(Dense(2))"},
        ("Dense", 1),
        "add_block",
    ),
    (
        {1: "x, state = LSTM(4, return_state=True)(inp)\nmodel = Model(inp, Dense(1)(x))"},
        ("Dense", 0),
        "`x` in the model of cell [1] is not built by a plain assignment",
    ),
]


@pytest.mark.parametrize("history, layer, reason", NO_ARGUMENT)
def test_layer_argument_not_found(history, layer, reason):
    found = E.layer_argument_edit(history, 2, "model", layer, "units", 4)
    assert isinstance(found, NoEdit) and reason in found.reason


# --------------------------------------------------------------------------- inserting a layer

CONV = d("""
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(8, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Dense(10, activation="softmax")
    ])
    """)

INSERT = [
    pytest.param(
        {1: "import keras\nfrom keras import layers", 2: CONV},
        dict(cell=3, model="model", layer_class="Flatten", after=1),
        2,
        CONV.replace("    layers.MaxPooling2D(),\n", "    layers.MaxPooling2D(),\n    layers.Flatten(),\n"),
        id="multiline-list-after",
    ),
    pytest.param(
        {1: "import keras\nfrom keras import layers", 2: CONV},
        dict(cell=3, model="model", layer_class="Dense", after=-1, arguments="1"),
        2,
        CONV.replace('"softmax")\n', '"softmax"),\n    layers.Dense(1),\n'),
        id="after-the-last-element-adds-the-comma",
    ),
    pytest.param(
        {1: "import keras\nfrom keras import layers", 2: CONV},
        dict(cell=3, model="model", layer_class="Flatten", before=("Dense", 0)),
        2,
        CONV.replace("    layers.Dense(10", "    layers.Flatten(),\n    layers.Dense(10"),
        id="multiline-list-before",
    ),
    pytest.param(
        {1: "from keras.layers import *\nimport keras", 2: "model = keras.Sequential([LSTM(8), Dense(1)])"},
        dict(cell=3, model="model", layer_class="RepeatVector", after=0, arguments="24"),
        2,
        "model = keras.Sequential([LSTM(8), keras.layers.RepeatVector(24), Dense(1)])",
        id="inline-list-with-arguments",
    ),
    pytest.param(
        STACKED,
        dict(cell=3, model="model", layer_class="Flatten", after=0),
        2,
        "model = keras.Sequential()\nmodel.add(LSTM(32, input_shape=(24, 3)))\n"
        "model.add(keras.layers.Flatten())\n",
        id="add-line-after",
    ),
    pytest.param(
        {
            1: "from tensorflow.keras import layers, Model, Input",
            2: "inp = Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(inp)\nx = layers.MaxPooling2D()(x)\n"
            "out = layers.Dense(10)(x)\nmodel = Model(inp, out)\n",
        },
        dict(cell=3, model="model", layer_class="Flatten", after=("MaxPooling2D", 0)),
        2,
        "inp = Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(inp)\n"
        "x = layers.MaxPooling2D()(x)\nx = layers.Flatten()(x)\n"
        "out = layers.Dense(10)(x)\nmodel = Model(inp, out)\n",
        id="functional-new-line",
    ),
    pytest.param(
        {
            1: "from tensorflow.keras import layers, Model, Input",
            2: "inp = Input((28, 28, 1))\nmodel = Model(inp, layers.Dense(10)(layers.Conv2D(8, 3)(inp)))\n",
        },
        dict(cell=3, model="model", layer_class="Flatten", after=0),
        2,
        "inp = Input((28, 28, 1))\n"
        "model = Model(inp, layers.Dense(10)(layers.Flatten()(layers.Conv2D(8, 3)(inp))))\n",
        id="functional-inline-wrap",
    ),
    pytest.param(
        {
            1: "from tensorflow.keras import layers, Model, Input",
            2: "inp = Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(inp)\n"
            "out = layers.Dense(10)(x)\nmodel = Model(inp, out)\n",
        },
        dict(cell=3, model="model", layer_class="GlobalAveragePooling2D", before=("Dense", 0)),
        2,
        "inp = Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(inp)\n"
        "out = layers.Dense(10)(layers.GlobalAveragePooling2D()(x))\n"
        "model = Model(inp, out)\n",
        id="functional-before-wraps-the-input",
    ),
]


@pytest.mark.parametrize("history, kwargs, cell, expected", INSERT)
def test_layer_insert_edit(history, kwargs, cell, expected):
    found = E.layer_insert_edit(history, **kwargs)
    assert isinstance(found, SourceEdit), found
    assert (found.cell, found.after) == (cell, expected)
    assert_well_formed(history, found)


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        (dict(after=0, before=1), "one of them"),
        (dict(), "one of them"),
        (dict(after=0, arguments="1, ("), "not valid Python"),
        (dict(after=5), "2 layers, none at index 5"),
    ],
)
def test_layer_insert_refused(kwargs, reason):
    found = E.layer_insert_edit(STACKED, 3, "model", "Flatten", **kwargs)
    assert isinstance(found, NoEdit) and reason in found.reason


REMOVE = [
    pytest.param(
        {1: "import keras\nfrom keras import layers", 2: CONV},
        dict(layer=1),
        2,
        CONV.replace("    layers.MaxPooling2D(),\n", ""),
        id="multiline-element-line",
    ),
    pytest.param(
        {2: "model = keras.Sequential([LSTM(8), Flatten(), Dense(1)])"},
        dict(layer=-1),
        2,
        "model = keras.Sequential([LSTM(8), Flatten()])",
        id="inline-last-element",
    ),
    pytest.param(STACKED, dict(layer=1), 3, "", id="add-line"),
    pytest.param(
        {
            1: "inp = keras.Input((8,))\nx = layers.Dense(4)(inp)\n"
            "x = layers.Dropout(0.5)(x)\nout = layers.Dense(1)(x)\n"
            "model = keras.Model(inp, out)"
        },
        dict(layer=("Dropout", 0)),
        1,
        "inp = keras.Input((8,))\nx = layers.Dense(4)(inp)\n"
        "out = layers.Dense(1)(x)\nmodel = keras.Model(inp, out)",
        id="functional-line",
    ),
    pytest.param(
        {1: "inp = keras.Input((8,))\nmodel = keras.Model(inp, layers.Dense(1)(layers.Flatten()(inp)))"},
        dict(layer=0),
        1,
        "inp = keras.Input((8,))\nmodel = keras.Model(inp, layers.Dense(1)(inp))",
        id="functional-inline",
    ),
]


@pytest.mark.parametrize("history, kwargs, cell, expected", REMOVE)
def test_layer_remove_edit(history, kwargs, cell, expected):
    found = E.layer_remove_edit(history, max(history) + 1, "model", **kwargs)
    assert isinstance(found, SourceEdit), found
    assert (found.cell, found.after) == (cell, expected)
    assert_well_formed(history, found)


def test_model_edits_several_changes_in_order():
    hist = {
        1: "import keras\nfrom keras import layers",
        2: "model = keras.Sequential()\nmodel.add(layers.LSTM(8))\n",
        3: "model.add(layers.Dropout(0.2))\nmodel.add(layers.Dense(10))\nmodel.compile(loss='mse')\n",
    }
    found = E.model_edits(
        hist,
        4,
        "model",
        input_shape=(24, 1),
        arguments={("Dense", 0): {"units": 1}},
        insert_after={0: ("RepeatVector", "2"), 2: "Flatten"},
        remove=[1],
        loss="huber",
    )
    assert [e.cell for e in found] == [3, 2]
    assert found[1].after == (
        "model = keras.Sequential()\nmodel.add(layers.Input((24, 1)))\nmodel.add(layers.LSTM(8))\n"
        "model.add(layers.RepeatVector(2))\n"
    )
    assert found[0].after == (
        "model.add(layers.Dense(1))\nmodel.add(layers.Flatten())\nmodel.compile(loss='huber')\n"
    )
    assert found[0].before == hist[3] and found[1].before == hist[2]
    assert isinstance(E.model_edits(hist, 4, "model"), NoEdit)
    assert (
        "removed and used" in E.model_edits(hist, 4, "model", remove=[0], insert_after={0: "Flatten"}).reason
    )
    assert isinstance(E.model_edits({1: "model = load()"}, 2, "model", input_shape=(3,)), NoEdit)


def test_data_edit_for_two_names_goes_after_the_later():
    hist = {1: "X = np.zeros((10, 48))\n", 2: "y = np.zeros(10)\nprint(y)\n", 3: "model.fit(X, y)"}
    code = "X = X.reshape(-1, 24)\ny = np.repeat(y, 2)"
    found = E.data_edit(hist, 3, ("X", "y"), code)
    assert found.after == "y = np.zeros(10)\nprint(y)\nX = X.reshape(-1, 24)\ny = np.repeat(y, 2)\n"
    assert "`z` is not assigned" in E.data_edit(hist, 3, ("X", "z"), code).reason


# --------------------------------------------------------------------------- loss

LOSS = [
    pytest.param(
        {1: IMPORTS, 2: SEQ_LIST, 3: "model.fit(X, y)"},
        dict(cell=3, model="model", loss="huber"),
        2,
        SEQ_LIST.replace('loss="mse"', 'loss="huber"'),
        id="keyword-string",
    ),
    pytest.param(
        {1: "model = keras.Sequential([Dense(1)])", 2: "model.compile('adam', 'mse', metrics=['mae'])"},
        dict(cell=3, model="model", loss="binary_crossentropy"),
        2,
        "model.compile('adam', 'binary_crossentropy', metrics=['mae'])",
        id="positional",
    ),
    pytest.param(
        {
            1: "model = keras.Sequential([Dense(3)])\nmodel.compile(loss='mse')",
            2: "model.compile(optimizer=keras.optimizers.Adam(1e-3),\n"
            "              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),\n"
            "              metrics=['accuracy'])",
        },
        dict(cell=3, model="model", loss="keras.losses.CategoricalCrossentropy(from_logits=True)"),
        2,
        "model.compile(optimizer=keras.optimizers.Adam(1e-3),\n"
        "              loss=keras.losses.CategoricalCrossentropy(from_logits=True),\n"
        "              metrics=['accuracy'])",
        id="loss-object-last-compile",
    ),
    pytest.param(
        {1: "model = keras.models.load_model('m.keras')\nmodel.compile(optimizer='adam')"},
        dict(cell=2, model="model", loss="mse"),
        1,
        "model = keras.models.load_model('m.keras')\nmodel.compile(optimizer='adam', loss='mse')",
        id="loaded-model-compiled-here",
    ),
]


@pytest.mark.parametrize("history, kwargs, cell, expected", LOSS)
def test_loss_edit(history, kwargs, cell, expected):
    found = E.loss_edit(history, **kwargs)
    assert isinstance(found, SourceEdit), found
    assert (found.cell, found.after) == (cell, expected)
    assert_well_formed(history, found)


def test_loss_edit_not_found():
    found = E.loss_edit({1: "model = build()"}, 2, "model", "mse")
    assert (
        isinstance(found, NoEdit)
        and "`model.compile(...)` is not in the cells run before [2]" in found.reason
    )
    found = E.loss_edit({1: "model.compile(loss='mse')"}, 2, "model", "kerashape.loss()")
    assert isinstance(found, NoEdit)


# --------------------------------------------------------------------------- a fix's own code

FIX_HISTORY = {
    1: "import numpy as np\nimport keras\nfrom keras import layers\n",
    2: "X_train = np.random.rand(64, 24)\ny_train = np.random.randint(0, 3, 64)\n",
    3: "model = keras.Sequential([\n    layers.LSTM(16),\n    layers.LSTM(8),\n    layers.Dense(1),\n])\n"
    "model.compile(optimizer='adam', loss='mse')\n",
    4: "model.fit(X_train, y_train, epochs=2)",
}
FIX_LAYERS = [("lstm_3", "LSTM"), ("lstm_4", "LSTM"), ("dense_7", "Dense")]


@pytest.mark.parametrize(
    "code, cells, contains",
    [
        (
            "import kerashape\nX_train = np.expand_dims(X_train, -1)\n"
            "model = kerashape.rebuild(model)  # the failed call left model configured for the wrong shape\n",
            [2],
            ["X_train = np.random.rand(64, 24)\nX_train = np.expand_dims(X_train, -1)\ny_train"],
        ),
        (
            "import kerashape\nmodel = kerashape.rebuild(model, input_shape=(24, 1))\n",
            [3],
            ["    layers.Input((24, 1)),\n    layers.LSTM(16),\n"],
        ),
        (
            'import kerashape as ks\nmodel = ks.rebuild(model, edit={"lstm_3": {"return_sequences": True}, '
            '"dense_7": {"units": 3, "activation": "softmax"}}, loss="sparse_categorical_crossentropy")\n',
            [3],
            [
                "layers.LSTM(16, return_sequences=True)",
                "layers.Dense(3, activation='softmax')",
                "loss='sparse_categorical_crossentropy'",
            ],
        ),
        (
            "import kerashape\n"
            'model = kerashape.rebuild(model, insert_after={"lstm_3": keras.layers.RepeatVector(24)})\n',
            [3],
            ["    layers.LSTM(16),\n    layers.RepeatVector(24),\n    layers.LSTM(8),\n"],
        ),
        (
            "import kerashape\n"
            'model = kerashape.rebuild(model, insert_before={"dense_7": "Flatten"}, remove="lstm_4")\n',
            [3],
            ["    layers.LSTM(16),\n    layers.Flatten(),\n    layers.Dense(1),\n"],
        ),
        (
            "import tensorflow as tf\nX_train = tf.stack([tf.expand_dims(r, -1) for r in X_train])\n",
            [2],
            [
                "X_train = np.random.rand(64, 24)\nimport tensorflow as tf\n"
                "X_train = tf.stack([tf.expand_dims(r, -1)"
            ],
        ),
        (
            "import kerashape\nimport keras\n"
            "model = kerashape.rebuild(model, loss=keras.losses.CategoricalCrossentropy(from_logits=True))\n",
            [3],
            [
                "import keras\nmodel = keras.Sequential([",
                "loss=keras.losses.CategoricalCrossentropy(from_logits=True))",
            ],
        ),
        (
            "import kerashape\ny_train = keras.utils.to_categorical(y_train, num_classes=3)\n"
            "model = kerashape.rebuild(model, loss=keras.losses.CategoricalCrossentropy())\n"
            "kerashape.reset(model)\n",
            [2, 3],
            [
                "y_train = keras.utils.to_categorical(y_train, num_classes=3)\n",
                "loss=keras.losses.CategoricalCrossentropy()",
            ],
        ),
    ],
)
def test_fix_edits_from_the_fix_code(code, cells, contains):
    found = E.fix_edits(FIX_HISTORY, 4, code, layers=[("input_layer", "InputLayer")] + FIX_LAYERS)
    assert isinstance(found, tuple), found
    assert sorted(e.cell for e in found) == cells
    text = "".join(e.after for e in found)
    assert all(c in text for c in contains), text
    for e in found:
        assert_well_formed(FIX_HISTORY, e)


@pytest.mark.parametrize(
    "code, reason",
    [
        ("import kerashape\nkerashape.reset(model)\n", "changes nothing"),
        ('model = kerashape.rebuild(model, edit={"gru": {"units": 2}})', "'gru' is not among"),
        ("model = kerashape.rebuild(model, input_shape=shape)", "plain values"),
        ('model = kerashape.rebuild(model, insert_after={"lstm_3": [a, b]})', "plain values"),
        ("Z = (", "not valid Python"),
        (
            "model = kerashape.rebuild(model, batch_size=1)",
            "`rebuild(..., batch_size=...)` has no counterpart",
        ),
        ("import numpy as np", "assigns no variable"),
    ],
)
def test_fix_edits_none(code, reason):
    found = E.fix_edits(FIX_HISTORY, 4, code, layers=FIX_LAYERS)
    assert isinstance(found, NoEdit) and reason in found.reason


# --------------------------------------------------------------------------- helpers


def test_input_hist_raw_list_and_module_alias():
    hist = ["", "import numpy as onp\nfrom tensorflow import keras", "X = onp.zeros(3)", "model.fit(X)"]
    assert E.module_alias(hist, 3, "numpy") == "onp"
    assert E.module_alias(hist, 3, "keras") == "keras"
    assert E.module_alias(hist, 3, "pandas") is None
    assert E.data_edit(hist, 3, "X", "X = X[:, None]").cell == 2


def test_a_later_binding_hides_an_import_alias():
    hist = {
        1: "from keras import layers\nimport keras",
        2: "layers = [keras.layers.Dense(1)]\nmodel = keras.Sequential(layers)",
    }
    found = E.layer_insert_edit(hist, 3, "model", "Flatten", before=0)
    assert (
        found.after
        == "layers = [keras.layers.Flatten(), keras.layers.Dense(1)]\nmodel = keras.Sequential(layers)"
    )


def test_combine_apply_diff_header():
    hist = {
        1: "import numpy as np\nX = np.zeros((4, 3))\n",
        2: "model = keras.Sequential([keras.Input((3,)), Dense(1)])",
    }
    a = E.data_edit(hist, 3, "X", "X = X[..., None]")
    b = E.input_shape_edit(hist, 3, "model", (3, 1))
    later = E.apply_edits(hist, [a])
    c = E.data_edit(later, 3, "X", "X = X * 2")
    merged = E.combine([a, b, c])
    assert [m.cell for m in merged] == [1, 2]
    assert merged[0].before == hist[1] and merged[0].after == c.after
    assert "X = X[..., None]\nX = X * 2\n" in merged[0].after
    assert E.apply_edits(hist, merged) == {1: c.after, 2: b.after}
    with pytest.raises(ValueError):
        E.combine([a, a])
    with pytest.raises(ValueError):
        E.apply_edits(hist, [a, a])
    diff = E.unified_diff(b)
    assert diff.splitlines() == [
        "--- In [2]",
        "+++ In [2] (changed)",
        "@@ -1 +1 @@",
        "-model = keras.Sequential([keras.Input((3,)), Dense(1)])",
        "+model = keras.Sequential([keras.Input((3, 1)), Dense(1)])",
    ]
    assert E.edit_header([b]) == "To keep this fix, change cell [2]:"
    assert E.edit_header(merged) == "To keep this fix, change cells [1] and [2]:"
    assert (
        E.edit_header([SourceEdit(n, "", "") for n in (5, 1, 3)])
        == "To keep this fix, change cells [1], [3] and [5]:"
    )
    assert E.edit_header([]) == ""


def test_source_edit_is_frozen_and_no_edit_is_falsy():
    e = SourceEdit(3, "a", "b")
    with pytest.raises(AttributeError):
        e.cell = 4  # type: ignore[misc]
    assert not NoEdit("why") and NoEdit("why").reason == "why"


def test_non_ascii_cells_keep_their_characters():
    hist = {
        1: "# données: séries de 24 pas\nX = np.zeros((4, 3))  # « X »\n",
        2: 'model = keras.Sequential([Dense(1, name="tête")])',
    }
    assert E.data_edit(hist, 3, "X", "X = X[..., None]").after == (
        "# données: séries de 24 pas\nX = np.zeros((4, 3))  # « X »\nX = X[..., None]\n"
    )
    assert (
        E.layer_argument_edit(hist, 3, "model", 0, "units", 2).after
        == 'model = keras.Sequential([Dense(2, name="tête")])'
    )


def test_module_imports_only_the_standard_library():
    source = Path(E.__file__).read_text()
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "edits.py imports from the package"
            names.add(node.module.split(".")[0])
    assert names and names <= set(sys.stdlib_module_names) | {"__future__"}, names
    code = (
        "import sys, kerashape_magic.edits; "
        "print(sorted(m for m in ('tensorflow', 'keras', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def assert_well_formed(history, found):
    """The edit starts from the cell as it ran, parses, keeps every magic line and says nothing
    of kerashape."""
    cells = dict(history.items())
    assert found.before == cells[found.cell]
    assert E._Cell(found.cell, found.after).tree is not None
    if not any(
        line.lstrip().startswith(("%", "!")) or line.rstrip().endswith("?")
        for line in found.after.splitlines()
    ):
        compile(textwrap.dedent(found.after), "<cell>", "exec")  # IPython removes a common indent
    assert "kerashape" not in found.after
    kept = [line for line in found.before.splitlines() if line.lstrip().startswith(("%", "!", "#"))]
    after_lines = found.after.splitlines()
    assert all(line in after_lines for line in kept)


# --------------------------------------------------------------------------- real Keras


def run_cells(cells):
    """Execute ``cells`` top to bottom in one fresh namespace: None, or the exception raised."""
    ns = {"__name__": "__main__"}
    try:
        for text in cells:
            exec(compile(text, "<cell>", "exec"), ns)
    except Exception as error:  # noqa: BLE001 - the cell's own error is the result
        return error
    return None


def rerun(history, found, extra=()):
    """The original cells fail; with the edits applied they run from the top."""
    edits = found if isinstance(found, (list, tuple)) else [found]
    assert all(isinstance(e, SourceEdit) for e in edits), edits
    order = sorted(history)
    before = run_cells([history[n] for n in order] + list(extra))
    assert before is not None, "the original cells did not fail"
    fixed = E.apply_edits(history, E.combine(edits))
    error = run_cells([fixed[n] for n in order] + list(extra))
    assert error is None, "%s: %s" % (type(error).__name__, error)
    return fixed


HEAD = "import numpy as np\nimport keras\nfrom keras.layers import LSTM, Dense\n"


def test_real_feature_count_model_and_fit_in_one_cell(tf):
    hist = {
        1: HEAD,
        2: "X_train = np.random.rand(16, 24, 1)\ny_train = np.random.rand(16, 1)\n",
        3: "model = keras.Sequential([\n    LSTM(4, input_shape=(24, 3)),\n    Dense(1),\n])\n"
        "model.compile(optimizer='adam', loss='mse')\nmodel.fit(X_train, y_train, epochs=1, verbose=0)\n",
    }
    rerun(hist, E.input_shape_edit(hist, 3, "model", (24, 1), line=6))


def test_real_missing_axis_data_built_in_failing_cell(tf):
    hist = {
        1: HEAD,
        2: "model = keras.Sequential([LSTM(4), Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\n",
        3: "# windows\nX = np.random.rand(16, 24)\ny = np.random.rand(16, 1)\n"
        "\nmodel.fit(X, y, epochs=1, verbose=0)\n",
    }
    found = E.data_edit(hist, 3, "X", "X = np.expand_dims(X, -1)")
    assert found.cell == 3
    rerun(hist, found)


def test_real_stacked_lstm_over_cells(tf):
    hist = {
        1: HEAD,
        2: "X_train = np.random.rand(16, 24, 3)\ny_train = np.random.rand(16, 1)\n",
        3: "model = keras.Sequential()\nmodel.add(LSTM(8, input_shape=(24, 3)))\n",
        4: "model.add(LSTM(4))",
    }
    found = E.layer_argument_edit(hist, 4, "model", ("LSTM", 0), "return_sequences", True)
    rerun(
        hist,
        found,
        extra=["model.add(Dense(1))\nmodel.compile(loss='mse')\nmodel.fit(X_train, y_train, verbose=0)"],
    )


def test_real_conv_dense_flatten_and_loss(tf):
    hist = {
        1: "import numpy as np\nimport keras\nfrom keras import layers\n",
        2: "x_train = np.random.rand(8, 12, 12, 1).astype('float32')\n"
        "y_train = keras.utils.to_categorical(np.arange(8) % 4, 4)\n",
        3: "model = keras.Sequential([\n    keras.Input(shape=(12, 12, 1)),\n    layers.Conv2D(2, 3),\n"
        "    layers.MaxPooling2D(),\n    layers.Dense(4, activation='softmax')\n])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n",
        4: "model.fit(x_train, y_train, epochs=1, verbose=0)",
    }
    flatten = E.layer_insert_edit(hist, 4, "model", "Flatten", after=("MaxPooling2D", 0))
    loss = E.loss_edit(E.apply_edits(hist, [flatten]), 4, "model", "categorical_crossentropy")
    assert flatten.cell == loss.cell == 3
    rerun(hist, [flatten, loss])


def test_real_functional_timesteps_and_units(tf):
    hist = {
        1: "import numpy as np\nfrom tensorflow import keras\n",
        2: "X = np.random.rand(8, 48, 3)\nY = keras.utils.to_categorical(np.arange(8) % 3, 3)\n",
        3: "inp = keras.Input(shape=(24, 3))\nh = keras.layers.LSTM(4)(inp)\n"
        "out = keras.layers.Dense(2, activation='softmax')(h)\nmodel = keras.Model(inp, out)\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\n",
        4: "model.fit(X, Y, epochs=1, verbose=0)",
    }
    shape = E.input_shape_edit(hist, 4, "model", (None, 3), declared=(24, 3))
    units = E.layer_argument_edit(E.apply_edits(hist, [shape]), 4, "model", ("Dense", 0), "units", 3)
    fixed = rerun(hist, [shape, units])
    assert "keras.Input(shape=(None, 3))" in fixed[3] and "Dense(3, activation='softmax')" in fixed[3]


def test_real_lazy_sequential_gets_input_and_magics_run_in_ipython(tf, shell):
    hist = {
        1: "%precision 3\n" + HEAD + "from keras.layers import Input\n",
        2: "X_train = np.random.rand(16, 24)   # two axes only\ny_train = np.random.rand(16, 1)\n",
        3: "model = keras.Sequential([LSTM(4), Dense(1)])\nmodel.compile(optimizer='adam', loss='mse')\n"
        "model.fit(X_train, y_train, epochs=1, verbose=0)",
    }
    data = E.data_edit(hist, 3, "X_train", "X_train = X_train.reshape(-1, 24, 1)")
    declared = E.input_shape_edit(hist, 3, "model", (24, 1))
    assert "Input((24, 1))," in declared.after
    fixed = E.apply_edits(hist, [data, declared])
    shell.run_cell("%reset -f")
    results = [shell.run_cell(fixed[n], store_history=True) for n in sorted(fixed)]
    assert all(r.success for r in results), [r.error_in_exec for r in results]
    assert shell.user_ns["model"].input_shape == (None, 24, 1)


# --------------------------------------------------------------------------- never raises

SNIPPETS = [
    "import numpy as np",
    "import keras",
    "from keras import layers",
    "from keras.layers import LSTM, Dense, Input",
    "X = np.zeros((4, 24))",
    "X, y = load()",
    "X /= 2",
    "model = keras.Sequential([LSTM(8), Dense(1)])",
    "model = keras.Sequential([\n    Input((24, 3)),\n    LSTM(8),\n])",
    "model = keras.Sequential()",
    "model.add(LSTM(8, input_shape=(24, 3)))",
    "model.add(Dense(1))",
    "inp = keras.Input((24, 3))\nmodel = keras.Model(inp, Dense(1)(LSTM(4)(inp)))",
    "model.compile(loss='mse')",
    "model.fit(X, y)",
    "for i in range(3):\n    model.add(Dense(i))",
    "if X is None:\n    X = 1",
    "with s.scope():\n    model = keras.Sequential([Dense(1)])",
    "%matplotlib inline",
    "%%time",
    "%%bash",
    "!ls",
    "%run x.py",
    "X?",
    "# a comment",
    "",
    "    indented = 1",
    "def f(:",
    "model = (",
    "é = 'ü'",
    "model.build((None, 3))",
    "model = build()",
    "model.pop()",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(SNIPPETS), max_size=5).map("\n".join), min_size=1, max_size=4),
    st.sampled_from([None, 1, 2, 3]),
)
def test_finders_never_raise(cells, line):
    """Whatever the history, every finder returns a SourceEdit or a NoEdit, and every edit parses."""
    hist = dict(enumerate(cells, start=1))
    n = len(cells)
    results = [
        E.data_edit(hist, n, "X", "X = X[..., None]", line=line),
        E.data_edit(hist, n, ("X", "y"), "X = X[..., None]\ny = y[:, None]"),
        E.input_shape_edit(hist, n, "model", (24, 1), line=line),
        E.layer_argument_edit(hist, n, "model", 0, "return_sequences", True),
        E.layer_argument_edit(hist, n, "model", ("Dense", 0), "units", 3),
        E.layer_insert_edit(hist, n, "model", "Flatten", after=0),
        E.layer_insert_edit(hist, n, "model", "Flatten", before=-1),
        E.layer_remove_edit(hist, n, "model", 0),
        E.loss_edit(hist, n, "model", "huber"),
        E.fix_edits(
            hist,
            n,
            'model = kerashape.rebuild(model, input_shape=(5,), edit={"d": {"units": 2}})',
            layers=[("d", "Dense")],
        ),
    ]
    for r in results:
        edits = r if isinstance(r, tuple) else (r,)
        for e in edits:
            assert isinstance(e, (SourceEdit, NoEdit)), e
            if isinstance(e, SourceEdit):
                assert e.before == hist[e.cell] and "kerashape" not in e.after
                assert E._Cell(e.cell, e.after).tree is not None
            else:
                assert e.reason
