"""Shape helpers every rule, move and renderer shares: format, compare, align, name axes.

Shapes are tuples of ``int`` or ``None`` (any size), batch axis first, as Keras prints them.
All work here is bounded by the rank (Keras layers have a handful of axes); a rank taken
from a message beyond :data:`MAX_RANK` is not believed.
"""

from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Tuple

from .types import AxisRow, Shape
from .vocab import CONV1D, IMAGE2D, IMAGE3D, SEQUENCE_LAYERS, SINGULAR

#: The largest rank kerashape reasons about; Keras's own layers take at most 6 axes.
MAX_RANK = 16


def fmt(shape: Optional[Sequence[Optional[int]]]) -> str:
    """Format a shape as Keras prints it.

    Example:
        >>> fmt((None, 24, 3)), fmt((5,)), fmt(None)
        ('(None, 24, 3)', '(5,)', '(unknown)')
    """
    if shape is None:
        return "(unknown)"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return "(%s,)" % inner if len(shape) == 1 else "(%s)" % inner


def fits(received: Optional[int], expected: Optional[int]) -> bool:
    """True when a size fits: equal, or either side is free (``None``).

    Example:
        >>> fits(24, None), fits(24, 24), fits(24, 3)
        (True, True, False)
    """
    return expected is None or received is None or received == expected


def prod(shape: Iterable[Optional[int]]) -> Optional[int]:
    """The number of values of a shape, or ``None`` when a size is unknown.

    Example:
        >>> prod((24, 3)), prod((None, 3)), prod(())
        (72, None, 1)
    """
    p = 1
    for d in shape:
        if d is None:
            return None
        p *= d
    return p


def shape_fits(received: Optional[Shape], expected: Optional[Shape]) -> bool:
    """True when ``received`` has ``expected``'s rank and every non-batch size fits.

    Example:
        >>> shape_fits((100, 24, 3), (None, 24, 3)), shape_fits((100, 24), (None, 24, 3))
        (True, False)
    """
    if received is None or expected is None or len(received) != len(expected):
        return False
    return all(fits(a, b) for a, b in zip(received[1:], expected[1:]))


def mismatch(received: Optional[Shape], expected: Optional[Shape]) -> bool:
    """True when both shapes are known and ``received`` does not fit ``expected``."""
    return received is not None and expected is not None and not shape_fits(received, expected)


def axis_names(ndim: int, layer_class: Optional[str]) -> Tuple[str, ...]:
    """Keras's names for the axes of an input of rank ``ndim`` to a layer of this class.

    From the layers' docstrings: ``(batch_size, timesteps, features)`` for recurrent layers
    (keras/src/layers/rnn/lstm.py), ``(batch_size, steps, channels)`` for Conv1D,
    ``(batch_size, height, width, channels)`` for channels_last Conv2D
    (keras/src/layers/convolutional/conv2d.py).

    Example:
        >>> axis_names(3, "LSTM")
        ('batch_size', 'timesteps', 'features')
        >>> axis_names(4, "Conv2D")
        ('batch_size', 'height', 'width', 'channels')
        >>> axis_names(2, "Dense")
        ('batch_size', 'features')
    """
    c = layer_class or ""
    if ndim == 3 and c in SEQUENCE_LAYERS:
        return ("batch_size", "timesteps", "features")
    if ndim == 3 and c in CONV1D:
        return ("batch_size", "steps", "channels")
    if ndim == 4 and (c in IMAGE2D or c not in SEQUENCE_LAYERS):
        return ("batch_size", "height", "width", "channels")
    if ndim == 5 and c in IMAGE3D:
        return ("batch_size", "depth", "height", "width", "channels")
    if ndim == 2:
        return ("batch_size", "timesteps") if c == "Embedding" else ("batch_size", "features")
    if ndim == 3:
        return ("batch_size", "timesteps", "features")
    if ndim == 1:
        return ("batch_size",)
    return ("batch_size",) + tuple("axis %d" % i for i in range(1, max(ndim - 1, 1))) + ("features",)


def name_of(names: Sequence[str], i: int) -> str:
    """The name of axis ``i``, or ``"axis i"`` past the named ones."""
    return names[i] if i < len(names) else "axis %d" % i


def singular(axis_name: str) -> str:
    """``"features" -> "feature"``; other names unchanged."""
    return SINGULAR.get(axis_name, axis_name)


def plural(n: Optional[int], word: str) -> str:
    """``plural(3, "feature") -> "3 features"``; ``None`` means any number.

    Example:
        >>> plural(1, "feature"), plural(3, "timestep"), plural(None, "feature")
        ('1 feature', '3 timesteps', 'any number of features')
    """
    if n is None:
        return "any number of %ss" % word
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def expects(expected: Shape, names: Sequence[str]) -> str:
    """``(batch_size, timesteps=24, features=3)``: the expected shape with axis names."""
    parts = []
    for i, d in enumerate(expected):
        n = name_of(names, i)
        parts.append(n if d is None else "%s=%d" % (n, d))
    return "(" + ", ".join(parts) + ")"


def who(layer_class: Optional[str], layer_name: Optional[str], model_name: Optional[str]) -> str:
    """``LSTM 'lstm'``, ``Layer 'dense'``, ``Model 'model'`` or ``The model``."""
    if layer_class and layer_name:
        return "%s %r" % (layer_class, layer_name)
    if layer_name:
        return "Layer %r" % layer_name
    if model_name:
        return "Model %r" % model_name
    return "The model"


def _missing_axes(received: Shape, expected: Shape) -> Tuple[int, ...]:
    """Which expected axes (never the batch axis) the data lacks, lining up most sizes.

    Dynamic programming over (expected axis, received axis): O(rank^2), so an absurd rank
    taken from a message cannot make it slow. Ties go to the earliest missing axis.
    """
    r, e = len(received), len(expected)
    # best[i][j]: most equal sizes lining up expected[i:] with received[j:]
    best = [[-1] * (r + 2) for _ in range(e + 2)]
    best[e][r] = 0
    for i in range(e - 1, 0, -1):
        for j in range(r, 0, -1):
            if e - i < r - j:
                continue
            options = []
            if e - i - 1 >= r - j and best[i + 1][j] >= 0:
                options.append(best[i + 1][j])
            if j < r and best[i + 1][j + 1] >= 0:
                same = 1 if expected[i] is not None and received[j] == expected[i] else 0
                options.append(best[i + 1][j + 1] + same)
            best[i][j] = max(options) if options else -1
    skip: List[int] = []
    i, j = 1, 1
    while i < e:
        if e - i - 1 >= r - j and best[i + 1][j] == best[i][j]:
            skip.append(i)
        else:
            j += 1
        i += 1
    return tuple(skip)


def align(
    received: Shape, expected: Shape, names: Sequence[str], skip: Optional[Sequence[int]] = None
) -> Tuple[AxisRow, ...]:
    """One row per axis of ``expected``; when ranks differ, mark missing or extra axes.

    ``skip`` names the expected axes the data lacks; by default the choice that lines up
    most sizes, the batch axis kept first. Work is O(rank^2); ranks above :data:`MAX_RANK`
    are lined up from the left without a search.

    Example:
        >>> rows = align((100, 24), (None, 24, 1), axis_names(3, "LSTM"))
        >>> [(r.name, r.received, r.expected, r.status) for r in rows]
        [('batch_size', 100, None, 'ok'), ('timesteps', 24, 24, 'ok'), ('features', None, 1, 'missing')]
    """
    r, e = len(received), len(expected)
    rows: List[AxisRow] = []
    if r == e:
        for i, (a, b) in enumerate(zip(received, expected)):
            rows.append(AxisRow(name_of(names, i), a, b, "ok" if fits(a, b) else "mismatch"))
        return tuple(rows)
    if r < e:
        if skip is None:
            skip = _missing_axes(received, expected) if e <= MAX_RANK and r >= 1 else tuple(range(r, e))
        ri = 0
        for i in range(e):
            if i in skip or ri >= r:
                rows.append(AxisRow(name_of(names, i), None, expected[i], "missing"))
            else:
                a = received[ri]
                ri += 1
                rows.append(
                    AxisRow(name_of(names, i), a, expected[i], "ok" if fits(a, expected[i]) else "mismatch")
                )
        return tuple(rows)
    # more axes than expected: line up from the left, extra axes at the end are marked
    for i, a in enumerate(received):
        if i < e:
            rows.append(
                AxisRow(name_of(names, i), a, expected[i], "ok" if fits(a, expected[i]) else "mismatch")
            )
        else:
            rows.append(AxisRow("axis %d" % i, a, None, "extra"))
    return tuple(rows)


def permutation(received: Shape, expected: Shape) -> Tuple[Optional[Tuple[int, ...]], bool]:
    """The axis order that turns ``received`` into ``expected`` (batch axis first), and
    whether the sizes alone leave it ambiguous (two moved axes have the same size).

    Axes of one size keep their relative order (a stable matching, linear in the rank), so
    channels-first images ``(N, 3, 28, 28)`` move only their channel axis.

    Example:
        >>> permutation((8, 3, 28, 28), (None, 28, 28, 3))
        ((0, 2, 3, 1), True)
        >>> permutation((8, 3, 32, 28), (None, 32, 28, 3))
        ((0, 2, 3, 1), False)
        >>> permutation((8, 5, 4), (None, 4, 6))
        (None, False)
    """
    if len(received) != len(expected) or len(received) > MAX_RANK or len(received) < 3:
        return None, False
    want = tuple(expected[1:])
    have = list(received[1:])
    if any(d is None for d in want) or sorted(have, key=lambda v: -1 if v is None else v) != sorted(
        want, key=lambda v: -1 if v is None else v
    ):
        return None, False
    if tuple(have) == want:
        return None, False
    used = [False] * len(have)
    perm = []
    for k, size in enumerate(want):
        idx = next(i for i in range(len(have)) if not used[i] and have[i] == size)
        used[idx] = True
        perm.append(idx + 1)
    moved = [have[p - 1] for i, p in enumerate(perm) if p != i + 1]
    ambiguous = any(have.count(v) > 1 for v in moved)
    return (0,) + tuple(perm), ambiguous
