"""A model that declares its batch size (``keras.Input(batch_shape=(4, ...))``, stateful RNNs)
given another number of samples (``batch_size_mismatch``).

Keras's stateful layers keep one state per batch row, so the batch size is part of the model
(keras/src/layers/rnn/rnn.py: "Expected batch size: 4 - Received batch size: 1"). Predicting
one sample with such a model is done on a copy declared for batch size 1 that keeps every
weight; training data must come in whole batches.
"""

from __future__ import annotations

from typing import Optional

from ..shapes import fmt
from ..types import Diagnosis, MoveRequest
from .build import diagnosis
from .context import Context


def rule(ctx: Context) -> Optional[Diagnosis]:
    """Owns a mismatch between a declared batch size and the number of samples of the data."""
    facts = ctx.facts
    m, x = facts.model, ctx.x
    if m is None or len(m.input_shapes) != 1 or x is None or x.shape is None or x.type_name == "Dataset":
        return None
    E, R = m.input_shapes[0], x.shape
    declared, n = E[0], R[0]
    if not isinstance(declared, int) or not isinstance(n, int) or len(R) != len(E):
        return None
    if not all(e is None or r == e for r, e in zip(R[1:], E[1:])):
        return None  # the other axes disagree too: the input-shape rule says what
    if n % declared == 0:
        return None
    xname = x.name or x.source
    inference = facts.call.method not in ("fit", "train_on_batch")
    summary = (
        "The model declares a batch size of %d (its input is %s, as stateful layers need), and `%s` holds %d "
        "sample%s, %s."
        % (
            declared,
            fmt(E),
            xname,
            n,
            "" if n == 1 else "s",
            "not a whole number of batches" if not inference else "another batch size",
        )
    )
    requests = []
    if inference:
        requests.append(
            MoveRequest(
                "rebuild_batch_size",
                {
                    "batch_size": n if n < declared else None,
                    "rationale": "A copy of the model declared for batch size %s keeps every weight (a "
                    "stateful layer's "
                    "weights do not depend on the batch size; only its states do): Keras's advice for "
                    "predicting "
                    "with a stateful model." % (n if n < declared else "None"),
                },
            )
        )
    return diagnosis(
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
    )
