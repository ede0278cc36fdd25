"""Verifiers for the fixes of :mod:`kerashape_magic.core.moves.layers` (registered on import).

``rebuild``: the ``edit_layer`` fixes (``kerashape.rebuild(model, edit=..., insert_after=...,
insert_before=..., remove=...)``) and the ``rebuild_input`` of a model whose build failed.
A copy of the model is rebuilt exactly as the fix's code will rebuild it
(:func:`kerashape_magic.actions.rebuild`; the user's model is not touched), then run in
inference mode on the first 2 samples of the data:

* the failing call's ``x`` when there is one (the fix does not change the data);
* otherwise (the failing call had no data, e.g. ``model.add(...)``) the first array in the
  user's namespace whose shape fits the copy's input, named in the note;
* otherwise the fix stays unverified: a run on zeros would show that the copy builds, not
  that real data goes through it.

When the failing call had labels, the compiled loss is computed on the copy's output and
``y[:2]`` (the same check as :mod:`kerashape_magic.verify`).

``argmax_input``: one-hot inputs turned into indices (``np.argmax(X, axis=-1)``), run
through the model (or through a fresh copy when a failed call left the model configured
for the rejected shape).
"""

from __future__ import annotations

from typing import Any, Optional, Tuple

from .core.types import Fix
from .facts import Gathered, shape_of
from .verify import SLICE, Unverifiable, _check_model, fresh_copy, head, register, run_fix_code


def _layer(spec: Any) -> Any:
    """An inserted layer as the fix's code writes it: a class name (``"Flatten"``), or
    ``(class name, size)`` for ``keras.layers.RepeatVector(3)`` (core/vocab.py ``INSERTABLE_WITH_SIZE``)."""
    if isinstance(spec, tuple):
        from .flavour import keras_for

        keras = keras_for()

        return getattr(keras.layers, spec[0])(spec[1])
    return spec


@register("flatten_branch")
def verify_flatten_branch(fix: Fix, gathered: Gathered) -> str:
    """Run the fix's code, then the failing merge call, on the symbolic tensors of a model being
    built, in a copy of the user's namespace (core/moves/layers.py ``flatten_branch``). Nothing of
    the user's changes: new layers are made, none of the user's objects is rebound.

    Raises:
        Unverifiable: the failing call's source is unknown.
        Exception: what Keras raises for the fixed branches.
    """
    call = gathered.facts.call.source if gathered.facts.call is not None else ""
    if not call:
        raise Unverifiable("the failing merge call's source is unknown")
    ns = dict(gathered.namespace)
    exec(compile(fix.code, "<kerashape fix>", "exec"), ns)
    out = eval(compile(call.strip(), "<kerashape call>", "eval"), ns)
    return "ran the fix and the failing call `%s` on the model's symbolic tensors: it returns %s" % (
        call.strip(),
        tuple(getattr(out, "shape", ()) or ()),
    )


def _plan(fix: Fix) -> dict:
    _, input_shape, edits, after, before, removed = fix.op[:6]
    return {
        "input_shape": tuple(input_shape) if input_shape is not None else None,
        "edit": {name: dict(changes) for name, changes in edits} or None,
        "insert_after": {name: _layer(spec) for name, spec in after} or None,
        "insert_before": {name: _layer(spec) for name, spec in before} or None,
        "remove": list(removed) or None,
    }


def _fits(shape: Optional[tuple], want: tuple) -> bool:
    return (
        shape is not None
        and len(shape) == len(want)
        and all(w is None or s == w for s, w in zip(shape[1:], want[1:]))
    )


def _input_slice(candidate: Any, gathered: Gathered) -> Tuple[Any, str, bool]:
    """(first samples to run, where they come from, whether they are the failing call's x)."""
    x = gathered.objects.get("x")
    if x is not None:
        fact = gathered.facts.role("x")
        return head(x), "%s[:%d]" % (fact.source if fact else "x", SLICE), True
    try:
        want = tuple(candidate.inputs[0].shape)
    except Exception:
        raise Unverifiable(
            "the failing call had no data and the rebuilt model has no declared input to try it on"
        )
    for name, obj in gathered.namespace.items():
        if (
            name.startswith("_")
            or isinstance(obj, type)
            or not hasattr(obj, "shape")
            or hasattr(obj, "layers")
        ):
            continue
        if _fits(shape_of(obj), want):
            return (
                head(obj),
                "%s[:%d] (an array of your namespace that fits the new input)" % (name, SLICE),
                False,
            )
    for name, obj in gathered.namespace.items():  # data that lacks only the trailing size-1 axis
        if (
            name.startswith("_")
            or isinstance(obj, type)
            or not hasattr(obj, "shape")
            or hasattr(obj, "layers")
        ):
            continue
        shape = shape_of(obj)
        if shape is not None and want[-1] == 1 and _fits(tuple(shape) + (1,), want):
            import numpy as np

            return (
                np.expand_dims(head(obj), -1),
                "%s[:%d] with a trailing axis of size 1 (an array of your namespace)" % (name, SLICE),
                False,
            )
    # zeros would prove the copy builds, not that your data goes through it: not verified
    raise Unverifiable(
        "no data in the failing call or in your namespace fits the rebuilt input %s to try it on" % (want,)
    )


def structured_rebuild(fix: Fix, model: Any) -> Any:
    """The copy a ``rebuild`` fix makes of ``model``, computed from ``fix.op`` (used when the
    model's variable is not a plain name the fix's code can rebind, e.g. ``self.model``).

    tests/test_verify_contract.py proves it equals running the fix's own code.
    """
    from . import actions
    from .facts import rejected_layer

    plan = _plan(fix)
    if fix.op[6:7] == (True,):  # the layer a failed add was given (Keras 2), added back
        plan["add"] = rejected_layer(model)
    return actions.rebuild(model, plan.pop("input_shape"), **{k: v for k, v in plan.items() if v is not None})


def structured_input(fix: Fix, obj: Any) -> Any:
    """What an ``argmax_input`` fix makes of the first samples of ``obj`` (``np.argmax``)."""
    import numpy as np

    return np.argmax(np.asarray(head(obj)), axis=fix.op[1])


@register("rebuild")
def verify_rebuild(fix: Fix, gathered: Gathered) -> str:
    """Rebuild a copy as the fix will, and run it on the first samples (plus the loss)."""

    model = gathered.model
    if model is None:
        raise Unverifiable("no model to rebuild")
    name = gathered.facts.model.name if gathered.facts.model is not None else None
    if name and name.isidentifier() and name in gathered.namespace:
        candidate = run_fix_code(fix, gathered)[name]  # the fix's own code
    else:
        candidate = structured_rebuild(fix, model)
    kept, total = getattr(candidate, "_kerashape_weights_kept", (0, 0))
    xs, where, is_x = _input_slice(candidate, gathered)
    y = gathered.objects.get("y") if is_x else None
    note = _check_model(candidate, xs, head(y) if y is not None else None, model)
    return "rebuilt a copy of the model (%d of %d weights kept) and ran it on %s: %s" % (
        kept,
        total,
        where,
        note,
    )


@register("argmax_input")
def verify_argmax_input(fix: Fix, gathered: Gathered) -> str:
    """Turn the first samples into indices and run the model (or a fresh copy) on them."""
    model = gathered.model
    obj = gathered.namespace.get(fix.target) if fix.target else None
    if obj is None:
        obj = gathered.objects.get("x")
    if model is None or obj is None:
        raise Unverifiable("no model or data to try the indices on")
    xs = structured_input(fix, obj)
    mf = gathered.facts.model
    fresh = not getattr(model, "built", False) or (mf is not None and mf.lazy_configured)
    candidate = fresh_copy(model, xs) if fresh else model
    y = gathered.objects.get("y")
    note = _check_model(candidate, xs, head(y) if y is not None else None, model)
    where = "a fresh copy of the model (as the fix's code rebuilds it)" if fresh else "the model"
    return "ran %s on the indices of the first %d samples %s: %s" % (where, SLICE, tuple(xs.shape), note)
