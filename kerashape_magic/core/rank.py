"""The ranking of DESIGN.md as one pure function: which candidates are offered, in which order.

1. Never offered (listed in Details with the reason instead): a candidate a move already
   ruled out (an axis move between two axes of one size), a candidate whose code failed on
   the slice (the model's own words), any model change for a call that uses the model as
   trained (``predict``, ``evaluate``, ``model(x)``), a rebuild for validation data that
   would change the declared sizes the training data fits, and a data fix of a name passed
   as both x and y (an autoencoder's ``fit(data, data)``: it would change the input too).
2. Verified before not verified; lossless before lossy. Re-initialising a trained model's
   weights counts as a loss.
3. A trained model keeps its weights: data moves first. A model never trained whose
   declaration disagrees with the data's sizes gets its declaration fixed first — resizing or
   cropping the data would throw information away to fit a typo, so once a lossless rebuild is
   verified, such lossy data moves are not offered at all (Details says why). When the data holds
   exactly the expected values in another arrangement (axes swapped, flattened, stacked, a
   size-1 axis missing), the data is rearranged first whatever the model.
4. Fewer and smaller changes first (:data:`COST`); then the order the rule and the moves
   proposed them in (the evidence they weighed).
"""

from __future__ import annotations

from dataclasses import replace
from typing import List, Tuple

from .types import Diagnosis, Facts, Fix
from .vocab import INFERENCE_METHODS, SIZE_KINDS

#: How big a change each move is (rule 4): moving no value < moving whole axes < regrouping
#: values < making new values or dropping some.
COST = {
    "add_axis": 0,
    "add_axes": 0,
    "stack_samples": 0,
    "split_inputs": 1,
    "drop_axis": 0,
    "align_columns": 0,  # every value kept under its own column name; the missing ones are 0
    "free_axes": 1,
    "move_axes": 1,
    "flatten": 2,
    "unflatten": 2,
    "group_rows": 2,
    "repeat_channel": 3,
    "declare_input": 3,
    "fit_timesteps": 3,
    "fit_token_length": 3,  # token-id rows padded or cut to the declared length (moves/sequences.py)
    "split_windows": 4,
    "resize_images": 4,
    "drop_channel": 4,
    "unflatten_feature_major": 5,
    "window_rows": 2,
    "dataset_batching": 0,
}

#: Moves that keep every weight of the model they rebuild.
KEEPS_WEIGHTS = ("free_axes", "batch_size")

#: Model moves after which the model computes exactly what it computed for each sample: the
#: only model change an inference call may get (a stateful model's batch size). Freeing an
#: axis keeps the weights but lets the model see data unlike what it was trained on.
SAME_COMPUTATION = ("batch_size",)


def ruled_out_reason(fix: Fix, d: Diagnosis, facts: Facts) -> str:
    """Why ``fix`` must not be offered (rule 1), or ``""``."""
    note = fix.verification
    if note.startswith("ruled out:"):
        return note[len("ruled out:") :].strip()
    if note.startswith("failed:"):
        return "the model rejected it: " + note[len("failed:") :].strip()
    method = facts.call.method
    if fix.changes_model and method in INFERENCE_METHODS and fix.move not in SAME_COMPUTATION:
        return (
            "a %s call uses the model as trained: the data must match it; changing the model would "
            "re-initialise the weights that depend on it" % (method.strip("_") or "prediction")
        )
    roles = {f.role for f in facts.data if fix.target and f.name == fix.target}
    if not fix.changes_model and {"x", "y"} <= roles:
        return (
            "`%s` is both the input and the labels of the call: changing it for one changes the other "
            "too; keep a separate array for the labels" % fix.target
        )
    x = next((f for f in facts.data if f.name and f.name == d.received_name), None)
    if fix.kind == "rebuild_input" and x is not None and x.role == "val_x" and fix.move not in KEEPS_WEIGHTS:
        return (
            "`%s` is validation data: it must match the model that the training data fits; rebuilding the "
            "model for it would break training" % (x.name or x.source)
        )
    return ""


def _loses(fix: Fix, facts: Facts) -> bool:
    trained = facts.model is not None and facts.model.trained
    return fix.loses_data or (trained and fix.kind == "rebuild_input" and fix.move not in KEEPS_WEIGHTS)


def _tier(fix: Fix, d: Diagnosis, facts: Facts) -> int:
    """0 for the side rule 3 puts first, 1 for the other; 0 for fixes outside the catalogue."""
    if not fix.move or fix.move not in COST:
        return 0
    trained = facts.model is not None and facts.model.trained
    same_rank = (
        d.received_shape is not None
        and d.expected_shape is not None
        and len(d.received_shape) == len(d.expected_shape)
    )
    model_first = d.kind in SIZE_KINDS and same_rank and not trained
    return 0 if fix.changes_model == model_first else 1


def rank(d: Diagnosis, facts: Facts) -> Diagnosis:
    """Order ``d.fixes`` by the rules above; move what must not be offered to ``d.ruled_out``.

    Args:
        d: a diagnosis whose fixes went through verification (``Fix.verified`` and
            ``Fix.verification`` set).
        facts: the facts (the call, the model's ``trained`` flag, the data roles).

    Returns:
        The diagnosis with its offered fixes best first, and ``ruled_out`` holding
        ``(title, reason)`` for every candidate that is not offered.

    Example:
        >>> from kerashape_magic.core.types import CallFact, Diagnosis, Facts, Fix, ModelFact
        >>> d = Diagnosis(kind="spatial_mismatch", layer_name=None, received_shape=(8, 32, 32, 1),
        ...               expected_shape=(None, 28, 28, 1), axis=1, summary="", fixes=(
        ...     Fix("resize", "Resize", "", "", verified=True, loses_data=True, move="resize_images"),
        ...     Fix("rebuild_input", "Rebuild", "", "", verified=True, move="declare_input")))
        >>> fresh = Facts(model=ModelFact("model", "Sequential"))
        >>> r = rank(d, fresh)
        >>> [f.kind for f in r.fixes], r.ruled_out[0][0]
        (['rebuild_input'], 'Resize')
        >>> trained = Facts(model=ModelFact("model", "Sequential", trained=True))
        >>> [f.kind for f in rank(d, trained).fixes]
        ['resize', 'rebuild_input']
        >>> predict = Facts(model=ModelFact("model", "Sequential"), call=CallFact("predict"))
        >>> r = rank(d, predict)
        >>> [f.kind for f in r.fixes], r.ruled_out[0][0]
        (['resize'], 'Rebuild')
    """
    offered: List[Tuple[Tuple[int, int, int, int, int], Fix]] = []
    ruled: List[Tuple[str, str]] = list(d.ruled_out)
    for i, fix in enumerate(d.fixes):
        why = ruled_out_reason(fix, d, facts)
        if why:
            ruled.append((fix.title, why))
            continue
        key = (
            0 if fix.verified else 1,
            1 if _loses(fix, facts) else 0,
            _tier(fix, d, facts),
            COST.get(fix.move, 0),
            i,
        )
        offered.append((key, fix))
    if _data_fixed(facts, [f for _, f in offered]):
        kept = []
        for key, fix in offered:
            if fix.kind == "rebuild_input" and fix.move in COST and fix.move not in KEEPS_WEIGHTS:
                ruled.append((fix.title, NEEDLESS_FOR_TRAINED))
            else:
                kept.append((key, fix))
        offered = kept
    if _declaration_fixed(d, facts, [f for _, f in offered]):
        kept = []
        for key, fix in offered:
            if fix.loses_data and not fix.changes_model:
                ruled.append((fix.title, LOSSY_FOR_A_TYPO))
            else:
                kept.append((key, fix))
        offered = kept
    offered.sort(key=lambda pair: pair[0])
    return replace(d, fixes=tuple(f for _, f in offered), ruled_out=tuple(ruled))


LOSSY_FOR_A_TYPO = (
    "it would throw data away to fit the declaration of a model that was never trained; fixing the "
    "declaration keeps every value"
)


NEEDLESS_FOR_TRAINED = (
    "the model was trained: rebuilding it would re-initialise learned weights, while a verified data fix "
    "keeps every one of them"
)


def _data_fixed(facts: Facts, fixes: List[Fix]) -> bool:
    """A trained model whose data a verified, lossless data move fixes: a rebuild that
    re-initialises weights is then needless (rule 3's strong form for trained models)."""
    if facts.model is None or not facts.model.trained:
        return False
    return any(f.verified and not f.changes_model and not f.loses_data and f.move in COST for f in fixes)


def _declaration_fixed(d: Diagnosis, facts: Facts, fixes: List[Fix]) -> bool:
    """Rule 3's strong form: a never-trained model whose declaration a verified, lossless
    rebuild fixes. Then a lossy data move (resize, cutting timesteps) is not offered at all."""
    if facts.model is None or facts.model.trained or d.kind not in SIZE_KINDS:
        return False
    if d.received_shape is None or d.expected_shape is None or len(d.received_shape) != len(d.expected_shape):
        return False
    return any(f.verified and f.changes_model and not f.loses_data for f in fixes)
