"""Helpers shared by the text, HTML, cube and widget renderers (standard library only).

Everything here works on :class:`~kerashape_magic.core.types.Diagnosis` data: shape
tuples, axis names and strings. Nothing imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import re
from typing import List, Optional, Sequence, Tuple

from ..core.types import Diagnosis, Shape

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
