"""The fix catalogue: ``Diagnosis`` + facts -> every candidate ``Fix`` (DESIGN.md, "The fix search").

Rules never write fix code. A rule says *what* disagrees and, where the fix depends on
more than the two shapes (labels against the loss, a layer against the one before it,
ragged sequences, a sample count), which moves to try: ``Diagnosis.requests``, a tuple of
:class:`~kerashape_magic.core.types.MoveRequest`. :func:`propose` turns them into fixes:

1. every request, in the rule's order, through :data:`REQUESTED` (``labels.py``: labels,
   losses and outputs; ``layers.py``: layer edits, inserted layers, rebuilt declarations;
   ``sequences.py``: padding, windows, batching, regrouped samples);
2. for the input-shape rule (core/rules/shape.py), every move in :data:`MOVES`: pure
   functions of a :class:`~.data.Situation` (the data against the expected input) that
   propose a fix only when its result has exactly the expected shape.

Candidates that a move already knows must not be offered (an ambiguous axis move) carry
``verification`` starting with ``"ruled out:"``; :func:`kerashape_magic.core.rank.rank`
lists them in Details. Every entry of :data:`REQUESTED` names its verifier
(:class:`~kerashape_magic.core.types.MoveSpec`); a contract test checks that each exists.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, Iterable, List, Optional, Tuple

from ..shapes import axis_names
from ..types import Diagnosis, Facts, Fix, MoveSpec
from . import templates
from .data import DATA_MOVES, STRUCTURE_MOVES, Situation
from .labels import LABEL_MOVES
from .layers import LAYER_MOVES
from .model import MODEL_MOVES
from .sequences import SEQUENCE_MOVES, fit_token_length

Move = Callable[[Situation], Iterable[Optional[Fix]]]

#: Every move, data moves first (proposal order; the ranking decides the final order).
MOVES: Tuple[Move, ...] = DATA_MOVES + (fit_token_length,) + MODEL_MOVES

#: Every move a rule may request by name (``MoveRequest.move``), with its verifier: the
#: label, loss and output moves, then the layer and model moves, then the sequence moves.
REQUESTED: Dict[str, MoveSpec] = {**LABEL_MOVES, **LAYER_MOVES, **SEQUENCE_MOVES}

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


def requested(d: Diagnosis, facts: Facts) -> List[Fix]:
    """The fixes of ``d.requests``, in the rule's order; a request whose move does not fit
    the objects (its builder returns None) gives nothing.

    Each fix's ``move`` is the request's move unless the builder named a finer one
    (``batch_size``).

    Raises:
        KeyError: a request names no move of :data:`REQUESTED` (a contract test keeps every
            rule's requests in the table).
    """
    out: List[Fix] = []
    for r in d.requests:
        fix = REQUESTED[r.move].build(facts, **dict(r.args))
        if fix is not None:
            out.append(fix if fix.move else replace(fix, move=r.move))
    return out


def propose(d: Diagnosis, facts: Facts) -> Diagnosis:
    """Add the requested moves' fixes and then every data move's candidates to ``d``, each once.

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
    asked = requested(d, facts)
    found: List[Fix] = list(d.fixes) + asked
    for smove in STRUCTURE_MOVES:  # the data's container against the model's inputs
        for fix in smove(d, facts):
            if fix is not None and fix.code not in {f.code for f in found}:
                asked.append(fix)
                found.append(fix)
    s = situation(d, facts)
    if s is None:
        return replace(d, fixes=tuple(found)) if asked else d
    seen = {f.code for f in found}
    moved: List[Fix] = []
    for move in MOVES:
        for fix in move(s):
            if fix is None or fix.code in seen:
                continue
            seen.add(fix.code)
            moved.append(fix if fix.move else replace(fix, move=move.__name__))
    if not any(f.move for f in list(d.fixes) + moved if not f.changes_model):
        for fix in two_steps(s):
            if fix.code not in seen:
                seen.add(fix.code)
                moved.append(fix)
    return replace(d, fixes=tuple(found + moved))


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
