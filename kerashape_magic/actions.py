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
    shown = [
        n
        for n in change.old
        if not n.startswith("_") and not _is_module(change.old[n]) and not _is_module(ns.get(n))
    ]
    for name, value in change.old.items():
        if value is _MISSING:
            ns.pop(name, None)
        else:
            ns[name] = value
    return (
        "; ".join("%s is %s again" % (n, describe(ns[n])) if n in ns else "%s removed" % n for n in shown)
        or "undone"
    )


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
    """The input shapes the user declared, without the batch axis, or None.

    A built model: its ``inputs``. A Sequential that is not built but whose first layer
    was given ``input_shape=`` (Keras 3.15 keeps it as ``layer._input_shape_arg``,
    keras/src/layers/layer.py; ``Sequential.add`` turns it into an ``InputLayer``): that
    shape. A build that failed inside ``Sequential.add`` leaves the model unbuilt, and the
    declared shape must survive a rebuild; a lazy Sequential configured by a failed
    ``fit`` has no ``_input_shape_arg`` and stays lazy.
    """
    if not getattr(model, "built", False):
        raw = getattr(model, "_layers", None) or []
        layers = [lay for lay in raw if lay.__class__.__name__ != "InputLayer"]
        declared = getattr(layers[0], "_input_shape_arg", None) if layers else None
        if declared is not None and model.__class__.__name__ == "Sequential":
            return [tuple(declared)]
        return None
    try:
        return [tuple(i.shape)[1:] for i in model.inputs]
    except Exception:
        return None


def _configured_shape(model: Any) -> Optional[tuple]:
    """For an unbuilt Sequential whose layers hold weights (a failed first call built the
    layers before the failing one, Keras 3.15): the input shape that call configured."""
    raw = getattr(model, "_layers", None) or []
    if getattr(model, "built", False) or not raw or raw[0].__class__.__name__ != "InputLayer":
        return None
    if not any(lay.weights for lay in raw[1:]):
        return None
    try:
        return tuple(raw[0].batch_shape)[1:]
    except Exception:
        return None


def _fresh(obj: Any) -> Any:
    """A new instance with the same configuration (optimizers, metric objects, losses)."""
    if (
        obj is None
        or isinstance(obj, (str, bool, int, float))
        or callable(obj)
        and not hasattr(obj, "get_config")
    ):
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
    """Copy every weight whose shape still fits, layer by layer, matched by layer name.

    Returns ``(kept, total)``: ``total`` counts the weights of the new model's layers that
    have a same-named, same-class layer in ``old`` (inserted layers are new, removed ones
    are gone); ``kept`` those whose shape was unchanged and were copied.
    """
    kept = total = 0
    old_by_name = {lay.name: lay for lay in old.layers if lay.__class__.__name__ != "InputLayer"}
    for ln in new.layers:
        lo = old_by_name.get(ln.name)
        if lo is None or type(lo) is not type(ln):
            continue
        for wo, wn in zip(lo.weights, ln.weights):
            total += 1
            if tuple(wo.shape) != tuple(wn.shape):
                continue
            try:  # a variable first created inside a failed call's trace has no usable value (Keras 3.15)
                value = wo.numpy()
            except Exception:
                continue
            if tuple(value.shape) == tuple(wn.shape):
                wn.assign(value)
                kept += 1
    return kept, total


# --------------------------------------------------------------------------- edits
# rebuild(..., edit=, insert_after=, insert_before=, remove=): the ``edit_layer`` fix kind of DESIGN.md.


def _names(model: Any) -> List[str]:
    return [lay.name for lay in model.layers if lay.__class__.__name__ != "InputLayer"]


def _check_names(model: Any, names: Any, what: str) -> None:
    known = _names(model)
    for n in names:
        if n not in known:
            raise KerashapeError(
                "%s: no layer named %r in model %r; its layers are %s"
                % (what, n, model.name, ", ".join(map(repr, known)))
            )


def _edited_config(layer: Any, changes: Dict[str, Any]) -> Dict[str, Any]:
    """``layer.get_config()`` with ``changes`` applied.

    A key that only the wrapped layer of a wrapper has (``Bidirectional(LSTM(...))``'s
    ``return_sequences``, keras/src/layers/rnn/bidirectional.py) is changed in the wrapped
    layer, and in the backward layer of a ``Bidirectional``.
    """
    import copy

    cfg = copy.deepcopy(layer.get_config())
    for key, value in changes.items():
        if key == "name":
            raise KerashapeError("edit: a layer's name cannot be edited (weights are matched by name)")
        if key in cfg:
            cfg[key] = value
            continue
        inner = [
            cfg[k]
            for k in ("layer", "backward_layer")
            if isinstance(cfg.get(k), dict) and isinstance(cfg[k].get("config"), dict)
        ]
        if inner and key in inner[0]["config"]:
            for sub in inner:
                sub["config"][key] = value
            continue
        raise KerashapeError(
            "edit: layer %r (%s) has no configuration key %r; its keys are %s"
            % (layer.name, type(layer).__name__, key, ", ".join(sorted(cfg)))
        )
    return cfg


def _new_layer(spec: Any, taken: set) -> Any:
    """A layer to insert: a class name from ``keras.layers`` (``"Flatten"``), a class, or an instance."""
    import keras

    if isinstance(spec, str):
        cls = getattr(keras.layers, spec, None)
        if not (isinstance(cls, type) and issubclass(cls, keras.layers.Layer)):
            raise KerashapeError("insert_after: %r is not a layer class in keras.layers" % spec)
        spec = cls
    if isinstance(spec, type) and issubclass(spec, keras.layers.Layer):
        layer = spec()
        n = 1
        while layer.name in taken:
            layer = spec(name="%s_%d" % (layer.name, n))
            n += 1
    elif isinstance(spec, keras.layers.Layer):
        layer = spec
        if layer.name in taken:
            raise KerashapeError("insert_after: the model already has a layer named %r" % layer.name)
    else:
        raise KerashapeError(
            "insert_after: expected a keras.layers class name, class or layer, got %r" % (spec,)
        )
    taken.add(layer.name)
    return layer


def _edit_plan(model: Any, edit: Any, insert_after: Any, insert_before: Any, remove: Any) -> tuple:
    """Validate the edit arguments against ``model``; return ``(edit, after, before, remove)``."""
    edit = dict(edit or {})
    for name, changes in edit.items():
        if not isinstance(changes, dict) or not changes:
            raise KerashapeError(
                "edit: expected {layer name: {config key: value}}, got %r for %r" % (changes, name)
            )
    if isinstance(remove, str):
        remove = [remove]
    remove = list(remove or [])
    _check_names(model, edit, "edit")
    _check_names(model, remove, "remove")
    _check_names(model, dict(insert_after or {}), "insert_after")
    _check_names(model, dict(insert_before or {}), "insert_before")
    both = set(edit) & set(remove)
    if both:
        raise KerashapeError("cannot both edit and remove %s" % ", ".join(map(repr, sorted(both))))
    taken = set(_names(model))
    plans = []
    for what, arg in (("after", insert_after), ("before", insert_before)):
        inserts = {}
        for name, specs in dict(arg or {}).items():
            if name in remove:
                raise KerashapeError("cannot insert %s %r: it is removed" % (what, name))
            specs = list(specs) if isinstance(specs, (list, tuple)) else [specs]
            inserts[name] = [_new_layer(s, taken) for s in specs]
        plans.append(inserts)
    return edit, plans[0], plans[1], set(remove)


def _clone_layer(layer: Any, changes: Optional[Dict[str, Any]]) -> Any:
    cfg = _edited_config(layer, changes) if changes else layer.get_config()
    return type(layer).from_config(cfg)


def _sequential_layers(
    model: Any, edit: Dict[str, Any], after: Dict[str, list], before: Dict[str, list], remove: set
) -> List[Any]:
    layers = []
    for layer in model.layers:
        if layer.__class__.__name__ == "InputLayer":
            continue
        layers.extend(before.get(layer.name, ()))
        if layer.name not in remove:
            layers.append(_clone_layer(layer, edit.get(layer.name)))
            layers.extend(after.get(layer.name, ()))
    return layers


def _functional_hooks(
    edit: Dict[str, Any], after: Dict[str, list], before: Dict[str, list], remove: set
) -> tuple:
    """``clone_function`` / ``call_function`` for ``keras.models.clone_model``
    (keras/src/models/cloning.py: ``call_function`` may insert layers around a call)."""

    def clone_function(layer: Any) -> Any:
        return _clone_layer(layer, edit.get(layer.name))

    def call_function(layer: Any, *args: Any, **kwargs: Any) -> Any:
        if layer.name in before:
            if len(args) != 1 or isinstance(args[0], (list, tuple, dict)):
                raise KerashapeError("insert_before: layer %r takes several inputs" % layer.name)
            first = args[0]
            for extra in before[layer.name]:
                first = extra(first)
            args = (first,)
        if layer.name in remove:
            if len(args) != 1 or isinstance(args[0], (list, tuple, dict)):
                raise KerashapeError(
                    "remove: layer %r takes several inputs; only one-input layers can go" % layer.name
                )
            return args[0]
        out = layer(*args, **kwargs)
        for extra in after.get(layer.name, ()):
            if isinstance(out, (list, tuple, dict)):
                raise KerashapeError("insert_after: layer %r has several outputs" % layer.name)
            out = extra(out)
        return out

    return clone_function, call_function


def _strategy_of(model: Any) -> Any:
    """The tf.distribute strategy the model was created under, or None for the default one."""
    strategy = getattr(model, "distribute_strategy", None)
    if strategy is None or type(strategy).__name__ in ("_DefaultDistributionStrategy", "NoneType"):
        return None
    return strategy


def _in_model_strategy(fn: Any) -> Any:
    """Run ``fn(model, ...)`` inside ``model.distribute_strategy.scope()`` when it has one.

    A model built under ``tf.distribute.MirroredStrategy`` keeps mirrored variables; its
    rebuilt copy must be created, filled and compiled in the same scope, or it would train
    on one device without a word (Keras 3 TensorFlowTrainer reads the strategy at creation).
    """
    import functools

    @functools.wraps(fn)
    def wrapper(model: Any, *args: Any, **kwargs: Any) -> Any:
        strategy = _strategy_of(model)
        if strategy is None:
            return fn(model, *args, **kwargs)
        with strategy.scope():
            return fn(model, *args, **kwargs)

    return wrapper


@_in_model_strategy
def rebuild(
    model: Any,
    input_shape: Any = None,
    *,
    loss: Any = _MISSING,
    edit: Optional[Dict[str, Dict[str, Any]]] = None,
    insert_after: Optional[Dict[str, Any]] = None,
    insert_before: Optional[Dict[str, Any]] = None,
    remove: Any = None,
) -> Any:
    """Return a new model like ``model``, keeping every weight that still fits.

    Input shape: ``input_shape`` excludes the batch axis, as Keras's ``input_shape=``:
    ``(timesteps, features)`` for an LSTM, ``(height, width, channels)`` for a Conv2D; use
    ``None`` for a free size (``(None, 3)``: any number of timesteps). For a model with
    several inputs, pass a list of shapes in the order of ``model.inputs``.

    The new model has freshly created layers with the same configuration, except where
    ``edit`` / ``insert_after`` / ``insert_before`` / ``remove`` say otherwise (the ``edit_layer`` fix kind of
    DESIGN.md). Weights are matched by layer name: every weight whose shape is unchanged
    is copied (an LSTM's recurrent kernel and bias survive a change of ``features``; its
    input kernel does not; a Dense after a newly inserted ``Flatten`` keeps its bias but
    not its kernel). It is compiled with the same loss, metrics and optimizer settings (a
    fresh optimizer: its moments start again). The old model is not modified.

    Args:
        model: a Keras 3 ``Sequential`` or Functional model.
        input_shape: the new input shape without the batch axis; ``None`` keeps the
            declared one, or, for a Sequential model without a declared input, returns
            an unbuilt copy that will build on its first call. With edits, a Sequential
            left unbuilt by a failed call whose first layers were built (and so hold
            weights) is rebuilt for the input shape that call configured, so that those
            weights are kept; if the edited copy does not take that shape, it is unbuilt.
        loss: compile the new model with this loss instead of the old one.
        edit: ``{layer name: {config key: new value}}``: rebuild those layers with their
            ``get_config()`` changed, e.g. ``{"lstm": {"return_sequences": True}}`` or
            ``{"dense_1": {"units": 6}}``. Only keys the layer's config already has (or,
            for a wrapper such as ``Bidirectional``, its wrapped layer has) are accepted.
        insert_after: ``{layer name: layer}``: put a new layer right after the named one;
            the layer is a class name from ``keras.layers`` (``"Flatten"``, built with
            default arguments), a layer class, a layer instance, or a list of those
            (inserted in that order).
        insert_before: the same, right before the named layer (e.g. a ``Flatten`` before
            a first ``Dense`` that was given images).
        remove: a layer name or a list of names: drop those layers; what fed them feeds
            what they fed (a layer with one input only). E.g. an ``Embedding`` that was
            given vectors instead of integer indices.

    Returns:
        The new model. ``model._kerashape_weights_kept`` on it holds ``(kept, total)``.

    Raises:
        KerashapeError: ``model`` is a subclassed model (no config to rebuild from), a
            named layer or configuration key does not exist, or the configuration cannot
            be rebuilt for that shape (Keras's error is chained).

    Example:
        >>> model = kerashape.rebuild(model, edit={"lstm": {"return_sequences": True}})  # doctest: +SKIP
        >>> model = kerashape.rebuild(model, insert_after={"max_pooling2d": "Flatten"})  # doctest: +SKIP
        >>> model = kerashape.rebuild(model, insert_before={"dense": "Flatten"})  # doctest: +SKIP
        >>> model = kerashape.rebuild(model, remove="embedding")  # doctest: +SKIP
    """
    import keras

    if not isinstance(model, keras.Model):
        raise KerashapeError("rebuild() takes a Keras model, got %r" % type(model).__name__)
    editing = bool(edit or insert_after or insert_before or remove)
    edits, after, before, removed = (
        _edit_plan(model, edit, insert_after, insert_before, remove) if editing else ({}, {}, {}, set())
    )
    shapes = _declared_input_shapes(model) if input_shape is None else input_shape
    if shapes is not None and input_shape is not None:
        shapes = list(shapes) if isinstance(shapes, list) else [tuple(shapes)]
    try:
        if isinstance(model, keras.Sequential):
            layers = _sequential_layers(model, edits, after, before, removed)
            new = None
            configured = None if shapes or not editing else _configured_shape(model)
            if shapes:
                new = keras.Sequential([keras.Input(shape=tuple(shapes[0]))] + layers, name=model.name)
            elif configured is not None:
                try:  # keep the weights the failed call built: build the copy for the shape it configured
                    new = keras.Sequential([keras.Input(shape=configured)] + layers, name=model.name)
                except Exception:  # the edited copy does not take that shape: leave it to build on first call
                    layers = _sequential_layers(model, edits, after, before, removed)
            if new is None:
                new = keras.Sequential(layers, name=model.name)
        elif model.__class__.__name__ == "Functional" or type(model) is keras.Model:
            kwargs = {}
            if editing:
                hooks = _functional_hooks(edits, after, before, removed)
                kwargs["clone_function"], kwargs["call_function"] = hooks
            if shapes:
                names = [getattr(i, "name", None) for i in model.inputs]
                tensors = [keras.Input(shape=tuple(s), name=n) for s, n in zip(shapes, names)]
                kwargs["input_tensors"] = tensors if len(tensors) > 1 else tensors[0]
            new = keras.models.clone_model(model, **kwargs)
        else:
            raise KerashapeError(
                "cannot rebuild a subclassed model (%s): it has no layer graph to rebuild from; "
                "change its input in your own code" % type(model).__name__
            )
    except KerashapeError:
        raise
    except Exception as exc:
        what = "for input shape %r" % (input_shape,) if input_shape is not None else ""
        what = what or ("with these edits" if editing else "")
        raise KerashapeError("could not rebuild %r %s: %s" % (model.name, what, exc)) from exc
    kept_total = _copy_weights(model, new)
    _compile_like(new, model, loss)
    new._kerashape_weights_kept = kept_total
    return new
