"""Model moves: a rebuilt copy of the model whose declared input fits the data.

``kerashape.rebuild`` keeps every weight whose shape still fits (kerashape_magic/actions.py).
"""

from __future__ import annotations

from typing import Iterable, Optional

from ..shapes import fits, name_of, plural, singular
from ..types import Fix
from ..vocab import SIZE_KINDS
from . import templates as F
from .data import Situation

#: Axes whose size no weight depends on in the layers that name them (recurrent timesteps,
#: Conv1D steps, convolution height/width): keras/src/layers/rnn/rnn.py,
#: keras/src/layers/convolutional/base_conv.py.
FREE_AXES = ("timesteps", "steps", "height", "width", "depth")


def declare_input(s: Situation) -> Iterable[Optional[Fix]]:
    """Rebuild the model for the data's own shape (every axis after the batch axis), when the
    data's sizes differ from the declaration (not when it only needs rearranging), or when the
    declaration has size-1 axes the data lacks (``Input((1, 3))`` for rows of 3 features: a
    spurious axis in the declaration, or a missing one in the data; verification, which needs the
    output and labels to agree exactly, and the ranking decide which)."""
    R, E = s.received, s.expected
    if any(d is None for d in R[1:]):
        return
    spurious = len(E) > len(R) and tuple(d for d in E[1:] if d != 1) == tuple(d for d in R[1:] if d != 1)
    if not spurious and (s.diagnosis.kind not in SIZE_KINDS or len(R) != len(E)):
        return  # data that holds the expected values in another arrangement is rearranged
    m = s.facts.model
    what = "your data's shape %s" % (tuple(R[1:]),)
    if len(R) == len(E) and [i for i in range(1, len(E)) if not fits(R[i], E[i])] == [len(E) - 1]:
        axname = name_of(s.names, len(E) - 1)
        what = plural(R[-1], singular(axname))
    why = (
        "Declares the input the data has. Every weight whose shape does not depend on the changed axes is "
        "kept; the others start from new weights (a model that was trained loses what those layers learned)."
    )
    yield F.rebuild_input(
        s.facts, tuple(R[1:]), why, "Rebuild %s for %s" % (m.name if m and m.name else "the model", what)
    )


def free_axes(s: Situation) -> Iterable[Optional[Fix]]:
    """Rebuild with the mismatched timesteps / height / width declared free (``None``): no
    weight depends on them, so every weight is kept and both sizes are accepted."""
    R, E = s.received, s.expected
    if len(R) != len(E):
        return
    mism = [i for i in range(1, len(E)) if not fits(R[i], E[i])]
    if not mism or any(name_of(s.names, i) not in FREE_AXES for i in mism):
        return
    new = tuple(None if i in mism else E[i] for i in range(1, len(E)))
    m = s.facts.model
    why = (
        "No weight of %s depends on the %s: declaring %s free (None) keeps every weight and accepts %s as "
        "well as %s."
        % (
            s.layer_class or "the layer",
            " and ".join(name_of(s.names, i) for i in mism),
            "it" if len(mism) == 1 else "them",
            tuple(R[i] for i in mism),
            tuple(E[i] for i in mism),
        )
    )
    title = "Rebuild %s for any number of %s" % (
        m.name if m and m.name else "the model",
        " and ".join(name_of(s.names, i) for i in mism),
    )
    yield F.rebuild_input(s.facts, new, why, title)


#: The model moves, in the order they are proposed.
MODEL_MOVES = (
    free_axes,  # free timesteps / height / width: every weight kept
    declare_input,  # declared input from the data
)
