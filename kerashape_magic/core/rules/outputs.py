"""A model with several outputs given one label array (``output_structure``).

Keras 3 matches labels to outputs by structure: a list (or dict by output name) with one
array per output (keras/src/trainers/compile_utils.py, ``CompileLoss``: "y_true and y_pred
have different structures"). One array whose columns hold every output's labels is split
into that list, column by column (one column per output) or by blocks of columns (one
one-hot block per output).
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..shapes import fmt
from ..types import Diagnosis, MoveRequest, is_identifier
from .build import diagnosis
from .context import Context


def _blocks(columns: int, outputs: Tuple[tuple, ...]) -> Optional[List[Tuple[int, int, bool]]]:
    """``(start, stop, squeeze)`` per output: one column each, or one block of the output's width."""
    k = len(outputs)
    if columns == k:
        return [(i, i + 1, True) for i in range(k)]
    widths = [o[-1] if len(o) >= 2 else 1 for o in outputs]
    if all(isinstance(w, int) for w in widths) and sum(widths) == columns:
        out, start = [], 0
        for w in widths:
            out.append((start, start + w, False))
            start += w
        return out
    return None


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns a call whose labels are one array while the model has several outputs."""
    facts = ctx.facts
    m, y = facts.model, facts.role("y")
    if m is None or len(m.output_shapes) < 2 or y is None or y.shape is None or y.type_name == "Dataset":
        return None
    if y.type_name in ("list", "tuple", "dict"):
        return None  # already one entry per output
    k = len(m.output_shapes)
    yname = y.name or y.source
    summary = (
        "The model has %d outputs %s, so it needs one label array per output (a list of %d, or a dict by "
        "output name); `%s` is one array %s."
        % (k, ", ".join(fmt(o) for o in m.output_shapes), k, yname, fmt(y.shape))
    )
    requests: List[Optional[MoveRequest]] = []
    blocks = _blocks(y.shape[-1], m.output_shapes) if len(y.shape) == 2 and y.shape[-1] is not None else None
    if blocks is not None and is_identifier(y.name):
        requests.append(
            MoveRequest(
                "split_labels",
                {
                    "y": y,
                    "blocks": tuple(blocks),
                    "rationale": "Assumes the columns of `%s` are the outputs' labels in the order of the "
                    "model's outputs (%s); each output gets its own array, no value changes."
                    % (y.name, "one column each" if blocks[0][2] else "one block of columns each"),
                },
            )
        )
    else:
        summary += " Pass a list with one array per output."
    return diagnosis(
        kind="output_structure",
        rule="output_structure",
        facts=facts,
        parsed=ctx.parsed,
        summary=summary,
        data=y,
        received=y.shape,
        expected=None,
        requests=requests,
    )
