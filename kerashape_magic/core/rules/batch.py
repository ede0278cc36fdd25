"""A model that declares its batch size (``keras.Input(batch_shape=(4, ...))``, stateful RNNs)
fed batches of another size by the failing call (``batch_size_mismatch``).

Keras's stateful layers keep one state per batch row, so the batch size is part of the model
(keras/src/layers/rnn/rnn.py: "Expected batch size: 4 - Received batch size: 1"), and Keras 3
refuses a stateful layer whose batch size is free ("batch size must be static"): a copy declared
for ``batch_size=None`` never works. What the call feeds decides what can work when the user's
cell is run again unchanged: Keras cuts arrays into batches of the call's ``batch_size``, 32 when
it passes none (keras/src/trainers/data_adapters/array_data_adapter.py), the last one shorter;
``model(x)`` and the ``*_on_batch`` methods take the whole array as one batch. A copy of the
model declared for the size the call feeds (every weight kept: a stateful layer's weights do
not depend on the batch size, only its states do) works when that size is one size; otherwise
the call itself must change. Trimming or padding the data to whole batches is never offered: it
drops samples or adds made-up ones whose predictions and losses would count.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import List, Optional, Tuple

from ..shapes import fmt
from ..types import Diagnosis, Facts, MoveRequest
from ..vocab import TRAINING_METHODS
from .build import diagnosis
from .context import Context

#: Keras's batch size for arrays when a call passes none
#: (keras/src/trainers/data_adapters/array_data_adapter.py; tf_keras/src/engine/data_adapter.py).
DEFAULT_BATCH_SIZE = 32
#: Calls that feed the whole array as one batch.
ONE_BATCH = ("__call__", "call", "predict_on_batch", "test_on_batch", "train_on_batch")


def call_batch_size(source: str, method: str) -> Optional[int]:
    """The batch size the call passes (``batch_size=4``), Keras's default when it passes none.

    Args:
        source: the call's source text, e.g. ``"model.predict(X, batch_size=4)"``.
        method: the model method, e.g. ``"predict"``.

    Returns:
        The literal integer, :data:`DEFAULT_BATCH_SIZE` when no ``batch_size`` is passed, or None
        when it is not a literal integer (a variable: unknown here) or the source does not parse.

    Example:
        >>> call_batch_size("out = model.predict(X, batch_size=4, verbose=0)", "predict")
        4
        >>> call_batch_size("model.fit(X, y)", "fit"), call_batch_size("model.fit(X, y, batch_size=b)", "fit")
        (32, None)
    """
    try:
        tree = ast.parse(source.strip())
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == method:
            for kw in node.keywords:
                if kw.arg == "batch_size":
                    v = kw.value
                    if isinstance(v, ast.Constant) and v.value is None:
                        return DEFAULT_BATCH_SIZE
                    if isinstance(v, ast.Constant) and type(v.value) is int and v.value > 0:
                        return v.value
                    return None
                if kw.arg is None:
                    return None  # **kwargs: unknown
            return DEFAULT_BATCH_SIZE
    return None


def fed_batches(n: int, method: str, batch_size: Optional[int]) -> Optional[Tuple[int, ...]]:
    """The sizes of the batches a call cuts ``n`` samples into, or None when unknown.

    Example:
        >>> fed_batches(10, "predict", 4), fed_batches(10, "predict", 32), fed_batches(10, "__call__", None)
        ((4, 4, 2), (10,), (10,))
    """
    if method in ONE_BATCH:
        return (n,)
    if batch_size is None:
        return None
    if n <= batch_size:
        return (n,)
    return (batch_size,) * (n // batch_size) + ((n % batch_size,) if n % batch_size else ())


def largest_divisor(n: int, bound: int) -> int:
    """The largest divisor of ``n`` that is at most ``bound`` (1 at worst).

    Example:
        >>> largest_divisor(10, 4), largest_divisor(12, 4), largest_divisor(7, 4)
        (2, 4, 1)
    """
    return next(d for d in range(min(n, bound), 0, -1) if n % d == 0)


def stateful(facts: Facts) -> bool:
    """Whether the model has a stateful layer (``stateful=True`` in its config)."""
    return facts.model is not None and any(ly.get("stateful") is True for ly in facts.model.layers)


def stateful_rule(ctx: Context) -> Optional[Diagnosis]:
    """:func:`rule` for a model with a stateful layer, tried before the label and model rules: its
    fixed batch size also fixes the output's, so a wrong batch shows up as labels that do not fit the
    output (measured, Keras 3.15: ``fit`` of 10 samples on a model declared for 4 fails in the loss)."""
    return rule(ctx) if stateful(ctx.facts) else None


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns a mismatch between a declared batch size and the batches the failing call feeds."""
    facts = ctx.facts
    m, x = facts.model, ctx.x
    if m is None or len(m.input_shapes) != 1 or x is None or x.shape is None or x.type_name == "Dataset":
        return None
    E, R = m.input_shapes[0], x.shape
    declared, n = E[0], R[0]
    if not isinstance(declared, int) or not isinstance(n, int) or n < 1 or len(R) != len(E):
        return None
    if not all(e is None or r == e for r, e in zip(R[1:], E[1:])):
        return None  # the other axes disagree too: the input-shape rule says what
    method = facts.call.method
    given = call_batch_size(facts.call.source, method) if facts.call.source else None
    fed = fed_batches(n, method, given)
    if fed is None:  # the call's batch size is unknown here: only whole batches can be judged
        if n % declared == 0:
            return None
    elif all(b == declared for b in fed):
        return None
    xname = x.name or x.source
    training = method in TRAINING_METHODS
    one_size = fed[0] if fed is not None and len(set(fed)) == 1 else None
    if fed is None and not training and n < declared:
        one_size = n  # the old certainty: fewer samples than one batch make one batch
    call = "%s(...)" % method if method else "the call"
    summary = (
        "The model declares a batch size of %d (its input is %s, as stateful layers need), and `%s` holds %d "
        "sample%s, %s."
        % (
            declared,
            fmt(E),
            xname,
            n,
            "" if n == 1 else "s",
            (
                "which %s cuts into batches of %s" % (call, " + ".join(str(b) for b in fed))
                if fed is not None and len(fed) > 1
                else "fed as one batch of %d" % n
                if fed is not None
                else "not a whole number of batches"
            ),
        )
    )
    notes: List[str] = []
    ruled: List[Tuple[str, str]] = [
        (
            "Trim or pad `%s` to a multiple of %d samples" % (xname, declared),
            "trimming drops samples and padding adds made-up ones whose predictions and losses would "
            "count: kerashape never changes the data to fit a batch size",
        )
    ]
    if n % declared == 0 and method not in ONE_BATCH:
        notes.append(
            "`%s` holds %d whole batches of %d: pass `batch_size=%d` to %s (Keras cuts arrays into batches "
            "of %d when the call passes no batch size), and the model runs as declared."
            % (xname, n // declared, declared, declared, call, DEFAULT_BATCH_SIZE)
        )
    elif n > declared and not m.trained and method not in ONE_BATCH:
        k = largest_divisor(n, declared)
        notes.append(
            "%d is not a multiple of %d: a copy of the model declared for batch size %d (the largest divisor "
            "of %d up to %d) with `batch_size=%d` in %s would also run it in whole batches."
            % (n, declared, k, n, declared, k, call)
        )
    elif n > declared:
        notes.append(
            "%d is not a multiple of %d, and the model was trained with its states carried across batches "
            "of %d rows: only whole batches of %d (`batch_size=%d`) run it as trained. Which samples to "
            "leave out or to add is the user's choice, not kerashape's."
            % (n, declared, declared, declared, declared)
        )
    requests = []
    # a trained stateful model carries its states across batches of `declared` rows: another
    # batch size regroups the sequences, except to predict fewer samples than one batch
    may_rebuild = not m.trained or (not training and n < declared)
    if one_size is not None and one_size != declared and may_rebuild:
        requests.append(
            MoveRequest(
                "rebuild_batch_size",
                {
                    "batch_size": one_size,
                    "rationale": "A copy of the model declared for batch size %d, the batch %s feeds, keeps "
                    "every weight (a stateful layer's weights do not depend on the batch size; only its "
                    "states do): Keras's advice for predicting with a stateful model." % (one_size, call),
                },
            )
        )
    elif one_size is not None and one_size != declared:
        ruled.append(
            (
                "Rebuild %s for batch size %d" % (m.name, one_size),
                "the model was trained with its states carried across batches of %d rows: another "
                "batch size regroups the sequences" % declared,
            )
        )
    d = diagnosis(
        kind="batch_size_mismatch",
        rule="batch_size",
        facts=facts,
        parsed=ctx.parsed,
        summary=summary,
        data=x,
        received=R,
        expected=E,
        axis=0,
        requests=requests,
        notes=notes,
    )
    return replace(d, ruled_out=tuple(d.ruled_out) + tuple(ruled))
