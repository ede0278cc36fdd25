"""The one way to make a :class:`~kerashape_magic.core.types.Diagnosis`: a keyword-only builder.

Every rule calls :func:`diagnosis`; it fills in what every diagnosis carries (the objects
found, for Details; the shape path through the model; the note that an expression has no
variable to fix) so that no rule repeats it. :func:`message_only` is what can be said when
the objects are out of reach.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..messages import ParsedMessage
from ..shapes import align, axis_names, fmt, prod
from ..types import AxisRow, DataFact, Diagnosis, Facts, MoveRequest, Shape

_ROLE_WORDS = {
    "x": "data",
    "y": "labels",
    "val_x": "validation data",
    "val_y": "validation labels",
    "sequences": "sequences",
    "data": "argument",
}


def details_of(facts: Facts, parsed: ParsedMessage) -> tuple:
    """What was parsed and found, in plain words, for the panel's collapsed Details."""
    details = []
    if parsed.family:
        details.append("Message family: %s" % parsed.family)
    if facts.call.source:
        details.append("Failing call: %s" % facts.call.source)
    m = facts.model
    if m is not None:
        details.append(
            "The model%s: %s, input %s%s"
            % (
                " `%s`" % m.name if m.name else "",
                m.class_name,
                ", ".join(fmt(s) for s in m.input_shapes) or "not declared",
                ", lazy and left configured by the failed call" if m.lazy_configured else "",
            )
        )
    for d in facts.data:
        details.append(
            "The %s `%s`: %s %s %s"
            % (
                _ROLE_WORDS.get(d.role, d.role),
                d.name or d.source,
                d.type_name,
                fmt(d.shape) if d.shape else "",
                d.dtype,
            )
        )
    return tuple(s.rstrip() for s in details)


def diagnosis(
    *,
    kind: str,
    rule: str,
    facts: Facts,
    parsed: ParsedMessage,
    summary: str,
    data: Optional[DataFact] = None,
    received: Optional[Shape] = None,
    expected: Optional[Shape] = None,
    layer_class: Optional[str] = None,
    layer_name: Optional[str] = None,
    requests: Sequence[Optional[MoveRequest]] = (),
    rows: Sequence[AxisRow] = (),
    axis: Optional[int] = None,
    notes: Sequence[str] = (),
) -> Diagnosis:
    """Build a Diagnosis; keyword arguments only (the dataclass has 17 fields).

    Args:
        kind: one of ``core.types.KINDS``.
        rule: the rule's stable snake_case id (shown in Details, used by tests).
        facts: what the facts layer found.
        parsed: the parsed message (``NO_MESSAGE`` for a pre-flight check).
        summary: one sentence naming the layer and the problem.
        data: the data object that disagrees, if known.
        received / expected: full shapes, batch axis first.
        layer_class / layer_name: the layer that rejected the data.
        requests: the moves the rule asks ``core.moves.propose`` to try, in the rule's
            order (label, loss, layer and sequence moves); ``None`` entries are dropped.
            The rule writes no fix code.
            Data moves against the declared input come from ``core.moves`` unasked.
        rows: the axis table; axis: the first mismatched axis; notes: extra findings.

    Returns:
        The Diagnosis, with details, shape path and uninspected objects filled in.
    """
    m = facts.model
    path = tuple((ly.name, ly.output_shape) for ly in (m.layers if m else ()) if ly.output_shape is not None)
    notes = tuple(notes)
    if data is not None and data.type_name == "expression":
        notes += (
            "`%s` is an expression, so there is no variable to fix: assign it first (X = %s) "
            "and run the cell again for a verified fix." % (data.source, data.source),
        )
    return Diagnosis(
        kind=kind,
        layer_name=layer_name,
        received_shape=tuple(received) if received is not None else None,
        expected_shape=tuple(expected) if expected is not None else None,
        axis=axis,
        summary=summary,
        requests=tuple(r for r in requests if r is not None),
        rule=rule,
        layer_class=layer_class,
        received_name=data.name if data is not None else None,
        model_name=m.name if m is not None else None,
        rows=tuple(rows),
        notes=notes,
        details=details_of(facts, parsed),
        message=parsed.text,
        uninspected=facts.uninspected,
        shape_path=path,
    )


#: The diagnosis kind of each message family when only the message can be read.
MESSAGE_KINDS = {
    "input_spec_ndim": "rank_mismatch",
    "legacy_expected_dims": "rank_mismatch",
    "legacy_invalid_input": "rank_mismatch",
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
}


def message_only(
    parsed: ParsedMessage, facts: Facts, kind: Optional[str] = None, summary: Optional[str] = None
) -> Optional[Diagnosis]:
    """What can be said from the message alone (the objects were out of reach).

    Returns ``None`` when there is no message either (a pre-flight check with nothing to
    compare).
    """
    if not parsed.family:
        return None
    fam = parsed.family
    exp = parsed.expected_shape
    rec = parsed.received_shape
    layer = parsed.layer_name
    if kind is None:
        kind = MESSAGE_KINDS.get(fam, "rank_mismatch")
    if exp is None and parsed.expected_ndim:
        exp = (None,) * min(parsed.expected_ndim, 16)
    who = ("Layer %r" % layer) if layer else "The layer"
    if summary is None:
        if exp is not None and rec is not None:
            summary = "%s expects %s but received %s." % (who, fmt(exp), fmt(rec))
        elif parsed.expected_ndim and parsed.received_ndim:
            summary = "%s expects %s=%d but received ndim=%d." % (
                who,
                parsed.ndim_bound or "ndim",
                parsed.expected_ndim,
                parsed.received_ndim,
            )
        elif fam == "cardinality" and parsed.sizes:
            summary = "x and y have different numbers of samples: %s." % ", ".join(
                "%s %s" % (k, "/".join(str(v) for v in vs)) for k, vs in parsed.sizes.items()
            )
        elif fam == "reshape_size" and parsed.array_size is not None:
            tgt = parsed.target_shape or ()
            summary = "An array of %d values cannot be reshaped to %s (%s values)." % (
                parsed.array_size,
                fmt(tgt),
                prod(tgt),
            )
        else:
            summary = "Keras rejected the input's shape."
    if facts.uninspected:
        summary += " kerashape could not inspect %s." % "; ".join(facts.uninspected[:2])
    names = axis_names(len(exp), parsed.wrapper) if exp else ()
    rows = align(tuple(rec), tuple(exp), names) if exp is not None and rec is not None else ()
    return Diagnosis(
        kind=kind,
        layer_name=layer,
        received_shape=tuple(rec) if rec else None,
        expected_shape=tuple(exp) if exp else None,
        axis=None,
        summary=summary,
        rule="message_only",
        layer_class=parsed.wrapper,
        model_name=facts.model.name if facts.model else None,
        rows=rows,
        details=details_of(facts, parsed),
        message=parsed.text,
        uninspected=facts.uninspected,
    )
