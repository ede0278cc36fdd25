"""Sequences of different lengths: lists, object arrays, ragged datasets (seed 003, example 2)."""

from __future__ import annotations

from typing import List, Optional

from ..moves import templates as F
from ..shapes import fmt
from ..types import DataFact, Diagnosis, Facts, Fix
from ..vocab import RAGGED_FAMILIES
from .build import diagnosis
from .context import Context


def _varies(d: DataFact, facts: Facts) -> bool:
    """Whether ``d`` really holds elements of different lengths.

    A dataset's element spec has a ``None`` for each batch axis too: with the model's input
    rank known, the axes before the sample's own are batch axes (none for an unbatched
    dataset, two for one batched twice), and only a ``None`` after them varies.
    """
    if d.type_name != "Dataset" or d.shape is None:
        return True
    if d.batch_depth is not None:
        return any(v is None for v in d.shape[d.batch_depth :])
    m = facts.model
    if m is None or len(m.input_shapes) != 1:
        return True
    batch_axes = max(len(d.shape) - (len(m.input_shapes[0]) - 1), 0)
    return any(v is None for v in d.shape[batch_axes:])


def _ragged_rule(parsed, facts: Facts, family) -> Optional[Diagnosis]:
    ragged = [d for d in facts.data if d.ragged is not None and _varies(d, facts)]
    if family not in RAGGED_FAMILIES and not ragged:
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
        unbatched = target.batch_depth == 0 or (
            target.batch_depth is None
            and not target.batched
            and m is not None
            and len(m.input_shapes) == 1
            and target.shape is not None
            and len(target.shape) == len(m.input_shapes[0]) - 1
        )
        if unbatched and target.name:  # single samples of different lengths
            fixes.append(
                F.batch_dataset(
                    facts,
                    target.name,
                    32,
                    "The dataset yields one sequence at a time, of different lengths: padded_batch groups "
                    "32 of them and pads each batch with zeros to its longest element.",
                    padded=True,
                )
            )
        elif target.batched and src and target.name:
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
        if family == "cannot_batch" and parsed.first_shape is not None:
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
        if family == "cannot_batch" and parsed.first_shape is not None:
            summary = (
                "Cannot batch elements of different shapes %s and %s: pad them (padded_batch) or resize them."
                % (fmt(parsed.first_shape), fmt(parsed.other_shape))
            )
    expected = m.input_shapes[0] if m is not None and m.input_shapes else None
    first = m.layers[0] if m is not None and m.layers else None
    return diagnosis(
        kind="ragged_sequences",
        rule="ragged",
        facts=facts,
        data=target,
        received=shape,
        expected=expected,
        layer_class=first.class_name if first else None,
        layer_name=first.name if first else None,
        summary=summary,
        fixes=fixes,
        parsed=parsed,
        rows=(),
        axis=None,
        notes=notes,
    )


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns the ragged families (``cannot_batch``, ``non_rectangular``, ``inhomogeneous``,
    ``object_array``) and any call whose data the facts found ragged."""
    return _ragged_rule(ctx.parsed, ctx.facts, ctx.family)
