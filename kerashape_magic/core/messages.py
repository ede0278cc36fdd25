"""Parse the text of Keras / TensorFlow / NumPy shape errors into plain fields.

Standard library only (``re``, ``dataclasses``): this module runs on every exception the
hook sees, so it must import fast and never touch a tensor.

Every pattern encodes an error-message template read from source; the template, file and
versions are cited next to each rule (seed document: ``/work/shared/corpus/messages-from-
source.md``, sections 1-8; Keras 3.15.1 messages re-measured with ``keras/src`` 3.15.1).
Abbreviations: K1 = Keras 1.x, K2 = Keras 2.x / tf.keras, K3 = Keras 3.x, TF = TensorFlow.

Example:
    >>> p = parse("Input 0 of layer \\"lstm\\" is incompatible with the layer: "
    ...           "expected ndim=3, found ndim=2. Full shape received: (None, 24)")
    >>> p.family, p.layer_name, p.expected_ndim, p.received_shape
    ('input_spec_ndim', 'lstm', 3, (None, 24))
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Optional

__all__ = ["ParsedMessage", "clean_message", "is_shape_error", "parse", "parse_shape"]


@dataclass(frozen=True)
class ParsedMessage:
    """What one error message says, as plain values (``None`` = not stated).

    Shapes are tuples of ``int`` / ``None`` (``None`` = unknown size, e.g. the batch axis).
    ``first_shape`` / ``other_shape`` hold the two shapes of ``cannot_batch`` and
    ``incompatible_shapes``; for the loss families (``shapes_incompatible``,
    ``target_output``, ``logits_labels``) ``first_shape`` is the target / labels and
    ``other_shape`` the model output / logits. ``expected_dtype`` / ``received_dtype`` and
    ``expected_count`` / ``received_count`` are additions beyond the original brief
    (``input_spec_dtype`` and ``input_count``; ``object_array`` puts the unsupported Python
    type, e.g. ``'numpy.ndarray'``, in ``received_dtype``).
    """

    family: str
    text: str
    layer_name: Optional[str] = None
    input_index: Optional[int] = None
    wrapper: Optional[str] = None
    expected_ndim: Optional[int] = None
    ndim_bound: Optional[str] = None
    received_ndim: Optional[int] = None
    expected_shape: Optional[tuple] = None
    received_shape: Optional[tuple] = None
    axis: Optional[int] = None
    expected_value: Optional[int] = None
    dims: Optional[tuple] = None
    op: Optional[str] = None
    op_input_shapes: Optional[tuple] = None
    sizes: Optional[dict] = None
    component: Optional[int] = None
    first_shape: Optional[tuple] = None
    other_shape: Optional[tuple] = None
    element_index: Optional[int] = None
    array_size: Optional[int] = None
    target_shape: Optional[tuple] = None
    detected_shape: Optional[tuple] = None
    loss: Optional[str] = None
    name: Optional[str] = None
    prefix: Optional[str] = None
    expected_dtype: Optional[str] = None
    received_dtype: Optional[str] = None
    expected_count: Optional[int] = None
    received_count: Optional[int] = None
    label_value: Optional[int] = None


# --------------------------------------------------------------------------- shapes

# one printed shape: (None, 24, 3) / [?,1] / (10L, 39L) / PyTorch's torch.Size([32, 60])
_S = r"(?:torch\.Size\(\[[^()\[\]\n]{0,300}\]\)|[(\[][^()\[\]\n]{0,300}[)\]])"
_SHAPE_RX = re.compile(_S)
_DIM_RX = re.compile(r"-?\d+[lL]?")
_UNKNOWN_DIMS = {"None", "?", "-1", "Dimension(None)"}


def parse_shape(text: str) -> Optional[tuple]:
    """Read a printed shape into a tuple of ``int`` / ``None``.

    Accepts Python tuples, TF lists (``[?,1]``), NumPy's compact form (``(100,28,28,1)``),
    Python 2 longs (``(10L, 39L)``), ``TensorShape([...])`` and PyTorch's ``torch.Size([...])``
    (torch/csrc/Size.cpp ``THPSize_repr``); ``?``, ``None`` and ``-1`` become ``None``.

    Args:
        text: a shape as printed by Python, NumPy, TensorFlow or Keras.

    Returns:
        The shape, e.g. ``(None, 24, 3)``, or ``None`` when ``text`` is not a shape.

    Example:
        >>> parse_shape("(None, 24, 3)"), parse_shape("[?,1]"), parse_shape("(10L, 39L)")
        ((None, 24, 3), (None, 1), (10, 39))
        >>> parse_shape("()"), parse_shape("(100,)"), parse_shape("not a shape")
        ((), (100,), None)
        >>> parse_shape("torch.Size([32, 60])")
        (32, 60)
    """
    try:
        return _parse_shape(text.strip())
    except Exception:  # not a str, or an int past Python's digit limit
        return None


def _parse_shape(s: str) -> Optional[tuple]:
    if s.startswith("TensorShape(") and s.endswith(")"):
        s = s[12:-1].strip()
    elif s.startswith("torch.Size(") and s.endswith(")"):
        s = s[11:-1].strip()
    if len(s) < 2 or (s[0], s[-1]) not in (("(", ")"), ("[", "]")):
        return None
    inner = s[1:-1].replace("Dimension(None)", "None")
    inner = re.sub(r"Dimension\((\d+)\)", r"\1", inner).strip()
    if not inner:
        return ()
    parts = re.split(r"\s*,\s*|\s+", inner)
    if parts and parts[-1] == "" and len(parts) > 1:  # "(5,)"
        parts.pop()
    dims: "list[Optional[int]]" = []
    for p in parts:
        if p in _UNKNOWN_DIMS:
            dims.append(None)
        elif _DIM_RX.fullmatch(p):
            dims.append(int(p.rstrip("lL")))
        else:
            return None
    return tuple(dims)


def _shapes(text: str) -> tuple:
    return tuple(parse_shape(s) for s in _SHAPE_RX.findall(text or ""))


# --------------------------------------------------------------------------- cleaning

_ANSI_RX = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\[[01]m")
# NumPy's array(...) and PyTorch's tensor(...) value reprs (a torch.Tensor's repr prints its values)
_ARRAY_RX = re.compile(r"(?<![A-Za-z_.])(?:array|tensor)\((?!s\))")
_PAREN_RX = re.compile(r"[()]")
_TF_VALUE_RX = re.compile(r"tf\.Tensor\((?!\s*shape=)")
_NUMRUN_RX = re.compile(r"\[[\[\]\d\s.,eE+\-]{80,}\]?")
_LABEL_VALUES_RX = re.compile(r"(Label values:)[ \t\d-]+")  # TF sparse_xent_op.cc lists every label
# TF 2.11+ "Detected at node X defined at (most recent call last):" + one line per frame.
_FRAMES_RX = re.compile(
    r"(Detected at node [^\n]{0,300}? defined at \(most recent call last\):)"
    r"((?:\n(?:[ \t]*(?=\n|$)|[ \t]*File \"[^\n]*|[ \t]{4,}[^\n]*))+)"
)
_MAX_LEN = 2000
_WINDOW = 2000  # long messages: the key sentence sits near the start or near the end
_COUNT_LIMIT = 2_000_000  # frames hidden in the middle are counted only up to this size (str.count)
# a head whose frame listing ran into the cut, and the listing's lines at the start of the tail
_OPEN_LISTING_RX = re.compile(r" \[(\d+) frames omitted\]\s*\Z")
_TAIL_FRAMES_RX = re.compile(r"[^\n]*(?:\n(?:[ \t]*(?=\n|$)|[ \t]*File \"[^\n]*|[ \t]{4,}[^\n]*))*")


def _replace_arrays(s: str) -> str:
    out, i = [], 0
    for m in _ARRAY_RX.finditer(s):
        if m.start() < i:
            continue
        depth, end = 0, len(s)
        for p in _PAREN_RX.finditer(s, m.end() - 1):
            depth += 1 if p.group() == "(" else -1
            if depth == 0:
                end = p.end()
                break
        out += [s[i : m.start()], "<array>"]
        i = end
    out.append(s[i:])
    return "".join(out)


def _replace_tensor_values(s: str) -> str:
    out, i = [], 0
    for m in _TF_VALUE_RX.finditer(s):
        if m.start() < i:
            continue
        j = s.find(", shape=", m.end())
        if j < 0:
            break
        out += [s[i : m.end()], "<array>"]
        i = j
    out.append(s[i:])
    return "".join(out)


def _collapse_frames(m: "re.Match[str]") -> str:
    return "%s [%d frames omitted]" % (m.group(1), m.group(2).count('File "'))


def _window(text: str) -> str:
    """At most the first and last :data:`_WINDOW` characters of ``text``, each cleaned alone.

    Keras and TensorFlow put the sentence that names the problem near the start of a message
    (``Input 0 of layer ...``) or near its end (TF's ``Detected at node ... defined at``
    frame listing first, the op's complaint last); what sits in the middle of a long message
    is an array dump or a frame listing. Cutting first bounds every regex below by the window,
    whatever the message's size (issue 10: a 10 MB message took seconds), and cleaning the two
    ends apart keeps an ``array(`` cut open at the head from swallowing the tail.
    """
    n = len(text)
    if n <= 2 * _WINDOW + 100:
        return _clean(text)
    head, tail = _clean(text[:_WINDOW]), _clean(text[-_WINDOW:])
    listing = _OPEN_LISTING_RX.search(head)
    if listing is not None:  # the cut fell inside TF's frame listing: count the frames it hid
        lead = _TAIL_FRAMES_RX.match(tail)  # always matches (every part is optional)
        cut = lead.group() if lead is not None else ""
        tail = tail[len(cut) :]
        hidden = text.count('File "', _WINDOW, n - _WINDOW) if n <= _COUNT_LIMIT else 0
        total = int(listing.group(1)) + hidden + cut.count('File "')
        head = head[: listing.start()] + " [%s%d frames omitted]" % (
            "at least " if n > _COUNT_LIMIT else "",
            total,
        )
    return head + "\n[... %d characters omitted ...]" % (n - 2 * _WINDOW) + tail


def _clean(text: str) -> str:
    """Every step of :func:`clean_message` except the length bound (call it on a window)."""
    s = _ANSI_RX.sub("", text)
    if "array(" in s or "tensor(" in s:
        s = _replace_arrays(s)
    if "tf.Tensor(" in s:
        s = _replace_tensor_values(s)
    s = _NUMRUN_RX.sub("<array>", s)
    if "Label values:" in s:
        s = _LABEL_VALUES_RX.sub(r"\1 <array>", s)
    return _FRAMES_RX.sub(_collapse_frames, s)


def _bound(s: str) -> str:
    if len(s) <= _MAX_LEN:
        return s
    note = "\n[... %d characters omitted ...]\n" % (len(s) - 1900)
    return s[:1300] + note + s[-600:]


def clean_message(text: str) -> str:
    """Return an error message fit to show: no ANSI codes, no array contents, short.

    Removes Keras 3's ANSI bold codes (``keras/src/utils/traceback_utils.py``), replaces
    ``array([...])`` dumps, ``tf.Tensor(<values>, shape=...)`` values and runs of numbers
    over 80 characters with ``<array>``, collapses TF's ``Detected at node ... defined at
    (most recent call last):`` frame listing into one line, keeps the rest verbatim and
    cuts the middle of what is still longer than 2000 characters.

    Args:
        text: ``str(exception)``.

    Returns:
        The cleaned text, at most 2000 characters.

    Example:
        >>> clean_message("\\x1b[1mExpected binary or unicode string, got array([[1.],\\n [1.]])\\x1b[0m")
        'Expected binary or unicode string, got <array>'
    """
    try:
        return _bound(_window(text if isinstance(text, str) else str(text)))
    except Exception:  # never let the explainer raise
        return str(text)[:_MAX_LEN]


# --------------------------------------------------------------------------- pre-filter

# Exception types that never carry one of the messages below.
_NEVER = frozenset(
    "KeyError NameError UnboundLocalError ZeroDivisionError AttributeError ImportError "
    "ModuleNotFoundError SyntaxError IndentationError TabError FileNotFoundError "
    "PermissionError IsADirectoryError NotADirectoryError KeyboardInterrupt SystemExit "
    "StopIteration RecursionError MemoryError ResourceExhaustedError NotImplementedError "
    "UnicodeDecodeError UnicodeEncodeError JSONDecodeError ConnectionError TimeoutError".split()
)
# Every family's templates contain one of these (checked against tests/data/messages.jsonl):
# "hape" (shape/Shape/reshape), "nput" (Input 0 ..., input(s), Missing data for input),
# "array" (cardinality, NumPy, object arrays), "sequence" (non-rectangular), "logits"
# (TF1 "logits_size="), "imension" (TF 2.1 cardinality "same first dimension").
_TOKENS = (
    "hape",
    "nput",
    "array",
    "sequence",
    "logits",
    "imension",
    "Matrix size",
    "label value",
    "is out of bounds",
)


def is_shape_error(type_name: str, text: str) -> bool:
    """Cheap pre-filter: could this exception be one of the shape errors :func:`parse` knows?

    A handful of substring tests over at most the first and last 2000 characters (a few
    microseconds on a 10 KB message); false positives are possible, false negatives are not
    for any message in ``tests/data/messages.jsonl``.

    Args:
        type_name: the exception's class name, e.g. ``'InvalidArgumentError'`` (dotted is fine).
        text: ``str(exception)``.

    Returns:
        ``True`` when the text is worth a :func:`parse`.

    Example:
        >>> is_shape_error("ValueError", "cannot reshape array of size 3000 into shape (100,28,28,1)")
        True
        >>> is_shape_error("KeyError", "'shape'")
        False
        >>> is_shape_error("ValueError", "could not convert string to float: 'a'")
        False
    """
    try:
        if str(type_name).rsplit(".", 1)[-1] in _NEVER or not isinstance(text, str):
            return False
        if len(text) > 2 * _WINDOW:
            text = text[:_WINDOW] + "\n" + text[-_WINDOW:]
        for token in _TOKENS:
            if token in text:
                return True
        return False
    except Exception:
        return False


# --------------------------------------------------------------------------- rules
#
# A rule is (family, compiled pattern, finish). Named groups that carry a ParsedMessage field
# name are converted by type (shapes, ints, names); groups starting with "_" are helpers a
# family's ``finish`` function reads. Rules are tried in table order and the first match wins.

_Q = r"(?:'[^'\n]*'|\"[^\"\n]*\"|[^\s:'\"]+)"  # a layer name: unquoted, "double" or 'single' quoted
_SHAPE_FIELDS = {
    "expected_shape",
    "received_shape",
    "first_shape",
    "other_shape",
    "target_shape",
    "detected_shape",
}
_INT_FIELDS = {
    "input_index",
    "expected_ndim",
    "received_ndim",
    "axis",
    "expected_value",
    "component",
    "element_index",
    "array_size",
    "expected_count",
    "received_count",
    "label_value",
}


def _dtype(s: str) -> str:
    return re.sub(r"<dtype: '(\w+)'>", r"\1", s)


def _input_name(s: str) -> Optional[str]:
    """K3.13+ ``with name '...'``: ``'None'`` and the automatic ``keras_tensor_N`` say nothing."""
    s = s.strip("'\"")
    return None if not s or s == "None" or re.fullmatch(r"keras_tensor(_\d+)?", s) else s


_CONVERT: "dict[str, Callable[[str], object]]" = {
    "layer_name": lambda s: s.strip("'\"") or None,
    "name": _input_name,
    "prefix": lambda s: s.strip() or None,
    "expected_dtype": _dtype,
    "received_dtype": _dtype,
    **{k: parse_shape for k in _SHAPE_FIELDS},
    **{k: int for k in _INT_FIELDS},
}


def _fields(m: "re.Match[str]") -> dict:
    return {k: _CONVERT.get(k, str)(v) for k, v in m.groupdict().items() if v is not None and k[0] != "_"}


def _op(rest: str) -> Optional[str]:
    m = re.search(r"\}\} = (\w+)|\(op: '(\w+)'\)|\[Op:(\w+)\]|__wrapped__(\w+?)_device", rest or "")
    return next((g for g in m.groups() if g), None) if m else None


def _input_spec(f, g):  # keep received_shape only when it agrees with received_ndim
    if g.get("_layer"):  # "Input 0 is incompatible with layer x:" (K1, K2.0-2.3, TF <= 2.6 shape variant)
        f["layer_name"] = g["_layer"].strip("'\"")
    if g.get("_rel") == ">=":  # K1.2.2 "expected ndim >= 3"
        f["ndim_bound"] = "min_ndim"
    rs = f.get("received_shape")
    if rs is not None and f.get("received_ndim", len(rs)) != len(rs):
        f["received_shape"] = None
    return f


def _legacy(f, g):
    # K2 training_utils.standardize_input_data: the "N dimensions" check sees the full data
    # shape; the "shape" check strips the batch axis from both shapes when check_batch_axis is
    # False (fit / evaluate / predict), so both shapes are per-sample there.
    f["layer_name"] = f["name"] = g["_name"]  # the Input layer (``conv2d_1_input``) or output layer
    if "expected_ndim" in f:
        rs = f.get("received_shape")
        received_ndim = len(rs) if rs is not None else None
        f.update(family="legacy_expected_dims", ndim_bound="ndim", received_ndim=received_ndim)
    else:
        f["family"] = "legacy_expected_shape"
    return f


def _ndim_from_shape(f, g):
    rs = f.get("received_shape")
    f.setdefault("received_ndim", len(rs) if rs is not None else None)
    return dict(f, ndim_bound="ndim")


def _dims(f, g):
    if g.get("_a"):
        f["dims"] = (int(g["_a"]), int(g["_b"]))
    f["op"] = _op(g["_rest"])
    shapes = re.search(r"with input shapes: ((?:" + _S + r"(?:, )?)+)", g["_rest"] or "")
    if "first_shape" in f:  # "Dimension 1 in both shapes must be equal ... Shapes are A and B"
        f["op_input_shapes"] = (f.pop("first_shape"), f.pop("other_shape"))
    elif shapes:
        f["op_input_shapes"] = _shapes(shapes.group(1))
    return f


def _matrix(f, g):  # TF eager MatMul: "Matrix size-incompatible: In[0]: [10,2], In[1]: [3,32]"
    a, b = f.pop("first_shape", None), f.pop("other_shape", None)
    f["op"] = "MatMul"
    if a and b:
        f["op_input_shapes"] = (a, b)
        f["dims"] = (a[-1], b[0])
    return f


def _torch_mm(f, g):  # "(768x1 and 3x200)": mat1's columns against mat2's rows
    a, b = (int(g["_a0"]), int(g["_a1"])), (int(g["_b0"]), int(g["_b1"]))
    return dict(f, op="MatMul", op_input_shapes=(a, b), dims=(a[1], b[0]))


def _torch_bmm(f, g):  # "[24, 1] but got: [24, 3]": batch1's last axis against batch2's second
    a, b = f.pop("first_shape", None), f.pop("other_shape", None)
    f["op"] = "BatchMatMul"
    if a and b and len(a) == 2 and len(b) == 2 and None not in (a[1], b[1]):
        f["dims"] = (a[1], b[1])
    return f


def _contracting(f, g):  # JAX: the contracting axes' sizes, lhs then rhs
    a, b = f.pop("first_shape", None), f.pop("other_shape", None)
    f["op"] = "dot_general"
    if a and b and len(a) == 1 and len(b) == 1 and None not in (a[0], b[0]):
        f["dims"] = (a[0], b[0])
    return f


def _incompatible(f, g):
    if g.get("_list"):
        shapes = _shapes(g["_list"][1:-1])
        f.update(
            op="Concatenate",
            op_input_shapes=shapes,
            first_shape=shapes[0],
            other_shape=shapes[1] if len(shapes) > 1 else None,
        )
    elif g.get("_rest") is not None:
        f["op"] = _op(g["_rest"])
    return f


def _sparse_loss(f, g):  # keras/src/backend/tensorflow/nn.py: only SCCE raises these two checks
    return dict(f, loss="sparse_categorical_crossentropy")


def _sizes(f, g):
    if g.get("_rest") is not None:  # label lines "'x' sizes: 100, 50" (K3) / "  x sizes: 100" (K2)
        found = re.findall(r"'?\b(x|y|sample_weight)'? sizes: ([\d, ]*\d)", g["_rest"])
        f["sizes"] = {k: tuple(int(n) for n in re.findall(r"\d+", v)) for k, v in found} or None
    elif g.get("_nx"):
        f["sizes"] = {"x": (int(g["_nx"]),), "y": (int(g["_ny"]),)}
    elif g.get("_which"):
        f["sizes"] = {g["_which"]: tuple(s[0] for s in _shapes(g["_list"]) if s)}
    else:  # ImageDataGenerator.flow: x.shape and y.shape
        both = (("x", f.get("received_shape")), ("y", parse_shape(g["_ys"])))
        f["sizes"] = {k: shape[:1] for k, shape in both if shape}
    return f


def _array_size(f, g):
    shape = f.get("received_shape")
    if "array_size" not in f and shape and None not in shape:
        f["array_size"] = math.prod(shape)
    return f


def _object_type(f, g):
    return dict({"received_dtype": "numpy.ndarray"}, **f)


def _reference_name(f, g):  # name='dense_input' (KerasTensor repr) or Tensor("input_1:0", ...)
    n = re.search(r"name='([^']+)'|Tensor\(\"([^\":]+)", g["_ref"])
    return dict(f, name=next(x for x in n.groups() if x)) if n else f


def _same(f, g):
    return f


def _windows(f, g):  # the window's size on each spatial axis of the input (rank - 2 of them)
    r, w = f.get("received_shape"), parse_shape(g.get("_window") or "")
    if r is not None and w is not None and len(r) >= 3:
        f["other_shape"] = tuple(w[: len(r) - 2])
    return f


def _anchors(rx: "re.Pattern[str]") -> tuple:
    """The literal runs (4+ characters) every match of ``rx`` must contain, read from its parse tree.

    Testing these with ``in`` (a C-speed substring search) before ``rx.search`` skips a rule
    whose words are absent without letting its regex scan the message: a message of
    ``'Layer a expects 1 input(s)' * 370_000`` has no ``', but it received'``, so the rule
    whose lazy gap ``[^\n]{0,2000}?`` would try 2000 positions after each repeat never runs.
    Only the top-level sequence is read (alternatives and optional groups are not required).
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]  # CPython 3.11+
        from re import _parser as p  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older CPython names
        try:
            import sre_constants as c  # type: ignore[no-redef]
            import sre_parse as p  # type: ignore[no-redef]
        except ImportError:
            return ()
    try:
        tree = p.parse(rx.pattern, rx.flags)
    except Exception:  # pragma: no cover
        return ()
    runs, run = [], []
    for op, arg in tree:
        if op is c.LITERAL:
            run.append(chr(arg))
            continue
        if len(run) >= 4:
            runs.append("".join(run))
        run = []
    if len(run) >= 4:
        runs.append("".join(run))
    return tuple(runs)


def _rule(family: str, finish: Callable[[dict, dict], dict], pattern: str):
    """One table row; in ``pattern``, ``@S`` stands for a printed shape and ``@Q`` for a layer name.

    Returns ``(family, compiled pattern, finish, anchors)`` (see :func:`_anchors`).
    """
    rx = re.compile(pattern.replace("@S", _S).replace("@Q", _Q))
    return family, rx, finish, _anchors(rx)


# 1a-1e, 1g: InputSpec checks (keras/src/layers/input_spec.py 3.0-3.15; keras/engine/input_spec.py
# 2.6-2.15 and tf_keras; TF tf.keras; keras/engine/base_layer.py 2.3.1; topology.py 1.2.2). Takes
# unquoted / "double" / 'single' layer names, K3.13+ "with name '...'", TF <= 2.6's "with the
# layer: :", K2.7's "axis -1of", no comma before "but" (TF <= 2.6) and TF 2.1-2.4 list shapes.
_HEAD = (
    r"Input (?P<input_index>\d+)(?: with name (?P<name>'[^'\n]*'|\"[^\"\n]*\"))?"
    r" (?:of layer (?P<layer_name>@Q) is incompatible with the layer"
    r"|is incompatible with layer (?P<_layer>@Q))\s*:(?:\s*:)?\s*expected "
)
_DTYPE = r"<dtype: '\w+'>|[\w.]+"
_RULES = [
    _rule(
        "input_spec_ndim",
        _input_spec,
        _HEAD + r"(?P<ndim_bound>min_ndim|max_ndim|ndim)"
        r"\s*(?P<_rel>>=|=)\s*(?P<expected_ndim>\d+), found ndim=(?P<received_ndim>\d+)"
        r"(?:\.? Full shape received: (?P<received_shape>@S))?",
    ),
    _rule(
        "input_spec_axis",
        _input_spec,
        _HEAD + r"axis (?P<axis>-?\d+) ?of input shape to have value "
        r"(?P<expected_value>\d+),? but (?:received input with|got) shape (?P<received_shape>@S)",
    ),
    _rule(
        "input_spec_shape",
        _input_spec,
        _HEAD + r"shape=(?P<expected_shape>@S), "
        r"found shape=(?P<received_shape>@S)",
    ),
    _rule(
        "input_spec_dtype",
        _input_spec,
        _HEAD + r"dtype=(?P<expected_dtype>" + _DTYPE + "), "
        r"found dtype=(?P<received_dtype>" + _DTYPE + ")",
    ),
    # 2b: keras/src/models/functional.py _adjust_input_rank, v3.0-3.12 and v3.13+ (with name, path)
    _rule(
        "functional_shape",
        _same,
        r"Invalid input shape for input (?:(?!Invalid input shape)[^\n]){0,600}?"
        r"(?: with name (?P<name>'[^'\n]*') and path '[^'\n]*')?\. Expected shape (?P<expected_shape>@S), "
        r"but input has incompatible shape (?P<received_shape>@S)",
    ),
    # 1f / 1g: keras/engine/training_utils.py 2.3.1, keras/engine/training.py 1.2.2 (prefix
    # "input" / "target", K1 "model input" / "model target", "" for K1 predict)
    _rule(
        "legacy_expected_dims",
        _legacy,
        r"(?:Error when checking (?P<prefix>[^:\n]{0,40}?)\s*: )?"
        r"expected (?P<_name>[\w./-]+) to have (?:(?P<expected_ndim>\d+) dimensions|"
        r"shape (?P<expected_shape>@S)),? but got array with shape (?P<received_shape>@S)",
    ),
    # 1g: Keras 0.3 layers/core.py (keras-team/keras#1897) and Theano's TensorType check
    _rule(
        "legacy_invalid_input",
        _ndim_from_shape,
        r"Invalid input shape - Layer expects input "
        r"ndim=(?P<expected_ndim>\d+), was provided with input shape (?P<received_shape>@S)",
    ),
    _rule(
        "legacy_invalid_input",
        _ndim_from_shape,
        r"Wrong number of dimensions: expected "
        r"(?P<expected_ndim>\d+), got (?P<received_ndim>\d+) with shape (?P<received_shape>@S)",
    ),
    # keras/src/models/sequential.py build() (K3)
    _rule(
        "sequential_configured",
        _same,
        r"Sequential model (?P<layer_name>@Q) has already been configured "
        r"to use input shape (?P<expected_shape>@S)\. You cannot build it with input_shape "
        r"(?P<received_shape>@S)",
    ),
    # 1b: keras/src/layers/input_spec.py (K3, also "N named input(s) with keys"); K2.6-2.15 same text.
    # The gaps stop at the next repeat of their opening words, so that a message repeating them
    # costs one pass, not 2000 characters per repeat (issue 10, item 5).
    _rule(
        "input_count",
        _same,
        r"Layer (?P<layer_name>@Q) expects (?P<expected_count>\d+)(?: named)? "
        r"input\(s\)(?:(?!input\(s\))[^\n]){0,2000}?, but it received (?P<received_count>\d+) input tensors",
    ),
    # 1g: K1.2.2 training.py / K2.3.1 training_utils.py list-of-arrays check
    _rule(
        "input_count",
        _same,
        r"Error when checking (?P<prefix>[^:\n]{0,40}): the list of Numpy arrays"
        r"[^\n]{0,200}?Expected to see (?P<expected_count>\d+) arrays?(?:\(s\))?"
        r"(?:(?!Expected to see)[^\n]){0,2000}?"
        r"but instead got the following list of (?P<received_count>\d+) arrays",
    ),
    # keras/src/layers/merging/base_merge.py, concatenate.py (K3); keras/layers/merge.py (K2)
    _rule(
        "input_count",
        _same,
        r"A (?:merge layer|`Concatenate` layer) should be called on a list of "
        r"(?:at least 1 )?inputs?(?:\.? Received:? input_shape=(?P<received_shape>@S))?",
    ),
    # 1b: keras/src/layers/input_spec.py (K3); K2 training_utils.py "No data provided for"
    _rule(
        "missing_input_key",
        _same,
        r"(?:Missing data for input|No data provided for) "
        r"\"(?P<name>[^\"\n]*)\"",
    ),
    # tensorflow/core/kernels/matmul_op_impl.h (eager, e.g. model(x) outside fit)
    _rule(
        "dims_must_be_equal",
        _matrix,
        r"Matrix size-incompatible: In\[0\]: (?P<first_shape>@S), "
        r"In\[1\]: (?P<other_shape>@S)",
    ),
    # The same mismatch on the other Keras 3 backends, data first and weights second (dims = (data's
    # last axis, what the weights expect)). PyTorch aten/src/ATen/native/LinearAlgebra.cpp, mm / addmm
    # (torch 2.x, measured with 2.13): "mat1 and mat2 shapes cannot be multiplied (768x1 and 3x200)"
    _rule(
        "dims_must_be_equal",
        _torch_mm,
        r"mat1 and mat2 shapes cannot be multiplied "
        r"\((?P<_a0>\d+)x(?P<_a1>\d+) and (?P<_b0>\d+)x(?P<_b1>\d+)\)",
    ),
    # PyTorch aten/src/ATen/native/LinearAlgebra.cpp, bmm / baddbmm (Keras's matmul of a 3-D input):
    # "Expected size for first two dimensions of batch2 tensor to be: [24, 1] but got: [24, 3]."
    # (the first list is [batch, batch1's last axis], the second batch2's first two axes)
    _rule(
        "dims_must_be_equal",
        _torch_bmm,
        r"Expected size for first two dimensions of batch2 tensor to be: (?P<first_shape>@S) "
        r"but got: (?P<other_shape>@S)",
    ),
    # JAX jax/_src/lax/lax.py _dot_general_shape_rule (jax 0.4-0.10, measured with 0.10.2), lhs (the
    # data) first: "dot_general requires contracting dimensions to have the same shape, got (1,) and (3,)."
    _rule(
        "dims_must_be_equal",
        _contracting,
        r"dot_general requires contracting dimensions to have the same shape, "
        r"got (?P<first_shape>@S) and (?P<other_shape>@S)",
    ),
    # keras/src/ops/operation_utils.py compute_conv_output_shape / compute_pooling_output_shape
    # (K3.0-3.15): a window (kernel, pool) longer than the axis it slides on. ``other_shape``: the
    # window's size on each spatial axis (a conv kernel is (k1, ..., in, out); a pool_size is the sizes)
    _rule(
        "negative_dimension",
        _windows,
        r"Computed output size would be (?:zero or )?negative\. Received:? `inputs[ .]shape="
        r"(?P<received_shape>@S)`(?:,| and) `(?:kernel shape|pool_size)=(?P<_window>@S)`",
    ),
    # Keras 2: tf_keras/src/layers/convolutional/base_conv.py ``compute_output_shape`` (tf-keras 2.21,
    # also the locally-connected layers): the same, naming the layer but not its window (the rule
    # reads the window from the layer's kernel_size)
    _rule(
        "negative_dimension",
        _same,
        r"One of the dimensions in the output is <= 0 due to downsampling in (?P<layer_name>[\w\-/]+)\. "
        r"Consider increasing the input size\. Received input shape (?P<received_shape>@S) "
        r"which would produce",
    ),
    # tensorflow/core/framework/common_shape_fns.cc: a window (kernel) larger than the input
    _rule(
        "negative_dimension",
        _same,
        r"Negative dimension size caused by subtracting "
        r"(?P<expected_value>\d+) from (?P<_from>\d+)",
    ),
    # TF shape inference: tensorflow/core/framework/common_shape_fns.cc, shape_inference.cc (TF 2.x
    # "{{node x}} = Op[...]" and TF 1.x "'x' (op: 'Op')" node formats)
    _rule(
        "dims_must_be_equal",
        _dims,
        r"Dimensions must be equal, but are (?P<_a>\d+) and (?P<_b>\d+)"
        r"(?P<_rest>[^\n]{0,4000})",
    ),
    _rule(
        "dims_must_be_equal",
        _dims,
        r"Dimension (?P<axis>-?\d+) in both shapes must be equal, but are "
        r"(?P<_a>\d+) and (?P<_b>\d+)\. Shapes are (?P<first_shape>@S) and (?P<other_shape>@S)"
        r"(?P<_rest>[^\n]{0,4000})",
    ),
    _rule(
        "dims_must_be_equal",
        _dims,
        r"Shape must be rank (?P<expected_ndim>\d+) but is rank "
        r"(?P<received_ndim>\d+)(?P<_rest>[^\n]{0,4000})",
    ),
    # 3c: tensorflow/core/util/bcast.h; K3 and K2 base_merge.py; NumPy broadcasting; Concatenate
    _rule(
        "incompatible_shapes",
        _incompatible,
        r"Incompatible shapes: (?P<first_shape>@S) vs\. "
        r"(?P<other_shape>@S)(?P<_rest>[^\n]{0,300})",
    ),
    _rule(
        "incompatible_shapes",
        _same,
        r"Inputs have incompatible shapes\. Received shapes "
        r"(?P<first_shape>@S) and (?P<other_shape>@S)",
    ),
    _rule(
        "incompatible_shapes",
        _same,
        r"[Oo]perands could not be broadcast together with (?:remapped )?"
        r"shapes (?:\[original->remapped\]: )?(?P<first_shape>@S) ?(?P<other_shape>@S)",
    ),
    _rule(
        "incompatible_shapes",
        _incompatible,
        r"A `Concatenate` layer requires inputs with matching "
        r"shapes[^\n]{0,100}?Received: input_shape=(?P<_list>\[(?:@S(?:, )?)+\])",
    ),
    # 3a: tensorflow/python/framework/tensor_shape.py assert_is_compatible_with (target, output)
    _rule(
        "shapes_incompatible",
        _same,
        r"\bShapes (?P<first_shape>@S) and (?P<other_shape>@S) "
        r"are incompatible",
    ),
    # 1f: K2.3.1 training_utils.check_loss_and_target_compatibility
    _rule(
        "target_output",
        _same,
        r"A target array with shape (?P<first_shape>@S) was passed for an "
        r"output of shape (?P<other_shape>@S) while using as loss `(?P<loss>\w+)`",
    ),
    _rule(
        "target_output",
        _same,
        r"You are passing a target array of shape (?P<first_shape>@S) while "
        r"using as loss `(?P<loss>\w+)`",
    ),
    # 3b: keras/src/backend/{tensorflow,jax,torch,numpy}/nn.py (K3.0-3.15)
    _rule(
        "target_output",
        _sparse_loss,
        r"Arguments? `(?:target|output)`(?: and `output`)? must "
        r"(?:have rank \(ndim\) `target\.ndim - 1`|have the same shape up until the last dimension)"
        r"[^\n]{0,160}?(?:target\.shape=(?P<first_shape>@S), )?output\.shape=(?P<other_shape>@S)",
    ),
    _rule(
        "target_output",
        _same,
        r"Arguments? `(?:target|output)`(?: and `output`)? must [^\n]{0,160}?"
        r"(?:target\.shape=(?P<first_shape>@S), )?output\.shape=(?P<other_shape>@S)",
    ),
    # 3c: tensorflow/core/kernels/sparse_xent_op.cc; nn_ops.py (static check); nn_impl.py
    # sigmoid_cross_entropy_with_logits (TF >= 2.7 and older); TF1 xent_op.cc. Labels -> first_shape.
    _rule(
        "logits_labels",
        _same,
        r"logits and labels must have the same first dimension, got logits "
        r"shape (?P<other_shape>@S) and labels shape (?P<first_shape>@S)",
    ),
    _rule(
        "logits_labels",
        _same,
        r"`?logits`? and `?labels`? must have the same shape,?(?: received)? "
        r"\((?P<other_shape>@S) vs (?P<first_shape>@S)\)",
    ),
    _rule(
        "logits_labels",
        _same,
        r"`labels\.shape` must equal `logits\.shape` except for the last "
        r"dimension\. Received: labels\.shape=(?P<first_shape>@S) and logits\.shape=(?P<other_shape>@S)",
    ),
    _rule(
        "logits_labels",
        _same,
        r"logits and labels must be broadcastable: logits_size=(?P<other_shape>@S)"
        r" labels_size=(?P<first_shape>@S)",
    ),
    # tensorflow/core/kernels/sparse_xent_op.cc (CPU; a GPU gives NaN instead): a class index >= the
    # number of output units with sparse_categorical_crossentropy. expected_value = that number.
    _rule(
        "label_range",
        _sparse_loss,
        r"Received a label value of (?P<label_value>-?\d+) which is "
        r"outside the valid range of \[0, (?P<expected_value>\d+)\)",
    ),
    # PyTorch aten/src/ATen/native/LossNLL.cpp (nll_loss, under Keras's sparse_categorical_crossentropy on
    # the torch backend; torch 2.x, measured with 2.13): "Target 11 is out of bounds." (an IndexError)
    _rule("label_range", _sparse_loss, r"\bTarget (?P<label_value>-?\d+) is out of bounds\."),
    # 4: keras/src/trainers/data_adapters/data_adapter_utils.py (K3); keras/engine/data_adapter.py
    # (K2.6-2.15, TF 2.1-2.5); 1f training_utils.py 2.3.1; 1h keras_preprocessing ImageDataGenerator.flow
    _rule("cardinality", _sizes, r"Data cardinality is ambiguous(?P<_rest>[\s\S]{0,2000})"),
    _rule(
        "cardinality",
        _sizes,
        r"Input arrays should have the same number of samples as target arrays\. "
        r"Found (?P<_nx>\d+) input samples and (?P<_ny>\d+) target samples",
    ),
    _rule(
        "cardinality",
        _sizes,
        r"All (?:input|target) arrays \((?P<_which>x|y)\) should have the same "
        r"number of samples\. Got array shapes: (?P<_list>\[[^\]\n]{0,2000}\])",
    ),
    _rule(
        "cardinality",
        _sizes,
        r"`x` \(images tensor\) and `y` \(labels\) should have the same length\. "
        r"Found: x\.shape = (?P<received_shape>@S), y\.shape = (?P<_ys>@S)",
    ),
    # 5: tensorflow/core/data/dataset_utils.cc CopyBatch (TF 2.5+; batch_dataset_op.cc before); TF1
    # tensorflow/core/util/batch_util.cc (first_shape = the batch's, other_shape = the new element's)
    _rule(
        "cannot_batch",
        _same,
        r"Cannot batch tensors with different shapes in component "
        r"(?P<component>\d+)\. First element had shape (?P<first_shape>@S) and element "
        r"(?P<element_index>\d+) had shape (?P<other_shape>@S)",
    ),
    _rule(
        "cannot_batch",
        _same,
        r"Cannot add tensor to the batch: number of elements does not match\. "
        r"Shapes are: \[tensor\]: (?P<other_shape>@S), \[batch\]: (?P<first_shape>@S)",
    ),
    # 5: tensorflow/python/lib/core/py_seq_tensor.cc ErrorRectangular / ErrorMixedTypes
    _rule(
        "non_rectangular",
        _same,
        r"Can't convert (?:non-rectangular Python sequence|Python sequence "
        r"with mixed types) to Tensor",
    ),
    # 5: tensorflow/python/lib/core/ndarray_tensor.cc; TF 1.x from_tensor_slices on an object
    # ndarray of ragged arrays: "Expected binary or unicode string, got array(...)" (corpus case 42)
    _rule(
        "object_array",
        _object_type,
        r"Failed to convert a NumPy array to a Tensor \(Unsupported "
        r"object type (?P<received_dtype>[^)\n]+)\)",
    ),
    _rule("object_array", _object_type, r"Expected binary or unicode string, got \[?<array>"),
    # 6: numpy/_core/src/multiarray/array_coercion.c (>= 1.24; the plain sentence before 1.20)
    _rule(
        "inhomogeneous",
        _same,
        r"setting an array element with a sequence\.(?: The requested array "
        r"has an inhomogeneous shape after \d+ dimensions?\. The detected shape was "
        r"(?P<detected_shape>@S) \+ inhomogeneous part)?",
    ),
    # 6: numpy shape.c raise_reshape_size_mismatch; TF reshape_op.h; K3 ops/operation_utils.py
    # compute_reshape_output_shape (Reshape layer); K2 layers/reshaping/reshape.py
    _rule(
        "reshape_size",
        _same,
        r"cannot reshape array of size (?P<array_size>\d+) into shape "
        r"(?P<target_shape>@S)",
    ),
    _rule(
        "reshape_size",
        _same,
        r"Input to reshape is a tensor with (?P<array_size>\d+) values, but the "
        r"requested shape (?:has|requires a multiple of) (?P<expected_value>\d+)",
    ),
    _rule(
        "reshape_size",
        _array_size,
        r"total size of (?:the tensor|new array) must be unchanged"
        r"[^\n]{0,200}?input_shape ?= ?(?P<received_shape>@S), \w+ ?= ?(?P<target_shape>@S)",
    ),
    # Keras 3.15, measured: a model that has trained once retraces its train function with relaxed
    # shapes, so data of another rank fails inside a layer without any shape in the message
    _rule(
        "unknown_rank",
        _same,
        r"Cannot take the length of shape with unknown rank"
        r"|as_list\(\) is not defined on an unknown TensorShape",
    ),
    # 2a: keras/engine/functional.py _conform_to_reference_input (TF 2.2 network.py - K2.11), a WARNING
    _rule(
        "constructed_warning",
        _reference_name,
        r"Model was constructed with shape (?P<expected_shape>@S) "
        r"for input (?P<_ref>(?:(?!Model was constructed)[^\n]){0,1000}?), "
        r"but it was called on an input with incompatible shape "
        r"(?P<received_shape>@S)",
    ),
]

# 7: keras/src/utils/traceback_utils.py (K3: "X.call()"); K2.7-2.9 layer "x" (type X), K2.11+
# layer 'x' (type X), K2.10's broken f-string layer "x" "<spaces>f"(type X) (base_layer.py:1078)
_K3_WRAP = re.compile(r"Exception encountered when calling (\w+)\.\w+\(\)")
_K2_WRAP = re.compile(
    r"Exception encountered when calling layer ['\"]?([^'\"\s(]+)['\"]?"
    r"(?:\s*\"\s*f\")?\s*\(type (\w+)\)"
)


def _wrapper(s: str) -> "tuple[Optional[str], Optional[str]]":
    """The innermost (last) ``Exception encountered when calling ...`` wrapper: (class, layer name)."""
    found: "list[tuple[int, Optional[str], Optional[str]]]"
    found = [(m.start(), m.group(1), None) for m in _K3_WRAP.finditer(s)]
    found += [(m.start(), m.group(2), m.group(1)) for m in _K2_WRAP.finditer(s)]
    return max(found, key=lambda t: t[0])[1:] if found else (None, None)


def parse(text: str) -> Optional[ParsedMessage]:
    """Parse a shape-error message into a :class:`ParsedMessage`, or ``None`` if unknown.

    Finds the inner message inside Keras 3's ``Exception encountered when calling X.call()``
    wrapper, Keras 2's ``layer "x" (type X)`` wrappers (class and name fill ``wrapper`` and a
    missing ``layer_name``) and ``in user code:`` traces. Never raises.

    Args:
        text: ``str(exception)``, raw (ANSI codes and array dumps are handled here).

    Returns:
        The :class:`ParsedMessage` of the first matching rule (``text`` is
        :func:`clean_message` of the input), or ``None`` when no rule matches.

    Example:
        >>> p = parse("Input 0 with name 'input_layer_4' of layer 'functional_3' is incompatible "
        ...           "with the layer: expected shape=(None, 24, 3), found shape=(None, 48, 3)")
        >>> p.family, p.layer_name, p.expected_shape, p.received_shape
        ('input_spec_shape', 'functional_3', (None, 24, 3), (None, 48, 3))
        >>> parse("Dimensions must be equal, but are 1 and 3 for '{{node m/MatMul}} = MatMul[T=DT_FLOAT]"
        ...       "(a, b)' with input shapes: [?,1], [3,200].").op_input_shapes
        ((None, 1), (3, 200))
    """
    try:
        text = text if isinstance(text, str) else str(text)
        global _last_parse
        key = (id(text), len(text), text[:_WINDOW], text[-_WINDOW:])
        last = _last_parse  # one tuple, read and replaced whole (threads)
        if last[0] == key:  # the hook and the pipeline ask about the same message in turn
            return last[1]
        result = _parse(text)
        _last_parse = (key, result)
        return result
    except Exception:  # a message we misread must not break the user's traceback
        return None


#: ``(key, result)`` of the last :func:`parse`: the key holds only the message's identity,
#: length and the two windows parse reads (never the message itself, which may be 10 MB).
_last_parse: tuple = (None, None)


def _parse(text: str) -> Optional[ParsedMessage]:
    try:
        body = _window(text)
        for family, rx, finish, anchors in _RULES:
            if not all(a in body for a in anchors):
                continue
            m = rx.search(body)
            if m is None:
                continue
            fields = finish(_fields(m), m.groupdict())
            family = fields.pop("family", family)
            wrapper, wrapper_layer = _wrapper(body)
            if wrapper_layer and not fields.get("layer_name"):
                fields["layer_name"] = wrapper_layer
            return ParsedMessage(family=family, text=_bound(body), wrapper=wrapper, **fields)
        return None
    except Exception:  # a message we misread must not break the user's traceback
        return None
