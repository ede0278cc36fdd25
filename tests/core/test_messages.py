"""Tests for kerashape_magic.core.messages: golden real / template messages + properties.

tests/data/messages.jsonl holds one message a line with the family and fields ``parse``
must return (shapes as JSON lists, ``null`` = unknown size) and where the message comes from.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import pathlib
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = pathlib.Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "data" / "messages.jsonl"


def _load_module():
    try:
        return importlib.import_module("kerashape_magic.core.messages")
    except ImportError:  # package __init__ not there yet: load the file itself
        path = ROOT / "kerashape_magic" / "core" / "messages.py"
        spec = importlib.util.spec_from_file_location("kerashape_messages_under_test", path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod
        spec.loader.exec_module(mod)
        return mod


messages = _load_module()
parse, parse_shape = messages.parse, messages.parse_shape
clean_message, is_shape_error = messages.clean_message, messages.is_shape_error

GOLDEN_LINES = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]

FAMILIES = {
    "unknown_rank",
    "negative_dimension",
    "input_spec_ndim",
    "input_spec_axis",
    "input_spec_shape",
    "input_spec_dtype",
    "functional_shape",
    "dims_must_be_equal",
    "incompatible_shapes",
    "shapes_incompatible",
    "target_output",
    "logits_labels",
    "cardinality",
    "cannot_batch",
    "non_rectangular",
    "inhomogeneous",
    "object_array",
    "reshape_size",
    "legacy_expected_dims",
    "legacy_expected_shape",
    "sequential_configured",
    "input_count",
    "missing_input_key",
    "constructed_warning",
    "legacy_invalid_input",
}


def _tuples(value):
    """JSON lists -> tuples, recursively (dict values too)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


# ----------------------------------------------------------------------- golden table


@pytest.mark.parametrize("case", GOLDEN_LINES, ids=[c["source"][:70] for c in GOLDEN_LINES])
def test_parse_golden(case):
    parsed = parse(case["message"])
    assert parsed is not None, case["message"][:200]
    assert parsed.family == case["family"]
    for field, want in case["expect"].items():
        assert getattr(parsed, field) == _tuples(want), field
    assert parsed.text == clean_message(case["message"])


def test_golden_covers_every_family_and_the_corpus():
    assert {c["family"] for c in GOLDEN_LINES} == FAMILIES
    corpus = {c["source"].split(" (")[0] for c in GOLDEN_LINES if c["source"].startswith("corpus")}
    assert len(corpus) == 22
    assert sum(c["source"].startswith("keras 3.15.1 measured") for c in GOLDEN_LINES) >= 20


def test_is_shape_error_true_for_every_golden_line():
    missed = [c["message"][:80] for c in GOLDEN_LINES if not is_shape_error(c["type"], c["message"])]
    assert not missed


NOT_SHAPE_ERRORS = [
    ("KeyError", "'a'"),
    ("KeyError", "'shape'"),
    ("ZeroDivisionError", "division by zero"),
    ("NameError", "name 'model' is not defined"),
    ("AttributeError", "'list' object has no attribute 'shape'"),
    ("ValueError", "could not convert string to float: 'abc'"),
    (
        "ValueError",
        "Unknown loss function: 'categorical_crossentropyy'. Please ensure you are using a "
        "`keras.utils.custom_object_scope` and that this object is included in the scope.",
    ),
    ("TypeError", "unsupported operand type(s) for +: 'int' and 'str'"),
    ("ModuleNotFoundError", "No module named 'tensorflow_addons'"),
    ("FileNotFoundError", "[Errno 2] No such file or directory: 'data.csv'"),
    ("ValueError", "Could not interpret optimizer identifier: adamm"),
]


@pytest.mark.parametrize("type_name,text", NOT_SHAPE_ERRORS)
def test_is_shape_error_false_for_other_errors(type_name, text):
    assert not is_shape_error(type_name, text)
    assert parse(text) is None


def test_is_shape_error_finds_the_message_after_a_long_frame_listing():
    frame = '  File "/venv/lib/python3.11/site-packages/keras/src/x%d.py", line %d, in f\n\n'
    frames = "".join(frame % (i, i) for i in range(150))
    text = (
        "Graph execution error:\n\nDetected at node IteratorGetNext defined at (most recent call last):\n"
        + frames
        + "Cannot batch tensors with different shapes in component 0. First element had shape [137,3] and "
        "element 1 had shape [188,3].\n\t [[{{node IteratorGetNext}}]] "
        "[Op:__inference_multi_step_on_iterator_4410]"
    )
    assert len(text) > 10_000
    assert is_shape_error("InvalidArgumentError", text)
    assert not is_shape_error("InvalidArgumentError", frames)
    p = parse(text)
    assert p.family == "cannot_batch" and p.other_shape == (188, 3)
    assert "[150 frames omitted]" in p.text and 'File "' not in p.text


# ----------------------------------------------------------------------- clean_message


def test_clean_message_strips_ansi_and_keeps_the_rest():
    head = "Exception encountered when calling Dense.call().\n\n"
    tail = "\n\nArguments received by Dense.call():"
    assert clean_message(head + "\x1b[1mboom\x1b[0m" + tail) == head + "boom" + tail
    assert clean_message("copied from a page: [1mboom[0m") == "copied from a page: boom"


def test_clean_message_replaces_the_array_dump_of_corpus_case_42():
    case = next(c for c in GOLDEN_LINES if c["source"].startswith("corpus cases.jsonl id 42 "))
    assert clean_message(case["message"]) == "TypeError: Expected binary or unicode string, got <array>"


def test_clean_message_replaces_tensor_values_and_number_runs():
    text = (
        "Inputs received: [<tf.Tensor: shape=(2, 3), dtype=float32, numpy=\n"
        "array([[0., 0., 0.],\n [0., 0., 0.]], dtype=float32)>] "
        "and tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32) and x=[["
        + " ".join(["0.125"] * 40)
        + "]]"
    )
    out = clean_message(text)
    assert "0., 0." not in out and "1. 2." not in out and "0.125" not in out
    assert out.count("<array>") == 3
    assert "tf.Tensor(<array>, shape=(2, 2), dtype=float32)" in out
    # shapes and the Keras 3 argument summary survive
    keep = "inputs=tf.Tensor(shape=(None, 1), dtype=float32) with input shapes: [?,1], [3,200]"
    assert clean_message(keep) == keep
    assert clean_message("Expected to see 2 array(s), for inputs") == "Expected to see 2 array(s), for inputs"


def test_clean_message_is_bounded():
    huge = "Invalid input shape for input " + "x" * 50_000 + " tail"
    out = clean_message(huge)
    assert len(out) <= 2000 and out.startswith("Invalid input shape") and out.endswith(" tail")
    assert clean_message("short") == "short"


# ----------------------------------------------------------------------- parse details


@pytest.mark.parametrize(
    "text,shape",
    [
        ("(None, 24, 3)", (None, 24, 3)),
        ("[None, 28, 28]", (None, 28, 28)),
        ("[?,1]", (None, 1)),
        ("(10L, 39L)", (10, 39)),
        ("(100,28,28,1)", (100, 28, 28, 1)),
        ("()", ()),
        ("[220,195,3]", (220, 195, 3)),
        ("(100,)", (100,)),
        ("(-1, 28)", (None, 28)),
        ("TensorShape([None, 10])", (None, 10)),
        ("[32 10]", (32, 10)),
        ("TensorShape([Dimension(None), Dimension(10)])", (None, 10)),
        ("(" + "1" * 5000 + ",)", None),
        (None, None),
        ("(None, x)", None),
        ("(3, 4]", None),
        ("", None),
        ("5", None),
        ("(,)", None),
    ],
)
def test_parse_shape(text, shape):
    assert parse_shape(text) == shape


def test_parse_returns_none_for_unrelated_or_odd_input():
    assert parse("") is None
    assert parse("everything is fine") is None
    assert parse(None) is None  # type: ignore[arg-type]
    assert parse("Input 0 of layer") is None


def test_innermost_wrapper_wins():
    text = (
        "Exception encountered when calling Sequential.call().\n\n\x1b[1m"
        "Exception encountered when calling LSTMCell.call().\n\n"
        "\x1b[1mDimensions must be equal, but are 1 and 3 "
        "for '{{node m}} = MatMul[T=DT_FLOAT](a, b)' with input shapes: [?,1], [3,200].\x1b[0m\n\n"
        "Arguments received by LSTMCell.call():\n  • training=True\x1b[0m\n\n"
        "Arguments received by Sequential.call():\n  • training=True"
    )
    p = parse(text)
    assert (p.family, p.wrapper, p.dims) == ("dims_must_be_equal", "LSTMCell", (1, 3))


def test_a_real_error_beats_the_keras2_warning_before_it():
    text = (
        'WARNING:tensorflow:Model was constructed with shape (None, 20) for input Tensor("input_1:0", '
        "shape=(None, 20), dtype=float32), but it was called on an input with incompatible shape "
        "(None, 10).\nValueError: Input 0 of layer dense_1 is incompatible with the layer: "
        "expected axis -1 of input shape "
        "to have value 20 but received "
        "input with shape [None, 10]"
    )
    assert parse(text).family == "input_spec_axis"


def test_parsed_message_is_frozen():
    p = parse("Incompatible shapes: [32,1] vs. [32,10]")
    with pytest.raises(Exception):
        p.family = "x"  # type: ignore[misc]


# ----------------------------------------------------------------------- properties

_dims = st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))


@given(st.lists(_dims, max_size=8).map(tuple))
def test_parse_shape_round_trips_python_tuples(shape):
    assert parse_shape(str(shape)) == shape
    assert parse_shape(str(list(shape))) == shape


_fragments = st.sampled_from(
    [
        "Input 0 ",
        "of layer ",
        "'dense' ",
        '"lstm" ',
        "is incompatible with the layer: ",
        "expected ",
        "ndim=3",
        ", found ndim=2",
        ". Full shape received: ",
        "(None, 24)",
        "[?,1]",
        "shape=",
        "axis -1 of input shape to have value ",
        "Dimensions must be equal, but are ",
        " and ",
        " with input shapes: ",
        "Incompatible shapes: ",
        " vs. ",
        "array(",
        "[[",
        "]]",
        ")",
        "(",
        "\x1b[1m",
        "\x1b[0m",
        "Data cardinality is ambiguous",
        "'x' sizes: ",
        "\n",
        "tf.Tensor(",
        ", shape=",
        "Detected at node x defined at (most recent call last):",
        '\n  File "a.py", line 1, in f',
        "cannot reshape array of size ",
        " into shape ",
        'Exception encountered when calling layer "a" "f"(type A).',
        "Error when checking input: expected ",
        " to have ",
        " dimensions, but got array with shape ",
        "12",
        "-1",
        "None",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=400), st.lists(_fragments, max_size=30).map("".join)))
def test_never_raises(text):
    parsed = parse(text)
    assert parsed is None or parsed.family in FAMILIES
    cleaned = clean_message(text)
    assert isinstance(cleaned, str) and len(cleaned) <= 2000
    assert is_shape_error("ValueError", text) in (True, False)
    assert parse_shape(text) is None or isinstance(parse_shape(text), tuple)


# ----------------------------------------------------------------------- import cost


def test_import_uses_only_the_standard_library():
    code = (
        "import sys\n"
        "sys.path.insert(0, %r)\n"
        "import kerashape_magic.core.messages\n"
        "heavy = [m for m in ('numpy', 'tensorflow', 'keras', 'pandas') if m in sys.modules]\n"
        "assert not heavy, heavy\n" % str(ROOT)
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT))
    source = (ROOT / "kerashape_magic" / "core" / "messages.py").read_text(encoding="utf-8")
    lines = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    imports = {line.split()[1].split(".")[0] for line in lines}
    assert imports <= {"__future__", "math", "re", "dataclasses", "typing"}
