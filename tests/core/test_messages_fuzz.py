"""Hostile messages for ``messages.is_shape_error`` / ``messages.parse`` (issue 10, items 5 and "Tests").

A hypothesis fuzz with a fixed example budget (``EXAMPLES``, about 20 s here) and a deadline per
example: huge messages (up to ~10 MB, built by repeating a hostile piece), nested and unclosed
quotes, absurd numbers, Python code in shape positions, and fragments of the real templates
glued together. Properties: neither function raises; ``parse`` returns ``None`` or a
``ParsedMessage`` whose shapes hold only ``int`` / ``None`` and whose text is bounded; and the
time per call does not grow with the message (the deadline, far above the ~1 ms measured).

``KERASHAPE_FUZZ_REPORT=1 pytest -s tests/core/test_messages_fuzz.py`` prints the example count
and the slowest example.
"""

from __future__ import annotations

import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kerashape_magic.core import messages

EXAMPLES = 300
DEADLINE_MS = 250  # per example (generation excluded); the measured worst case is ~1 ms

#: fragments of the real templates: gluing them makes the rules' anchors all present
TEMPLATE_BITS = [
    "Input 0 of layer ",
    " is incompatible with the layer: expected ndim=3, found ndim=2. Full shape received: ",
    "expected shape=",
    ", found shape=",
    "expected axis -1 of input shape to have value 3, but received input with shape ",
    "Invalid input shape for input ",
    ". Expected shape ",
    ", but input has incompatible shape ",
    "Layer 'a' expects 1 input(s)",
    ", but it received 2 input tensors",
    "Dimensions must be equal, but are 3 and 4",
    " with input shapes: ",
    "Incompatible shapes: ",
    " vs. ",
    "Data cardinality is ambiguous",
    "'x' sizes: ",
    "cannot reshape array of size ",
    " into shape ",
    "Detected at node x defined at (most recent call last):\n",
    '  File "/x/keras/src/a.py", line 1, in f\n',
    "Exception encountered when calling LSTM.call().",
    "array(",
    "tf.Tensor(",
    "Label values: ",
    "Shapes ",
    " are incompatible",
    "\x1b[1m",
    "[1m",
]
HOSTILE_BITS = [
    '"',
    "'",
    "\"'\"'",
    "(",
    ")",
    "[",
    "]",
    "(None, 24, 3)",
    "[?,1]",
    "(10L, 39L)",
    "(" + "9" * 4000 + ",)",
    "(-1, -99999999999999999999, None)",
    "(__import__('os').system('echo pwned'), 3)",
    "[x for x in ().__class__.__bases__[0].__subclasses__()]",
    "TensorShape([Dimension(None), Dimension(3)])",
    "Dimension(",
    ", ",
    "\n",
    "\t",
    " " * 50,
    "1" * 300,
    "é中\u202e\x00",
]

pieces = st.lists(
    st.sampled_from(TEMPLATE_BITS + HOSTILE_BITS) | st.text(max_size=40), min_size=1, max_size=12
)


@st.composite
def hostile_messages(draw):
    """One message: a few pieces, a hostile block repeated up to a million times, a few more."""
    head = "".join(draw(pieces))
    block = "".join(draw(pieces))
    repeat = draw(st.sampled_from([0, 1, 10, 1_000, 100_000, 1_000_000]))
    if len(block) * repeat > 12_000_000:
        repeat = max(1, 12_000_000 // max(1, len(block)))
    tail = "".join(draw(pieces))
    return head + block * repeat + tail


_timings: list = []


def _check_parsed(p):
    if p is None:
        return
    assert isinstance(p, messages.ParsedMessage)
    assert p.family
    assert len(p.text) <= 2 * messages._MAX_LEN
    for field in ("expected_shape", "received_shape", "first_shape", "other_shape", "target_shape"):
        shape = getattr(p, field)
        if shape is not None:
            assert isinstance(shape, tuple)
            assert all(d is None or type(d) is int for d in shape), (field, shape)
    for field in ("layer_name", "name", "loss"):
        value = getattr(p, field)
        assert value is None or (isinstance(value, str) and len(value) <= 4_100)


@settings(
    max_examples=EXAMPLES,
    deadline=1000,  # ms per example, hypothesis's own check (generating the strings is not counted)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    derandomize=True,
)
@given(hostile_messages())
def test_parse_survives_hostile_messages_in_bounded_time(text):
    runs = []
    for _ in range(2):  # the best of two: a shared machine's pauses are not parse's time
        t0 = time.perf_counter()
        flagged = messages.is_shape_error("ValueError", text)
        p = messages.parse(text)
        cleaned = messages.clean_message(text)
        runs.append((time.perf_counter() - t0) * 1e3)
    elapsed = min(runs)
    _timings.append((elapsed, len(text), text[:80]))
    assert isinstance(flagged, bool)
    assert isinstance(cleaned, str) and len(cleaned) <= messages._MAX_LEN + 50
    _check_parsed(p)
    assert elapsed < DEADLINE_MS, "%.1f ms for a message of %d characters: %r" % (
        elapsed,
        len(text),
        text[:200],
    )


def test_the_issues_messages_are_parsed_within_a_millisecond_or_so():
    # the reproductions of issue 10, item 5 (each took 1-15 s before); timed for the report,
    # asserted only against the fuzz's generous deadline (speed goes in benchmarks/)
    cases = {
        "expects": "Layer a expects 1 input(s)" * 370_000,
        "shape": "shape " * 1_700_000,
        "unclosed quote": 'Input 0 of layer "' + "x" * 10_000_000,
        "invalid input": "Invalid input shape for input " * 33_000,
    }
    for name, text in cases.items():
        t0 = time.perf_counter()
        messages.is_shape_error("ValueError", text)
        messages.parse(text)
        elapsed = (time.perf_counter() - t0) * 1e3
        _timings.append((elapsed, len(text), name))
        assert elapsed < DEADLINE_MS, (name, elapsed)


def test_code_in_shape_positions_never_becomes_a_shape():
    text = (
        'Input 0 of layer "lstm" is incompatible with the layer: expected shape=(None, 24, 3), '
        "found shape=(__import__('os').system('echo pwned'), 3)"
    )
    p = messages.parse(text)
    assert p is None or p.received_shape is None or all(type(d) is int or d is None for d in p.received_shape)
    assert messages.parse_shape("(__import__('os').system('x'), 3)") is None


def test_report(capsys):
    """Prints the count and the slowest example when KERASHAPE_FUZZ_REPORT=1 (for the issue's note)."""
    if os.environ.get("KERASHAPE_FUZZ_REPORT") and _timings:
        worst = max(_timings)
        with capsys.disabled():
            print(
                "\nfuzz: %d calls, slowest %.3f ms on %d characters (%r)"
                % (len(_timings), worst[0], worst[1], worst[2])
            )
