"""Try each candidate fix on a tiny slice before it may be called *verified*.

For every :class:`~kerashape_magic.core.types.Fix` the verify step builds the fixed data
for at most 2 samples (or one element of a ``tf.data.Dataset``) straight from the user's
object, without running the fix on the whole data and without writing to it, and then:

* calls the real model on it in inference mode (``model(x, training=False)``), which
  reads the weights and never writes them; a model that is not built (a lazy Sequential)
  or that a failed call left configured for the wrong shape is never called: a rebuilt
  copy (:func:`kerashape_magic.actions.rebuild`) stands in, exactly what applying the fix
  will create;
* for ``rebuild_input``, calls the rebuilt model with the user's unchanged slice;
* when labels are known, computes the compiled loss on the output and the label slice, and
  checks that x and y keep the same number of samples;
* when the failing call was a data constructor (``tf.data.Dataset.from_tensor_slices``,
  ``tf.constant``, ``np.array``) and there is no model, re-runs that call on the slices.

A fix is verified only when all of that ran here without an error. Whatever goes wrong is
kept in ``Fix.verification`` for the panel's Details section.
"""

from __future__ import annotations

import ast
import math
from dataclasses import replace
from typing import Any, Callable, Dict, Tuple

from .core.types import Diagnosis, Fix
from .facts import DATA_CONSTRUCTORS, Gathered, shape_of

SLICE = 2  # samples per verification


def _np():
    import numpy

    return numpy


def head(obj: Any, n: int = SLICE) -> Any:
    """The first ``n`` samples of ``obj`` as a NumPy array or list, without touching the rest."""
    np = _np()
    if hasattr(obj, "iloc"):
        return obj.iloc[:n].to_numpy()
    if isinstance(obj, (list, tuple)):
        return list(obj[:n])
    if hasattr(obj, "shape") and hasattr(obj, "__getitem__"):
        return np.asarray(obj[:n])
    return obj


def _prefix(obj: Any, shape: Tuple[int, ...], n: int = SLICE) -> Any:
    """The first ``n`` samples of ``obj.reshape(shape)``, read from the front of ``obj`` only."""
    np = _np()
    per_sample = math.prod(shape[1:])
    src_shape = shape_of(obj)
    per_row = math.prod(d or 1 for d in (src_shape[1:] if src_shape else ()))
    rows = -(-n * per_sample // max(per_row, 1))
    flat = np.asarray(head(obj, rows)).reshape(-1)[: n * per_sample]
    return flat.reshape((n,) + tuple(shape[1:]))


def transformed_slice(fix: Fix, obj: Any) -> Any:
    """What ``fix`` makes of the first samples of ``obj`` (its target), as a small array.

    Raises:
        ValueError: the op cannot be applied to this object.
    """
    np = _np()
    verb = fix.op[0] if fix.op else ""
    if verb == "expand_dims":
        axis = fix.op[1]
        return np.expand_dims(np.asarray(obj), 0) if axis == 0 else np.expand_dims(head(obj), axis)
    if verb == "reshape":
        return _prefix(obj, tuple(fix.op[1]))
    if verb == "reshape_transpose":
        return np.transpose(_prefix(obj, tuple(fix.op[1])), fix.op[2])
    if verb == "transpose":
        return np.transpose(head(obj), fix.op[1])
    if verb == "squeeze":
        return np.squeeze(head(obj), axis=fix.op[1])
    if verb == "repeat":
        return np.repeat(head(obj), fix.op[1], axis=fix.op[2])
    if verb == "pad_sequences":
        from keras.utils import pad_sequences

        maxlen, dtype = fix.op[1], fix.op[2]
        kw = {"maxlen": maxlen, "truncating": "post"} if maxlen is not None else {}
        return pad_sequences(head(obj), padding="post", dtype=dtype, **kw)
    raise ValueError("no slice transform for %r" % (verb,))


def _loss_fn(model: Any) -> Any:
    cfg = getattr(getattr(model, "_compile_config", None), "config", None)
    loss = cfg.get("loss") if isinstance(cfg, dict) else getattr(model, "loss", None)
    if loss is None or isinstance(loss, (list, dict)):
        return None
    import keras

    return keras.losses.get(loss) if isinstance(loss, str) else loss


def _align_ranks(ys: Any, out: Any) -> Any:
    """As Keras's compiled loss does (squeeze_or_expand_to_same_rank in
    keras/src/losses/loss.py): labels (N,) meet an output (N, 1), and the other way."""
    np = _np()
    ys = np.asarray(ys)
    out_rank = len(out.shape)
    if ys.ndim == out_rank - 1 and out.shape[-1] == 1:
        return np.expand_dims(ys, -1)
    if ys.ndim == out_rank + 1 and ys.shape[-1] == 1:
        return np.squeeze(ys, -1)
    return ys


def _check_model(candidate: Any, xs: Any, ys: Any, loss_model: Any) -> str:
    out = candidate(xs, training=False)
    shape = tuple(getattr(out, "shape", ()))
    note = "output %s" % (shape,)
    if ys is not None:
        fn = _loss_fn(loss_model)
        if fn is not None:
            value = fn(_align_ranks(ys, out), out)
            _np().asarray(value)  # forces evaluation
            note += ", loss computed on the labels"
    return note


def _rerun_constructor(gathered: Gathered, fix: Fix, fixed: Any) -> str:
    """Re-run a data-constructor call with every data argument cut to its first samples."""
    node = gathered.call_node
    if node is None or gathered.facts.call.method not in DATA_CONSTRUCTORS:
        raise ValueError("no model and no data constructor to try the fix on")
    ns = dict(gathered.namespace)
    for d in gathered.facts.data:
        if d.name and d.name in ns:
            ns[d.name] = head(ns[d.name])
    ns[fix.target] = fixed
    expr = ast.Expression(body=node)
    ast.fix_missing_locations(expr)
    result = eval(compile(expr, "<kerashape verify>", "eval"), ns)
    return "re-ran %s on the first %d samples: %s" % (gathered.facts.call.source, SLICE, type(result).__name__)


#: verb -> function(fix, gathered) returning a note; it raises when the fix does not work.
#: Modules that add fix kinds register their verifiers here (see ``register``).
VERIFIERS: Dict[str, Callable[[Fix, Gathered], str]] = {}


def register(verb: str) -> Callable[[Callable[[Fix, Gathered], str]], Callable[[Fix, Gathered], str]]:
    """Decorator: use this function to verify fixes whose ``op[0]`` is ``verb``.

    The function gets the fix and the gathered objects, must never change the user's model
    or data (work on slices and on rebuilt copies), returns a one-line note of what ran,
    and raises any exception when the fix does not work.
    """

    def deco(fn: Callable[[Fix, Gathered], str]) -> Callable[[Fix, Gathered], str]:
        VERIFIERS[verb] = fn
        return fn

    return deco


def verify_fix(fix: Fix, gathered: Gathered, diagnosis: Diagnosis) -> Fix:
    """Return ``fix`` marked verified (or not) with a note saying what ran."""
    from . import actions

    model = gathered.model
    mf = gathered.facts.model
    y = gathered.objects.get("y")
    try:
        verb = fix.op[0] if fix.op else ""
        if verb in VERIFIERS:
            return fix.with_verification(True, VERIFIERS[verb](fix, gathered))
        if verb == "rebuild_input":
            x = gathered.objects.get("x")
            if model is None or x is None:
                raise ValueError("no model or data to try the rebuilt model on")
            candidate = actions.rebuild(model, tuple(fix.op[1]))
            kept, total = getattr(candidate, "_kerashape_weights_kept", (0, 0))
            note = _check_model(candidate, head(x), head(y) if y is not None else None, model)
            return fix.with_verification(True, "rebuilt a copy of the model (%d of %d weights kept) and ran it on %s[:%d]: %s" % (
                kept, total, gathered.facts.role("x").source if gathered.facts.role("x") else "x", SLICE, note))
        if verb == "padded_batch":
            source = gathered.namespace.get(fix.op[2])
            if source is None or model is None:
                raise ValueError("no dataset or model to try padded_batch on")
            element = next(iter(source.padded_batch(SLICE).take(1)))
            xs, ys = (element[0], element[1]) if isinstance(element, (tuple, list)) and len(element) > 1 else (element, None)
            candidate = model if getattr(model, "built", False) and not mf.lazy_configured else actions.rebuild(model)
            note = _check_model(candidate, xs, ys, model)
            return fix.with_verification(True, "ran the model on one padded batch of %d elements: %s" % (SLICE, note))
        target = gathered.namespace.get(fix.target) if fix.target else None
        if target is None:
            target = gathered.objects.get(fix.target or "x")
        if target is None:
            raise ValueError("the object %r was not found" % fix.target)
        fixed = transformed_slice(fix, target)
        if fix.resulting_shape and y is not None and fix.target != gathered.facts.role("y") and gathered.facts.role("y"):
            ny = shape_of(y)
            if ny and fix.resulting_shape[0] is not None and ny[0] != fix.resulting_shape[0]:
                raise ValueError("after the fix x has %d samples but y has %d" % (fix.resulting_shape[0], ny[0]))
        if model is None or gathered.facts.call.method in DATA_CONSTRUCTORS:
            return fix.with_verification(True, _rerun_constructor(gathered, fix, fixed))
        candidate = model if getattr(model, "built", False) and not (mf and mf.lazy_configured) else actions.rebuild(model)
        note = _check_model(candidate, fixed, head(y) if y is not None else None, model)
        where = "the model" if candidate is model else "a fresh copy of the model (the original is unbuilt or was left configured by the failed call)"
        return fix.with_verification(True, "ran %s on the fixed first %d samples: %s" % (where, SLICE, note))
    except Exception as exc:  # every failure means: not verified, and why
        msg = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        if "\x1b" in msg or "Exception encountered" in msg:
            from .core.messages import clean_message

            msg = clean_message(str(exc))[:300]
        return fix.with_verification(False, "not verified: %s: %s" % (type(exc).__name__, msg))


def verify(diagnosis: Diagnosis, gathered: Gathered) -> Diagnosis:
    """Verify every fix of ``diagnosis``; verified fixes first, the order otherwise kept.

    Needs TensorFlow/Keras only when there is a model or a dataset to try (they are
    imported then, lazily). Never changes the model's weights, its optimizer, or the
    user's objects.
    """
    if not diagnosis.fixes:
        return diagnosis
    from . import (
        verify_internal,  # noqa: F401  (registers the internal-layer verifiers)
        verify_labels,  # noqa: F401  (registers the label and loss verifiers)
    )

    checked = [verify_fix(f, gathered, diagnosis) for f in diagnosis.fixes]
    ordered = tuple([f for f in checked if f.verified] + [f for f in checked if not f.verified])
    return replace(diagnosis, fixes=ordered)
