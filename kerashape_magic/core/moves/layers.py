"""Layer and model moves the rules ask for (``core/rules/model.py``, ``batch.py``):
edit one layer, insert or remove one, rebuild the declared input, and the data moves
that belong to a layer (one-hot ids into an Embedding). Registered by name in
:data:`LAYER_MOVES`.

Every model move writes ``model = kerashape.rebuild(model, ...)``: a new model keeping every
weight whose shape still fits, compiled like the original (kerashape_magic/actions.py). The
verifiers live in ``kerashape_magic/verify_internal.py`` (``rebuild``, ``argmax_input``) and
``kerashape_magic/verify.py`` (``rebuild_input``, ``rebuild_batch``, the code path).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Dict, Optional, Sequence, Tuple, Union

from ..types import DataFact, Facts, Fix, MoveSpec, Shape
from ..vocab import INSERTABLE, INSERTABLE_WITH_SHAPE, INSERTABLE_WITH_SIZE
from . import templates as F

_LAYER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _layer_names(facts: Facts) -> Tuple[str, ...]:
    return tuple(lay.name for lay in facts.model.layers) if facts.model is not None else ()


def _literal(value: object) -> str:
    """A config value as Python source: bools, ints, None and plain words only."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(F._int(value))
    if isinstance(value, str) and _WORD.match(value):
        return '"%s"' % value
    raise ValueError("not a safe config value: %r" % (value,))


def _int_tuple(value: tuple) -> str:
    """A (nested) tuple of ints as Python source: ``(6, 48)``, ``(12,)``, ``((1, 1), (1, 1))``.

    Raises:
        ValueError: anything but ints and tuples of them.
    """
    if not isinstance(value, tuple) or not value:
        raise ValueError("not a tuple of ints: %r" % (value,))
    parts = [_int_tuple(v) if isinstance(v, tuple) else str(F._int(v)) for v in value]
    return "(%s%s)" % (", ".join(parts), "," if len(parts) == 1 else "")


def _name(name: str, known: Sequence[str]) -> str:
    """A layer name as a string literal: a layer of the model, with a safe spelling."""
    if name not in known or not _LAYER_NAME.match(name):
        raise ValueError("not a layer of this model: %r" % (name,))
    return '"%s"' % name


def edit_layer(
    facts: Facts,
    rationale: str,
    title: str,
    *,
    edit: Optional[Dict[str, Dict[str, object]]] = None,
    insert_after: Optional[Dict[str, Union[str, Tuple[str, int]]]] = None,
    insert_before: Optional[Dict[str, Union[str, Tuple[str, int]]]] = None,
    remove: Sequence[str] = (),
    resulting_shape: Optional[Shape] = None,
) -> Optional[Fix]:
    r"""``model = kerashape.rebuild(model, edit={"lstm": {"return_sequences": True}})``.

    The ``edit_layer`` fix kind (DESIGN.md): the model rebuilt with one layer's
    configuration changed, a layer inserted or removed, keeping every weight that still
    fits (:func:`kerashape_magic.actions.rebuild`). Layer names must be layers of
    ``facts.model`` (read from the model, never from the message); configuration keys are
    identifiers and values bools, ints, ``None`` or plain words; inserted layers come from
    :data:`INSERTABLE`. Anything else: no fix (``None``).

    Args:
        facts: the facts (the model's variable name and layers, the user's aliases).
        rationale: why, in plain words.
        title: the button's label.
        edit: ``{layer name: {config key: value}}``.
        insert_after / insert_before: ``{layer name: layer class name}``, ``{layer name:
            (layer class name, size)}`` for the classes in ``INSERTABLE_WITH_SIZE``, or ``{layer
            name: ("Reshape", (6, 48))}`` for ``INSERTABLE_WITH_SHAPE`` (a target shape without
            the batch axis).
        remove: layer names to drop.
        resulting_shape: what the failing layer receives after the edit (batch axis
            first), for the panel; ``None`` when unknown.

    Returns:
        An unverified :class:`~kerashape_magic.core.types.Fix` whose ``op`` is
        ``("rebuild", None, edits, after, before, removed)``, or ``None``.

    Example:
        >>> from kerashape_magic.core.types import LayerFact, ModelFact
        >>> lstms = (LayerFact("lstm", "LSTM"), LayerFact("lstm_1", "LSTM"))
        >>> m = ModelFact("model", "Sequential", layers=lstms)
        >>> fix = edit_layer(Facts(model=m), "why", "title", edit={"lstm": {"return_sequences": True}})
        >>> print(fix.code, end="")
        import kerashape
        model = kerashape.rebuild(model, edit={"lstm": {"return_sequences": True}})
    """
    m = facts.model
    if m is None or not F.is_identifier(m.name):
        return None
    known = _layer_names(facts)
    try:
        parts = []
        edits = tuple((n, tuple(sorted(c.items()))) for n, c in sorted((edit or {}).items()))
        if edits:
            inner = []
            for n, changes in edits:
                if not changes or not all(F.is_identifier(k) and "." not in k for k, _ in changes):
                    raise ValueError("bad config key")
                inner.append(
                    "%s: {%s}"
                    % (_name(n, known), ", ".join('"%s": %s' % (k, _literal(v)) for k, v in changes))
                )
            parts.append("edit={%s}" % ", ".join(inner))
        placed = []
        keras_name, keras_import = F._module(facts, "keras", "keras")
        for kw, arg in (("insert_after", insert_after), ("insert_before", insert_before)):
            items = tuple(sorted((arg or {}).items()))
            specs = []
            for n, cls in items:
                if isinstance(cls, tuple) and len(cls) == 2 and cls[0] in INSERTABLE_WITH_SIZE:
                    specs.append(
                        "%s: %s.layers.%s(%d)" % (_name(n, known), keras_name, cls[0], F._int(cls[1]))
                    )
                elif (
                    isinstance(cls, tuple)
                    and len(cls) == 2
                    and cls[0] in INSERTABLE_WITH_SHAPE
                    and isinstance(cls[1], tuple)
                    and cls[1]
                ):
                    specs.append(
                        "%s: %s.layers.%s(%s)" % (_name(n, known), keras_name, cls[0], _int_tuple(cls[1]))
                    )
                elif cls in INSERTABLE:
                    specs.append('%s: "%s"' % (_name(n, known), cls))
                else:
                    raise ValueError("not insertable: %r" % (cls,))
            if items:
                parts.append("%s={%s}" % (kw, ", ".join(specs)))
            placed.append(items)
        removed = tuple(remove)
        if len(removed) == 1:
            parts.append("remove=%s" % _name(removed[0], known))
        elif removed:
            parts.append("remove=[%s]" % ", ".join(_name(n, known) for n in removed))
    except ValueError:
        return None
    if not parts:
        return None
    ks, imp = F._module(facts, "kerashape", "kerashape")
    if m.rejected:
        parts.append(F.rejected_arg(facts, ks).lstrip(", "))
    if any(isinstance(c, tuple) for items in placed for _, c in items):
        imp += keras_import
    src = "%s%s = %s.rebuild(%s, %s)\n" % (imp, m.name, ks, m.name, ", ".join(parts))
    return Fix(
        "edit_layer",
        title,
        F.code(src),
        rationale,
        resulting_shape,
        target=m.name,
        op=("rebuild", None, edits, placed[0], placed[1], removed) + ((True,) if m.rejected else ()),
    )


def rebuild_declared_input(facts: Facts, shape: Shape, rationale: str, title: str = "") -> Optional[Fix]:
    """``model = kerashape.rebuild(model, input_shape=(6, 30))`` for a model whose build failed.

    The same code as :func:`kerashape_magic.core.moves.templates.rebuild_input`, for a call without
    data (``model.add(...)``): the verify step builds the copy and runs it on a slice of
    matching data from the user's namespace (or on zeros when there is none, and says so).
    """
    fix = F.rebuild_input(facts, shape, rationale, title)
    if fix is None:
        return None
    return replace(fix, op=("rebuild", tuple(shape), (), (), (), ()) + tuple(fix.op[2:]))


def argmax_input(facts: Facts, x: DataFact, rationale: str) -> Optional[Fix]:
    """``X = np.argmax(X, axis=-1)``: one-hot inputs to the integer indices an Embedding expects."""
    if not F.is_identifier(x.name) or x.type_name != "ndarray" or not x.shape:
        return None
    np, imp = F._module(facts, "numpy", "np")
    src = "%s%s = %s.argmax(%s, axis=-1)\n" % (imp, x.name, np, x.name)
    return F.data_fix(
        facts,
        "argmax",
        "Turn the one-hot %s into integer indices" % x.name,
        src,
        rationale,
        tuple(x.shape[:-1]),
        target=x.name,
        op=("argmax_input", -1),
    )


def rebuild_input(facts: Facts, shape: Shape, rationale: str, title: str = "") -> Optional[Fix]:
    """``model = kerashape.rebuild(model, input_shape=shape)``: the declared input the rule found
    (:func:`kerashape_magic.core.moves.templates.rebuild_input`)."""
    return F.rebuild_input(facts, tuple(shape), rationale, title)


def squeeze_input(facts: Facts, x: DataFact, axis: int, result: Shape, rationale: str) -> Optional[Fix]:
    """``X = np.squeeze(X, axis=2)``: integer ids with a size-1 axis, for an Embedding
    (:func:`kerashape_magic.core.moves.templates.squeeze`)."""
    return F.squeeze(facts, x.name or "", x.type_name, axis, tuple(result), rationale)


def rebuild_batch_size(facts: Facts, batch_size: Optional[int], rationale: str) -> Optional[Fix]:
    """A stateful model rebuilt for another declared batch size
    (:func:`kerashape_magic.core.moves.templates.rebuild_batch_size`; move ``batch_size``)."""
    return F.rebuild_batch_size(facts, batch_size, rationale)


def flatten_branch(facts: Facts, name: str, result: Shape, rationale: str) -> Optional[Fix]:
    """``d1 = keras.layers.Flatten()(d1)``: one branch of a model being built (a symbolic tensor)
    flattened to ``(batch_size, k)`` before a merge layer (keras/src/layers/reshaping/flatten.py).

    The ``flatten`` fix kind. Its verifier (``kerashape_magic/verify_internal.py``, verb
    ``flatten_branch``) runs this code and then the failing merge call on the symbolic tensors in a
    copy of the namespace; it lasts only as a source edit of the model-building cell.

    Example:
        >>> fix = flatten_branch(Facts(aliases=(("keras", "keras"),)), "d1", (None, 10), "why")
        >>> print(fix.code, end="")
        d1 = keras.layers.Flatten()(d1)
    """
    if not F.is_identifier(name):
        return None
    ks, imp = F._module(facts, "keras", "keras")
    src = "%s%s = %s.layers.Flatten()(%s)\n" % (imp, name, ks, name)
    return Fix(
        "flatten",
        "Flatten %s before the merge (edit the model-building cell)" % name,
        F.code(src),
        rationale,
        tuple(result),
        target=name,
        op=("flatten_branch", name),
    )


#: The layer and model moves, by the name a rule's MoveRequest gives.
LAYER_MOVES: Dict[str, MoveSpec] = {
    # rebuild with one layer edited, inserted or removed (return_sequences, Flatten, RepeatVector,
    # a Reshape that bridges ranks)
    "edit_layer": MoveSpec(edit_layer, "rebuild", structured=True),
    # rebuild a model whose build failed for the input the rule found
    "rebuild_declared_input": MoveSpec(rebuild_declared_input, "rebuild", structured=True),
    # rebuild a model with data for the input the rule found (input_shape held the samples)
    "rebuild_input": MoveSpec(rebuild_input, "rebuild_input", structured=True),
    # one-hot inputs -> the integer ids an Embedding takes
    "argmax_input": MoveSpec(argmax_input, "argmax_input", structured=True),
    # integer ids with a size-1 axis -> without it (an Embedding adds its own axis)
    "squeeze_input": MoveSpec(squeeze_input, "code"),
    # one branch of a model being built flattened before a merge layer (a source edit)
    "flatten_branch": MoveSpec(flatten_branch, "flatten_branch"),
    # a stateful model rebuilt for the declared batch size the data allows
    "rebuild_batch_size": MoveSpec(rebuild_batch_size, "rebuild_batch", structured=True),
}
