"""Data moves: every transformation of the data that could make it fit the expected input.

Each move is a pure function ``move(s: Situation) -> iterable of Fix`` that proposes a fix
only when its result has exactly the expected shape; verification decides whether it works
and ``core/rank.py`` orders the survivors. A move never moves a value between the feature
axis and another axis when the feature count is wrong: reshapes only flatten or unflatten
trailing axes, or group stacked rows whose feature axis already fits (DESIGN.md, the
catalogue; seed 001 example 1). Every container the facts can name gets the same move
(``templates.py`` writes NumPy, tf.Tensor, pandas, list and tf.data ``map`` code).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Optional, Set, Tuple

from ..shapes import fits, name_of, permutation, plural, prod, shape_fits, singular
from ..types import DataFact, Diagnosis, Facts, Fix, Shape
from ..vocab import IMAGE2D, SEQUENCE_LAYERS
from . import templates as F

#: Axes that are positions in space: exchanging two of them rotates or mirrors the data.
SPATIAL = ("height", "width", "depth")


@dataclass(frozen=True)
class Situation:
    """What a move reads: the data against the expected input.

    Attributes:
        diagnosis: the rule's diagnosis (kind, axis table).
        facts: the facts.
        x: the data object that disagrees.
        received: its shape, batch axis first, e.g. ``(100, 24, 1)``.
        expected: the expected input, ``None`` for free sizes, e.g. ``(None, 24, 3)``.
        names: Keras's axis names for ``expected``.
        layer_class: the class of the layer that expects it.
    """

    diagnosis: Diagnosis
    facts: Facts
    x: DataFact
    received: Shape
    expected: Shape
    names: Tuple[str, ...]
    layer_class: Optional[str]

    @property
    def name(self) -> str:
        return self.x.name or ""

    @property
    def tname(self) -> str:
        return self.x.type_name


def _tag(fix: Optional[Fix], move: str, **kw: object) -> Optional[Fix]:
    return replace(fix, move=move, **kw) if fix is not None else None  # type: ignore[arg-type]


def add_axis(s: Situation) -> Iterable[Optional[Fix]]:
    """Insert one axis of size 1 wherever that makes the data fit: channels or features at
    the end, a batch axis in front (one sample), or any axis between."""
    R, E = s.received, s.expected
    if len(R) + 1 != len(E):
        return
    made: Set[Shape] = set()
    for p in range(len(R), -1, -1):
        shape = R[:p] + (1,) + R[p:]
        if p < len(R) and R[p] == 1:
            continue  # the same array as inserting after that size-1 axis
        if p == 0 and s.tname == "Dataset":
            continue  # a dataset without a batch axis is batched (dataset_batching)
        if p == 0:
            if not (all(fits(a, b) for a, b in zip(R, E[1:])) and all(d is not None for d in E[1:])):
                continue
            why = (
                "This is one sample without the batch axis: add a leading axis of size 1 (or index "
                "with x[0:1] instead of x[0])."
            )
        elif shape_fits(shape, E) and (E[p] == 1 or (E[p] is None and not made)):
            # a declared size-1 axis is evidence; a free one only takes the first place that
            # fits, the last axis first (Keras puts features and channels last)
            axname = name_of(s.names, p)
            why = "The data has no %s axis: add one of size 1. No value moves." % axname
        else:
            continue
        if shape in made:
            continue
        made.add(shape)
        axis = -1 if p == len(R) else p
        yield _tag(F.expand_dims(s.facts, s.name, s.tname, axis, shape, why), "add_axis")


def _embeddings(R: Shape, E: Shape) -> Set[Tuple[int, ...]]:
    """Every way to place the axes of ``R`` in order among those of ``E`` with size-1 axes
    inserted at the other places: the inserted places, as tuples of positions in ``E``.

    An axis may be inserted where ``E`` declares size 1, or in front as the batch axis (one
    sample) when every other expected size is declared; never at a free axis (``None``)
    elsewhere, whose size nothing tells.
    """
    out: Set[Tuple[int, ...]] = set()
    e = len(E)
    from itertools import combinations

    for inserted in combinations(range(e), e - len(R)):
        kept = [p for p in range(e) if p not in inserted]
        if not all(fits(r, E[p]) for r, p in zip(R, kept)):
            continue
        ok = True
        for p in inserted:
            if E[p] == 1:
                continue
            if p == 0 and all(d is not None for d in E[1:]):
                continue
            ok = False
        if ok:
            out.add(inserted)
    return out


def add_axes(s: Situation) -> Iterable[Optional[Fix]]:
    """Insert every missing size-1 axis at once, e.g. one grey picture ``(28, 28)`` into
    ``(None, 28, 28, 1)``: a batch axis in front and a channel axis at the end.

    Only when two or more axes are missing (one is ``add_axis``) and every way of inserting
    them gives the same array; otherwise the candidate is ruled out as ambiguous.
    """
    R, E = s.received, s.expected
    if len(E) - len(R) < 2 or not R or s.tname == "Dataset":
        return
    ways = _embeddings(R, E)
    if not ways:
        return
    results = set()
    for w in ways:
        it = iter(R)
        results.add(tuple(1 if p in w else next(it) for p in range(len(E))))
    if len(results) > 1:
        # different arrays could come out: nothing tells which axis is which
        w = sorted(ways)[0]
        it = iter(R)
        shape = tuple(1 if p in w else next(it) for p in range(len(E)))
        fix = _tag(F.expand_dims_many(s.facts, s.name, s.tname, w, shape, ""), "add_axes")
        if fix is not None:
            yield replace(
                fix, verification="ruled out: ambiguous: the size-1 axes could go in %d places" % len(results)
            )
        return
    # inserting next to another size-1 axis gives the same array: take the first placement
    w = sorted(ways)[0]
    shape = next(iter(results))
    named = [
        "a batch axis (one sample)" if p == 0 else "a %s axis" % singular(name_of(s.names, p)) for p in w
    ]
    why = "The data lacks %d axes of size 1: %s. No value moves." % (len(w), " and ".join(named))
    yield _tag(F.expand_dims_many(s.facts, s.name, s.tname, w, shape, why), "add_axes")


def drop_axis(s: Situation) -> Iterable[Optional[Fix]]:
    """Drop one axis of size 1 that has no counterpart in the expected input."""
    R, E = s.received, s.expected
    if len(R) != len(E) + 1:
        return
    for i in range(1, len(R)):
        rest = R[:i] + R[i + 1 :]
        if R[i] == 1 and shape_fits(rest, E):
            why = "Axis %d has size 1 and no counterpart in the model's input. No value moves." % i
            yield _tag(F.squeeze(s.facts, s.name, s.tname, i, rest, why), "drop_axis")


def move_axes(s: Situation) -> Iterable[Optional[Fix]]:
    """Transpose when the sizes are right but in another order (channels first, timesteps and
    features swapped). Axes of one size keep their order (``core.shapes.permutation``), and
    a transpose that exchanges two spatial axes (height and width) is ruled out: it rotates
    every picture."""
    R, E = s.received, s.expected
    perm, _ = permutation(R, E)
    if perm is None:
        return
    spatial = [perm[i] for i in range(1, len(E)) if name_of(s.names, i) in SPATIAL]
    rotates = any(a > b for a, b in zip(spatial, spatial[1:]))
    result = (R[0],) + tuple(E[1:])
    why = (
        "The sizes are right but in another order (e.g. channels first). A transpose moves whole "
        "axes; a reshape would scramble the values."
    )
    fix = _tag(F.transpose(s.facts, s.name, s.tname, perm, result, why), "move_axes")
    if fix is not None and rotates:
        fix = replace(
            fix,
            verification="ruled out: it would exchange the images' height and width, which rotates "
            "every picture; resize them instead",
        )
    yield fix


def flatten(s: Situation) -> Iterable[Optional[Fix]]:
    """Merge trailing axes into one: ``(N, 28, 28) -> (N, 784)`` for a Dense layer.

    Keeps every value in order; only axes after those that already fit are merged.
    """
    R, E = s.received, s.expected
    r, e = len(R), len(E)
    if r <= e or e < 2 or None in R[1:] or not shape_fits(R[: e - 1], E[: e - 1]):
        return
    merged = prod(R[e - 1 :])
    if merged is None or not fits(merged, E[-1]):
        return
    result = tuple(R[: e - 1]) + (merged,)
    why = (
        "Merges the last %d axes into one of %d values, row-major (the order NumPy keeps); no value moves."
        % (
            r - e + 1,
            merged,
        )
    )
    fix = F.reshape(
        s.facts, s.name, s.tname, (-1,) + result[1:], why, "Flatten %s to %s" % (s.name, _fmt(result))
    )
    yield _tag(fix, "flatten", kind="flatten", resulting_shape=result) if fix is not None else None


def unflatten(s: Situation) -> Iterable[Optional[Fix]]:
    """Split a flat row into the expected axes: ``(N, T*F) -> (N, T, F)`` or flat pixels to
    ``(N, H, W, C)``, under the stated row-major (time-major) assumption; for sequences also
    the feature-major variant."""
    R, E = s.received, s.expected
    r, e = len(R), len(E)
    inner = prod(E[1:])
    if r >= e or r < 2 or inner is None or prod(R[1:]) != inner:
        return
    target = (-1,) + tuple(E[1:])
    if e == 3:
        why = (
            "Assumes each row lists the %s of the first %s, then of the second, ... (time-major, the usual "
            "layout). If your rows are feature-major, use the transpose variant."
            % (s.names[-1], singular(s.names[1]))
        )
    else:
        why = (
            "Assumes each row holds the values in row-major order (%s): the order NumPy, pandas and most "
            "image loaders use." % ", ".join(s.names[1:])
        )
    result = (R[0],) + tuple(E[1:])
    fix = F.reshape(s.facts, s.name, s.tname, target, why, "Reshape %s to %s" % (s.name, _fmt(result)))
    yield _tag(fix, "unflatten", resulting_shape=result) if fix is not None else None
    if e == 3 and E[1] != 1 and E[2] != 1:  # with one timestep or one feature both layouts agree
        yield _tag(
            F.reshape_feature_major(s.facts, s.name, s.tname, target),
            "unflatten_feature_major",
            resulting_shape=result,
        )


def group_rows(s: Situation) -> Iterable[Optional[Fix]]:
    """Stacked rows ``(N*T, F) -> (N, T, F)``: consecutive rows of one sample grouped, the
    feature axis untouched (seed 003, example 1)."""
    R, E = s.received, s.expected
    if len(R) + 1 != len(E) or len(E) < 3 or None in R:
        return
    t = E[1]
    if (
        t is None
        or R[0] is None
        or t <= 1
        or R[0] % t
        or R[0] <= t
        or not shape_fits((None,) + tuple(R[1:]), (None,) + tuple(E[2:]))
    ):
        return
    n = R[0] // t
    y = s.facts.role("y")
    if y is not None and y.shape and y.shape[0] == R[0] and s.x.role == "x":
        return  # one label per row: a time series, cut into windows (window_rows)
    why = (
        "Rows are stacked sample after sample (%d rows per sample); the reshape groups each sample's %d rows "
        "without moving any value within a row." % (t, t)
    )
    result = (n, t) + tuple(R[1:])
    fix = F.reshape(
        s.facts, s.name, s.tname, (-1, t) + tuple(R[1:]), why, "Reshape %s to %s" % (s.name, _fmt(result))
    )
    yield _tag(fix, "group_rows", resulting_shape=result, sample_rows=t) if fix is not None else None


def window_rows(s: Situation) -> Iterable[Optional[Fix]]:
    """Rows of a time series ``(rows, F)`` with one label per row into a model that takes
    ``(N, T, F)``: one window of ``T`` consecutive rows ending at every row from the ``T``-th
    on, each labelled with its last row's label (the labels are cut to match), so x and y
    stay aligned and no value moves between features."""
    R, E = s.received, s.expected
    if len(R) != 2 or len(E) != 3 or E[1] is None or R[0] is None or not fits(R[1], E[2]) or R[0] <= E[1]:
        return
    y = s.facts.role("y")
    if y is None or not y.shape or y.shape[0] != R[0] or s.x.role != "x":
        return
    yield _tag(F.label_windows(s.facts, s.x, y, E[1], R), "window_rows", sample_rows=1)


def dataset_batching(s: Situation) -> Iterable[Optional[Fix]]:
    """A ``tf.data.Dataset`` batched the wrong number of times: ``batch`` one whose elements
    are single samples (``padded_batch`` when their lengths vary), ``unbatch`` one batched
    twice (keras/src/trainers/data_adapters/tf_dataset_adapter.py takes batched datasets)."""
    R, E = s.received, s.expected
    if s.tname != "Dataset" or not F.is_identifier(s.name):
        return
    if len(R) + 1 == len(E):
        varying = any(d is None for d in R)
        if varying:
            why = (
                "The dataset yields one sample at a time, of different lengths: padded_batch groups 32 "
                "of them and pads each batch with zeros to its longest element."
            )
            yield _tag(F.batch_dataset(s.facts, s.name, 32, why, padded=True), "dataset_batching")
        elif shape_fits((None,) + tuple(R), E):
            why = (
                "The dataset yields one sample at a time; Keras trains on batches: batch(32) groups them "
                "(the last batch may be smaller). No value changes."
            )
            yield _tag(F.batch_dataset(s.facts, s.name, 32, why), "dataset_batching")
    elif len(R) == len(E) + 1 and R[0] is None and shape_fits((None,) + tuple(R[2:]), E):
        why = (
            "The dataset was batched twice: each element is a batch of batches. unbatch() takes the "
            "outer batching back (then batch it once, e.g. .unbatch().batch(32), if you want other sizes)."
        )
        yield _tag(F.unbatch_dataset(s.facts, s.name, why), "dataset_batching")


def repeat_channel(s: Situation) -> Iterable[Optional[Fix]]:
    """One grey channel repeated into the three an RGB model expects."""
    R, E = s.received, s.expected
    if len(R) != len(E) or len(E) < 4 or R[-1] != 1 or E[-1] != 3 or not shape_fits(R[:-1], E[:-1]):
        return
    yield _tag(
        F.repeat(
            s.facts,
            s.name,
            s.tname,
            3,
            -1,
            tuple(R[:-1]) + (3,),
            "The model was built for RGB images; repeating the single grey channel gives it three equal "
            "channels.",
            "Repeat the grey channel 3 times (grayscale to RGB)",
        ),
        "repeat_channel",
    )


def drop_channel(s: Situation) -> Iterable[Optional[Fix]]:
    """More channels than the layer expects on its channel axis (RGBA into RGB): keep the
    first ``k``, the inverse of :func:`repeat_channel`. Lossy (the alpha channel, or any
    channel after the ``k``-th, is dropped), so it ranks below every lossless move. Only on an
    axis Keras calls ``channels``: dropping *features* would silently discard inputs."""
    R, E = s.received, s.expected
    if len(R) != len(E) or len(E) < 3 or R[-1] is None or E[-1] is None or R[-1] <= E[-1]:
        return
    if name_of(s.names, len(E) - 1) != "channels" or not shape_fits(R[:-1], E[:-1]):
        return
    k, extra = E[-1], R[-1] - E[-1]
    why = (
        "The data has %d channels and the model takes %d: this keeps the first %d and DROPS the last %d "
        "(for RGBA pictures: the alpha channel, what PIL's convert('RGB') does for opaque pixels). "
        "The model stays as it is." % (R[-1], k, k, extra)
    )
    yield _tag(F.keep_channels(s.facts, s.name, s.tname, k, tuple(R[:-1]) + (k,), why), "drop_channel")


def align_columns(s: Situation) -> Iterable[Optional[Fix]]:
    """A DataFrame whose columns are another frame's, some missing (one-hot columns made apart
    for the training and the test split, ``pd.get_dummies``): line them up by name with the one
    frame in the namespace whose column count is the expected features and which holds every
    column of the data, the missing ones filled with 0 (``reindex(columns=..., fill_value=0)``).
    Each sample keeps all its values, each under its own column. Several candidate frames, or
    one that lacks a column of the data, propose nothing: the order would be a guess."""
    R, E, x = s.received, s.expected, s.x
    if s.tname != "DataFrame" or not x.columns or len(R) != 2 or len(E) != 2:
        return
    want = E[1]
    if not isinstance(want, int) or R[1] == want:
        return
    mine = set(x.columns)
    refs = [
        (name, cols)
        for name, cols in s.facts.frames
        if len(cols) == want and mine <= set(cols) and set(cols) != mine and F.is_identifier(name)
    ]
    if len(refs) != 1:
        return
    ref, cols = refs[0]
    missing = [c for c in cols if c not in mine]
    why = (
        "%s has %s that %s has, the same names, and lacks %s (%s): a column made per split, as "
        "pd.get_dummies does when a category is absent from one split. Lined up by name with %s, every "
        "value stays in its own column and the missing ones are 0."
        % (
            s.name,
            plural(len(mine), "column"),
            ref,
            plural(len(missing), "column"),
            ", ".join(missing[:4]) + (", ..." if len(missing) > 4 else ""),
            ref,
        )
    )
    yield _tag(F.align_columns(s.facts, s.name, ref, (R[0], want), why), "align_columns")


def resize_images(s: Situation) -> Iterable[Optional[Fix]]:
    """Resample images to the expected height and width (bilinear). Always marked lossy:
    resampling replaces every pixel value (shrinking drops detail, enlarging interpolates)."""
    R, E = s.received, s.expected
    if len(R) != 4 or len(E) != 4 or E[1] is None or E[2] is None or R[1] is None or R[2] is None:
        return
    if (R[1], R[2]) == (E[1], E[2]) or not fits(R[3], E[3]) or s.layer_class in SEQUENCE_LAYERS:
        return
    smaller = R[1] * R[2] > E[1] * E[2]
    why = "Resamples every image to %dx%d (bilinear), the size the model was built for: %s" % (
        E[1],
        E[2],
        "shrinking drops fine detail." if smaller else "enlarging invents pixels between the real ones.",
    )
    yield _tag(
        F.resize(s.facts, s.name, s.tname, (E[1], E[2]), (R[0], E[1], E[2], R[3]), why, True),
        "resize_images",
    )


def fit_timesteps(s: Situation) -> Iterable[Optional[Fix]]:
    """Pad with zeros (lossless) or cut (lossy) every sequence to the declared timesteps; and
    when the length is a multiple, cut each sample into windows with its label repeated."""
    R, E = s.received, s.expected
    if len(R) != 3 or len(E) != 3 or R[1] is None or E[1] is None or R[1] == E[1] or not fits(R[2], E[2]):
        return
    if s.tname == "Dataset":
        return  # a dataset's elements are padded as they are batched: padded_batch (core/rules/ragged.py)
    loses = R[1] > E[1]
    if loses:
        why = (
            "Keeps the first %d of %d timesteps of every sample and DROPS the last %d: data is lost. Prefer "
            "rebuilding for any number of timesteps." % (E[1], R[1], R[1] - E[1])
        )
    else:
        why = (
            "Pads every sample with zeros after its %d timesteps up to %d; add a Masking layer so the "
            "padding is ignored." % (R[1], E[1])
        )
    dtype = s.x.dtype if s.x.dtype in ("float32", "float64", "int32", "int64") else "float32"
    yield _tag(
        F.pad_sequences(s.facts, s.name, E[1], dtype, why, loses),
        "fit_timesteps",
        resulting_shape=(R[0], E[1], R[2]),
    )
    y = s.facts.role("y")
    if loses and R[1] % E[1] == 0 and y is not None and y.shape and y.shape[0] == R[0] and s.x.role == "x":
        yield _tag(F.split_windows(s.facts, s.x, y, E[1], R), "split_windows")


def stack_samples(d: Diagnosis, facts: Facts) -> Iterable[Optional[Fix]]:
    """x (and y) passed as a Python list of same-shape samples to a model with one input:
    Keras reads a list as one array per model input (keras/src/trainers/data_adapters/
    data_adapter_utils.py, "Data cardinality is ambiguous ... 'x' sizes: 16, 16, ..."), so
    each list is stacked into one array, samples on a new batch axis (no value moves). The
    facts already read such a list as its stacked shape (``(24, 16, 16, 3)``); a ragged list
    (samples of different shapes) is padded instead (core/moves/sequences.py)."""
    m = facts.model
    x = facts.role("x")
    if m is None or len(m.input_shapes) > 1 or x is None or x.type_name not in ("list", "tuple"):
        return
    if x.ragged is not None or not x.shape or len(x.shape) < 2 or not x.name:
        return
    E = m.input_shapes[0] if m.input_shapes else None
    if E is not None and (len(E) != len(x.shape) or not shape_fits(x.shape, E)):
        return
    names = [x.name]
    y = facts.role("y")
    if y is not None and y.type_name in ("list", "tuple") and y.name and y.ragged is None and y.shape:
        names.append(y.name)
    why = (
        "Keras reads a Python list as one array per model input, and this model has one: np.stack "
        "makes the %s samples of %s one array %s, in the list's order%s. No value moves."
        % (x.shape[0], x.name, _fmt(x.shape), " (the labels likewise)" if len(names) > 1 else "")
    )
    yield _tag(F.stack(facts, names, why, tuple(x.shape)), "stack_samples")


def _input_split_axes(R: Shape, inputs: Tuple[Shape, ...]) -> Tuple[int, ...]:
    """The axes of ``R`` along which one array splits into ``len(inputs)`` parts that fit the
    inputs in order: the batch axis (each part one sample, batch axis kept) or an inner axis
    of that size (each part drops it)."""
    k = len(inputs)
    out = []
    for a in range(len(R)):
        if R[a] != k:
            continue
        part = (1,) + tuple(R[1:]) if a == 0 else tuple(R[:a]) + tuple(R[a + 1 :])
        if all(len(E) == len(part) and shape_fits(part, E) for E in inputs):
            out.append(a)
    return tuple(out)


def split_inputs(d: Diagnosis, facts: Facts) -> Iterable[Optional[Fix]]:
    """One array for a model with several inputs: split it into one array per input, the
    inputs' twin of ``split_labels``, along the one axis whose size is the number of inputs
    and whose parts fit every input (``(N, 2, 16)`` -> ``[X[:, 0], X[:, 1]]`` for two ``(None,
    16)`` inputs; two pictures stacked on the batch axis -> ``[X[0:1], X[1:2]]``). Ruled out
    as ambiguous when two axes qualify."""
    m = facts.model
    x = facts.role("x")
    if m is None or len(m.input_shapes) < 2 or x is None or x.input_key is not None or not x.shape:
        return
    if x.type_name in ("list", "tuple", "dict"):
        return
    axes = _input_split_axes(tuple(x.shape), tuple(m.input_shapes))
    if not axes:
        return
    k, a = len(m.input_shapes), axes[0]
    where = "the batch axis (one sample per input)" if a == 0 else "axis %d" % a
    why = (
        "The model has %d inputs and `%s` holds them together: its %s has size %d and each part fits "
        "its input. The parts are passed as a list in the order of model.inputs; no value moves."
        % (k, x.name, where, k)
    )
    fix = _tag(F.split_inputs(facts, x.name or "", x.type_name, k, a, why), "split_inputs")
    if fix is not None and len(axes) > 1:
        fix = replace(
            fix,
            verification="ruled out: ambiguous: axes %s all have size %d and fit the inputs"
            % (", ".join(map(str, axes)), k),
        )
    yield fix


def _fmt(shape: Shape) -> str:
    from ..shapes import fmt

    return fmt(shape)


#: The data moves, in the order they are proposed (the ranking reorders them).
DATA_MOVES = (
    add_axis,  # a size-1 axis: channels, features, timesteps, batch
    add_axes,  # several size-1 axes at once (batch and channels), unambiguous only
    drop_axis,  # a size-1 axis too many
    move_axes,  # channels first, features/timesteps swapped (unambiguous sizes only)
    flatten,  # trailing axes merged for a Dense layer
    unflatten,  # flat rows split into (timesteps, features) or (height, width, channels)
    group_rows,  # stacked rows grouped into samples
    window_rows,  # rows of a series cut into windows, labels realigned
    dataset_batching,  # batch, padded_batch or unbatch a tf.data.Dataset
    repeat_channel,  # one grey channel to three
    drop_channel,  # extra channels dropped (RGBA to RGB), lossy
    resize_images,  # height and width resampled
    fit_timesteps,  # pad or truncate timesteps, or windows with repeated labels
    align_columns,  # a DataFrame's columns lined up by name with the frame the model was fitted on
)

#: Moves that compare the data's container with the model's inputs (a list where one array is
#: wanted, one array where several are): functions of the diagnosis and the facts, tried for
#: every diagnosis (they propose nothing unless the structures disagree).
STRUCTURE_MOVES = (
    stack_samples,  # a list of same-shape samples stacked into one array (x and y)
    split_inputs,  # one array split into the model's inputs along an axis of that size
)

__all__ = ["DATA_MOVES", "STRUCTURE_MOVES", "Situation", "plural", "IMAGE2D"]
