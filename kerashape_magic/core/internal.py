"""Rules for mismatches inside the model: the data fits the input, a later layer rejects it.

Pure (standard library only), like the rest of :mod:`kerashape_magic.core`.
"""

from __future__ import annotations

from .diagnose import _base, align, fmt
from .types import Diagnosis, Facts


def internal_rule(parsed, facts: Facts, x, R, E, cls, lname, names) -> Diagnosis:
    """The data fits the model's input; the mismatch is between two layers inside it."""
    lname2 = getattr(parsed, "layer_name", None)
    summary = "`%s` %s matches the model's input %s: the problem is inside the model%s." % (
        (x.name or x.source) if x else "the input", fmt(R), fmt(E), (" at layer %r" % lname2) if lname2 else "")
    return _base("rank_mismatch", "internal_layer", facts, x, R, E, cls, lname2 or lname, summary, [], parsed,
                 align(R, E, names), None)
