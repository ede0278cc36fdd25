"""Sequences of different lengths: lists, object arrays, ragged datasets (seed 003, example 2)."""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..shapes import fmt
from ..types import DataFact, Diagnosis, Facts, MoveRequest
from ..vocab import RAGGED_FAMILIES
from .build import diagnosis
from .context import Context


def _varies(d: DataFact, facts: Facts, family: str) -> bool:
    """Whether ``d`` really holds elements of different lengths.

    For a list or an object array the facts measured the lengths. A dataset's element spec
    only says ``None`` (unknown), which its batch axes always are and a windowed dataset's
    steps may be: it counts as varying when the message says so (Keras could not batch it),
    or when the dataset yields single samples with an unknown length (an unbatched dataset of
    sequences of different lengths, batched at the start of ``fit``).
    """
    if d.type_name != "Dataset" or d.shape is None:
        return True
    if family in RAGGED_FAMILIES:
        return True
    if d.batch_depth == 0:
        return any(v is None for v in d.shape)
    if d.batch_depth is not None:
        return False
    m = facts.model
    if m is None or len(m.input_shapes) != 1:
        return True
    batch_axes = max(len(d.shape) - (len(m.input_shapes[0]) - 1), 0)
    return batch_axes == 0 and any(v is None for v in d.shape)


def _image_size(facts: Facts) -> Optional[Tuple[int, int]]:
    """``(height, width)`` when the model (or, for a data constructor, every image model in the
    user's namespace) takes images of one declared size, else None."""
    m = facts.model
    if m is not None:
        shapes = [m.input_shapes[0]] if len(m.input_shapes) == 1 else []
    else:  # a data constructor (np.array(pictures)): the models the data is being prepared for
        shapes = [s for _, s in facts.models]
    sizes = {(E[1], E[2]) for E in shapes if len(E) == 4 and isinstance(E[1], int) and isinstance(E[2], int)}
    return sizes.pop() if len(sizes) == 1 else None


def _ragged_rule(parsed, facts: Facts, family) -> Optional[Diagnosis]:
    ragged = [d for d in facts.data if d.ragged is not None and _varies(d, facts, family)]
    if family not in RAGGED_FAMILIES and not ragged:
        return None
    m = facts.model
    notes = [
        "Padding adds zeros after the end of each shorter sequence; put a "
        "keras.layers.Masking(mask_value=0.0) "
        "first in the model (or use mask_zero in an Embedding) so the padding is ignored."
    ]
    requests: List[Optional[MoveRequest]] = []
    target = ragged[0] if ragged else None
    size = _image_size(facts)
    if target is not None and size is not None and target.name:
        # pictures of different sizes for a model that takes one size: resize each one
        # (padding would add borders of zeros that the model never saw)
        requests.append(
            MoveRequest(
                "resize_each",
                {
                    "name": target.name,
                    "type_name": target.type_name,
                    "size": size,
                    "rationale": "Resamples every picture to %dx%d (bilinear), the size the model takes; "
                    "pictures of "
                    "another size change their pixels (lossy), none is dropped." % size,
                    "source": target.unbatched_name,
                    "batch": target.batched,
                },
            )
        )
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
            requests.append(
                MoveRequest(
                    "batch_padded",
                    {
                        "name": target.name,
                        "size": 32,
                        "rationale": "The dataset yields one sequence at a time, of different lengths: "
                        "padded_batch groups "
                        "32 of them and pads each batch with zeros to its longest element.",
                    },
                )
            )
        elif target.batched and src and target.name:
            requests.append(
                MoveRequest(
                    "padded_batch",
                    {
                        "target": target.name,
                        "source": src,
                        "batch_size": target.batched,
                        "rationale": "Batches elements of different lengths by padding each batch with "
                        "zeros to its "
                        "longest element (tf.data.Dataset.padded_batch).",
                    },
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
        assert target.ragged is not None  # target is ragged[0], kept only when its .ragged is set
        n, lo, hi, trailing = target.ragged
        requests.append(
            MoveRequest(
                "pad_sequences",
                {
                    "name": target.name,
                    "maxlen": None,
                    "dtype": "float32",
                    "rationale": "Pads every sequence with zeros at the end to the longest one (%s "
                    "steps), giving one "
                    "array of shape (%s, %s%s). No value is dropped."
                    % (hi, n, hi, "".join(", %s" % d for d in (trailing or ()))),
                    "loses": False,
                },
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
        requests=requests,
        parsed=parsed,
        rows=(),
        axis=None,
        notes=notes,
    )


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns the ragged families (``cannot_batch``, ``non_rectangular``, ``inhomogeneous``,
    ``object_array``) and any call whose data the facts found ragged."""
    return _ragged_rule(ctx.parsed, ctx.facts, ctx.family)
