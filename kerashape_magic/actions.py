"""Apply a fix in the user's namespace, undo it, and rebuild a model for a new input shape.

``apply`` runs a :class:`~kerashape_magic.core.types.Fix`'s code exactly as shown on its
button, in the user's namespace (the IPython shell's ``user_ns``, or ``__main__``'s outside
IPython), and remembers every name the code rebound or added, with the object it held
before. ``undo`` puts those very objects back. Nothing is copied and nothing is mutated:
the old array or model stays alive until the undo history is cleared.

``rebuild`` returns a *new* model with another input shape (or the same one, fresh),
copying every weight whose shape still fits and compiling it with the same loss, metrics
and optimizer settings. The model it is given is left untouched.

Keras 3.15 facts this module relies on (measured; see DESIGN.md, "Honesty rules"):

* After a failed ``fit``, the cached ``train_function`` makes the next ``fit`` raise
  ``Creating variables on a non-first call to a function decorated with tf.function``;
  clearing ``train_function`` / ``test_function`` / ``predict_function`` is enough for a
  built model (:func:`reset`).
* A Sequential model without a declared input that failed on its first call stays
  configured for the rejected shape (``Sequential model 'sequential' has already been
  configured to use input shape (None, 24)``); only a rebuilt model can take the right data.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from .core.types import Fix, KerashapeError

_MISSING = object()
_lock = threading.Lock()


@dataclass
class _Change:
    fix: Fix
    old: Dict[str, Any]  # name -> previous object (or _MISSING if the name was new)


_history: List[_Change] = []


def _user_ns() -> Dict[str, Any]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        get_ipython = None  # type: ignore[assignment]
    shell = get_ipython() if get_ipython else None
    if shell is not None:
        return shell.user_ns
    return sys.modules["__main__"].__dict__


def describe(obj: Any) -> str:
    """Describe an object's shape in one short phrase, e.g. ``"(100, 24, 1) float64"``.

    Args:
        obj: an array, tensor, DataFrame, dataset, list of sequences or Keras model.

    Returns:
        A phrase without array contents; ``type name`` when the shape is unknown.
    """
    from .facts import shape_of

    if hasattr(obj, "layers") and hasattr(obj, "inputs"):
        kept = getattr(obj, "_kerashape_weights_kept", None)
        extra = " (%d of %d weights kept)" % kept if kept and kept[1] else ""
        try:
            shapes = [tuple(i.shape) for i in obj.inputs]
            return "a model taking %s%s" % (", ".join(map(str, shapes)), extra)
        except Exception:
            return "a model that builds on its first call%s" % extra
    shape = shape_of(obj)
    if shape is None:
        return type(obj).__name__
    dtype = getattr(obj, "dtype", "")
    return ("%s %s" % (shape, getattr(dtype, "name", dtype))).strip()


def apply(fix: Fix, namespace: Optional[Dict[str, Any]] = None) -> str:
    """Run ``fix.code`` in the user's namespace and remember what it rebound, for undo.

    Args:
        fix: a fix from a :class:`~kerashape_magic.core.types.Diagnosis`.
        namespace: the namespace to run in; default the IPython shell's ``user_ns``.

    Returns:
        One line saying what changed, e.g. ``"X_train is now (100, 24, 1) float64"``.

    Raises:
        KerashapeError: ``fix`` is not a Fix, or its code raised (the namespace is then
            restored to what it was before, and the error is chained).
    """
    if not isinstance(fix, Fix):
        raise KerashapeError("apply() takes a kerashape Fix, got %r" % type(fix).__name__)
    ns = _user_ns() if namespace is None else namespace
    before = dict(ns)
    try:
        exec(compile(fix.code, "<kerashape fix: %s>" % fix.kind, "exec"), ns)
    except BaseException as exc:
        _restore(ns, before)
        raise KerashapeError("the fix %r failed and was rolled back: %s" % (fix.title, exc)) from exc
    old: Dict[str, Any] = {}
    for name, value in ns.items():
        prev = before.get(name, _MISSING)
        if prev is not value:
            old[name] = prev
    for name in before:
        if name not in ns:
            old[name] = before[name]
    with _lock:
        _history.append(_Change(fix, old))
    changed = [n for n in old if not n.startswith("_") and not _is_module(ns.get(n))]
    if not changed:
        return "%s: nothing was rebound" % fix.title
    parts = []
    for name in changed:
        parts.append("%s is now %s" % (name, describe(ns[name])) if name in ns else "%s removed" % name)
    return "; ".join(parts)


def _is_module(obj: Any) -> bool:
    return type(obj).__name__ == "module"


def _restore(ns: Dict[str, Any], before: Dict[str, Any]) -> None:
    for name in [n for n in ns if n not in before]:
        del ns[name]
    for name, value in before.items():
        if ns.get(name, _MISSING) is not value:
            ns[name] = value


def undo(namespace: Optional[Dict[str, Any]] = None) -> str:
    """Put back the objects the last :func:`apply` rebound (the identical objects).

    Args:
        namespace: the namespace the fix ran in; default the IPython shell's ``user_ns``.

    Returns:
        One line saying what was restored, e.g. ``"X_train is (100, 24) float64 again"``.

    Raises:
        KerashapeError: there is nothing to undo.
    """
    with _lock:
        if not _history:
            raise KerashapeError("nothing to undo: no kerashape fix has been applied")
        change = _history.pop()
    ns = _user_ns() if namespace is None else namespace
    shown = [n for n in change.old if not n.startswith("_") and not _is_module(change.old[n]) and not _is_module(ns.get(n))]
    for name, value in change.old.items():
        if value is _MISSING:
            ns.pop(name, None)
        else:
            ns[name] = value
    return "; ".join(
        "%s is %s again" % (n, describe(ns[n])) if n in ns else "%s removed" % n for n in shown
    ) or "undone"


def can_undo() -> bool:
    """True when there is an applied fix to undo."""
    return bool(_history)


def clear_history() -> None:
    """Forget every applied fix (the old objects can then be garbage-collected)."""
    with _lock:
        _history.clear()


# --------------------------------------------------------------------------- models


def reset(model: Any) -> Any:
    """Clear what a failed call left in ``model``: its cached train/test/predict functions.

    Keras 3.15 keeps the ``tf.function`` traced during a failed ``fit``; the next ``fit``
    then raises ``Creating variables on a non-first call to a function decorated with
    tf.function`` even with the right data, and that second failure builds the optimizer's
    slot variables inside a dead trace, so the fit after it fails again with ``Cannot
    update variable with shape [1] using a Tensor with shape [0]`` (measured). So:

    * the cached train/test/predict functions are cleared;
    * an optimizer that has not taken a single step (``iterations == 0``) is replaced by a
      fresh one with the same settings, by compiling again with the same loss and metrics
      (nothing learned is lost: it never stepped). A trained optimizer is kept as it is.

    Weights are never touched.

    Args:
        model: a Keras 3 model.

    Returns:
        The same model object.
    """
    for attr in ("train_function", "test_function", "predict_function"):
        if getattr(model, attr, None) is not None:
            setattr(model, attr, None)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and getattr(model, "compiled", False):
        try:
            steps = int(optimizer.iterations.numpy())
        except Exception:
            steps = 1
        if steps == 0:
            _compile_like(model, model)
    return model


def _declared_input_shapes(model: Any) -> Optional[List[tuple]]:
    if not getattr(model, "built", False):
        return None
    try:
        return [tuple(i.shape)[1:] for i in model.inputs]
    except Exception:
        return None


def _fresh(obj: Any) -> Any:
    """A new instance with the same configuration (optimizers, metric objects, losses)."""
    if obj is None or isinstance(obj, (str, bool, int, float)) or callable(obj) and not hasattr(obj, "get_config"):
        return obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(_fresh(o) for o in obj)
    if isinstance(obj, dict):
        return {k: _fresh(v) for k, v in obj.items()}
    if hasattr(obj, "get_config") and hasattr(type(obj), "from_config"):
        return type(obj).from_config(obj.get_config())
    return obj


def _compile_like(new: Any, old: Any, loss: Any = _MISSING) -> None:
    if not getattr(old, "compiled", False):
        return
    cfg = getattr(getattr(old, "_compile_config", None), "config", None)
    if isinstance(cfg, dict):
        kwargs = {k: _fresh(v) for k, v in cfg.items()}
        if kwargs.get("optimizer") is None and getattr(old, "optimizer", None) is not None:
            kwargs["optimizer"] = _fresh(old.optimizer)
    else:
        kwargs = {"optimizer": _fresh(old.optimizer), "loss": old.loss}
    if loss is not _MISSING:
        kwargs["loss"] = loss
    new.compile(**kwargs)


def _copy_weights(old: Any, new: Any) -> tuple:
    kept = total = 0
    old_layers = [l for l in old.layers if l.__class__.__name__ != "InputLayer"]
    new_layers = [l for l in new.layers if l.__class__.__name__ != "InputLayer"]
    for lo, ln in zip(old_layers, new_layers):
        for wo, wn in zip(lo.weights, ln.weights):
            total += 1
            if tuple(wo.shape) == tuple(wn.shape):
                wn.assign(wo)
                kept += 1
    return kept, total


def rebuild(model: Any, input_shape: Any = None, *, loss: Any = _MISSING) -> Any:
    """Return a new model like ``model`` for another input shape, keeping every weight that fits.

    Input shape: ``input_shape`` excludes the batch axis, as Keras's ``input_shape=``:
    ``(timesteps, features)`` for an LSTM, ``(height, width, channels)`` for a Conv2D; use
    ``None`` for a free size (``(None, 3)``: any number of timesteps). For a model with
    several inputs, pass a list of shapes in the order of ``model.inputs``.

    The new model has freshly created layers with the same configuration; every weight
    whose shape is unchanged is copied (an LSTM's recurrent kernel and bias survive a
    change of ``features``; its input kernel does not). It is compiled with the same loss,
    metrics and optimizer settings (a fresh optimizer: its moments start again). The old
    model is not modified.

    Args:
        model: a Keras 3 ``Sequential`` or Functional model.
        input_shape: the new input shape without the batch axis; ``None`` keeps the
            declared one, or, for a Sequential model without a declared input, returns
            an unbuilt copy that will build on its first call.
        loss: compile the new model with this loss instead of the old one.

    Returns:
        The new model. ``model._kerashape_weights_kept`` on it holds ``(kept, total)``.

    Raises:
        KerashapeError: ``model`` is a subclassed model (no config to rebuild from), or
            the configuration cannot be rebuilt for that shape.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise KerashapeError("rebuild() takes a Keras model, got %r" % type(model).__name__)
    shapes = _declared_input_shapes(model) if input_shape is None else input_shape
    if shapes is not None and input_shape is not None:
        shapes = list(shapes) if isinstance(shapes, list) else [tuple(shapes)]
    try:
        if isinstance(model, keras.Sequential):
            layers = [type(l).from_config(l.get_config()) for l in model.layers if l.__class__.__name__ != "InputLayer"]
            if shapes:
                layers = [keras.Input(shape=tuple(shapes[0]))] + layers
            new = keras.Sequential(layers, name=model.name)
        elif model.__class__.__name__ == "Functional" or type(model) is keras.Model:
            if shapes:
                names = [getattr(i, "name", None) for i in model.inputs]
                tensors = [keras.Input(shape=tuple(s), name=n) for s, n in zip(shapes, names)]
                new = keras.models.clone_model(model, input_tensors=tensors if len(tensors) > 1 else tensors[0])
            else:
                new = keras.models.clone_model(model)
        else:
            raise KerashapeError(
                "cannot rebuild a subclassed model (%s): it has no layer graph to rebuild from; "
                "change its input in your own code" % type(model).__name__
            )
    except KerashapeError:
        raise
    except Exception as exc:
        raise KerashapeError("could not rebuild %r for input shape %r: %s" % (model.name, input_shape, exc)) from exc
    kept_total = _copy_weights(model, new) if getattr(model, "built", False) else (0, 0)
    _compile_like(new, model, loss)
    new._kerashape_weights_kept = kept_total
    return new
