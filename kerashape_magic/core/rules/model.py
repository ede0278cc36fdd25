"""Rules for mistakes inside the model: the data fits the input, but a layer inside rejects
what the layer before it returns, or the model ends with more axes than the labels have.

Pure (standard library only), like the rest of :mod:`kerashape_magic.core`. The rules read
layer facts (each layer's class, configuration and output shape, in order) and the parsed
message; they never blame the data when it fits the model's input, and so never offer a
reshape of it.

Three entry points:

* :func:`model_rule` runs before the data rules (from ``diagnose``): an error raised while
  the model was being built (``model.add(...)``, no data in the call), a model whose
  output has more axes than the labels (a ``Dense`` after a ``Conv2D`` without
  ``Flatten``; an ``LSTM`` with ``return_sequences=True`` before the last ``Dense``), and
  an ``input_shape`` that includes the sample axis (``input_shape=X.shape``);
* :func:`internal_rule` runs when the data fits the model's declared input and a layer
  inside rejected its input anyway (from ``_shape_rule``);
* :func:`edit_layer` builds the ``edit_layer`` fix (``kerashape.rebuild(model, edit=...)``)
  for other rule modules too (core/labels.py: the output ``units``).

For a failing layer F and the layer before it P, the Diagnosis has ``layer_name`` = F,
``received_shape`` = what P returns (the shape Keras reports F received),
``expected_shape`` = what F expects (``None`` for free sizes), ``rows`` comparing the two
axis by axis, and ``shape_path`` = ``(("input", input shape), (layer, output shape), ...)``
up to P. For the output rule, ``received_shape`` is the model's output and
``expected_shape`` the per-sample output ``(batch_size, units)`` that the labels need.

Where the knowledge comes from (Keras 3.15 source, measured with TF 2.21):

* keras/src/layers/rnn/rnn.py: a recurrent layer returns ``(batch_size, units)`` unless
  ``return_sequences=True``, then ``(batch_size, timesteps, units)``; its ``input_spec``
  is ``ndim=3``. A stacked LSTM without ``return_sequences=True`` on the one before
  fails with ``expected ndim=3, found ndim=2. Full shape received: (None, units)``.
* keras/src/layers/core/dense.py: ``Dense`` works on the last axis only and accepts any
  rank >= 2 (``InputSpec(min_ndim=2)``), so after a ``Conv2D`` it returns
  ``(batch_size, height, width, units)`` without an error; the loss then fails
  (``Arguments `target` and `output` must have the same rank``), or, with ``mse`` and
  labels ``(n, 1)``, it silently broadcasts.
* keras/src/layers/core/embedding.py: ``Embedding`` expects integer indices
  ``(batch_size, sequence_length)`` and appends an axis of ``output_dim``; given vectors
  ``(batch_size, steps, features)`` it returns 4-D and the next LSTM fails with
  ``expected ndim=3, found ndim=4``. The fix is to drop the Embedding (keras-team/keras
  #1897, fchollet: "If your data already consists of 64-dimensional vectors, then you can
  simply *not* include the Embedding layer"), or, for one-hot data, to feed the indices.
* keras-team/keras#10360: ``input_shape`` excludes the batch axis; ``input_shape=X.shape``
  declares the sample count as an axis (corpus case 48).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import List, Optional, Sequence, Tuple

from ..shapes import align, axis_names, fmt, prod
from ..shapes import expects as _expects
from ..shapes import fits as _fits
from ..shapes import who as _who
from ..types import AxisRow, DataFact, Diagnosis, Facts, LayerFact, MoveRequest, Shape, is_identifier
from ..vocab import (
    CONV1D,
    IMAGE2D,
    IMAGE3D,
    LABEL_FAMILIES,
    PER_POSITION,
    RECURRENT,
)
from .build import diagnosis
from .context import Context

_LAYER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# --------------------------------------------------------------------------- helpers


def _size1_id_axis(x: Optional[DataFact]) -> Optional[int]:
    """The last size-1 non-batch axis of integer data (indices for an Embedding), or None."""
    if x is None or x.shape is None or not x.dtype.startswith(("int", "uint")):
        return None
    for i in range(len(x.shape) - 1, 0, -1):
        if x.shape[i] == 1:
            return i
    return None


def _index(facts: Facts, name: Optional[str]) -> Optional[int]:
    if facts.model is None or not name:
        return None
    for i, lay in enumerate(facts.model.layers):
        if lay.name == name:
            return i
    return None


def _input_shape(facts: Facts, x: Optional[DataFact]) -> Optional[Shape]:
    m = facts.model
    if m is not None and m.input_shapes:
        return m.input_shapes[0]
    declared = getattr(m, "input_layer_shape", None)
    if declared is not None:  # a failed fit configures it with that call's batch size
        return (None,) + tuple(declared[1:]) if declared else declared
    if x is not None and x.shape:
        return (None,) + tuple(x.shape[1:])
    return None


def _path(
    facts: Facts, x: Optional[DataFact], upto: int, last: Optional[Shape]
) -> Tuple[Tuple[str, Shape], ...]:
    """("input", shape), then each layer's output up to layer ``upto - 1`` (``last`` for it)."""
    path: List[Tuple[str, Shape]] = []
    first = _input_shape(facts, x)
    if first is not None:
        path.append(("input", tuple(first)))
    layers = facts.model.layers if facts.model is not None else ()
    for i, lay in enumerate(layers[:upto]):
        shape = last if i == upto - 1 and last is not None else lay.output_shape
        if shape is not None:
            path.append((lay.name, tuple(shape)))
    return tuple(path)


def _expected_of(parsed, layer: LayerFact, got: Shape) -> Optional[Shape]:
    """What the failing layer expects, batch axis first, ``None`` for free sizes."""
    fam = parsed.family
    if fam in ("input_spec_shape", "legacy_expected_shape") and parsed.expected_shape is not None:
        return tuple(parsed.expected_shape)
    if fam == "input_spec_axis" and parsed.axis is not None:
        shape = [None] * len(got)
        try:
            shape[parsed.axis] = parsed.expected_value
        except IndexError:
            return None
        return tuple(shape)
    nd = parsed.expected_ndim
    if nd:
        return (None,) * int(nd)
    return tuple(layer.input_shape) if layer.input_shape is not None else None


def _rank_word(shape: Optional[Shape]) -> str:
    return "%d-D" % len(shape) if shape is not None else "?-D"


def _data_note(x: Optional[DataFact], facts: Facts) -> str:
    if x is None or x.shape is None:
        return ""
    first = _input_shape(facts, x)
    return (
        " `%s` %s fits the model's input %s: the problem is inside the model."
        % (x.name or x.source, fmt(x.shape), fmt(first))
        if first is not None
        else ""
    )


def _returns_sequences(layer: LayerFact, out: Optional[Shape]) -> Optional[bool]:
    v = layer.get("return_sequences")
    if isinstance(v, bool):
        return v
    if out is not None and layer.class_name in RECURRENT:
        return len(out) >= 3
    return None


# --------------------------------------------------------------------------- the rules


def model_rule(parsed, facts: Facts, mode: str = "error") -> Optional[Diagnosis]:
    """The mistakes that are in the model itself, tried before any rule about the data.

    Returns a Diagnosis for: a layer that failed while the model was being built (no data
    in the failing call, e.g. ``model.add(LSTM(32))``) or that received from the layers
    before it a shape other than the data's (the data went through them); a model whose
    output has more axes than the labels because a ``Dense`` works per position (a missing ``Flatten``, or
    ``return_sequences=True`` on the last recurrent layer); an ``input_shape`` that
    includes the sample axis. ``None`` otherwise.

    Example:
        >>> from kerashape_magic.core.types import DataFact, LayerFact, ModelFact
        >>> from kerashape_magic.core.rules.context import NO_MESSAGE
        >>> m = ModelFact("model", "Sequential", ((None, 28, 28, 1),), declared=True, built=True, layers=(
        ...     LayerFact("conv2d", "Conv2D", (None, 28, 28, 1), (None, 26, 26, 4)),
        ...     LayerFact("dense", "Dense", (None, 26, 26, 4), (None, 26, 26, 10), (("units", 10),))),
        ...     output_shape=(None, 26, 26, 10))
        >>> data = (DataFact("X", "X", "x", "ndarray", (8, 28, 28, 1)),
        ...         DataFact("y", "y", "y", "ndarray", (8, 10)))
        >>> d = model_rule(NO_MESSAGE, Facts(model=m, data=data), mode="check")
        >>> d.kind, d.layer_name, d.received_shape, d.expected_shape, d.requests[0].move
        ('rank_mismatch', 'dense', (None, 26, 26, 10), (None, 10), 'edit_layer')
    """
    m = facts.model
    if m is None or not m.layers:
        return None
    x = facts.role("x")
    fam = parsed.family
    if fam in LABEL_FAMILIES or (mode == "check" and _fits_input(facts, x)):
        d = _output_rule(parsed, facts, x)
        if d is not None:
            return d
    i = _index(facts, parsed.layer_name) if mode == "error" else None
    if i is not None and (x is None or (i > 0 and _transformed(parsed, x) and _fits_input(facts, x))):
        return _layer_rule(parsed, facts, x)
    if x is not None and x.shape is not None:
        return _sample_axis_rule(parsed, facts, x)
    return None


def internal_rule(parsed, facts: Facts, x, R, E, cls, lname, names) -> Diagnosis:
    """The data fits the model's input; the mismatch is between two layers inside it.

    Called by ``_shape_rule`` with the data's shape ``R`` and the model's expected input
    ``E`` (equal up to free sizes). Explains the failing layer against the one before it
    when the model's layers are known; otherwise says that the data is not at fault.
    """
    d = _layer_rule(parsed, facts, x)
    if d is not None:
        return d
    lname2 = parsed.layer_name
    summary = "`%s` %s matches the model's input %s: the problem is inside the model%s." % (
        (x.name or x.source) if x else "the input",
        fmt(R),
        fmt(E),
        (" at layer %r" % lname2) if lname2 else "",
    )
    return diagnosis(
        kind="rank_mismatch",
        rule="internal_layer",
        facts=facts,
        data=x,
        received=R,
        expected=E,
        layer_class=cls,
        layer_name=lname2 or lname,
        summary=summary,
        requests=[],
        parsed=parsed,
        rows=align(R, E, names),
        axis=None,
    )


def _transformed(parsed, x: DataFact) -> bool:
    """True when the failing layer received something else than the data: the layers
    before it changed the shape, so the data went through them and the mismatch is
    between layers (a Dropout in front passes the data's own shape on: not this)."""
    got = parsed.received_shape
    return got is not None and x.shape is not None and tuple(got[1:]) != tuple(x.shape[1:])


def _fits_input(facts: Facts, x: Optional[DataFact]) -> bool:
    E = _input_shape(facts, x)
    return (
        x is not None
        and x.shape is not None
        and E is not None
        and len(E) == len(x.shape)
        and all(_fits(a, b) for a, b in zip(x.shape[1:], E[1:]))
    )


def _layer_rule(parsed, facts: Facts, x: Optional[DataFact]) -> Optional[Diagnosis]:
    """Layer F (named by Keras) rejected what the layer before it, P, returns."""
    m = facts.model
    i = _index(facts, parsed.layer_name)
    if m is None or i is None:
        return None
    F_ = m.layers[i]
    P = m.layers[i - 1] if i > 0 else None
    got = parsed.received_shape
    if got is None and P is not None:
        got = P.output_shape
    if got is None and P is None:
        got = _input_shape(facts, x)
    if got is None:
        return None
    # Keras prints the batch size of the failing call; any batch size fits
    got = (None,) + tuple(got[1:]) if got else ()
    exp = _expected_of(parsed, F_, got)
    if exp is None:
        return None
    e, r = len(exp), len(got)
    names = axis_names(e, F_.class_name)
    who = _who(F_.class_name, F_.name, None)
    bound = {"min_ndim": "at least ", "max_ndim": "at most "}.get(parsed.ndim_bound or "", "")
    wants = "%s%d-D input %s" % (bound, e, _expects(exp, names))
    before = (
        "the layer before it, %s, returns %s %s"
        % (_who(P.class_name, P.name, None), _rank_word(got), fmt(got))
        if P is not None
        else "the model's input is %s %s" % (_rank_word(got), fmt(got))
    )
    intro = "%s expects %s but %s" % (who, wants, before)
    rows = _rows(got, exp, names)
    path = _path(facts, x, i, got if P is not None else None)
    declared = getattr(m, "input_layer_shape", None) if not m.input_shapes else m.input_shapes[0]
    data = _data_note(x, facts)
    kind = "rank_mismatch" if e != r else "feature_mismatch"

    def done(
        rule: str,
        summary: str,
        requests: Sequence[Optional[MoveRequest]],
        notes: Sequence[str] = (),
        rows=rows,
    ) -> Diagnosis:
        if any(r is not None for r in requests) and not is_identifier(m.name):
            notes = tuple(notes) + (
                "No variable holds this model (Keras raised while building it, e.g. inside "
                "keras.Sequential([...])), so there is nothing to rebuild here: make this change in "
                "the code that builds the model.",
            )
        d = diagnosis(
            kind=kind,
            rule=rule,
            facts=facts,
            data=None,
            received=got,
            expected=exp,
            layer_class=F_.class_name,
            layer_name=F_.name,
            summary=summary,
            requests=requests,
            parsed=parsed,
            rows=rows,
            axis=_first_bad(rows),
            notes=notes,
        )
        return replace(d, shape_path=path)

    # 1. a recurrent layer returns (batch_size, units) where the next one wants sequences
    if P is not None and r == e - 1 and P.class_name in RECURRENT and _returns_sequences(P, got) is False:
        units = got[-1]
        fix = MoveRequest(
            "edit_layer",
            {
                "rationale": "With return_sequences=True, %s returns its output at every timestep, "
                "(batch_size, "
                "timesteps, %s), which is "
                "what %s reads (keras/src/layers/rnn/rnn.py). Every trained weight is kept: the layer's "
                "weights do not depend "
                "on it." % (_who(P.class_name, P.name, None), units if units is not None else "units", who),
                "title": "Set return_sequences=True on %r" % P.name,
                "edit": {P.name: {"return_sequences": True}},
                "resulting_shape": (got[0], None, units) if e == 3 else None,
            },
        )
        requests_rs: List[Optional[MoveRequest]] = [fix]
        y = facts.role("y")
        steps = y.shape[1] if y is not None and y.shape is not None and len(y.shape) == 3 else None
        if isinstance(steps, int) and e == 3:
            # sequence labels (a sequence autoencoder, seq2seq): keep the bottleneck and repeat it
            # once per output timestep (keras/src/layers/reshaping/repeat_vector.py); that keeps
            # the model's meaning, where return_sequences=True would remove the bottleneck
            requests_rs.insert(
                0,
                MoveRequest(
                    "edit_layer",
                    {
                        "rationale": "%s encodes each sequence into one vector of %s values (the "
                        "bottleneck) and %s wants a "
                        "sequence: RepeatVector(%d) repeats that vector once per output timestep, the "
                        "encoder-"
                        "decoder pattern. return_sequences=True would also run, but it passes every timestep "
                        "through and removes the bottleneck."
                        % (_who(P.class_name, P.name, None), units, who, steps),
                        "title": "Insert RepeatVector(%d) after %r" % (steps, P.name),
                        "insert_after": {P.name: ("RepeatVector", steps)},
                        "resulting_shape": (got[0], steps, units),
                    },
                ),
            )
        return done(
            "stacked_recurrent",
            "%s: set return_sequences=True on %r, or repeat its output with RepeatVector.%s"
            % (intro, P.name, data)
            if len(requests_rs) > 1
            else "%s: set return_sequences=True on %r.%s" % (intro, P.name, data),
            requests_rs,
            rows=align(got, exp, names, skip=(1,)) if e == 3 else rows,
        )

    # 2. an Embedding given vectors (one-hot or dense) instead of integer indices
    # (integer ids with a size-1 axis into an Embedding are caught before this rule runs:
    # _ids_with_extra_axis, whatever layer complains downstream)
    if P is not None and P.class_name == "Embedding" and r == e + 1:
        requests: List[Optional[MoveRequest]] = []
        notes = [
            "An Embedding maps integer indices (batch_size, sequence_length) to vectors "
            "(keras/src/layers/core/embedding.py); data that already holds a vector per step must skip it."
        ]
        vocab = P.get("input_dim")
        onehot = bool(
            x is not None
            and x.shape is not None
            and len(x.shape) >= 3
            and x.onehot_tail
            and x.onehot_tail == x.shape[-1]
            and (not isinstance(vocab, int) or x.shape[-1] <= vocab)
        )
        what = "`%s` %s" % (x.name or x.source, fmt(x.shape)) if x is not None and x.shape else "the input"
        if onehot and x is not None and x.shape is not None:
            requests.append(
                MoveRequest(
                    "argmax_input",
                    {
                        "x": x,
                        "rationale": "`%s` is one-hot: each step is a row of %s zeros and ones with a "
                        "single 1. argmax "
                        "gives the index of that 1, "
                        "the integer %s expects; no information is lost."
                        % (x.name, x.shape[-1], _who(P.class_name, P.name, None)),
                    },
                )
            )
        requests.append(
            MoveRequest(
                "edit_layer",
                {
                    "rationale": "%s already holds %s values per step; without the Embedding, %s reads "
                    "them directly "
                    "(and the layers after it "
                    "keep every weight whose shape does not depend on the Embedding's output_dim)."
                    % (what, got[-2] if r >= 2 and got[-2] is not None else "several", who),
                    "title": "Remove the Embedding %r" % P.name,
                    "remove": (P.name,),
                    "resulting_shape": tuple(got[:-1]) if len(got) - 1 == e else None,
                },
            )
        )
        tail = (
            ("`%s` is one-hot: feed the indices (argmax), or drop the Embedding." % (x.name if x else "x"))
            if onehot
            else ("the data already holds vectors, so drop the Embedding %r." % P.name)
        )
        return done(
            "embedding_vectors",
            "%s: an Embedding expects integer indices (batch_size, sequence_length) and adds "
            "an axis; %s%s" % (intro, tail, data),
            requests,
            notes,
        )

    # 3. the first layer rejects the declared input: input_shape included the sample axis
    if (
        P is None
        and r == e + 1
        and r >= 3
        and declared is not None
        and tuple(declared[1:]) == got[1:]
        and got[1] is not None
    ):
        shape = tuple(declared[2:])  # from the model's InputLayer, not from the message
        fix = MoveRequest(
            "rebuild_declared_input",
            {
                "shape": shape,
                "rationale": "input_shape excludes the batch axis (keras-team/keras#10360): %s declares "
                "%s samples as an "
                "axis. Rebuilding "
                "for input_shape=%s keeps every weight." % (fmt(got[1:]), got[1], fmt(shape)),
                "title": "Rebuild %s for input_shape=%s" % (m.name, fmt(shape)),
            },
        )
        return done(
            "sample_axis_in_input_shape",
            "%s: the declared input_shape %s includes the sample axis; use %s."
            % (intro, fmt(got[1:]), fmt(shape)),
            [fix],
        )

    # 3b. the first layer rejects the declared input: input_shape lacks the trailing size-1
    # axis (channels / features), e.g. Conv1D declared with input_shape=(60,)
    if (
        P is None
        and r == e - 1
        and r >= 2
        and declared is not None
        and tuple(declared[1:]) == got[1:]
        and all(d is not None for d in got[1:])
        and (exp is None or exp[-1] in (1, None))
    ):
        shape = tuple(declared[1:]) + (1,)
        fix = MoveRequest(
            "rebuild_declared_input",
            {
                "shape": shape,
                "rationale": "%s takes %d axes after the batch axis and the declared input_shape %s has "
                "%d: the last one, "
                "the %s, is missing. Declaring %s (one %s) keeps every weight; feed the data with that "
                "axis too (X[..., None])."
                % (
                    _who(F_.class_name, F_.name, None),
                    e - 1,
                    fmt(got[1:]),
                    r - 1,
                    names[-1] if names else "last axis",
                    fmt(shape),
                    (names[-1] if names else "value").rstrip("s"),
                ),
                "title": "Rebuild %s for input_shape=%s" % (m.name, fmt(shape)),
            },
        )
        return done(
            "declared_input_missing_axis",
            "%s: the declared input_shape %s lacks the trailing axis; use %s."
            % (intro, fmt(got[1:]), fmt(shape)),
            [fix],
        )

    # 4. anything else: name both layers and the shapes; no code fix
    notes = []
    if P is not None and r > e and e == 2:
        fix = MoveRequest(
            "edit_layer",
            {
                "rationale": "A Flatten turns %s into (batch_size, %s) for %s."
                % (fmt(got), _prod_text(got[1:]), who),
                "title": "Insert a Flatten after %r" % P.name,
                "insert_after": {P.name: "Flatten"},
            },
        )
        return done("flatten_missing", "%s: insert a Flatten after %r.%s" % (intro, P.name, data), [fix])
    # 4b. rank-bridging insert: the layer before returns rank r > e >= 3 (feature maps into a
    # recurrent layer or a Conv1D); a Reshape keeps the leading e-2 axes after the batch axis and
    # merges the rest into the last one, so rows become timesteps (keras/src/layers/reshaping/reshape.py)
    merged = got[e - 1 :] if P is not None and r > e >= 3 else ()
    if merged and all(isinstance(d, int) for d in got[1:]):
        target = tuple(got[1 : e - 1]) + (prod(merged),)  # type: ignore[arg-type]
        fix = MoveRequest(
            "edit_layer",
            {
                "rationale": "Reshape(%s) keeps %s and merges the last %d axes %s into one of %s values, "
                "so %s receives the %d-D input it wants, (batch_size, %s). No weight changes: a Reshape has "
                "none, and the layers after it see the same sizes they would have been built for."
                % (
                    fmt(target),
                    "axis 1 (%s) as %s" % (got[1], names[1] if len(names) > 1 else "axis 1")
                    if e == 3
                    else "the leading axes",
                    len(merged),
                    fmt(merged),
                    target[-1],
                    who,
                    e,
                    ", ".join(str(d) for d in target),
                ),
                "title": "Insert Reshape(%s) before %r" % (fmt(target), F_.name),
                "insert_before": {F_.name: ("Reshape", target)},
                "resulting_shape": (None,) + target,
            },
        )
        return done(
            "rank_bridge",
            "%s: insert Reshape(%s) before %r to merge its trailing axes.%s"
            % (intro, fmt(target), F_.name, data),
            [fix],
            [
                "Reshape(%s) reads axis 1 as %s; for a sequence of images, wrap the layers before it in "
                "TimeDistributed instead: which one is right depends on what the data means."
                % (fmt(target), names[1] if len(names) > 1 else "axis 1")
            ],
        )
    if P is not None and r == 4 and e == 3 and F_.class_name in RECURRENT:
        notes.append(
            "To read image rows as timesteps, put keras.layers.Reshape((%s, %s)) after %r (height as "
            "timesteps, "
            "width x channels as features), or wrap the convolutional layers in TimeDistributed for a "
            "sequence of "
            "images; which one is right depends on what the data means."
            % (got[1] if got[1] is not None else "height", _prod_text(got[2:]), P.name)
        )
    return done("internal_layer", "%s.%s" % (intro, data), [], notes)


def _prod_text(dims: Sequence[Optional[int]]) -> str:
    p = 1
    for d in dims:
        if d is None:
            return " x ".join("?" if d is None else str(d) for d in dims)
        p *= d
    return str(p)


def _rows(got: Shape, exp: Shape, names: Sequence[str]) -> Tuple[AxisRow, ...]:
    """Rows for what P returns against what F expects: missing axes are the expected ones past the end."""
    if len(got) < len(exp):
        return align(got, exp, names, skip=tuple(range(len(got), len(exp))))
    return align(got, exp, names)


def _first_bad(rows: Sequence[AxisRow]) -> Optional[int]:
    for i, r in enumerate(rows):
        if r.status != "ok":
            return i
    return None


def _natural_ndim(class_name: str) -> Optional[int]:
    """The rank a layer is made for (its docstring's Input shape, keras/src/layers/...)."""

    if class_name in ("Dense", "EinsumDense"):
        return 2
    if class_name in RECURRENT[:5] or class_name in CONV1D:
        return 3
    if (
        class_name in IMAGE2D
        and not class_name.startswith("Random")
        and class_name not in ("Rescaling", "Resizing")
    ):
        return 4
    if class_name in IMAGE3D:
        return 5
    return None


def _sample_axis_rule(parsed, facts: Facts, x: DataFact) -> Optional[Diagnosis]:
    """``input_shape=X.shape``: the declared input is ``(None,) + X.shape``."""
    m = facts.model
    if m is None or x.shape is None or not m.declared or not m.input_shapes or len(m.input_shapes) != 1:
        return None
    E, R = tuple(m.input_shapes[0]), tuple(x.shape)
    if len(E) != len(R) + 1 or len(R) < 2 or E[1:] != R:
        return None
    # the same shapes fit one sample without its batch axis (a Conv2D model given one image): the
    # sample axis is the mistake only when the declared input has one axis more than the first
    # layer's natural input (Dense: 2-D, LSTM / Conv1D: 3-D, Conv2D: 4-D, Conv3D: 5-D)
    if _natural_ndim(m.layers[0].class_name) != len(E) - 1:
        return None
    shape = tuple(R[1:])
    first = m.layers[0]
    names = axis_names(len(E), first.class_name)
    xname = x.name or x.source
    fix = MoveRequest(
        "rebuild_input",
        {
            "shape": shape,
            "rationale": "input_shape excludes the batch axis (keras-team/keras#10360); %s was declared "
            "with %s's whole "
            "shape %s, so the "
            "model expects batches of %s. Rebuilding for input_shape=%s keeps every weight whose shape does "
            "not depend on "
            "the extra axis." % (m.name or "the model", xname, fmt(R), fmt(E), fmt(shape)),
        },
    )
    summary = (
        "%s expects %s: input_shape=%s is `%s`'s whole shape, including its %s samples; input_shape "
        "excludes the "
        "batch axis, so it should be %s."
        % (_who(first.class_name, first.name, m.name), _expects(E, names), fmt(R), xname, R[0], fmt(shape))
    )
    rows = align(R, E, names, skip=(1,))
    return replace(
        diagnosis(
            kind="rank_mismatch",
            rule="sample_axis_in_input_shape",
            facts=facts,
            data=x,
            received=R,
            expected=E,
            layer_class=first.class_name,
            layer_name=first.name,
            summary=summary,
            requests=[fix],
            parsed=parsed,
            rows=rows,
            axis=1,
        ),
        shape_path=_path(facts, x, 0, None),
    )


def _output_rule(parsed, facts: Facts, x: Optional[DataFact]) -> Optional[Diagnosis]:
    """The model ends with (batch_size, ..., units) where per-sample labels need (batch_size, units)."""
    m = facts.model
    y = facts.role("y")
    if m is None:
        return None
    out = m.output_shape
    if y is None or y.shape is None or out is None or len(out) < 3 or not 1 <= len(y.shape) <= 2:
        return None
    if len(y.shape) == len(out) - 1 and all(o is None or a == o for a, o in zip(y.shape[1:], out[1:-1])):
        return None  # one class index per position (a tagger): the labels fit a sparse loss (labels.py)
    layers = m.layers
    j = len(layers)
    while j > 0 and layers[j - 1].class_name in PER_POSITION and len(layers[j - 1].input_shape or ()) >= 3:
        j -= 1
    tail = layers[j:]
    P = layers[j - 1] if j > 0 else None
    last = layers[-1]
    if not tail and last.class_name in RECURRENT and _returns_sequences(last, last.output_shape):
        P, D = last, last  # an LSTM(..., return_sequences=True) is the last layer itself
    elif tail and any(lay.class_name in ("Dense", "EinsumDense", "TimeDistributed") for lay in tail):
        D = tail[0]
    else:
        return None
    expected = (out[0], out[-1])
    yname = y.name or y.source
    dense = _who(D.class_name, D.name, None)
    names = axis_names(len(out), P.class_name if P is not None else None)
    rows = (
        (AxisRow("batch_size", out[0], None, "ok"),)
        + tuple(
            AxisRow(names[k] if k < len(names) else "axis %d" % k, out[k], None, "extra")
            for k in range(1, len(out) - 1)
        )
        + (AxisRow("units", out[-1], out[-1], "ok"),)
    )
    per = "one per sample"
    if P is not None and P.class_name in RECURRENT and _returns_sequences(P, P.output_shape):
        fix = MoveRequest(
            "edit_layer",
            {
                "rationale": "With return_sequences=False, %s returns only its last output, (batch_size, "
                "%s), so the "
                "model gives one "
                "prediction per sample (keras/src/layers/rnn/rnn.py). Every trained weight is kept."
                % (_who(P.class_name, P.name, None), P.output_shape[-1] if P.output_shape else "units"),
                "title": "Set return_sequences=False on %r" % P.name,
                "edit": {P.name: {"return_sequences": False}},
                "resulting_shape": expected,
            },
        )
        what = (
            (
                "%s returns every timestep (return_sequences=True), so the model outputs %s, one prediction "
                "per timestep" % (_who(P.class_name, P.name, None), fmt(out))
            )
            if P is D
            else (
                "%s returns every timestep (return_sequences=True), so %s gives %s, one prediction per "
                "timestep" % (_who(P.class_name, P.name, None), dense, fmt(out))
            )
        )
        summary = "%s; the labels `%s` %s have %s: set return_sequences=False on %r." % (
            what,
            yname,
            fmt(y.shape),
            per,
            P.name,
        )
        rule = "sequence_output"
    else:
        src = (
            "the %s output %s of %s"
            % (_rank_word(P.output_shape), fmt(P.output_shape), _who(P.class_name, P.name, None))
            if P is not None
            else "the model's %s input %s" % (_rank_word(D.input_shape), fmt(D.input_shape))
        )
        fix = MoveRequest(
            "edit_layer",
            {
                "rationale": "A Flatten turns %s into one vector per sample, so %s gives (batch_size, "
                "%s). %s's kernel "
                "is re-initialised "
                "(its input size changes); every other weight is kept." % (src, dense, out[-1], dense),
                "title": "Insert a Flatten %s"
                % ("after %r" % P.name if P is not None else "before %r" % D.name),
                "resulting_shape": expected,
                "insert_after": {P.name: "Flatten"} if P is not None else None,
                "insert_before": {D.name: "Flatten"} if P is None else None,
            },
        )
        summary = (
            "%s works on the last axis only (keras/src/layers/core/dense.py), so on %s it gives %s, one "
            "vector per "
            "position; the labels `%s` %s have %s: insert a Flatten %s."
            % (
                dense,
                src,
                fmt(out),
                yname,
                fmt(y.shape),
                per,
                "after %r" % P.name if P is not None else "before %r" % D.name,
            )
        )
        rule = "flatten_missing"
    path = _path(facts, x, len(layers), None)
    d = diagnosis(
        kind="rank_mismatch",
        rule=rule,
        facts=facts,
        data=None,
        received=tuple(out),
        expected=expected,
        layer_class=D.class_name,
        layer_name=D.name,
        summary=summary,
        requests=[fix],
        parsed=parsed,
        rows=rows,
        axis=1,
    )
    return replace(d, shape_path=path, received_name=None)


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns errors raised inside the model (a layer against the one before it), a model whose
    output has more axes than the labels, and an ``input_shape`` that includes the sample axis."""
    if ctx.mode in ("error", "objects"):
        d = _ids_with_extra_axis(ctx)
        if d is not None:
            return d
    if ctx.mode in ("error", "objects"):
        d = _stride_rounding(ctx)
        if d is not None:
            return d
    if ctx.mode == "error":
        d = _merge_ranks(ctx)
        if d is not None:
            return d
    return model_rule(ctx.parsed, ctx.facts, "check" if ctx.mode == "objects" else ctx.mode)


#: Merge layers whose inputs must agree on every axis but the concatenation axis
#: (keras/src/layers/merging/concatenate.py build()).
_MERGES = ("Concatenate",)


def _branch_names(source: str) -> Optional[Tuple[str, ...]]:
    """The variable names in the list a merge call was given: ``concatenate([d1, l1], axis=-1)``
    or ``Concatenate()([d1, l1])`` -> ``("d1", "l1")``; ``None`` when it is not a list of names."""
    import ast

    try:
        node = ast.parse(source.strip(), mode="eval").body
    except SyntaxError:
        return None
    if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], (ast.List, ast.Tuple)):
        return None
    names = tuple(e.id for e in node.args[0].elts if isinstance(e, ast.Name))
    return names if len(names) == len(node.args[0].elts) else None


def _merge_ranks(ctx: Context) -> Optional[Diagnosis]:
    """A merge layer (``Concatenate``) refused branches of different ranks while the model was
    being built (Keras 3: "requires inputs with matching shapes except for the concatenation
    axis. Received: input_shape=[(None, 1, 10), (None, 1)]"): the shapes come from the message,
    the branch names from the failing call's list. Move: flatten each branch of higher rank than
    the lowest (rank 2) so they all become ``(batch_size, k)``. No model exists yet (its
    construction failed), so the fix is a line in the model-building cell."""
    parsed, facts = ctx.parsed, ctx.facts
    shapes = parsed.op_input_shapes
    if parsed.op not in _MERGES or not shapes or len(shapes) < 2:
        return None
    ranks = [len(sh) for sh in shapes]
    low = min(ranks)
    if low != 2 or len(set(ranks)) == 1:
        return None  # same ranks (a size disagrees) or no branch is (batch_size, k): no flatten fits
    names = _branch_names(facts.call.source) if facts.call is not None else None
    if names is None or len(names) != len(shapes):
        return None
    high = [(n, sh) for n, sh in zip(names, shapes) if len(sh) > low]
    requests: List[Optional[MoveRequest]] = []
    for n, sh in high:
        flat = (None, prod(sh[1:]))
        requests.append(
            MoveRequest(
                "flatten_branch",
                {
                    "name": n,
                    "result": flat,
                    "rationale": "Flatten turns `%s` %s into %s, one vector per sample like the other "
                    "branches, so Concatenate can join them on the last axis. The model is still being "
                    "built (no model object exists yet): the fix is this line in the model-building cell, "
                    "right after `%s` is made, and the cell re-run; running it alone changes nothing, since "
                    "the cell makes `%s` again." % (n, fmt(sh), fmt(flat), n, n),
                },
            )
        )
    listed = ", ".join("`%s` %s" % (n, fmt(sh)) for n, sh in zip(names, shapes))
    summary = (
        "Concatenate joins tensors along one axis and needs every other axis to match, but its branches "
        "have different ranks: %s. Flatten %s so each branch is (batch_size, k)."
        % (listed, " and ".join("`%s`" % n for n, _ in high))
    )
    return diagnosis(
        kind="rank_mismatch",
        rule="merge_ranks",
        facts=facts,
        parsed=parsed,
        received=tuple(high[0][1]),
        expected=(None, prod(high[0][1][1:])),
        layer_class="Concatenate",
        summary=summary,
        requests=requests,
        notes=[
            "No model exists yet: Keras raised while the model was being built, so the fix is a change to "
            "the model-building cell (shown as a source edit), not to a model object."
        ],
    )


#: The cropping layer for each rank of a spatial output (keras/src/layers/reshaping/cropping*.py).
_CROPPING = {3: "Cropping1D", 4: "Cropping2D", 5: "Cropping3D"}


def _total_stride(sizes: Sequence[int], outs: Sequence[int]) -> Optional[int]:
    """The smallest stride ``s > 1`` for which every output size is its target size rounded up to a
    multiple of ``s`` (``ceil(y / s) * s``): what pooling/strided layers followed by as many
    upsamplings return for a size that is not a multiple of their total stride ('same' padding).
    Only strides made of 2s and 3s (at most 64) are tried: 30 -> 33 is not a rounding by 11.

    Example:
        >>> _total_stride((30, 42), (32, 44)), _total_stride((28, 28), (28, 28)), _total_stride((30,), (33,))
        (4, None, None)
    """
    if tuple(sizes) == tuple(outs) or any(o < y for y, o in zip(sizes, outs)):
        return None
    for st in range(2, min(64, max(outs)) + 1):
        if not _smooth(st):
            continue  # a total stride is a product of pool sizes / strides: 2s and 3s in practice
        if all(-(-y // st) * st == o for y, o in zip(sizes, outs)):
            return st
    return None


def _smooth(n: int) -> bool:
    for f in (2, 3):
        while n % f == 0:
            n //= f
    return n == 1


def _stride_rounding(ctx: Context) -> Optional[Diagnosis]:
    """The model's output differs from its same-sized targets (an autoencoder, a segmentation
    model: the labels have the input's height and width) only by the rounding of its total stride:
    every spatial size comes out rounded up to a multiple of the stride, e.g. 30x42 pictures
    through two 2x poolings and two 2x upsamplings give 32x44. Moves: crop the model's output back
    to the targets' size (a Cropping layer after the output layer: no weight changes, the data
    stays as it is)."""
    facts = ctx.facts
    m, x, y = facts.model, facts.role("x"), facts.role("y")
    if m is None or not m.layers or y is None or y.shape is None or m.output_shape is None:
        return None
    out, Y = tuple(m.output_shape), tuple(y.shape)
    k = len(out)
    if k not in _CROPPING or len(Y) != k or out[-1] != Y[-1]:
        return None
    sizes, outs = Y[1:-1], out[1:-1]
    if not all(isinstance(d, int) for d in tuple(sizes) + tuple(outs)):
        return None
    if x is not None and x.shape is not None and (len(x.shape) != k or tuple(x.shape[1:-1]) != tuple(sizes)):
        return None  # the labels are not the input's size: not an autoencoder/segmentation rounding
    st = _total_stride(sizes, outs)  # type: ignore[arg-type]
    if st is None:
        return None
    last = m.layers[-1]
    names = axis_names(k, last.class_name if last.class_name in ("Conv1D", "Conv2D", "Conv3D") else None)
    if k == 3:
        names = ("batch_size", "steps", "channels")
    crops = tuple((((o - s) // 2), (o - s) - (o - s) // 2) for s, o in zip(sizes, outs))  # type: ignore[operator]
    cropping = crops[0] if k == 3 else crops
    spatial = " x ".join(names[1:-1])
    yname = y.name or y.source
    why_size = ", ".join("%s %s -> %s" % (n, s, o) for n, s, o in zip(names[1:-1], sizes, outs))
    fix = MoveRequest(
        "edit_layer",
        {
            "rationale": "%s(%s) after the output layer %r cuts the model's output from %s back to %s, the "
            "size of `%s`; it has no weights, so every weight is kept and the pictures stay as they are. "
            "(The model pools by %d in total and upsamples back, so %s not divisible by %d come out rounded "
            "up: %s.)"
            % (_CROPPING[k], cropping, last.name, fmt(out), fmt(Y), yname, st, spatial, st, why_size),
            "title": "Crop the output to %s (insert %s after %r)" % (fmt(Y[1:-1]), _CROPPING[k], last.name),
            "insert_after": {last.name: (_CROPPING[k], cropping)},
            "resulting_shape": (None,) + tuple(Y[1:]),
        },
    )
    multiple = tuple(-(-s // st) * st for s in sizes)  # type: ignore[operator]
    summary = (
        "The model's output %s is `%s` %s rounded up to a multiple of its total stride %d in %s: %s is not a "
        "multiple of %d, so the pooling rounds up and the upsampling returns %s."
        % (fmt(out), yname, fmt(Y), st, spatial, " x ".join(str(s) for s in sizes), st, fmt(outs))
    )
    notes = [
        "Also possible: pad or resize the pictures to a multiple of %d (%s) and declare that input size; "
        "resizing resamples every picture, zero padding adds borders the model learns to reproduce."
        % (st, " x ".join(str(d) for d in multiple))
    ]
    return diagnosis(
        kind="spatial_mismatch",
        rule="stride_rounding",
        facts=facts,
        parsed=ctx.parsed,
        data=y,
        received=Y,
        expected=out,
        layer_class=last.class_name,
        layer_name=last.name,
        summary=summary,
        requests=[fix],
        rows=align(Y, out, names),
        axis=next((i for i in range(1, k - 1) if Y[i] != out[i]), None),
        notes=notes,
    )


def _ids_with_extra_axis(ctx: Context) -> Optional[Diagnosis]:
    """A failed call whose model starts with an Embedding and whose data are integer indices
    with a size-1 axis, ``(N, T, 1)``: the Embedding maps every index to a vector and adds an
    axis, so whatever layer complains downstream, the data has one axis too many
    (keras/src/layers/core/embedding.py)."""
    facts, x = ctx.facts, ctx.x
    m = facts.model
    if m is None or not m.layers or m.layers[0].class_name != "Embedding" or x is None or x.shape is None:
        return None
    axis = _size1_id_axis(x)
    if axis is None:
        return None
    rest = tuple(x.shape[:axis]) + tuple(x.shape[axis + 1 :])
    first = m.layers[0]
    fix = MoveRequest(
        "squeeze_input",
        {
            "x": x,
            "axis": axis,
            "result": rest,
            "rationale": "`%s` holds integer indices with a size-1 axis %d; the Embedding %r maps each "
            "index to a vector and "
            "adds an axis, so that size-1 axis becomes one axis too many for the layers after it. "
            "Dropping it "
            "keeps every index." % (x.name, axis, first.name),
        },
    )
    return diagnosis(
        kind="rank_mismatch",
        rule="embedding_ids_extra_axis",
        facts=facts,
        parsed=ctx.parsed,
        summary="The Embedding %r takes integer indices (batch_size, sequence_length); `%s` is %s, "
        "indices with a size-1 axis %d, so every layer after it gets one axis too many. Drop that axis."
        % (first.name, x.name or x.source, fmt(x.shape), axis),
        data=x,
        received=x.shape,
        expected=(None,) * (len(x.shape) - 1),
        layer_class="Embedding",
        layer_name=first.name,
        requests=[fix],
        axis=axis,
    )
