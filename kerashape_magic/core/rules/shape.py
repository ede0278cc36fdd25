"""Diagnosis rules: compare what the data is with what the model expects, axis by axis.

Pure: takes a parsed message (:mod:`kerashape_magic.core.messages`) and plain
:class:`~kerashape_magic.core.types.Facts`, returns a
:class:`~kerashape_magic.core.types.Diagnosis` with *unverified* fix candidates, best
first. The shapes of the objects win over the message: Keras 3.15 reports a feature-count
mismatch in a Sequential LSTM as a low-level ``Dimensions must be equal ... MatMul`` and
accepts some wrong shapes silently (DESIGN.md), so the message alone misleads.

Where the knowledge comes from:

* ``(batch_size, timesteps, features)`` for recurrent layers and Conv1D,
  ``(batch_size, height, width, channels)`` for channels_last 2-D convolutions: Keras's
  layer docstrings (keras/src/layers/rnn/lstm.py, keras/src/layers/convolutional/conv2d.py).
* Never reshape when the feature count itself is wrong (seed 001, example 1: reshaping
  (100, 24, 1) to (100, 24, 3) would be wrong); a flat (samples, timesteps * features) row
  reshapes only under a stated time-major assumption (seed 002, example 2); stacked rows
  (samples * timesteps, features) reshape when the sample counts agree (seed 003, ex. 1).
* Ragged sequences need ``pad_sequences`` / ``padded_batch`` (seed 003, example 2).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Iterable, List, Optional, Sequence, Tuple

from . import fixes as F
from .types import AxisRow, DataFact, Diagnosis, Facts, Fix, Shape

RECURRENT = ("LSTM", "GRU", "SimpleRNN", "RNN", "Bidirectional", "ConvLSTM1D", "TimeDistributed")
CONV1D = (
    "Conv1D",
    "SeparableConv1D",
    "DepthwiseConv1D",
    "MaxPooling1D",
    "AveragePooling1D",
    "GlobalAveragePooling1D",
    "GlobalMaxPooling1D",
    "Conv1DTranspose",
    "UpSampling1D",
    "ZeroPadding1D",
    "Cropping1D",
)
IMAGE2D = (
    "Conv2D",
    "SeparableConv2D",
    "DepthwiseConv2D",
    "MaxPooling2D",
    "AveragePooling2D",
    "Conv2DTranspose",
    "GlobalAveragePooling2D",
    "GlobalMaxPooling2D",
    "UpSampling2D",
    "ZeroPadding2D",
    "Cropping2D",
    "Resizing",
    "Rescaling",
    "RandomFlip",
    "RandomRotation",
    "RandomZoom",
    "RandomCrop",
)
#: Message families about labels and losses (handled by core/labels.py).
LABEL_FAMILIES = (
    "target_output",
    "shapes_incompatible",
    "logits_labels",
    "incompatible_shapes",
    "label_range",
)


def family_of(parsed) -> Optional[str]:
    """The parsed message's family, or None."""
    return getattr(parsed, "family", None)


IMAGE3D = ("Conv3D", "MaxPooling3D", "AveragePooling3D", "Conv3DTranspose")


def axis_names(ndim: int, layer_class: Optional[str]) -> Tuple[str, ...]:
    """Keras's names for the axes of an input of rank ``ndim`` to a layer of this class.

    Example:
        >>> axis_names(3, "LSTM")
        ('batch_size', 'timesteps', 'features')
        >>> axis_names(4, "Conv2D")
        ('batch_size', 'height', 'width', 'channels')
        >>> axis_names(2, "Dense")
        ('batch_size', 'features')
    """
    c = layer_class or ""
    if ndim == 3 and c in RECURRENT:
        return ("batch_size", "timesteps", "features")
    if ndim == 3 and c in CONV1D:
        return ("batch_size", "steps", "channels")
    if ndim == 4 and (c in IMAGE2D or c not in RECURRENT):
        return ("batch_size", "height", "width", "channels")
    if ndim == 5 and c in IMAGE3D:
        return ("batch_size", "depth", "height", "width", "channels")
    if ndim == 2:
        return ("batch_size", "timesteps") if c == "Embedding" else ("batch_size", "features")
    if ndim == 3:
        return ("batch_size", "timesteps", "features")
    if ndim == 1:
        return ("batch_size",)
    return ("batch_size",) + tuple("axis %d" % i for i in range(1, ndim - 1)) + ("features",)


def fmt(shape: Optional[Sequence[Optional[int]]]) -> str:
    """Format a shape as Keras prints it.

    Example:
        >>> fmt((None, 24, 3)), fmt((5,))
        ('(None, 24, 3)', '(5,)')
    """
    if shape is None:
        return "(unknown)"
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return "(%s,)" % inner if len(shape) == 1 else "(%s)" % inner


def _fits(r: Optional[int], e: Optional[int]) -> bool:
    return e is None or r is None or r == e


def _prod(shape: Iterable[Optional[int]]) -> Optional[int]:
    p = 1
    for d in shape:
        if d is None:
            return None
        p *= d
    return p


def align(
    received: Shape, expected: Shape, names: Sequence[str], skip: Optional[Sequence[int]] = None
) -> Tuple[AxisRow, ...]:
    """One row per axis of ``expected``; when ranks differ, mark missing or extra axes.

    ``skip`` names the expected axes the data lacks; by default the choice that lines up
    most sizes, the batch axis kept first.

    Example:
        >>> rows = align((100, 24), (None, 24, 1), axis_names(3, "LSTM"))
        >>> [(r.name, r.received, r.expected, r.status) for r in rows]
        [('batch_size', 100, None, 'ok'), ('timesteps', 24, 24, 'ok'), ('features', None, 1, 'missing')]
    """
    r, e = len(received), len(expected)
    rows: List[AxisRow] = []
    if r == e:
        for i, (a, b) in enumerate(zip(received, expected)):
            rows.append(
                AxisRow(
                    names[i] if i < len(names) else "axis %d" % i, a, b, "ok" if _fits(a, b) else "mismatch"
                )
            )
        return tuple(rows)
    if r < e:
        if skip is None:
            best = None
            for combo in itertools.combinations(range(1, e), e - r):
                kept = [i for i in range(e) if i not in combo]
                score = sum(
                    1
                    for j in range(1, r)
                    if expected[kept[j]] is not None and received[j] == expected[kept[j]]
                )
                if best is None or score > best[0]:
                    best = (score, combo)
            skip = best[1] if best else tuple(range(r, e))
        ri = 0
        for i in range(e):
            name = names[i] if i < len(names) else "axis %d" % i
            if i in skip:
                rows.append(AxisRow(name, None, expected[i], "missing"))
            else:
                a = received[ri]
                ri += 1
                rows.append(AxisRow(name, a, expected[i], "ok" if _fits(a, expected[i]) else "mismatch"))
        return tuple(rows)
    # more axes than expected: line up from the left, extra axes at the end are marked
    for i, a in enumerate(received):
        if i < e:
            rows.append(
                AxisRow(
                    names[i] if i < len(names) else "axis %d" % i,
                    a,
                    expected[i],
                    "ok" if _fits(a, expected[i]) else "mismatch",
                )
            )
        else:
            rows.append(AxisRow("axis %d" % i, a, None, "extra"))
    return tuple(rows)


# --------------------------------------------------------------------------- helpers


def _first_layer(facts: Facts):
    m = facts.model
    return m.layers[0] if m is not None and m.layers else None


def _expected(facts: Facts, parsed) -> Tuple[Optional[Shape], Optional[str], Optional[str]]:
    """(expected input shape with batch axis, layer class, layer name)."""
    m = facts.model
    first = _first_layer(facts)
    cls = first.class_name if first is not None else None
    name = first.name if first is not None else None
    if m is not None and m.input_shapes:
        return m.input_shapes[0], cls, name
    if first is not None and first.input_shape is not None:
        return first.input_shape, cls, name
    if parsed is not None:
        if getattr(parsed, "expected_shape", None) is not None:
            return (
                tuple(parsed.expected_shape),
                getattr(parsed, "wrapper", None) or cls,
                getattr(parsed, "layer_name", None) or name,
            )
        nd = getattr(parsed, "expected_ndim", None)
        if nd and getattr(parsed, "ndim_bound", None) in ("ndim", None):
            return (None,) * int(nd), cls, getattr(parsed, "layer_name", None) or name
    return None, cls, name


def _who(cls: Optional[str], name: Optional[str], model_name: Optional[str]) -> str:
    if cls and name:
        return "%s %r" % (cls, name)
    if name:
        return "Layer %r" % name
    if model_name:
        return "Model %r" % model_name
    return "The model"


def _expects(expected: Shape, names: Sequence[str]) -> str:
    parts = []
    for i, d in enumerate(expected):
        n = names[i] if i < len(names) else "axis %d" % i
        parts.append(n if d is None else "%s=%d" % (n, d))
    return "(" + ", ".join(parts) + ")"


def _plural(n: Optional[int], word: str) -> str:
    if n is None:
        return "any number of %ss" % word
    return "%d %s%s" % (n, word, "" if n == 1 else "s")


def _singular(axis_name: str) -> str:
    return {"features": "feature", "timesteps": "timestep", "channels": "channel", "steps": "step"}.get(
        axis_name, axis_name
    )


# --------------------------------------------------------------------------- the rules


def diagnose(parsed, facts: Facts, mode: str = "error") -> Optional[Diagnosis]:
    """Turn a parsed message and facts into a Diagnosis with unverified fixes, best first.

    Args:
        parsed: a :class:`~kerashape_magic.core.messages.ParsedMessage`, or ``None`` for a
            pre-flight check.
        facts: what the facts layer found.
        mode: ``"error"`` (explaining an exception) or ``"check"`` (pre-flight: also
            report what Keras accepts silently).

    Returns:
        A Diagnosis, or ``None`` when there is nothing to report.

    Example:
        >>> from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact
        >>> m = ModelFact("model", "Sequential", ((None, 24, 3),), declared=True, built=True,
        ...               layers=(LayerFact("lstm", "LSTM", (None, 24, 3)),))
        >>> x = DataFact("X_train", "X_train", "x", "ndarray", (100, 24, 1))
        >>> d = diagnose(None, Facts(model=m, data=(x,)), mode="check")
        >>> d.kind, d.expected_shape, d.received_shape, [f.kind for f in d.fixes]
        ('feature_mismatch', (None, 24, 3), (100, 24, 1), ['rebuild_input'])
    """
    family = getattr(parsed, "family", None)
    x = facts.role("x")
    from .internal import model_rule
    from .labels import label_rule

    for special in (_ragged_rule, _cardinality_rule):
        d = special(parsed, facts, family)
        if d is not None:
            return d
    if family == "reshape_size":
        return _reshape_size_rule(parsed, facts)
    d = model_rule(parsed, facts, mode)  # core/internal.py: the mistake is in the model, not the data
    if d is not None:
        return d
    if family in LABEL_FAMILIES:
        d = label_rule(parsed, facts, mode)
        if d is not None:
            return d
    from .labels import legacy_target, legacy_target_rule

    if legacy_target(parsed):  # Keras 1/2 "Error when checking target": about y, not x
        return legacy_target_rule(parsed, facts, mode)
    if x is None:
        x = _data_for_message(facts, parsed)
    expected, cls, lname = _expected(facts, parsed)
    picked = _pick_input(facts, parsed, x, expected)
    if picked is not None:
        x, expected, cls, lname = picked
    received = x.shape if x is not None else None
    if (
        received is None
        and x is not None
        and getattr(parsed, "received_shape", None) is not None
        and expected is not None
    ):
        # an expression kerashape did not evaluate: Keras's message says its shape
        x = replace(x, shape=tuple(parsed.received_shape), type_name="expression")
        received = x.shape
    if received is None and parsed is not None:
        received = getattr(parsed, "received_shape", None)
        if received is None and family == "dims_must_be_equal" and getattr(parsed, "dims", None):
            a, b = parsed.dims
            return _message_only(
                parsed,
                facts,
                "feature_mismatch",
                "A layer received %s on its last axis where its weights expect %s."
                % (_plural(a, "feature"), b),
            )
    if expected is None or received is None:
        return _message_only(parsed, facts, None, None) if parsed is not None else None
    names = axis_names(len(expected), cls)
    d = _shape_rule(parsed, facts, x, tuple(received), tuple(expected), cls, lname, names, mode)
    return _keep_trained_model(d, facts, x)


#: Calls that use a model as it is (its weights are what they are): the data must fit it.
INFERENCE_METHODS = ("predict", "evaluate", "__call__", "call", "predict_on_batch", "test_on_batch")


def _keep_trained_model(d: Optional[Diagnosis], facts: Facts, x: Optional[DataFact]) -> Optional[Diagnosis]:
    """Drop rebuilds that would re-initialise weights when the model is not what is wrong.

    Validation data must match the model the training data fits, and data for
    ``predict`` / ``evaluate`` / ``model(x)`` must match what the model was trained on:
    a rebuild for other sizes would re-initialise the weights that depend on them.
    A rebuild with a free axis (``timesteps=None``) keeps every weight and stays.
    """
    if d is None or x is None or d.expected_shape is None:
        return d
    validation = x.role == "val_x"
    inference = facts.call.method in INFERENCE_METHODS
    if not (validation or inference):
        return d
    E = d.expected_shape
    keep = []
    for f in d.fixes:
        if (
            f.kind == "rebuild_input"
            and f.op
            and any(a is not None and (i + 1 >= len(E) or E[i + 1] != a) for i, a in enumerate(f.op[1]))
        ):
            continue
        keep.append(f)
    if len(keep) == len(d.fixes):
        return d
    why = (
        (
            "`%s` is validation data: it must match the model that the training data fits; rebuilding "
            "the model "
            "for it would break training." % (x.name or x.source)
        )
        if validation
        else (
            "A %s call uses the model as trained: the data must match it; rebuilding the model would "
            "re-initialise "
            "the weights that depend on the input size." % (facts.call.method.strip("_") or "prediction")
        )
    )
    return replace(d, fixes=tuple(keep), notes=d.notes + (why,))


def _reshape_size_rule(parsed, facts: Facts) -> Optional[Diagnosis]:
    """``cannot reshape array of size S into shape (n, t, f)`` on (rows, features) data.

    Time series rows become LSTM windows by grouping consecutive rows, never by splitting
    each row's features into fake timesteps (keras-team/keras#8568: reshaping (100000, 30)
    to (100000, 5, 6) is the classic wrong answer). Sliding windows keep every row; blocks
    of t rows reshape without moving any value. Labels must be realigned to the windows.
    """
    target = tuple(getattr(parsed, "target_shape", None) or ())
    data = next(
        (
            d
            for d in facts.data
            if d.shape is not None and d.element_count == getattr(parsed, "array_size", None)
        ),
        None,
    )
    if data is None:
        data = next((d for d in facts.data if d.shape is not None), None)
    size = getattr(parsed, "array_size", None)
    summary = "An array of %s values cannot be reshaped to %s (%s values)." % (
        size,
        fmt(target),
        _prod(target),
    )
    if (
        data is None
        or len(target) != 3
        or data.shape is None
        or len(data.shape) != 2
        or any(d is None for d in target)
    ):
        return _message_only(parsed, facts, "reshape_size", summary)
    rows, feats = data.shape
    n, t, f = target
    name = data.name
    notes = []
    fixes: List[Optional[Fix]] = []
    if feats == f and rows is not None and rows >= t:
        model = next(
            ((mn, s) for mn, s in facts.models if len(s) == 3 and _fits(t, s[1]) and _fits(f, s[2])), None
        )
        if model:
            notes.append(
                "`%s` expects %s: windows of %d rows of %d features fit it." % (model[0], fmt(model[1]), t, f)
            )
        fixes.append(F.sliding_windows(facts, name, data.type_name, t, f, rows))
        fixes.append(F.row_blocks(facts, name, data.type_name, t, f, rows))
        summary += (
            " `%s` has %d rows of %d features: a (samples, %d timesteps, %d features) array groups %d "
            "consecutive "
            "rows per sample, so there are %s samples, not %d."
            % (
                name or data.source,
                rows,
                feats,
                t,
                f,
                t,
                "%d (sliding windows) or %d (blocks)" % (rows - t + 1, rows // t),
                n,
            )
        )
    else:
        summary += (
            " `%s` is %s: reshaping it to %s would split each row's %s values into fake timesteps. "
            "Build windows "
            "of consecutive rows instead, keeping the %s features."
            % (name or data.source, fmt(data.shape), fmt(target), feats, feats)
        )
    return _base(
        "reshape_size",
        "reshape_windows",
        facts,
        data,
        data.shape,
        target,
        None,
        None,
        summary,
        fixes,
        parsed,
        (),
        None,
        notes,
    )


def _data_for_message(facts: Facts, parsed) -> Optional[DataFact]:
    """For a call that is not a model method (a library function that got the model, a data
    constructor): the argument whose shape Keras reports, else the first one."""
    candidates = [d for d in facts.data if d.role == "data"]
    reported = getattr(parsed, "received_shape", None)
    if reported is not None:
        for d in candidates:
            if (
                d.shape is not None
                and len(d.shape) == len(reported)
                and all(_fits(a, b) for a, b in zip(d.shape[1:], reported[1:]))
            ):
                return d
        unread = next((d for d in candidates if d.shape is None and d.type_name == "expression"), None)
        if unread is not None:
            return unread
        if facts.model is not None:
            return None
    return candidates[0] if candidates else None


def _mismatch(R: Optional[Shape], E: Optional[Shape]) -> bool:
    return (
        R is not None
        and E is not None
        and (len(R) != len(E) or not all(_fits(a, b) for a, b in zip(R[1:], E[1:])))
    )


def _pick_input(facts: Facts, parsed, x: Optional[DataFact], expected: Optional[Shape]):
    """Which data object disagrees with which model input: ``(data, expected, cls, name)`` or None.

    A model with several inputs is matched by dict key (the input's name, as Keras 3 maps a
    dict: keras/src/models/functional.py) or by list position; otherwise the validation data
    is checked too, since ``fit(..., validation_data=(X_val, y_val))`` fails on it.
    """
    m = facts.model
    if m is not None and len(m.input_shapes) > 1:
        elements = [d for d in facts.data if d.input_key is not None]
        chosen = fallback = None
        for d in elements:
            if d.input_key in m.input_names:
                i = m.input_names.index(d.input_key)
            elif d.input_key.isdigit() and int(d.input_key) < len(m.input_shapes):
                i = int(d.input_key)
            else:
                continue
            pair = (d, m.input_shapes[i], "Input", m.input_names[i] if i < len(m.input_names) else str(i))
            fallback = fallback or pair
            if _mismatch(d.shape, m.input_shapes[i]):
                chosen = pair
                break
            if chosen is None and getattr(parsed, "input_index", None) == i:
                chosen = pair
        return chosen or fallback
    val = facts.role("val_x")
    if (
        val is not None
        and expected is not None
        and not _mismatch(x.shape if x else None, expected)
        and _mismatch(val.shape, expected)
    ):
        return (val, expected) + _expected(facts, parsed)[1:]
    return None


def _base(
    kind: str,
    rule: str,
    facts: Facts,
    x: Optional[DataFact],
    received,
    expected,
    cls,
    lname,
    summary: str,
    fixes: Sequence[Optional[Fix]],
    parsed,
    rows=(),
    axis=None,
    notes=(),
) -> Diagnosis:
    details = []
    if parsed is not None:
        details.append(
            "Keras said (%s): %s"
            % (getattr(parsed, "family", "?"), (getattr(parsed, "text", "") or "")[:500])
        )
    if facts.call.source:
        details.append("Failing call: %s" % facts.call.source)
    m = facts.model
    if m is not None:
        details.append(
            "Model %s: %s, input %s%s"
            % (
                m.name or "?",
                m.class_name,
                ", ".join(fmt(s) for s in m.input_shapes) or "not declared",
                ", lazy and left configured by the failed call" if m.lazy_configured else "",
            )
        )
    for d in facts.data:
        details.append(
            "%s %s: %s %s %s"
            % (d.role, d.name or d.source, d.type_name, fmt(d.shape) if d.shape else "", d.dtype)
        )
    path = tuple((ly.name, ly.output_shape) for ly in (m.layers if m else ()) if ly.output_shape is not None)
    if x is not None and x.type_name == "expression":
        notes = tuple(notes) + (
            "`%s` is an expression, so there is no variable to fix: assign it first (X = %s) "
            "and run the cell again for a verified fix." % (x.source, x.source),
        )
    return Diagnosis(
        kind,
        lname,
        received,
        expected,
        axis,
        summary,
        tuple(f for f in fixes if f is not None),
        rule,
        cls,
        x.name if x is not None else None,
        m.name if m is not None else None,
        tuple(rows),
        tuple(notes),
        tuple(details),
        getattr(parsed, "text", "") if parsed is not None else "",
        facts.uninspected,
        path,
    )


def _shape_rule(
    parsed, facts: Facts, x: Optional[DataFact], R: Shape, E: Shape, cls, lname, names, mode
) -> Optional[Diagnosis]:
    r, e = len(R), len(E)
    who = _who(cls, lname, facts.model.name if facts.model else None)
    xname = (x.name or x.source) if x is not None else "the input"
    tname = x.type_name if x is not None else "ndarray"
    xn = x.name if x is not None else None
    exp = _expects(E, names)
    intro = "%s expects %s; `%s` is %s" % (who, exp, xname, fmt(R))

    if r == e:
        mism = [i for i in range(1, e) if not _fits(R[i], E[i])]
        rows = align(R, E, names)
        if not mism:
            if mode == "check" or family_of(parsed) in LABEL_FAMILIES:
                from .labels import label_rule

                return label_rule(parsed, facts, mode)
            from .internal import internal_rule

            return internal_rule(parsed, facts, x, R, E, cls, lname, names)
        # the right sizes in the wrong order: transpose, never reshape
        if all(d is not None for d in E[1:]) and sorted(R[1:]) == sorted(E[1:]):
            perm = _permutation(R, E)
            if perm is not None:
                fix = F.transpose(
                    facts,
                    xn,
                    tname,
                    perm,
                    (R[0],) + tuple(E[1:]),
                    "The sizes are right but in another order (e.g. channels first). A transpose moves whole "
                    "axes; a reshape would scramble the values.",
                )
                return _base(
                    "axis_order",
                    "axis_order",
                    facts,
                    x,
                    R,
                    E,
                    cls,
                    lname,
                    "%s: the same sizes in another order; move the axes with a transpose." % intro,
                    [fix],
                    parsed,
                    rows,
                    mism[0],
                )
        ax = mism[0]
        axname = names[ax] if ax < len(names) else "axis %d" % ax
        if mism == [e - 1]:
            notes = _feature_notes(facts, x, R, E)
            new = tuple(E[1:-1]) + (R[-1],)
            kind = "feature_mismatch"
            fix = F.rebuild_input(
                facts,
                new,
                "Your data has %s per %s, the model was declared for %d. Rebuilding the model for %d keeps "
                "every weight whose shape does not depend on the %s (the input kernel is re-initialised). "
                "Reshaping would move values between axes and is never right here."
                % (
                    _plural(R[-1], _singular(axname)),
                    _singular(names[-2]) if e > 2 else "sample",
                    E[-1],
                    R[-1],
                    axname,
                ),
                "Rebuild %s for %s"
                % (facts.model.name if facts.model else "the model", _plural(R[-1], _singular(axname))),
            )
            fixes: List[Optional[Fix]] = [fix]
            if e == 4 and R[-1] == 1 and E[-1] == 3:
                fixes.insert(0, _repeat_channels(facts, xn, tname, R))
            return _base(
                kind,
                "feature_count",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: %s, not %d." % (intro, _plural(R[-1], _singular(axname)), E[-1]),
                fixes,
                parsed,
                rows,
                ax,
                notes,
            )
        if e == 3 and mism == [1]:
            free = (None,) + tuple(E[2:])
            fixes = [
                F.rebuild_input(
                    facts,
                    free,
                    "A recurrent layer's weights do not depend on the number of timesteps: rebuilding with "
                    "timesteps=None keeps every weight and accepts %d as well as %d steps." % (R[1], E[1]),
                    "Rebuild %s for any number of timesteps"
                    % (facts.model.name if facts.model else "the model"),
                )
            ]
            if x is not None and R[1] is not None and E[1] is not None:
                loses = R[1] > E[1]
                fixes.append(_pad_timesteps(facts, x, E[1], loses, R))
                y = facts.role("y")
                if loses and R[1] % E[1] == 0 and y is not None and y.shape and y.shape[0] == R[0]:
                    fixes.append(F.split_windows(facts, x, y, E[1], R))
            silent = " Keras 3 would train on it without a word." if mode == "check" else ""
            return _base(
                "timestep_mismatch",
                "timestep_count",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: %s, not %d.%s" % (intro, _plural(R[1], "timestep"), E[1], silent),
                fixes,
                parsed,
                rows,
                ax,
            )
        if e == 4 and set(mism) <= {1, 2} and E[1] is not None and E[2] is not None:
            smaller = (R[1] or 0) * (R[2] or 0) > E[1] * E[2]
            fixes = [
                F.resize(
                    facts,
                    xn,
                    tname,
                    (E[1], E[2]),
                    (R[0], E[1], E[2], R[3]),
                    "Resamples every image to %dx%d (bilinear), the size the model was built and "
                    "trained for.%s" % (E[1], E[2], " Shrinking drops fine detail." if smaller else ""),
                    smaller,
                ),
                F.rebuild_input(
                    facts,
                    tuple(R[1:]),
                    "Rebuilds the model for %sx%s images instead. Convolution weights are kept; a Dense "
                    "layer "
                    "after a Flatten sees another number of values and starts from new, untrained weights."
                    % (R[1], R[2]),
                ),
            ]
            return _base(
                "spatial_mismatch",
                "image_size",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: images of %sx%s, not %sx%s." % (intro, R[1], R[2], E[1], E[2]),
                fixes,
                parsed,
                rows,
                ax,
            )
        return _base(
            "rank_mismatch" if len(mism) > 1 else "feature_mismatch",
            "axis_sizes",
            facts,
            x,
            R,
            E,
            cls,
            lname,
            "%s: %s is %s, not %s." % (intro, axname, R[ax], E[ax]),
            [
                F.rebuild_input(
                    facts,
                    tuple(R[1:]),
                    "Rebuilds the model for your data's shape, keeping the weights that fit.",
                )
            ],
            parsed,
            rows,
            ax,
        )

    if r == e - 1:
        # a size-1 axis is missing at the end (channels, features)
        if all(_fits(a, b) for a, b in zip(R[1:], E[1:-1])) and E[-1] in (1, None):
            rows = align(R, E, names, skip=(e - 1,))
            silent = " Keras 3 adds it silently for some models; be explicit." if mode == "check" else ""
            fix = F.expand_dims(
                facts,
                xn,
                tname,
                -1,
                tuple(R) + (1,),
                "The data has no %s axis: add one of size 1 at the end. No value moves." % names[-1],
            )
            return _base(
                "missing_axis",
                "missing_last_axis",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: the %s axis is missing.%s" % (intro, names[-1], silent),
                [fix],
                parsed,
                rows,
                e - 1,
            )
        # a single sample without its batch axis
        if (
            all(_fits(a, b) for a, b in zip(R, E[1:]))
            and (R[0] != E[1] or E[1] is not None)
            and all(d is not None for d in E[1:])
        ):
            rows = align(R, E, names, skip=(0,))
            fix = F.expand_dims(
                facts,
                xn,
                tname,
                0,
                (1,) + tuple(R),
                "This is one sample without the batch axis: add a leading axis of size 1 (or index with "
                "x[0:1] instead of x[0]).",
            )
            return _base(
                "missing_axis",
                "missing_batch_axis",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: one sample without its batch axis." % intro,
                [fix],
                parsed,
                rows,
                0,
            )
        # stacked rows: (samples * timesteps, features) -> (samples, timesteps, features)
        if (
            e == 3
            and E[1] is not None
            and R[-1] == E[-1]
            and R[0] is not None
            and R[0] % E[1] == 0
            and R[0] > E[1]
        ):
            n = R[0] // E[1]
            y = facts.role("y")
            agrees = y is not None and y.shape is not None and y.shape[0] == n
            rows = align(R, E, names, skip=(1,))
            note = (
                (
                    "`%s` has %d rows: %d samples of %d %s, matching the labels."
                    % (xname, R[0], n, E[1], names[1])
                )
                if agrees
                else (
                    "%d rows = %d x %d; the labels do not confirm %d samples, check before you apply."
                    % (R[0], n, E[1], n)
                )
            )
            fix = F.reshape(
                facts,
                xn,
                tname,
                (n, E[1], R[-1]),
                "Rows are stacked sample after sample (%d rows per sample); the reshape groups each "
                "sample's %d "
                "rows without moving any value within a row." % (E[1], E[1]),
                "Reshape %s to (%d, %d, %d)" % (xname, n, E[1], R[-1]),
            )
            return _base(
                "flattened_input",
                "stacked_rows",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: %d rows of %s, which are %d samples of %d %s stacked together."
                % (intro, R[0], _plural(R[-1], "feature"), n, E[1], names[1]),
                [fix],
                parsed,
                rows,
                1,
                [note],
            )
    if r < e:
        # flat rows: (samples, timesteps * features) -> (samples, timesteps, features), or flat pixels
        inner = _prod(E[1:])
        if (
            inner is not None
            and r >= 2
            and _prod(R[1:]) == inner
            and (R[0] is not None or tname in ("Dataset", "expression"))
        ):
            shape = (R[0] if R[0] is not None else -1,) + tuple(E[1:])
            rows = align(R, E, names, skip=tuple(range(1, 1 + e - r)))
            fixes = [
                F.reshape(
                    facts,
                    xn,
                    tname,
                    shape,
                    (
                        "Assumes each row lists the %s of the first %s, then of the second, ... "
                        "(time-major, the "
                        "usual layout). If your rows are feature-major, use the transpose variant."
                        % (names[-1], _singular(names[1]))
                    )
                    if e == 3
                    else (
                        "Assumes each row holds the values in row-major order (%s): the order NumPy, "
                        "pandas and "
                        "most image loaders use." % ", ".join(names[1:])
                    ),
                    "Reshape %s to %s" % (xname, fmt(shape)),
                )
            ]
            if e == 3:
                fixes.append(F.reshape_feature_major(facts, xn, tname, shape))
            return _base(
                "flattened_input",
                "flat_rows",
                facts,
                x,
                R,
                E,
                cls,
                lname,
                "%s: each row holds %d values, which are %s flattened into one axis."
                % (intro, _prod(R[1:]), " x ".join("%d %s" % (d, n) for d, n in zip(E[1:], names[1:]))),
                fixes,
                parsed,
                rows,
                1,
            )

        rows = align(R, E, names)
        return _base(
            "missing_axis" if E[-1] in (1, None) else "rank_mismatch",
            "rank_lower",
            facts,
            x,
            R,
            E,
            cls,
            lname,
            "%s: %d axes, the layer expects %d." % (intro, r, e),
            [],
            parsed,
            rows,
            None,
        )

    if r == e + 1:
        for i in range(1, r):
            if R[i] == 1:
                rest = tuple(R[:i]) + tuple(R[i + 1 :])
                if all(_fits(a, b) for a, b in zip(rest, E)):
                    fix = F.squeeze(
                        facts,
                        xn,
                        tname,
                        i,
                        rest,
                        "Axis %d has size 1 and no counterpart in the model's input." % i,
                    )
                    return _base(
                        "rank_mismatch",
                        "extra_axis",
                        facts,
                        x,
                        R,
                        E,
                        cls,
                        lname,
                        "%s: one axis too many (axis %d has size 1)." % (intro, i),
                        [fix],
                        parsed,
                        align(R, E, names),
                        i,
                    )
    rows = align(R, E, names)
    return _base(
        "rank_mismatch",
        "rank",
        facts,
        x,
        R,
        E,
        cls,
        lname,
        "%s: %d axes, the layer expects %d." % (intro, r, e),
        [],
        parsed,
        rows,
        None,
    )


def _permutation(R: Shape, E: Shape) -> Optional[Tuple[int, ...]]:
    """The axis order that turns R into E, batch first; the one moving fewest axes."""
    best = None
    for perm in itertools.permutations(range(1, len(R))):
        if tuple(R[p] for p in perm) == tuple(E[1:]):
            moved = sum(1 for i, p in enumerate(perm, 1) if i != p)
            if best is None or moved < best[0]:
                best = (moved, (0,) + perm)
    return best[1] if best else None


def _feature_notes(facts: Facts, x: Optional[DataFact], R: Shape, E: Shape) -> List[str]:
    notes = []
    if x is not None and x.onehot_tail and E[-1] is not None:
        k = x.onehot_tail
        notes.append(
            "The last %d columns of `%s` look one-hot (0/1, one 1 per row): a categorical feature with "
            "%d classes. "
            "If it should have %d classes, fix the encoding (e.g. to_categorical(..., num_classes=%d)) "
            "instead of "
            "the model." % (k, x.name or x.source, k, k - (R[-1] - E[-1]), k - (R[-1] - E[-1]))
            if R[-1] > E[-1]
            else "The last %d columns of `%s` look one-hot (%d classes)." % (k, x.name or x.source, k)
        )
    agree = [n for n, s in facts.siblings if s[-1] == E[-1] and s[1:-1] == tuple(R[1:-1])]
    if agree:
        notes.append(
            "%s ha%s %s like the model: `%s` differs. The splits (folds) disagree: was a column dropped "
            "or added "
            "in one of them only? Then fix that split rather than the model."
            % (
                ", ".join("`%s`" % n for n in agree[:4]),
                "s" if len(agree) == 1 else "ve",
                _plural(E[-1], "feature"),
                x.name if x else "the data",
            )
        )
    return notes


def _repeat_channels(facts: Facts, name: Optional[str], tname: str, R: Shape) -> Optional[Fix]:
    if not F.is_identifier(name) or tname == "Tensor":
        return None
    np, imp = F._module(facts, "numpy", "np")
    src = "%s%s = %s.repeat(%s, 3, axis=-1)\n" % (imp, name, np, name)
    return F.data_fix(
        facts,
        "repeat",
        "Repeat the grey channel 3 times (grayscale to RGB)",
        src,
        "The model was built for RGB images; repeating the single grey channel gives it three equal "
        "channels.",
        tuple(R[:-1]) + (3,),
        target=name,
        op=("repeat", 3, -1),
    )


def _pad_timesteps(facts: Facts, x: DataFact, steps: int, loses: bool, R: Shape) -> Optional[Fix]:
    name = x.name
    if not F.is_identifier(name):
        return None
    if loses:
        rationale = (
            "Keeps the first %d of %d timesteps of every sample and DROPS the last %d: data is lost. Prefer "
            "rebuilding for any number of timesteps." % (steps, R[1], R[1] - steps)
        )
    else:
        rationale = (
            "Pads every sample with zeros after its %d timesteps up to %d; add a Masking layer so the "
            "padding is ignored." % (R[1], steps)
        )
    dtype = x.dtype if x.dtype in ("float32", "float64", "int32", "int64") else "float32"
    return F.pad_sequences(facts, name, steps, dtype, rationale, loses)


def _ragged_rule(parsed, facts: Facts, family) -> Optional[Diagnosis]:
    ragged = [d for d in facts.data if d.ragged is not None]
    if family not in ("cannot_batch", "non_rectangular", "inhomogeneous", "object_array") and not ragged:
        return None
    m = facts.model
    notes = [
        "Padding adds zeros after the end of each shorter sequence; put a "
        "keras.layers.Masking(mask_value=0.0) "
        "first in the model (or use mask_zero in an Embedding) so the padding is ignored."
    ]
    fixes: List[Optional[Fix]] = []
    target = ragged[0] if ragged else None
    if target is not None and target.type_name == "Dataset":
        src = target.unbatched_name
        if target.batched and src and target.name:
            fixes.append(
                F.padded_batch(
                    facts,
                    target.name,
                    src,
                    target.batched,
                    "Batches elements of different lengths by padding each batch with zeros to its "
                    "longest element (tf.data.Dataset.padded_batch).",
                )
            )
        summary = (
            "`%s` batches elements of different lengths: a tensor must be rectangular, so each batch "
            "must be padded." % (target.name or target.source)
        )
        if family == "cannot_batch" and getattr(parsed, "first_shape", None) is not None:
            summary += " (Keras met an element of shape %s after one of %s.)" % (
                fmt(parsed.other_shape),
                fmt(parsed.first_shape),
            )
        shape = target.shape
    elif target is not None:
        n, lo, hi, trailing = target.ragged
        fixes.append(
            F.pad_sequences(
                facts,
                target.name,
                None,
                "float32",
                "Pads every sequence with zeros at the end to the longest one (%s steps), giving one "
                "array of shape (%s, %s%s). No value is dropped."
                % (hi, n, hi, "".join(", %s" % d for d in (trailing or ()))),
                False,
            )
        )
        summary = (
            "`%s` is a list of %s sequences of different lengths (%s to %s steps): it cannot become one "
            "tensor." % (target.name or target.source, n, lo, hi)
        )
        shape = (n, None) + tuple(trailing or ())
    else:
        summary = "The sequences have different lengths, so they cannot be stacked into one tensor."
        shape = None
        if family == "cannot_batch" and getattr(parsed, "first_shape", None) is not None:
            summary = (
                "Cannot batch elements of different shapes %s and %s: pad them (padded_batch) or resize them."
                % (fmt(parsed.first_shape), fmt(parsed.other_shape))
            )
    expected = m.input_shapes[0] if m is not None and m.input_shapes else None
    first = m.layers[0] if m is not None and m.layers else None
    return _base(
        "ragged_sequences",
        "ragged",
        facts,
        target,
        shape,
        expected,
        first.class_name if first else None,
        first.name if first else None,
        summary,
        fixes,
        parsed,
        (),
        None,
        notes,
    )


def _cardinality_rule(parsed, facts: Facts, family) -> Optional[Diagnosis]:
    """x and y disagree on the number of samples (see ``core/cardinality.py``, ``cardinality_rule``)."""
    from .cardinality import cardinality_rule

    expected, cls, lname = _expected(facts, parsed)
    names = axis_names(len(expected), cls) if expected else ("batch_size",)
    return cardinality_rule(parsed, facts, expected, cls, lname, names)


def _message_only(parsed, facts: Facts, kind: Optional[str], summary: Optional[str]) -> Optional[Diagnosis]:
    """What can be said from the message alone (objects out of reach)."""
    if parsed is None:
        return None
    fam = parsed.family
    exp = getattr(parsed, "expected_shape", None)
    rec = getattr(parsed, "received_shape", None)
    layer = getattr(parsed, "layer_name", None)
    if kind is None:
        kind = {
            "input_spec_ndim": "rank_mismatch",
            "legacy_expected_dims": "rank_mismatch",
            "functional_shape": "rank_mismatch",
            "input_spec_axis": "feature_mismatch",
            "dims_must_be_equal": "feature_mismatch",
            "input_spec_shape": "rank_mismatch",
            "legacy_expected_shape": "rank_mismatch",
            "shapes_incompatible": "label_mismatch",
            "target_output": "label_mismatch",
            "logits_labels": "label_mismatch",
            "incompatible_shapes": "label_mismatch",
            "label_range": "label_mismatch",
            "cardinality": "cardinality_mismatch",
            "reshape_size": "reshape_size",
            "sequential_configured": "rank_mismatch",
            "unknown_rank": "rank_mismatch",
            "negative_dimension": "spatial_mismatch",
        }.get(fam, "rank_mismatch")
    if exp is None and getattr(parsed, "expected_ndim", None):
        exp = (None,) * parsed.expected_ndim
    if summary is None:
        if exp is not None and rec is not None:
            summary = "%s expects %s but received %s." % (
                ("Layer %r" % layer) if layer else "The layer",
                fmt(exp),
                fmt(rec),
            )
        elif getattr(parsed, "expected_ndim", None) and getattr(parsed, "received_ndim", None):
            summary = "%s expects %s=%d but received ndim=%d." % (
                ("Layer %r" % layer) if layer else "The layer",
                parsed.ndim_bound or "ndim",
                parsed.expected_ndim,
                parsed.received_ndim,
            )
        elif fam == "cardinality" and getattr(parsed, "sizes", None):
            summary = "x and y have different numbers of samples: %s." % ", ".join(
                "%s %s" % (k, "/".join(str(v) for v in vs)) for k, vs in parsed.sizes.items()
            )
        elif fam == "reshape_size" and getattr(parsed, "array_size", None) is not None:
            tgt = parsed.target_shape or ()
            summary = "An array of %d values cannot be reshaped to %s (%s values)." % (
                parsed.array_size,
                fmt(tgt),
                _prod(tgt),
            )
        else:
            summary = "Keras rejected the input's shape (%s)." % fam
    if facts.uninspected:
        summary += " kerashape could not inspect %s." % "; ".join(facts.uninspected[:2])
    names = axis_names(len(exp), getattr(parsed, "wrapper", None)) if exp else ()
    rows = align(tuple(rec), tuple(exp), names) if exp is not None and rec is not None else ()
    return Diagnosis(
        kind,
        layer,
        tuple(rec) if rec else None,
        tuple(exp) if exp else None,
        None,
        summary,
        (),
        "message_only",
        getattr(parsed, "wrapper", None),
        None,
        facts.model.name if facts.model else None,
        rows,
        (),
        ("Keras said (%s): %s" % (fam, parsed.text[:500]),),
        parsed.text,
        facts.uninspected,
        (),
    )
