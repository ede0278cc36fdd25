"""The core's entry: parsed message + facts -> a Diagnosis with every candidate fix.

``rules.run`` says what disagrees; ``moves.propose`` adds every catalogue move that could
reconcile it. Verification (kerashape_magic/verify.py) and the ranking (``core/rank.py``)
come after, outside the pure core's first half. Nothing here imports a framework.
"""

from __future__ import annotations

from typing import Optional

from .messages import ParsedMessage
from .moves import propose
from .rules import run
from .types import Diagnosis, Facts


def diagnose(parsed: Optional[ParsedMessage], facts: Facts, mode: str = "error") -> Optional[Diagnosis]:
    """Turn a parsed message and facts into a Diagnosis with unverified candidates.

    Args:
        parsed: a :class:`~kerashape_magic.core.messages.ParsedMessage`, or ``None`` for a
            pre-flight check or an error whose message no parser reads.
        facts: what the facts layer found.
        mode: ``"error"``, ``"check"`` (pre-flight: also report what Keras accepts silently)
            or ``"objects"`` (an unparsed error explained from the objects).

    Returns:
        A Diagnosis whose fixes are candidates in proposal order (not yet verified or
        ranked), or ``None`` when there is nothing to report.

    Example:
        >>> from kerashape_magic.core.types import DataFact, Facts, LayerFact, ModelFact
        >>> m = ModelFact("model", "Sequential", ((None, 24, 3),), declared=True, built=True,
        ...               layers=(LayerFact("lstm", "LSTM", (None, 24, 3)),))
        >>> x = DataFact("X_train", "X_train", "x", "ndarray", (100, 24, 1))
        >>> d = diagnose(None, Facts(model=m, data=(x,)), mode="check")
        >>> d.kind, d.expected_shape, d.received_shape, [f.kind for f in d.fixes]
        ('feature_mismatch', (None, 24, 3), (100, 24, 1), ['rebuild_input'])
    """
    d = run(parsed, facts, mode)
    return propose(d, facts) if d is not None else None
