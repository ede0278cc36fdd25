"""``cannot reshape array of size S into shape (n, t, f)``: rows into LSTM windows."""

from __future__ import annotations

from typing import List, Optional

from ..shapes import fits as _fits
from ..shapes import fmt
from ..shapes import prod as _prod
from ..types import Diagnosis, Facts, MoveRequest
from .build import diagnosis, message_only
from .context import Context


def _reshape_size_rule(parsed, facts: Facts) -> Optional[Diagnosis]:
    """``cannot reshape array of size S into shape (n, t, f)`` on (rows, features) data.

    Time series rows become LSTM windows by grouping consecutive rows, never by splitting
    each row's features into fake timesteps (keras-team/keras#8568: reshaping (100000, 30)
    to (100000, 5, 6) is the classic wrong answer). Sliding windows keep every row; blocks
    of t rows reshape without moving any value. Labels must be realigned to the windows.
    """
    target = tuple(parsed.target_shape or ())
    data = next(
        (d for d in facts.data if d.shape is not None and d.element_count == parsed.array_size),
        None,
    )
    if data is None:
        data = next((d for d in facts.data if d.shape is not None), None)
    size = parsed.array_size
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
        return message_only(parsed, facts, "reshape_size", summary)
    rows, feats = data.shape
    n, t, f = target
    name = data.name
    notes = []
    requests: List[Optional[MoveRequest]] = []
    if feats == f and feats is not None and rows is not None and rows >= t:
        model = next(
            ((mn, s) for mn, s in facts.models if len(s) == 3 and _fits(t, s[1]) and _fits(f, s[2])), None
        )
        if model:
            notes.append(
                "`%s` expects %s: windows of %d rows of %d features fit it." % (model[0], fmt(model[1]), t, f)
            )
        requests.append(
            MoveRequest(
                "sliding_windows", {"name": name, "type_name": data.type_name, "t": t, "f": f, "rows": rows}
            )
        )
        requests.append(
            MoveRequest(
                "row_blocks", {"name": name, "type_name": data.type_name, "t": t, "f": f, "rows": rows}
            )
        )
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
    return diagnosis(
        kind="reshape_size",
        rule="reshape_windows",
        facts=facts,
        data=data,
        received=data.shape,
        expected=target,
        layer_class=None,
        layer_name=None,
        summary=summary,
        requests=requests,
        parsed=parsed,
        rows=(),
        axis=None,
        notes=notes,
    )


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns the ``reshape_size`` family (NumPy's reshape, before any model runs)."""
    if ctx.family != "reshape_size":
        return None
    return _reshape_size_rule(ctx.parsed, ctx.facts)
