"""The fix catalogue: ``Diagnosis`` + facts -> every candidate ``Fix`` (DESIGN.md, "The fix search").

A rule says *what* disagrees; :func:`propose` asks every move in ``MOVES`` what could
reconcile it. Moves are pure functions of a :class:`~.data.Situation`; a move proposes a
fix only when its result has exactly the expected shape. Candidates that a move already
knows must not be offered (an ambiguous axis move) carry ``verification`` starting with
``"ruled out:"``; :func:`kerashape_magic.core.rank.rank` lists them in Details.

Rules for labels, losses, ragged data and layers inside the model still propose their own
fixes (``core/rules/labels.py``, ``model.py``, ``ragged.py``, ``cardinality.py``); the moves
here cover the data against the model's input.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Iterable, List, Optional, Tuple

from ..shapes import axis_names
from ..types import Diagnosis, Facts, Fix
from . import templates
from .data import DATA_MOVES, Situation
from .model import MODEL_MOVES

Move = Callable[[Situation], Iterable[Optional[Fix]]]

#: Every move, data moves first (proposal order; the ranking decides the final order).
MOVES: Tuple[Move, ...] = DATA_MOVES + MODEL_MOVES

#: The input-shape rule's ids (core/rules/shape.py): diagnoses of the data against the
#: model's declared input, which the moves know how to reconcile.
INPUT_RULES = (
    "axis_order",
    "feature_count",
    "timestep_count",
    "image_size",
    "axis_sizes",
    "missing_last_axis",
    "missing_batch_axis",
    "missing_inner_axis",
    "series_rows",
    "stacked_rows",
    "flat_rows",
    "rank_lower",
    "extra_axis",
    "rank",
)


def situation(d: Diagnosis, facts: Facts) -> Optional[Situation]:
    """The situation the moves read, or None when the data or the shapes are unknown."""
    if d.rule not in INPUT_RULES or d.received_shape is None or d.expected_shape is None:
        return None
    x = next((f for f in facts.data if d.received_name and f.name == d.received_name), None)
    if x is None:
        x = facts.role("x")
    if x is None or x.type_name == "KerasTensor":
        return None  # a symbolic tensor of a model being built: no data to move (the model is wrong)
    E = d.expected_shape
    return Situation(d, facts, x, d.received_shape, E, axis_names(len(E), d.layer_class), d.layer_class)


def propose(d: Diagnosis, facts: Facts) -> Diagnosis:
    """Add every move's candidates to ``d`` (after any fix the rule proposed), each once.

    Example:
        >>> from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact
        >>> from kerashape_magic.core.rules import run
        >>> m = ModelFact("model", "Sequential", ((None, 24, 3),), declared=True, built=True,
        ...               layers=(LayerFact("lstm", "LSTM", (None, 24, 3)),))
        >>> x = DataFact("X", "X", "x", "ndarray", (100, 72))
        >>> facts = Facts(model=m, data=(x,))
        >>> d = propose(run(None, facts, "check"), facts)
        >>> [(f.move, f.resulting_shape) for f in d.fixes]
        [('unflatten', (100, 24, 3)), ('unflatten_feature_major', (100, 24, 3))]
        >>> print(d.fixes[0].code, end="")
        X = X.reshape(-1, 24, 3)
    """
    s = situation(d, facts)
    if s is None:
        return d
    seen = {f.code for f in d.fixes}
    found: List[Fix] = list(d.fixes)
    for move in MOVES:
        for fix in move(s):
            if fix is None or fix.code in seen:
                continue
            seen.add(fix.code)
            found.append(fix if fix.move else replace(fix, move=move.__name__))
    if not any(f.move for f in found if not f.changes_model):
        for fix in two_steps(s):
            if fix.code not in seen:
                seen.add(fix.code)
                found.append(fix)
    return replace(d, fixes=tuple(found))


def two_steps(s: Situation) -> List[Fix]:
    """When no single data move reaches the expected shape: a size-1 axis added at the end
    (or a size-1 axis dropped) first, then any data move from there — e.g. grey scans
    ``(N, 28, 28)`` into an RGB model: add the channel axis, then repeat it three times.

    The combined fix runs both codes in order (each rebinds the same name), so verification
    and Apply run exactly the two steps.
    """
    R, E = s.received, s.expected
    firsts: List[Tuple[str, tuple, str]] = []
    if len(R) + 1 == len(E):
        firsts.append(("add_axis", tuple(R) + (1,), "expand_dims"))
    for i in range(1, len(R)):
        if R[i] == 1 and len(R) == len(E) + 1:
            firsts.append(("drop_axis", tuple(R[:i]) + tuple(R[i + 1 :]), "squeeze"))
    out: List[Fix] = []
    for first_move, shape, _kind in firsts:
        if first_move == "add_axis":
            step1 = templates.expand_dims(s.facts, s.name, s.tname, -1, shape, "")
        else:
            axis = next(i for i in range(1, len(R)) if tuple(R[:i]) + tuple(R[i + 1 :]) == shape)
            step1 = templates.squeeze(s.facts, s.name, s.tname, axis, shape, "")
        if step1 is None:
            continue
        inner = replace(s, received=shape, x=replace(s.x, shape=shape))
        for move in DATA_MOVES:
            if move.__name__ in ("add_axis", "drop_axis"):
                continue
            for second in move(inner):
                if second is None:
                    continue
                out.append(
                    replace(
                        second,
                        title="%s, then: %s" % (step1.title, second.title[0].lower() + second.title[1:]),
                        code=templates.code(step1.code, second.code),
                        rationale="%s %s" % (step1.title + ".", second.rationale),
                        move=(second.move or move.__name__),
                    )
                )
    return out
