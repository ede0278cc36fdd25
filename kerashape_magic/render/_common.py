"""Helpers shared by the text, HTML, cube and widget renderers (standard library only).

Everything here works on :class:`~kerashape_magic.core.types.Diagnosis` data: shape
tuples, axis names and strings. Nothing imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from ..core.types import Diagnosis, Fix, Shape

#: Shown for a size the layer leaves free (``None`` in Keras's shapes).
ANY = "any"
#: Shown for an axis the data does not have.
ABSENT = "\u2014"

#: Default axis names by rank, batch axis first, in Keras's vocabulary.
_DEFAULT_NAMES = {
    1: ("batch_size",),
    2: ("batch_size", "features"),
    3: ("batch_size", "timesteps", "features"),
    4: ("batch_size", "height", "width", "channels"),
    5: ("batch_size", "frames", "height", "width", "channels"),
}

# Array dumps that Keras 3 / TensorFlow / NumPy can put into a message. The core strips
# them already; the renderers scrub again so that no path ever prints array contents.
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARRAY_CALL = re.compile(r"\b(array|Tensor)\(\s*\[\u2026\][^()]*\)")


def _closing(text: str, start: int) -> int:
    """Index of the ``]`` matching the ``[`` at ``start``, or -1."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "[":
            depth += 1
        elif text[i] == "]":
            depth -= 1
            if depth == 0:
                return i
    return -1


def scrub(text: str) -> str:
    """Replace anything that looks like array contents with an ellipsis.

    Shapes such as ``(None, 24, 3)`` or ``[?,1]`` are kept; ``array([...])``, nested
    ``[[...]]`` blocks and lists of seven or more numbers become ``[…]``.

    Example:
        >>> scrub("got array([[0.5, 0.25], [1.0, 2.0]]) with shape (2, 2)")
        'got array(…) with shape (2, 2)'
    """
    out, i = [], 0
    while True:
        j = text.find("[", i)
        k = _closing(text, j) if j >= 0 else -1
        if k < 0:
            # An unbalanced (truncated) dump: drop the rest when it holds nested brackets.
            cut = j >= 0 and "[" in text[j + 1 :]
            out.append(text[i:j] + "[…" if cut else text[i:])
            break
        inner = text[j + 1 : k]
        dump = (
            "[" in inner
            or "..." in inner
            or len(_NUMBER.findall(inner)) >= 7
            or text[max(0, j - 6) : j].endswith(("array(", "Tensor("))
        )
        out.append(text[i:j])
        out.append("[…]" if dump else text[j : k + 1])
        i = k + 1
    return _ARRAY_CALL.sub("\\1(…)", "".join(out))


def fmt_shape(shape: Optional[Sequence[Optional[int]]]) -> str:
    """Format a shape as Keras prints it: ``(None, 24, 3)``, ``(5,)``; ``?`` when unknown."""
    if shape is None:
        return "?"
    return str(tuple(shape))


def fmt_size(size: Optional[int], absent: bool = False) -> str:
    """Format one table cell: the size, ``any`` for ``None``, ``—`` for a missing axis."""
    if absent:
        return ABSENT
    return ANY if size is None else str(size)


def default_names(rank: int) -> Tuple[str, ...]:
    """Keras's axis names for a shape of ``rank`` axes, batch axis first."""
    if rank in _DEFAULT_NAMES:
        return _DEFAULT_NAMES[rank]
    return ("batch_size",) + tuple("axis %d" % i for i in range(1, rank))


def _positional(shape: Shape, other: Optional[Shape]) -> Tuple[List[str], List[str]]:
    names = list(default_names(len(shape)))
    if other is None or len(other) != len(shape):
        return ["ok"] * len(shape), names
    statuses = []
    for mine, theirs in zip(shape, other):
        same = mine is None or theirs is None or mine == theirs
        statuses.append("ok" if same else "mismatch")
    return statuses, names


def side_axes(d: Diagnosis, side: str) -> Tuple[Optional[Shape], List[str], List[str]]:
    """Match ``d.rows`` to the axes of the received or the expected shape.

    The rows follow the expected input; a ``missing`` row has no received axis and an
    ``extra`` row no expected one. When the rows do not fit the shape (or there are
    none), the axes get Keras's default names and equal-rank shapes are compared
    position by position.

    Args:
        d: the diagnosis.
        side: ``"received"`` or ``"expected"``.

    Returns:
        ``(shape, statuses, names)``: one status (``ok`` / ``mismatch`` / ``missing`` /
        ``extra``) and one name per axis of ``shape``; on the expected side the missing
        axes are kept (the data lacks them), on the received side the extra ones.
    """
    shape = d.received_shape if side == "received" else d.expected_shape
    other = d.expected_shape if side == "received" else d.received_shape
    if shape is None:
        return None, [], []
    skip = "missing" if side == "received" else "extra"
    rows = [r for r in d.rows if r.status != skip]
    if rows and len(rows) == len(shape):
        return tuple(shape), [r.status for r in rows], [r.name for r in rows]
    statuses, names = _positional(tuple(shape), other)
    return tuple(shape), statuses, names


def table_rows(d: Diagnosis) -> List[Tuple[str, str, str, str]]:
    """The shape table as ``(axis name, received, expected, status)`` strings.

    Uses ``d.rows`` when present; otherwise compares equal-rank shapes position by
    position (and returns no rows when the ranks differ and nothing says how they align).
    """
    if d.rows:
        return [
            (
                r.name,
                fmt_size(r.received, absent=r.status == "missing"),
                fmt_size(r.expected, absent=r.status == "extra"),
                r.status,
            )
            for r in d.rows
        ]
    rec, exp = d.received_shape, d.expected_shape
    if rec is None or exp is None or len(rec) != len(exp):
        return []
    statuses, names = _positional(tuple(exp), tuple(rec))
    return [(n, fmt_size(r), fmt_size(e), s) for n, r, e, s in zip(names, rec, exp, statuses)]


def layer_label(d: Diagnosis) -> str:
    """``LSTM 'lstm'``, ``layer 'lstm'`` or ``the model``, for titles."""
    if d.layer_name and d.layer_class:
        return "%s %r" % (d.layer_class, d.layer_name)
    if d.layer_name:
        return "layer %r" % d.layer_name
    return d.layer_class or "the model"


# ---------------------------------------------------------------------------- words

#: A library source path (``.../site-packages/keras/src/layers/rnn/rnn.py:199``,
#: ``keras/src/...``, ``tensorflow/python/...``): nothing a learner can open or change.
_LIBRARY_PATH = re.compile(
    r"(?:[\w.~-]*/)*?(?:(?:site|dist)-packages/)?"
    r"(keras|tf_keras|tensorflow|numpy|IPython|ipykernel)/(?:src/|python/|_src/)?[\w./-]*\.py"
    r"(?:[:,]\s*(?:line\s*)?\d+)?"
)
_LIBRARY_NAMES = {
    "keras": "Keras",
    "tf_keras": "Keras",
    "tensorflow": "TensorFlow",
    "numpy": "NumPy",
    "IPython": "IPython",
    "ipykernel": "IPython",
}


def plain_paths(text: str) -> str:
    """Replace library source paths with the library's name in words.

    Example:
        >>> plain_paths("raised in /venv/lib/python3.11/site-packages/keras/src/layers/rnn/rnn.py:199")
        "raised in Keras's own code"
    """
    return _LIBRARY_PATH.sub(lambda m: "%s's own code" % _LIBRARY_NAMES[m.group(1)], text)


#: TensorFlow's node names in a message:
#: ``{{node sequential_1/lstm_1/lstm_cell_1/MatMul}} = MatMul[...](...)``.
_NODE = re.compile(r"\{\{node ([\w./-]+)\}\}")
_NODE_OP = re.compile(r" for '\{\{node [\w./-]+\}\}[^']*'")
#: Lines of a Keras 3 message that only frame it ("Exception encountered when calling ...",
#: "Arguments received by ...", the bullet list of arguments).
_FRAME_LINE = re.compile(r"^\s*(Exception encountered when calling|Arguments received by|[\u2022*-] )")


def key_message_line(message: str) -> str:
    """The line of an error message that says what is wrong, without its framing.

    Keras 3 wraps a layer's error in "Exception encountered when calling X.call()" and a list
    of the arguments; TensorFlow names the graph node and its op (``for '{{node ...}} =
    MatMul[T=DT_FLOAT, ...](...)'``), which :func:`graph_name` says in words instead. The full
    message is in the traceback above the panel; this is the one line to quote.

    Example:
        >>> key_message_line("Exception encountered when calling LSTMCell.call().\\n\\n"
        ...     "Dimensions must be equal, but are 1 and 3 for '{{node s/lstm_1/MatMul}} = "
        ...     "MatMul[T=DT_FLOAT](a, b)' with input shapes: [?,1].\\n\\n"
        ...     "Arguments received by LSTMCell.call():\\n  \\u2022 training=True")
        'Dimensions must be equal, but are 1 and 3 with input shapes: [?,1].'
    """
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    useful = [line for line in lines if not _FRAME_LINE.match(line)] or lines or [""]
    return plain_paths(_NODE_OP.sub("", useful[0]))


def graph_name(d: Diagnosis) -> Optional[str]:
    """TensorFlow's graph name of the failing layer, when the message names it and it differs.

    TensorFlow names graph nodes after the layer path with a per-session counter
    (``sequential_1/lstm_1`` for the layer ``lstm`` of the model ``sequential``); the traceback
    shows those names, the panel Keras's ``layer.name``.

    Example:
        >>> from kerashape_magic.core.types import Diagnosis
        >>> d = Diagnosis("feature_mismatch", "lstm", (2, 24, 1), (None, 24, 3), 2, "s",
        ...     message="... for '{{node sequential_1/lstm_1/lstm_cell_1/MatMul}} = MatMul[...]' ...")
        >>> graph_name(d)
        'sequential_1/lstm_1'
    """
    if not d.layer_name or not d.message:
        return None
    layer = re.compile(r"%s(?:_\d+)?" % re.escape(d.layer_name))
    for node in _NODE.findall(d.message):
        parts = node.split("/")
        for i, part in enumerate(parts):
            if layer.fullmatch(part):
                name = "/".join(parts[: i + 1])
                return None if name == d.layer_name else name
    return None


def graph_sentence(d: Diagnosis, graph: str) -> str:
    """``In the traceback above, TensorFlow calls this layer `sequential_1/lstm_1` (its graph
    name for Keras's layer `lstm`).``"""
    return (
        "In the traceback above, TensorFlow calls this layer `%s` (its graph name for Keras's layer `%s`)."
        % (
            graph,
            d.layer_name,
        )
    )


#: ``kerashape.reset(model)`` as a line of fix code (data fixes end with it).
_RESET_LINE = re.compile(r"^\s*kerashape\.reset\(([A-Za-z_]\w*)\)", re.MULTILINE)


def reset_sentence(fix: Fix) -> Optional[str]:
    """One plain sentence on why a fix's code ends with ``kerashape.reset(model)``, or ``None``.

    Keras 3.15 keeps the training function it traced during the failed call, and the next
    ``fit`` fails even with the right data (``kerashape_magic.actions.reset``); the line
    clears that, and touches no weight.
    """
    found = _RESET_LINE.search(fix.code or "")
    if not found:
        return None
    return (
        "`kerashape.reset(%s)` clears the training function Keras kept from the failed call, which "
        "would make the next call fail even with the right data; no weight changes." % found.group(1)
    )


_LOSS_FIX_KINDS = ("sparse_loss", "categorical_loss", "binary_loss")


def result_phrase(d: Diagnosis, fix: Fix) -> Optional[str]:
    """What ``fix.resulting_shape`` means, in words: ``the model now takes (None, 24, 1)``,
    ``X_train becomes (100, 24, 1)``; ``None`` when there is nothing to say.

    Args:
        d: the diagnosis (for the model's and the data's names).
        fix: the fix.

    Returns:
        A phrase with `backticked` names, without a final full stop.
    """
    shape = fix.resulting_shape
    if shape is None or fix.kind in _LOSS_FIX_KINDS:
        return None
    changes_model = getattr(fix, "changes_model", fix.kind in ("rebuild_input", "edit_layer"))
    if changes_model:
        name = fix.target or d.model_name
        return "after Apply, %s takes %s" % ("`%s`" % name if name else "the model", fmt_shape(shape))
    name = fix.target or d.received_name
    return "after Apply, %s becomes %s" % ("`%s`" % name if name else "the data", fmt_shape(shape))


def edit_lines(fix: Fix) -> List[Tuple[str, List[Tuple[str, str]]]]:
    """The change to the user's own cells that makes ``fix`` last, as ``(heading, lines)``.

    Reads ``fix.source_edits`` (``kerashape_magic.edits.SourceEdit``: ``cell``, ``before``,
    ``after``; or ``NoEdit``: ``reason``) by attribute, so a ``Fix`` without the field, or
    edits of another shape, give ``[]``. Each line is ``(mark, text)``: ``"-"`` removed,
    ``"+"`` added, ``" "`` context (one line around each change, as ``diff -U1``).

    Example:
        >>> from kerashape_magic.core.types import Fix
        >>> from kerashape_magic.edits import SourceEdit
        >>> edit = SourceEdit(3, "X = load()\\nfit(X)", "X = load()\\nX = X[..., None]\\nfit(X)")
        >>> fix = Fix("expand_dims", "t", "X = X[..., None]", "r", source_edits=(edit,))
        >>> heading, lines = edit_lines(fix)[0]
        >>> heading
        'To keep it when the notebook runs again, change cell [3]:'
        >>> lines
        [(' ', 'X = load()'), ('+', 'X = X[..., None]'), (' ', 'fit(X)')]
    """
    import difflib

    out: List[Tuple[str, List[Tuple[str, str]]]] = []
    for edit in getattr(fix, "source_edits", ()) or ():
        reason = getattr(edit, "reason", None)
        if isinstance(reason, str) and reason:
            out.append(("To keep it when the notebook runs again: %s." % reason.rstrip("."), []))
            continue
        cell, before, after = (getattr(edit, a, None) for a in ("cell", "before", "after"))
        if not isinstance(before, str) or not isinstance(after, str) or before == after:
            continue
        lines: List[Tuple[str, str]] = []
        diff = difflib.unified_diff(before.splitlines(), after.splitlines(), n=1, lineterm="")
        for line in list(diff)[2:]:  # skip the ---/+++ header
            if line.startswith("@@"):
                if lines:
                    lines.append((" ", "\u2026"))
                continue
            lines.append((line[:1], line[1:]))
        where = "cell [%d]" % cell if isinstance(cell, int) else "your cell"
        out.append(("To keep it when the notebook runs again, change %s:" % where, lines))
    return out
