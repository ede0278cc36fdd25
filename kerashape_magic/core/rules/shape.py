"""The data against the model's declared input, axis by axis (the input-shape rule).

Says *what* disagrees — which axes of the data map to which axes the layer expects:
missing, extra, swapped, resized, flattened — and never writes a fix: the moves in
``core/moves/`` propose every transformation that could reconcile the two shapes, verify
keeps those that work and ``core/rank.py`` orders them.

Where the knowledge comes from:

* ``(batch_size, timesteps, features)`` for recurrent layers and
  ``(batch_size, height, width, channels)`` for channels_last convolutions: Keras's layer
  docstrings (keras/src/layers/rnn/lstm.py, keras/src/layers/convolutional/conv2d.py).
* The feature count itself wrong (seed 001, example 1), flat (samples, timesteps *
  features) rows (seed 002, example 2), stacked (samples * timesteps, features) rows
  (seed 003, example 1): the seed documents.
"""

from __future__ import annotations

from dataclasses import replace
from typing import List, Optional, Tuple, cast

from ..messages import ParsedMessage
from ..shapes import (
    align,
    axis_names,
    expects,
    fits,
    fmt,
    name_of,
    permutation,
    plural,
    prod,
    shape_fits,
    singular,
    who,
)
from ..types import DataFact, Diagnosis, Facts, Shape
from ..vocab import LABEL_FAMILIES
from .build import diagnosis, message_only
from .context import Context, data_for_message, expected_input, pick_input
from .labels import in_the_loss


def feature_notes(facts: Facts, x: Optional[DataFact], R: Shape, E: Shape) -> List[str]:
    """Evidence about a wrong feature count: one-hot columns, sibling splits that agree."""
    notes = []
    if x is not None and x.onehot_tail and E[-1] is not None and R[-1] is not None:
        k = x.onehot_tail
        notes.append(
            "The last %d columns of `%s` look one-hot (0/1, one 1 per row): a categorical feature with "
            "%d classes. If it should have %d classes, fix the encoding (e.g. to_categorical(..., "
            "num_classes=%d)) instead of the model."
            % (k, x.name or x.source, k, k - (R[-1] - E[-1]), k - (R[-1] - E[-1]))
            if R[-1] > E[-1]
            else "The last %d columns of `%s` look one-hot (%d classes)." % (k, x.name or x.source, k)
        )
    agree = [n for n, s in facts.siblings if s[-1] == E[-1] and s[1:-1] == tuple(R[1:-1])]
    if agree:
        notes.append(
            "%s ha%s %s like the model: `%s` differs. The splits (folds) disagree: was a column dropped "
            "or added in one of them only? Then fix that split rather than the model."
            % (
                ", ".join("`%s`" % n for n in agree[:4]),
                "s" if len(agree) == 1 else "ve",
                plural(E[-1], "feature"),
                x.name if x else "the data",
            )
        )
    return notes


def compare(
    parsed: ParsedMessage,
    facts: Facts,
    x: Optional[DataFact],
    R: Shape,
    E: Shape,
    cls: Optional[str],
    lname: Optional[str],
    mode: str,
) -> Optional[Diagnosis]:
    """Name what disagrees between the data ``R`` and the expected input ``E``.

    Args:
        parsed: the message (``NO_MESSAGE`` for a check).
        facts: the facts.
        x: the data object, if known.
        R: received shape, batch axis first, e.g. ``(100, 24, 1)``.
        E: expected shape, ``None`` for free sizes, e.g. ``(None, 24, 3)``.
        cls / lname: the layer's class and name.
        mode: ``"error"``, ``"check"`` or ``"objects"``.

    Returns:
        A Diagnosis without data fixes (the moves add them), or None when the shapes agree
        and no other rule finds anything.
    """
    names = axis_names(len(E), cls)
    r, e = len(R), len(E)
    xname = (x.name or x.source) if x is not None else "the input"
    intro = "%s expects %s; `%s` is %s" % (
        who(cls, lname, facts.model.name if facts.model else None),
        expects(E, names),
        xname,
        fmt(R),
    )
    silent_mode = mode in ("check", "objects")

    def make(kind: str, rule: str, summary: str, rows=None, axis=None, notes=()) -> Diagnosis:
        return diagnosis(
            kind=kind,
            rule=rule,
            facts=facts,
            parsed=parsed,
            summary=summary,
            data=x,
            received=R,
            expected=E,
            layer_class=cls,
            layer_name=lname,
            rows=rows if rows is not None else align(R, E, names),
            axis=axis,
            notes=notes,
        )

    if r == e:
        mism = [i for i in range(1, e) if not fits(R[i], E[i])]
        if not mism:
            if silent_mode or parsed.family in LABEL_FAMILIES:
                from .labels import label_rule

                return label_rule(parsed, facts, mode)
            if in_the_loss(parsed, facts.model.loss if facts.model is not None else None):
                from .labels import label_rule

                # an op of the compiled loss failed: the labels against the output, from the objects
                d = label_rule(parsed, facts, "check")
                if d is not None:
                    return d
            from .model import internal_rule

            return internal_rule(parsed, facts, x, R, E, cls, lname, names)
        perm, _ = permutation(R, E)
        if perm is not None:
            return make(
                "axis_order", "axis_order", "%s: the same sizes in another order." % intro, axis=mism[0]
            )
        ax = mism[0]
        axname = name_of(names, ax)
        if mism == [e - 1]:
            assert E[-1] is not None  # a size that does not fit is never None (shapes.fits)
            return make(
                "feature_mismatch",
                "feature_count",
                "%s: %s, not %d." % (intro, plural(R[-1], singular(axname)), E[-1]),
                axis=ax,
                notes=feature_notes(facts, x, R, E),
            )
        if e == 3 and mism == [1]:
            assert E[1] is not None  # a size that does not fit is never None (shapes.fits)
            silent = " Keras 3 would train on it without a word." if silent_mode else ""
            return make(
                "timestep_mismatch",
                "timestep_count",
                "%s: %s, not %d.%s" % (intro, plural(R[1], "timestep"), E[1], silent),
                axis=ax,
            )
        if e == 4 and set(mism) <= {1, 2} and E[1] is not None and E[2] is not None:
            return make(
                "spatial_mismatch",
                "image_size",
                "%s: images of %sx%s, not %sx%s." % (intro, R[1], R[2], E[1], E[2]),
                axis=ax,
            )
        return make(
            "rank_mismatch" if len(mism) > 1 else "feature_mismatch",
            "axis_sizes",
            "%s: %s is %s, not %s." % (intro, axname, R[ax], E[ax]),
            axis=ax,
        )

    if r == e - 1:
        if all(fits(a, b) for a, b in zip(R[1:], E[1:-1])) and E[-1] in (1, None):
            silent = " Keras 3 adds it silently for some models; be explicit." if silent_mode else ""
            return make(
                "missing_axis",
                "missing_last_axis",
                "%s: the %s axis is missing.%s" % (intro, names[-1], silent),
                rows=align(R, E, names, skip=(e - 1,)),
                axis=e - 1,
            )
        if all(fits(a, b) for a, b in zip(R, E[1:])) and all(d is not None for d in E[1:]):
            return make(
                "missing_axis",
                "missing_batch_axis",
                "%s: one sample without its batch axis." % intro,
                rows=align(R, E, names, skip=(0,)),
                axis=0,
            )
        y = facts.role("y")
        if (
            e == 3
            and E[1] is not None
            and fits(R[-1], E[-1])
            and R[0] is not None
            and R[0] > E[1]
            and y is not None
            and y.shape
            and y.shape[0] == R[0]
            and x is not None
            and x.role == "x"
        ):
            return make(
                "missing_axis",
                "series_rows",
                "%s: %d rows of %s with one label per row, a time series without its %s axis: each sample "
                "is a window of %d consecutive rows."
                % (intro, R[0], plural(R[-1], "feature"), names[1], E[1]),
                rows=align(R, E, names, skip=(1,)),
                axis=1,
            )
        for p in range(1, r):
            if E[p] in (1, None) and shape_fits(R[:p] + (1,) + R[p:], E):
                return make(
                    "missing_axis",
                    "missing_inner_axis",
                    "%s: the %s axis is missing." % (intro, name_of(names, p)),
                    rows=align(R, E, names, skip=(p,)),
                    axis=p,
                )
        if (
            e >= 3
            and E[1] is not None
            and all(fits(a, b) for a, b in zip(R[1:], E[2:]))
            and R[-1] == E[-1]
            and R[0] is not None
            and R[0] % E[1] == 0
            and R[0] > E[1]
        ):
            n = R[0] // E[1]
            agrees = y is not None and y.shape is not None and y.shape[0] == n
            note = (
                "`%s` has %d rows: %d samples of %d %s, matching the labels."
                % (xname, R[0], n, E[1], names[1])
                if agrees
                else "%d rows = %d x %d; the labels do not confirm %d samples, check before you apply."
                % (R[0], n, E[1], n)
            )
            return make(
                "flattened_input",
                "stacked_rows",
                "%s: %d rows of %s, which are %d samples of %d %s stacked together."
                % (intro, R[0], plural(R[-1], "feature"), n, E[1], names[1]),
                rows=align(R, E, names, skip=(1,)),
                axis=1,
                notes=[note],
            )
    if r < e:
        inner = prod(E[1:])
        if inner is not None and r >= 2 and prod(R[1:]) == inner:
            sizes = cast(Tuple[int, ...], E[1:])  # prod(E[1:]) is not None: every size is known
            return make(
                "flattened_input",
                "flat_rows",
                "%s: each row holds %d values, which are %s flattened into one axis."
                % (intro, inner, " x ".join("%d %s" % (d, n) for d, n in zip(sizes, names[1:]))),
                rows=align(R, E, names, skip=tuple(range(1, 1 + e - r))),
                axis=1,
            )
        return make(
            "missing_axis" if E[-1] in (1, None) else "rank_mismatch",
            "rank_lower",
            "%s: %d axes, the layer expects %d." % (intro, r, e),
        )
    if r == e + 1:
        for i in range(1, r):
            if R[i] == 1 and all(fits(a, b) for a, b in zip(R[:i] + R[i + 1 :], E)):
                return make(
                    "rank_mismatch",
                    "extra_axis",
                    "%s: one axis too many (axis %d has size 1)." % (intro, i),
                    axis=i,
                )
    return make("rank_mismatch", "rank", "%s: %d axes, the layer expects %d." % (intro, r, e))


def structure_rule(ctx: Context) -> Optional[Diagnosis]:
    """The data's container against the model's inputs, whatever the message says: a Python
    list of same-shape samples into a model with one input (Keras reads a list as one array per
    input: "Data cardinality is ambiguous ... 'x' sizes: 16, 16, ...", keras/src/trainers/
    data_adapters/data_adapter_utils.py), or one array into a model with several inputs
    ("expects 2 input(s) ... but it received 1 input tensors", keras/src/layers/input_spec.py).
    The moves (core/moves/data.py ``STRUCTURE_MOVES``) stack the list or split the array."""
    facts, m, x = ctx.facts, ctx.facts.model, ctx.facts.role("x")
    if m is None or x is None or not x.shape or x.input_key is not None:
        return None
    k = len(m.input_shapes)
    xname = x.name or x.source
    E = m.input_shapes[0] if m.input_shapes else None
    if (
        k <= 1
        and x.type_name in ("list", "tuple")
        and x.ragged is None
        and len(x.shape) >= 2
        and (E is None or (len(E) == len(x.shape) and shape_fits(x.shape, E)))
        and (ctx.family == "cardinality" or ctx.mode != "error")
    ):
        return diagnosis(
            kind="cardinality_mismatch",
            rule="sample_list",
            facts=facts,
            parsed=ctx.parsed,
            summary="`%s` is a Python list of %s samples of %s: Keras reads a list as one array per model "
            "input, and the model has one. Stacked, the list is %s."
            % (xname, x.shape[0], fmt(x.shape[1:]), fmt(x.shape)),
            data=x,
            received=tuple(x.shape),
            expected=E,
        )
    if k >= 2 and x.type_name not in ("list", "tuple", "dict"):
        return diagnosis(
            kind="rank_mismatch",
            rule="one_array_many_inputs",
            facts=facts,
            parsed=ctx.parsed,
            summary="The model has %d inputs (%s); `%s` is one array %s. Pass one array per input, as a "
            "list in the order of model.inputs or a dict by input name."
            % (k, ", ".join(fmt(e) for e in m.input_shapes), xname, fmt(x.shape)),
            data=x,
            received=tuple(x.shape),
        )
    return None


def _window_of(facts: Optional[Facts], name: Optional[str]) -> Optional[Shape]:
    """The window (``kernel_size``, else ``pool_size``) of the layer ``name`` in the model's facts:
    Keras 2's message names the layer but not its window (tf_keras/src/layers/convolutional/
    base_conv.py)."""
    if facts is None or facts.model is None or not name:
        return None
    for lay in facts.model.layers:
        if lay.name == name:
            w = lay.get("kernel_size") or lay.get("pool_size")
            if isinstance(w, int):
                return (w,)
            if isinstance(w, (tuple, list)) and all(isinstance(d, int) for d in w):
                return tuple(w)
    return None


def window_fit(parsed: ParsedMessage, R: Shape, facts: Optional[Facts] = None) -> Optional[Shape]:
    """The one order of the data's axes in which every spatial axis is at least as long as the
    window (kernel, pool) the first layer slides on it, or None.

    For a model that declares no input (Keras 3's "Computed output size would be zero or
    negative", keras/src/ops/operation_utils.py), when the message's input is the data itself
    (same sizes after the batch axis): e.g. ``(N, 1, 20)`` into ``Conv1D(kernel_size=3)`` gives
    ``(None, 20, 1)`` (20 steps of one channel), which the input-shape comparison reads as axes
    in another order. None when no order fits or several distinct ones do (ambiguous).

    Example:
        >>> from kerashape_magic.core.messages import parse
        >>> p = parse("Computed output size would be zero or negative. Received `inputs shape=(8, 1, 20)`, "
        ...           "`kernel shape=(3, 20, 16)`, `dilation_rate=[1]`, `strides=(1,)`, `padding=valid`.")
        >>> window_fit(p, (40, 1, 20))
        (None, 20, 1)
    """
    from itertools import permutations

    M, W = parsed.received_shape, parsed.other_shape or _window_of(facts, parsed.layer_name)
    if M is None or not W or len(M) != len(R) or tuple(M[1:]) != tuple(R[1:]) or None in R[1:]:
        return None
    n = len(W)
    fits_all = {
        p
        for p in permutations(R[1:])
        if tuple(p) != tuple(R[1:])
        and all(isinstance(d, int) and d >= w for d, w in zip(p[:n], W) if isinstance(w, int))
    }
    if len(fits_all) != 1:
        return None
    return (None,) + tuple(next(iter(fits_all)))


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns the input-spec families (``input_spec_*``, ``functional_shape``, ``legacy_*``,
    ``dims_must_be_equal``, ``unknown_rank``, ...) and pre-flight checks: the data that
    disagrees with the model's input, compared axis by axis."""
    parsed, facts = ctx.parsed, ctx.facts
    x = ctx.x
    if x is None:
        x = data_for_message(facts, parsed)
    expected, cls, lname = expected_input(facts, parsed)
    picked = pick_input(facts, parsed, x, expected)
    if picked is not None:
        x, expected, cls, lname = picked
    received = x.shape if x is not None else None
    if received is None and x is not None and parsed.received_shape is not None and expected is not None:
        # an expression kerashape did not evaluate: Keras's message says its shape
        x = replace(x, shape=tuple(parsed.received_shape), type_name="expression")
        received = x.shape
    if received is None:
        received = parsed.received_shape
        if received is None and ctx.family == "dims_must_be_equal" and parsed.dims:
            a, b = parsed.dims
            return message_only(
                parsed,
                facts,
                "feature_mismatch",
                "A layer received %s on its last axis where its weights expect %s."
                % (plural(a, "feature"), b),
            )
    undeclared = expected is None or (facts.model is not None and not facts.model.declared)
    if undeclared and received is not None and ctx.family == "negative_dimension":
        # nothing the user declared: the first layer's window says which order of the axes fits
        expected = window_fit(parsed, tuple(received), facts) or expected
    if expected is None or received is None:
        return message_only(parsed, facts)
    return compare(parsed, facts, x, tuple(received), tuple(expected), cls, lname, ctx.mode)
