"""Verifiers for label and loss fixes (registered in :data:`kerashape_magic.verify.VERIFIERS`).

A label fix is *verified* only when the model's compiled loss, computed exactly as ``fit``
computes it, accepts the model's output for ``x[:2]`` together with the fixed ``y[:2]`` and
gives a finite value; the compiled metrics must accept them too (``metrics=["accuracy"]``
resolves by the labels' shape). "Exactly as fit" means ``Model.compute_loss`` and
``Model.compute_metrics`` (keras/src/trainers/trainer.py), whose ``CompileLoss`` lines the
labels up with ``squeeze_or_expand_to_same_rank`` (keras/src/losses/loss.py) before the
backend's checks (keras/src/backend/tensorflow/nn.py).

They run on a *copy*: :func:`kerashape_magic.actions.rebuild` gives a new model with the
same layers and weights, compiled with the same loss, metrics and optimizer settings, or
with the new loss for ``sparse_loss`` / ``categorical_loss`` / ``binary_loss`` (which is
exactly what applying such a fix creates). The user's model is never called, compiled or
rebuilt in place; the user's labels are read through their first 2 samples only, and the
fixed slice is built from those (``keras.utils.to_categorical``, ``np.argmax``,
``np.squeeze``, a reshape of the front of the array).

Class indices are also checked against what the facts layer read from up to a few
thousand labels (``DataFact.labels``): a 2-sample slice may not hold the largest class, and
on a GPU an index past the output's units gives NaN instead of an error.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Tuple

from . import actions
from .backend import loss_backward, to_numpy
from .core.types import Fix
from .facts import Gathered, shape_of
from .verify import SLICE, Unverifiable, _infer, _loss_fn, _prefix, elements, head, register, shapes_disagree

_KEEP = object()


def _is_dataset(obj: Any) -> bool:
    return hasattr(obj, "element_spec") and hasattr(obj, "take")


def _np():
    import numpy

    return numpy


def _labels_object(fix: Fix, g: Gathered) -> Any:
    """The labels the fix rewrites (by its target name), else the call's y."""
    obj = g.namespace.get(fix.target) if fix.target else None
    if obj is None and fix.target:
        obj = g.objects.get(fix.target)
    if obj is None:
        obj = g.objects.get("y")
    if obj is None:
        raise Unverifiable("the labels %r were not found" % (fix.target or "y"))
    return obj


def _roles(fix: Fix, g: Gathered) -> Tuple[str, str]:
    """("x", "y"), or ("val_x", "val_y") when the fix rewrites the validation labels."""
    target = next((d for d in g.facts.data if fix.target and d.name == fix.target), None)
    return ("val_x", "val_y") if target is not None and target.role == "val_y" else ("x", "y")


def _slices(g: Gathered, roles: Tuple[str, str] = ("x", "y")) -> Tuple[Any, Any]:
    """(x[:2], y[:2]): from the arrays, or from the first batch of an ``(x, y)`` dataset."""
    x = g.objects.get(roles[0])
    if x is None:
        raise Unverifiable("no input data to run the model on")
    if _is_dataset(x):
        element = elements(x, 1)[0]  # read once per diagnosis (verify.elements)
        if not isinstance(element, (tuple, list)) or len(element) < 2:
            raise ValueError("the dataset's elements hold no labels")
        return element[0][:SLICE], element[1][:SLICE]
    y = g.objects.get(roles[1])
    return head(x), head(y) if y is not None else None


def _name(g: Gathered, role: str) -> str:
    d = g.facts.role(role)
    return (d.name or d.source) if d is not None else role


def _loss_object(name: str, from_logits: bool) -> Any:
    from .flavour import keras_for

    keras = keras_for()  # the Keras imported (a Keras 2 session: tf_keras)

    from .core.vocab import LOSS_CLASSES

    if name not in LOSS_CLASSES:
        raise Unverifiable("no loss named %r to try" % (name,))
    return getattr(keras.losses, LOSS_CLASSES[name])(from_logits=True) if from_logits else name


def _check_classes(g: Gathered, units: Optional[int], fits_sparse: bool) -> None:
    """Class indices read by the facts layer must have an output unit each."""
    y = g.facts.role("y")
    if y is None or not y.labels or units is None:
        return
    kind, k = y.labels
    if kind in ("class_indices", "binary") and k is not None and fits_sparse and k > units:
        raise ValueError("the labels hold %d classes but the output has %d units" % (k, units))


def _run(
    g: Gathered, ys: Any, loss: Any = _KEEP, edit: Optional[dict] = None, roles: Tuple[str, str] = ("x", "y")
) -> str:
    """Compute the compiled loss and metrics of a rebuilt copy on x[:2] and ``ys``; a note."""
    model = g.model
    if model is None:
        raise Unverifiable("no model to try the labels on")
    xs, _ = _slices(g, roles)
    kwargs: dict = {} if loss is _KEEP else {"loss": loss}
    if edit:
        kwargs["edit"] = edit
    try:
        candidate = actions.rebuild(model, **kwargs)
    except Exception as exc:
        if kwargs:
            raise
        return _run_loss_only(model, xs, ys, exc)
    from .flavour import flavour_of, is_compiled

    if not is_compiled(candidate):  # Keras 3 ``compiled``, Keras 2 ``_is_compiled``
        raise Unverifiable("the model is not compiled: there is no loss to try the labels on")
    out = _infer(candidate, xs)
    if not isinstance(out, (list, tuple)):  # output and labels agree exactly, no silent broadcast
        why = shapes_disagree(ys, out, _loss_fn(candidate))
        if why:
            raise ValueError(why)
    f = flavour_of(candidate)
    if f is not None and not f.keras3:  # tf_keras's compile_utils reads y.shape.rank: tensors, as fit makes
        import tensorflow as tf

        ys = tf.nest.map_structure(tf.convert_to_tensor, ys)
    value = float(to_numpy(candidate.compute_loss(x=xs, y=ys, y_pred=out)))
    if not math.isfinite(value):
        raise ValueError("the loss on the fixed labels is %s" % value)
    # PyTorch: the loss's backward pass as well, which fit runs and can reject (backend.loss_backward)
    loss_backward(lambda y, o: candidate.compute_loss(x=xs, y=y, y_pred=o), ys, out)
    metrics = candidate.compute_metrics(xs, ys, out, sample_weight=None)
    names = sorted(k for k in (metrics or {}) if k != "loss")
    kept, total = getattr(candidate, "_kerashape_weights_kept", (0, 0))
    how = "" if loss is _KEEP else ", compiled with loss=%s" % _loss_text(loss)
    if edit:
        how += ", with %s" % ", ".join("%s %s" % (k, v) for k, v in edit.items())
    x = g.objects.get(roles[0])
    where = ("the first batch of %s" if _is_dataset(x) else "%s[:" + str(SLICE) + "]") % _name(g, roles[0])
    return (
        "a rebuilt copy of the model (%d of %d weights kept)%s ran on %s; its compiled loss (%.4g)%s took "
        "the "
        "labels as fit does"
        % (kept, total, how, where, value, " and metrics (%s)" % ", ".join(names) if names else "")
    )


def _loss_text(loss: Any) -> str:
    return loss if isinstance(loss, str) else "%s(from_logits=True)" % type(loss).__name__


def _run_loss_only(model: Any, xs: Any, ys: Any, why: Exception) -> str:
    """A model that cannot be rebuilt (subclassed): its inference output and a fresh copy of its loss."""
    import keras

    from .actions import _fresh

    cfg = getattr(getattr(model, "_compile_config", None), "config", None)
    loss = cfg.get("loss") if isinstance(cfg, dict) else getattr(model, "loss", None)
    if loss is None or isinstance(loss, (list, dict)):
        raise Unverifiable("no single compiled loss to try the labels on (%s)" % why)
    fn = keras.losses.get(loss) if isinstance(loss, str) else _fresh(loss)
    if not isinstance(fn, keras.losses.Loss):
        fn = keras.losses.LossFunctionWrapper(fn)  # lines labels up as CompileLoss does
    out = _infer(model, xs)
    value = float(_np().asarray(fn(ys, out)))
    if not math.isfinite(value):
        raise ValueError("the loss on the fixed labels is %s" % value)
    return (
        "the model (not rebuildable: %s) ran in inference mode on x[:%d]; a fresh copy of its loss (%.4g) "
        "took the "
        "fixed labels" % (type(model).__name__, SLICE, value)
    )


def structured_labels(fix: Fix, obj: Any) -> Any:
    """What a label fix makes of the first samples of the labels ``obj``, computed from
    ``fix.op`` instead of running ``fix.code`` (the code may name the whole array's size).

    tests/test_verify_contract.py proves, for every such move, that this equals running the
    fix's own code on a copy of the labels and taking its first samples.

    Raises:
        ValueError: ``fix.op`` is not a label transform.
    """
    np = _np()
    verb = fix.op[0] if fix.op else ""
    if verb == "to_categorical":  # keras/src/utils/numerical_utils.py
        from .flavour import keras_for

        keras = keras_for()

        return keras.utils.to_categorical(head(obj), num_classes=fix.op[1])
    if verb == "onehot_pad":
        from .flavour import keras_for

        keras = keras_for()

        return keras.utils.to_categorical(np.argmax(head(obj), axis=-1), num_classes=fix.op[1])
    if verb == "argmax":
        return np.argmax(head(obj), axis=fix.op[1])
    if verb == "label_squeeze":
        return np.squeeze(head(obj), axis=fix.op[1])
    if verb == "label_reshape":  # the first samples of the reshaped labels, from the front of y
        return _prefix(obj, tuple(fix.op[1]))
    if verb == "label_transpose":  # np.transpose(y)[:2]: the first column of each target row
        return head(np.transpose(np.asarray(obj)))
    if verb == "label_shift":
        arr = np.asarray(head(obj))
        return arr - 1 if fix.op[1] == "indices" else arr[..., 1:]
    if verb == "label_encode":  # the ids np.unique gives: positions in the sorted distinct names
        arr = np.asarray(obj)
        return np.reshape(np.searchsorted(np.unique(arr), np.asarray(head(arr))), -1)
    raise ValueError("no label transform for %r" % (verb,))


def structured_model(fix: Fix, model: Any) -> Any:
    """The copy a loss or output-layer fix makes of ``model``, computed from ``fix.op``
    (:func:`kerashape_magic.actions.rebuild` with :func:`rebuild_kwargs`, as the verifiers
    call it).

    Raises:
        ValueError: ``fix.op`` is not a loss or output-layer change.
    """
    return actions.rebuild(model, **rebuild_kwargs(fix))


def rebuild_kwargs(fix: Fix) -> dict:
    """``loss=`` or ``edit=`` for :func:`kerashape_magic.actions.rebuild`, read from ``fix.op``."""
    verb = fix.op[0] if fix.op else ""
    if verb == "loss":
        from_logits = bool(fix.op[2]) if len(fix.op) > 2 else False
        return {"loss": _loss_object(fix.op[1], from_logits)}
    if verb == "edit_output":
        return {"edit": {fix.op[1]: _output_changes(fix)}}
    raise ValueError("no model change for %r" % (verb,))


def _output_changes(fix: Fix) -> dict:
    _, _layer, units, activation = fix.op[:4]
    changes: dict = {}
    if units is not None:
        changes["units"] = units
    if activation is not None:
        changes["activation"] = activation
    return changes


@register("loss")
def verify_loss(fix: Fix, g: Gathered) -> str:
    """``sparse_loss`` / ``categorical_loss`` / ``binary_loss``: the copy compiled with the new loss."""
    name = fix.op[1]
    m = g.facts.model
    units = m.output_shape[-1] if m is not None and m.output_shape else None
    _check_classes(g, units, name == "sparse_categorical_crossentropy")
    _, ys = _slices(g)
    if ys is None:
        raise Unverifiable("no labels to compute the loss on")
    return _run(g, ys, **rebuild_kwargs(fix))


@register("to_categorical")
def verify_to_categorical(fix: Fix, g: Gathered) -> str:
    """``y = keras.utils.to_categorical(y, num_classes=n)`` on y[:2] (keras/src/utils/numerical_utils.py)."""
    _check_classes(g, fix.op[1], True)
    return _run(g, structured_labels(fix, _labels_object(fix, g)), roles=_roles(fix, g))


@register("argmax")
def verify_argmax(fix: Fix, g: Gathered) -> str:
    """``y = np.argmax(y, axis=-1)`` on y[:2]."""
    return _run(g, structured_labels(fix, _labels_object(fix, g)), roles=_roles(fix, g))


@register("label_squeeze")
def verify_label_squeeze(fix: Fix, g: Gathered) -> str:
    """``y = np.squeeze(y, axis=k)`` on y[:2]."""
    return _run(g, structured_labels(fix, _labels_object(fix, g)), roles=_roles(fix, g))


@register("label_reshape")
def verify_label_reshape(fix: Fix, g: Gathered) -> str:
    """``y = y.reshape(shape)``: the first 2 samples of the reshaped labels, read from the front of y;
    the new count must equal x's."""
    shape = tuple(fix.op[1])
    roles = _roles(fix, g)
    x = g.objects.get(roles[0])
    nx = (shape_of(x) or (None,))[0] if x is not None else None
    if nx is not None and shape[0] != nx:
        raise ValueError(
            "after the reshape the labels have %d samples but %s has %d" % (shape[0], _name(g, roles[0]), nx)
        )
    return _run(g, structured_labels(fix, _labels_object(fix, g)), roles=roles)


@register("edit_output")
def verify_edit_output(fix: Fix, g: Gathered) -> str:
    """``rebuild(model, edit={layer: {"units": n}})``: the rebuilt model's loss on the unchanged y[:2]."""
    changes = _output_changes(fix)
    if "units" in changes:
        _check_classes(g, changes["units"], True)
    _, ys = _slices(g)
    if ys is None:
        raise Unverifiable("no labels to compute the loss on")
    return _run(g, ys, **rebuild_kwargs(fix))


@register("onehot_pad")
def verify_onehot_pad(fix: Fix, g: Gathered) -> str:
    """``y = keras.utils.to_categorical(np.argmax(y, axis=-1), num_classes=n)`` on y[:2]."""
    return _run(g, structured_labels(fix, _labels_object(fix, g)), roles=_roles(fix, g))


#: How many labels the premise checks of shift / encode read (the whole array up to this many).
_READ = 1_000_000


def _all_labels(fix: Fix, g: Gathered) -> Any:
    obj = _labels_object(fix, g)
    if _is_dataset(obj):
        raise Unverifiable("the labels are in a dataset: their ids cannot all be read here")
    return _np().asarray(obj[:_READ] if hasattr(obj, "__getitem__") else obj)


@register("label_transpose")
def verify_label_transpose(fix: Fix, g: Gathered) -> str:
    """``y = np.transpose(y)``: labels ``(k, N)`` for an output ``(N, k)``; the first 2 samples
    are the first 2 columns of y, and the new count must equal x's."""
    roles = _roles(fix, g)
    obj = _labels_object(fix, g)
    x = g.objects.get(roles[0])
    ny = (shape_of(obj) or (None, None))[-1]
    nx = (shape_of(x) or (None,))[0] if x is not None else None
    if nx is not None and ny is not None and ny != nx:
        raise ValueError("after the transpose the labels have %d samples but x has %d" % (ny, nx))
    return _run(g, structured_labels(fix, obj), roles=roles)


@register("label_shift")
def verify_label_shift(fix: Fix, g: Gathered) -> str:
    """``y - 1`` / ``y[..., 1:]``: only when the ids really are 1-based (read on the labels, not
    the slice): no id 0 and the largest id equals the output's units, or the first one-hot
    column is empty in every row. Otherwise the shift would merge or lose a class."""
    np = _np()
    arr = _all_labels(fix, g)
    form, units = fix.op[1], fix.op[2]
    if form == "indices":
        if arr.size == 0 or np.min(arr) != 1 or np.max(arr) != units:
            raise ValueError(
                "the class ids run %s..%s, not 1..%d: shifting them would not give 0..%d"
                % (np.min(arr) if arr.size else "?", np.max(arr) if arr.size else "?", units, units - 1)
            )
    else:
        if arr.ndim < 2 or arr.shape[-1] != units + 1 or np.any(arr[..., 0] != 0):
            raise ValueError(
                "the first column of the one-hot labels is not empty: dropping it would lose labels"
            )
    return _run(g, structured_labels(fix, _labels_object(fix, g)), roles=_roles(fix, g))


@register("label_encode")
def verify_label_encode(fix: Fix, g: Gathered) -> str:
    """``np.unique(y, return_inverse=True)``: as many distinct names as the output can score
    (one unit per class, or 1..2 names for a single sigmoid unit), then the loss on the ids."""
    np = _np()
    names = np.unique(_all_labels(fix, g))
    m = g.facts.model
    units = m.output_shape[-1] if m is not None and m.output_shape else None
    if units is not None and len(names) > max(units, 2):
        raise ValueError(
            "the labels hold %d distinct names but the output has %d units" % (len(names), units)
        )
    note = _run(g, structured_labels(fix, _labels_object(fix, g)), roles=_roles(fix, g))
    return "%d distinct names encoded as ids 0..%d; %s" % (len(names), len(names) - 1, note)
