"""Apply a fix in the user's namespace, undo it, and rebuild a model for a new input shape.

``apply`` runs a :class:`~kerashape_magic.core.types.Fix`'s code exactly as shown on its
button, in the user's namespace (the IPython shell's ``user_ns``, or ``__main__``'s outside
IPython), and remembers every name and attribute (``h.X``) the code rebound, with the object
it held before, and the state of every Keras model the code changed in place
(``kerashape.reset(model)``: its optimizer, compiled loss, cached functions). ``undo`` puts
those very objects back. Nothing is copied: the old array or model stays alive while the
undo history holds it.

Nothing is lost (issue 10, items 11-14):

* ``apply`` first checks that every object the fix reads is still the object the diagnosis
  saw (:func:`remember` records them); a stale fix is refused, never run on other data.
* ``undo`` restores a name only if it still holds what ``apply`` put there; newer work is
  left alone, and the message says so. A model used since (trained, recompiled) keeps its state.
* The history keeps the last :data:`HISTORY_SIZE` applies; ``%reset`` and ``%unload_ext``
  clear it, and a name the user rebinds or deletes lets go of its old object at once.
* Each apply has a number (:class:`Change`); ``undo(number=N)`` takes back that one, and
  :func:`history` lists them with whether undo is still possible and, if not, why
  (``%kerashape history``, ``%kerashape undo [N]``).

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

import ast
import sys
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from .backend import keeping_tensorflow_out
from .core.types import Fix, KerashapeError
from .flavour import flavour_of, is_compiled, keras2_default_embedding_input, keras_of, package_of

_MISSING = object()
_lock = threading.Lock()

#: How many applies :func:`undo` can take back, newest first (older ones are forgotten and
#: their old objects released). Set ``kerashape_magic.actions.HISTORY_SIZE`` to change it.
HISTORY_SIZE: int = 3


def _ref(obj: Any) -> Callable[[], Any]:
    """A weak reference when the object allows one (arrays, models), else a strong one."""
    try:
        return weakref.ref(obj)
    except TypeError:
        return lambda: obj


@dataclass
class _Slot:
    """One place apply changed: a namespace name (``owner`` None) or an attribute of ``owner``."""

    label: str  # "X" or "h.X"
    key: str  # the name, or the attribute
    old: Any  # what it held before (or _MISSING)
    new: Callable[[], Any]  # what apply put there (a reference)
    owner: Any = None
    root: Optional[str] = None  # for an attribute: the namespace name that held ``owner``
    stale: bool = False  # rebound or deleted since: undo leaves it alone


@dataclass
class _ModelState:
    """A Keras model's attributes before a fix changed it in place, and what it left there."""

    label: str
    model: Callable[[], Any]
    before: Dict[str, Any]  # attribute -> value before
    contents: Dict[str, Any]  # attribute -> copy of a list / dict / set's contents before
    after: Dict[str, Any] = field(default_factory=dict)  # attribute -> value apply left
    stale: bool = False


@dataclass
class Change:
    """One apply, as the undo history keeps it (``%kerashape history`` lists them).

    Attributes:
        fix: the fix that was applied.
        slots: the names and attributes it rebound (this module's own record).
        models: the models it changed in place (this module's own record).
        number: 1, 2, ... in the order of this session's applies (``%kerashape undo N``).
        when: the time of the apply (``time.time()``).
        mark: how many inputs IPython had stored when the fix ran (``len(In)``): a cell stored
            after that ran after the fix (``kerashape_magic.aftercare``); None outside IPython.
        noted: True once a note under a successful cell said that it ran with this fix.
        names: the names (and attributes) it rebound and the models it changed in place.
    """

    fix: Fix
    slots: List[_Slot]
    models: List[_ModelState]
    number: int = 0
    when: float = 0.0
    mark: Optional[int] = None
    noted: bool = False
    names: Tuple[str, ...] = ()


@dataclass(frozen=True)
class HistoryEntry:
    """One row of :func:`history`: an apply, and whether undo can still take it back.

    Attributes:
        number: the apply's number (``%kerashape undo N``).
        title: the fix's title.
        names: the names (and attributes, ``h.X``) it rebound, and the models it changed in place.
        when: the time of the apply (``time.time()``).
        undoable: True when undo would restore at least one of them.
        kept: True while the apply is in the undo history (False once undone or forgotten).
        why: what undo would leave alone and why (``"X was reassigned since"``), or why it
            cannot undo at all (``"undone"``); empty when everything can be restored.
    """

    number: int
    title: str
    names: Tuple[str, ...]
    when: float
    undoable: bool
    why: str
    kept: bool = True


_history: List[Change] = []
#: Applies that left the history, with why (undone, forgotten), newest last; their old objects
#: are released (:func:`_release`).
_gone: List[Tuple[Change, str]] = []
_GONE_LIMIT = 20
_applies = [0]  # how many applies this session: the next one's number is this plus one
#: id(fix) -> (weak reference to the fix, {name: reference to what the diagnosis saw there})
_seen: Dict[int, Tuple[Any, Dict[str, Callable[[], Any]]]] = {}
_SEEN_LIMIT = 64


def _user_ns() -> Dict[str, Any]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        get_ipython = None  # type: ignore[assignment]
    shell = get_ipython() if get_ipython else None
    if shell is not None:
        return shell.user_ns
    return sys.modules["__main__"].__dict__


def _is_keras_model(obj: Any) -> bool:
    from .facts import is_keras_model

    return is_keras_model(obj)


def _loss_label(model: Any) -> Optional[str]:
    from .facts import _loss_name

    try:
        name = _loss_name(getattr(model, "loss", None))
    except Exception:
        return None
    return name if isinstance(name, str) else None


def _input_shapes(model: Any) -> Optional[List[tuple]]:
    try:
        return [tuple(i.shape) for i in model.inputs]
    except Exception:
        return None


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
        shapes = _input_shapes(obj)
        if shapes is None:
            return "a model that builds on its first call%s" % extra
        return "a model taking %s%s" % (", ".join(map(str, shapes)), extra)
    shape = shape_of(obj)
    if shape is None:
        return type(obj).__name__
    dtype = getattr(obj, "dtype", "")
    return ("%s %s" % (shape, getattr(dtype, "name", dtype))).strip()


_LAYER_KEYS = ("units", "return_sequences", "activation", "filters", "target_shape")


def _layer_configs(model: Any) -> Dict[str, Dict[str, Any]]:
    out = {}
    for layer in getattr(model, "layers", None) or []:
        try:
            cfg = layer.get_config()
        except Exception:
            cfg = {}
        out[layer.name] = {k: cfg.get(k) for k in _LAYER_KEYS if k in cfg}
    return out


def describe_change(old: Any, new: Any) -> str:
    """What a fix changed between two models, in one phrase (what changed, not what stayed).

    A loss fix says the new loss, an input fix the new input shape, a layer edit the layer's new
    setting (issue 11: a loss fix used to be described by the model's unchanged input shape).

    Args:
        old: the model before the fix.
        new: the model after it.

    Returns:
        E.g. ``"now uses the loss 'sparse_categorical_crossentropy' (was
        'categorical_crossentropy'; 4 of 4 weights kept)"``.
    """
    parts = []
    old_in, new_in = _input_shapes(old), _input_shapes(new)
    if new_in is not None and old_in != new_in:
        was = " (was %s)" % ", ".join(map(str, old_in)) if old_in else ""
        parts.append("now takes %s%s" % (", ".join(map(str, new_in)), was))
    elif new_in is None and old_in is not None:
        parts.append("now builds on its first call")
    old_loss, new_loss = _loss_label(old), _loss_label(new)
    if new_loss != old_loss and new_loss is not None:
        parts.append("now uses the loss %r%s" % (new_loss, " (was %r)" % old_loss if old_loss else ""))
    before, after = _layer_configs(old), _layer_configs(new)
    added = [n for n in after if n not in before]
    removed = [n for n in before if n not in after]
    if added:
        parts.append("gained the layer%s %s" % ("s" if len(added) > 1 else "", ", ".join(map(repr, added))))
    if removed:
        parts.append("lost the layer%s %s" % ("s" if len(removed) > 1 else "", ", ".join(map(repr, removed))))
    for name, cfg in after.items():
        for key, value in cfg.items():
            if name in before and key in before[name] and before[name][key] != value:
                parts.append("layer %r has %s=%r (was %r)" % (name, key, value, before[name][key]))
    kept = getattr(new, "_kerashape_weights_kept", None)
    text = "; ".join(parts) or describe(new)
    if kept and kept[1]:
        text += " (%d of %d weights kept)" % tuple(kept)
    return text


# --------------------------------------------------------------------------- what a fix reads


def _chain(node: ast.AST) -> Optional[str]:
    """``"h.X"`` for an attribute chain of names, ``"X"`` for a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    return ".".join([node.id] + parts[::-1])


def _reads_and_writes(code: str) -> Tuple[List[str], List[str]]:
    """The names the code reads (roots) and the places it assigns (``X``, ``h.X``), in order."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return [], []
    reads: List[str] = []
    writes: List[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in reads:
            reads.append(node.id)
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for leaf in t.elts if isinstance(t, (ast.Tuple, ast.List)) else [t]:
                    name = _chain(leaf)
                    if name and name not in writes:
                        writes.append(name)
    return reads, writes


def _resolve(name: str, ns: Dict[str, Any]) -> Any:
    """What ``name`` (``"X"`` or ``"h.X"``) holds in ``ns``, read without running code, or _MISSING."""
    from .facts import static_attr

    head, *rest = name.split(".")
    obj = ns.get(head, _MISSING)
    for part in rest:
        if obj is _MISSING:
            return _MISSING
        ok, obj = static_attr(obj, part)
        if not ok:
            return _MISSING
    return obj


def _is_module(obj: Any) -> bool:
    return type(obj).__name__ == "module"


def _watched(code: str, ns: Dict[str, Any]) -> List[str]:
    """The names (and assigned attribute chains) a fix reads, that are the user's objects."""
    reads, writes = _reads_and_writes(code)
    out = []
    for name in reads + [w for w in writes if "." in w]:
        value = _resolve(name, ns)
        if value is _MISSING or _is_module(value) or name in out:
            continue
        out.append(name)
    return out


def remember(diagnosis: Any, namespace: Dict[str, Any]) -> None:
    """Record, for each fix of ``diagnosis``, the objects it reads as the diagnosis saw them.

    Called right after a diagnosis (by the hook); :func:`apply` then refuses a fix whose
    objects were rebound since (issue 10, item 12: a fix diagnosed for ``X`` of (10, 60)
    must not reshape the (20, 30) array ``X`` holds later). Weak references where the object
    allows one; the record is bounded (the last 64 fixes).

    Args:
        diagnosis: a :class:`~kerashape_magic.core.types.Diagnosis`.
        namespace: the namespace its fixes will run in.
    """
    for fix in getattr(diagnosis, "fixes", ()) or ():
        record = {name: _ref(_resolve(name, namespace)) for name in _watched(fix.code, namespace)}
        with _lock:
            _seen[id(fix)] = (_ref(fix), record)
            while len(_seen) > _SEEN_LIMIT:
                _seen.pop(next(iter(_seen)))


def _stale_names(fix: Fix, ns: Dict[str, Any]) -> List[str]:
    entry = _seen.get(id(fix))
    if entry is None or entry[0]() is not fix:
        return []
    return [name for name, ref in entry[1].items() if _resolve(name, ns) is not ref()]


# --------------------------------------------------------------------------- model state


def _model_state(label: str, model: Any) -> _ModelState:
    """The attributes of ``model`` (and the contents of its lists, dicts and sets) before a fix.

    Keras 3.15's ``compile`` (which :func:`reset` calls for a never-stepped optimizer) rebinds
    ``optimizer``, ``_compile_config``, ``_compile_loss``, ``_loss_tracker`` and
    ``_compiled_trainable_state`` and appends to TensorFlow's checkpoint-dependency list
    (measured); the tracker's ``stored_ids`` sets are kept too (keras/src/utils/tracking.py).
    """
    attrs = dict(vars(model))
    contents = {k: _copy_contents(v) for k, v in attrs.items() if isinstance(v, (list, dict, set))}
    tracker = attrs.get("_tracker")
    ids = getattr(tracker, "stored_ids", None)
    if isinstance(ids, dict):
        contents["_tracker.stored_ids"] = {k: set(v) for k, v in ids.items() if isinstance(v, set)}
    return _ModelState(label, _ref(model), attrs, contents)


def _copy_contents(v: Any) -> Any:
    return list(v) if isinstance(v, list) else dict(v) if isinstance(v, dict) else set(v)


def _put_contents(target: Any, saved: Any) -> None:
    if isinstance(target, list):
        target[:] = saved
    else:
        target.clear()
        target.update(saved)


def _model_changed(state: _ModelState, model: Any) -> Dict[str, Any]:
    """Attribute -> value now, for every attribute that differs from before the fix."""
    now = vars(model)
    changed = {k: v for k, v in now.items() if state.before.get(k, _MISSING) is not v}
    changed.update({k: _MISSING for k in state.before if k not in now})
    for k, saved in state.contents.items():
        if "." not in k and isinstance(now.get(k), (list, dict, set)) and _copy_contents(now[k]) != saved:
            changed.setdefault(k, now[k])
    return changed


def _restore_model(state: _ModelState, model: Any) -> None:
    now = vars(model)
    for k in [k for k in now if k not in state.before]:
        del now[k]
    for k, v in state.before.items():
        if now.get(k, _MISSING) is not v:
            now[k] = v  # straight into __dict__: Keras's tracking must not see a new assignment
    for k, saved in state.contents.items():
        if k == "_tracker.stored_ids":
            ids = getattr(now.get("_tracker"), "stored_ids", None)
            if isinstance(ids, dict):
                for key, value in saved.items():
                    if isinstance(ids.get(key), set):
                        _put_contents(ids[key], value)
        elif isinstance(now.get(k), (list, dict, set)):
            _put_contents(now[k], saved)


def _still_as_left(state: _ModelState, model: Any) -> bool:
    """True when nothing touched the model since apply (no fit, no compile)."""
    now = vars(model)
    if any(now.get(k, _MISSING) is not v for k, v in state.after.items()):
        return False
    return not any(
        k not in state.after and now.get(k, _MISSING) is not state.before.get(k, _MISSING) for k in now
    )


# --------------------------------------------------------------------------- apply / undo


@keeping_tensorflow_out  # get_config() must not import TensorFlow on JAX/PyTorch
def apply(fix: Fix, namespace: Optional[Dict[str, Any]] = None) -> str:
    """Run ``fix.code`` in the user's namespace and remember what it changed, for undo.

    Before running, checks that every object the fix reads (its target, the model) is still
    the object the diagnosis saw; a fix for data that changed since is refused.

    Args:
        fix: a fix from a :class:`~kerashape_magic.core.types.Diagnosis`.
        namespace: the namespace to run in; default the IPython shell's ``user_ns``.

    Returns:
        One line saying what changed, e.g. ``"X_train is now (100, 24, 1) float64"``, or for a
        loss fix ``"model now uses the loss 'sparse_categorical_crossentropy' (was ...)"``.

    Raises:
        KerashapeError: ``fix`` is not a Fix; an object it reads changed since the diagnosis
            (nothing was run); or its code raised (everything is then restored to what it was
            before, and the error is chained).
    """
    if not isinstance(fix, Fix):
        raise KerashapeError("apply() takes a kerashape Fix, got %r" % type(fix).__name__)
    ns = _user_ns() if namespace is None else namespace
    stale = _stale_names(fix, ns)
    if stale:
        now = ", ".join(
            "%s is now %s" % (n, describe(_resolve(n, ns)) if _resolve(n, ns) is not _MISSING else "gone")
            for n in stale
        )
        raise KerashapeError(
            "%s changed since kerashape diagnosed this error (%s), so the fix %r was not applied: it was "
            "written and verified for the old object. Run the failing cell again for a fresh diagnosis."
            % (" and ".join(stale), now, fix.title)
        )
    reads, writes = _reads_and_writes(fix.code)
    attr_slots = []
    for place in writes:
        if "." in place:
            root, *_, attr = place.split(".")
            owner = _resolve(place.rsplit(".", 1)[0], ns)
            if owner is not _MISSING:
                old = _resolve(place, ns)
                attr_slots.append((place, owner, attr, root, old))
    models = []
    for name in reads + [w.rsplit(".", 1)[0] for w in writes if "." in w]:
        obj = _resolve(name, ns)
        if obj is not _MISSING and _is_keras_model(obj) and all(m.model() is not obj for m in models):
            models.append(_model_state(name, obj))
    before = dict(ns)
    try:
        exec(compile(fix.code, "<kerashape fix: %s>" % fix.kind, "exec"), ns)
    except BaseException as exc:
        _restore(ns, before)
        for _place, owner, attr, _root, old in attr_slots:
            _set_attr(owner, attr, old)
        for state in models:
            model = state.model()
            if model is not None:
                _restore_model(state, model)
        raise KerashapeError("the fix %r failed and was rolled back: %s" % (fix.title, exc)) from exc
    slots = []
    for name, value in ns.items():
        prev = before.get(name, _MISSING)
        if prev is not value:
            slots.append(_Slot(name, name, prev, _ref(value)))
    for name in before:
        if name not in ns:
            slots.append(_Slot(name, name, before[name], _ref(_MISSING)))
    for place, owner, attr, root, old in attr_slots:
        new = _resolve(place, ns)
        if new is not old:
            slots.append(_Slot(place, attr, old, _ref(new), owner=owner, root=root))
    kept_models = []
    for state in models:
        model = state.model()
        if model is not None:
            state.after = _model_changed(state, model)
            if state.after:
                kept_models.append(state)
    with _lock:
        _applies[0] += 1
        change = Change(fix, slots, kept_models, _applies[0], time.time(), _inputs_stored())
        change.names = _names_of(change)
        _history.append(change)
        keep = max(1, int(HISTORY_SIZE))
        for dropped in _history[: max(0, len(_history) - keep)]:
            _leave(dropped, "forgotten: the history keeps the last %d applies (HISTORY_SIZE)" % keep)
    return _applied_line(fix, slots, kept_models, ns)


def _inputs_stored() -> Optional[int]:
    """How many inputs IPython has stored (``len(In)``, the dummy entry 0 included), or None."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        return len(shell.history_manager.input_hist_raw) if shell is not None else None
    except Exception:
        return None


def _release(change: Change) -> None:
    """Let go of the old objects (and the references to the new ones) an apply kept for undo."""
    for slot in change.slots:
        slot.stale, slot.old, slot.owner = True, None, None
        slot.new = _gone_ref
    for state in change.models:
        state.stale, state.before, state.contents, state.after = True, {}, {}, {}


def _gone_ref() -> Any:
    return _MISSING


def _leave(change: Change, why: str) -> None:
    """Move ``change`` out of the undo history (the caller holds ``_lock``), keeping its row."""
    if change in _history:
        _history.remove(change)
    _release(change)
    _gone.append((change, why))
    del _gone[: max(0, len(_gone) - _GONE_LIMIT)]


def _applied_line(fix: Fix, slots: List[_Slot], models: List[_ModelState], ns: Dict[str, Any]) -> str:
    parts = []
    for slot in slots:
        new = slot.new()
        if slot.label.startswith("_") or _is_module(new) or _is_module(slot.old):
            continue
        if new is _MISSING:
            parts.append("%s removed" % slot.label)
        elif _is_keras_model(new) and _is_keras_model(slot.old):
            parts.append("%s %s" % (slot.label, describe_change(slot.old, new)))
        else:
            parts.append("%s is now %s" % (slot.label, describe(new)))
    for state in models:
        if any(s.label == state.label for s in slots):
            continue
        what = "a fresh optimizer, " if "optimizer" in state.after else ""
        parts.append("%s: %scached training functions cleared (weights kept)" % (state.label, what))
    return "; ".join(parts) if parts else "%s: nothing was changed" % fix.title


def _set_attr(owner: Any, attr: str, value: Any) -> None:
    try:
        if value is _MISSING:
            delattr(owner, attr)
        else:
            setattr(owner, attr, value)
    except Exception:
        pass


def _restore(ns: Dict[str, Any], before: Dict[str, Any]) -> None:
    for name in [n for n in ns if n not in before]:
        del ns[name]
    for name, value in before.items():
        if ns.get(name, _MISSING) is not value:
            ns[name] = value


def _current(slot: _Slot, ns: Dict[str, Any]) -> Any:
    if slot.owner is None:
        return ns.get(slot.key, _MISSING)
    if slot.root is not None and _resolve(slot.label.rsplit(".", 1)[0], ns) is not slot.owner:
        return _MISSING  # the object is no longer where the user keeps it
    from .facts import static_attr

    ok, value = static_attr(slot.owner, slot.key)
    return value if ok else _MISSING


def latest_number() -> int:
    """The number of this session's latest :func:`apply` (0 before the first one)."""
    return _applies[0]


@keeping_tensorflow_out  # get_config() must not import TensorFlow on JAX/PyTorch
def undo(namespace: Optional[Dict[str, Any]] = None, number: Optional[int] = None) -> str:
    """Put back what an :func:`apply` changed: the identical objects, nothing newer lost.

    Without ``number``, the most recent apply that undo can still take back (one whose names
    all changed since is passed over); with it, apply number ``number`` (:func:`history`).

    A name (or attribute) is restored only if it still holds what ``apply`` put there; one the
    user rebound or deleted since is left as it is, and the returned line says so. A model the
    fix changed in place (``kerashape.reset``: optimizer, compiled loss, cached functions) gets
    its identical old objects back, unless it was trained or recompiled since.

    The history holds the last :data:`HISTORY_SIZE` applies (3), each with the objects it
    replaced; ``%reset``, ``%unload_ext kerashape`` and :func:`clear_history` empty it.

    Args:
        namespace: the namespace the fix ran in; default the IPython shell's ``user_ns``.
        number: the apply to undo (``%kerashape history`` lists the numbers); default the
            most recent one that can still be undone.

    Returns:
        One line saying what was restored, e.g. ``"X_train is (100, 24) float64 again"``, and
        what was not (``"X was changed after the fix: kept as it is"``).

    Raises:
        KerashapeError: there is nothing to undo; or apply ``number`` is not in the history
            (undone, forgotten, never made), or nothing it changed can be restored (the user
            rebound every name since: undo never overwrites newer work).
    """
    ns = _user_ns() if namespace is None else namespace
    with _lock:
        if not _history:
            raise KerashapeError("nothing to undo: no kerashape fix has been applied")
        numbered = [c for c in _history if c.number == number]
        if number is None:
            change = next((c for c in reversed(_history) if undo_status(c, ns)[0]), _history[-1])
        else:
            if not numbered:
                why = next((w for c, w in _gone if c.number == number), "no such apply")
                raise KerashapeError(
                    "fix %d is not in the undo history (%s; %%kerashape history lists the applies)"
                    % (number, why)
                )
            change = numbered[0]
            ok, reasons = undo_status(change, ns)
            if not ok:
                raise KerashapeError(
                    "fix %d (%r) cannot be undone: %s; undo never overwrites newer work"
                    % (number, change.fix.title, "; ".join(reasons) or "it changed nothing")
                )
        _history.remove(change)
    try:
        return _undo_change(change, ns)
    finally:
        with _lock:
            _leave(change, "undone")


def _undo_change(change: Change, ns: Dict[str, Any]) -> str:
    done, kept = [], []
    for slot in change.slots:
        if slot.stale or _current(slot, ns) is not slot.new():
            if not slot.label.startswith("_"):
                kept.append(slot.label)
            continue
        if slot.owner is None:
            if slot.old is _MISSING:
                ns.pop(slot.key, None)
            else:
                ns[slot.key] = slot.old
        else:
            _set_attr(slot.owner, slot.key, slot.old)
        if slot.label.startswith("_") or _is_module(slot.old) or _is_module(slot.new()):
            continue
        value = _current(slot, ns)
        done.append(
            "%s is %s again" % (slot.label, describe(value))
            if value is not _MISSING
            else "%s removed" % slot.label
        )
    for state in change.models:
        model = state.model()
        if model is None or state.stale or not _still_as_left(state, model):
            kept.append("%s's state (used since the fix)" % state.label)
            continue
        _restore_model(state, model)
        done.append("%s has its old optimizer and compiled state again" % state.label)
    line = "; ".join(done) or "nothing restored"
    if kept:
        line += "; not restored, changed after the fix (kept as it is): %s" % ", ".join(kept)
    return line


def prune(namespace: Dict[str, Any]) -> None:
    """Let go of old objects undo can no longer restore (the user rebound or deleted the name).

    Run after every cell by the hook. When none of the names any apply changed is left in
    ``namespace`` (``%reset``), the whole history is cleared.
    """
    with _lock:
        alive = False
        for change in _history:
            for slot in change.slots:
                if slot.stale:
                    continue
                if _current(slot, namespace) is not slot.new():
                    slot.stale, slot.old = True, None
                    continue
                if not slot.label.startswith("_"):
                    alive = True
            for state in change.models:
                model = state.model()
                if model is None or not _still_as_left(state, model):
                    state.stale, state.before, state.contents = True, {}, {}
        for key in [
            k for k, (_, record) in _seen.items() if all(n.split(".")[0] not in namespace for n in record)
        ]:
            del _seen[key]  # every object that fix read is gone from the namespace (%reset, del)
        if not alive and all(s.stale for c in _history for s in c.slots):
            roots = {s.label.split(".")[0] for c in _history for s in c.slots}
            if not any(r in namespace for r in roots):
                for change in list(_history):
                    _leave(change, "its names are gone from your namespace (%reset or del)")


def can_undo() -> bool:
    """True when there is an applied fix to undo."""
    return bool(_history)


def _visible(slot: _Slot) -> bool:
    return not slot.label.startswith("_") and not _is_module(slot.old) and not _is_module(slot.new())


def undo_status(change: Change, namespace: Dict[str, Any]) -> Tuple[bool, List[str]]:
    """Whether :func:`undo` can still take ``change`` back, and what it would leave alone.

    The rule of :func:`undo`: a name is restored only while it holds what the apply put
    there, a model's state only while nothing trained or recompiled it since.

    Args:
        change: an apply from the history.
        namespace: the namespace the fix ran in.

    Returns:
        ``(undoable, reasons)``: ``undoable`` is True when at least one name or model would be
        restored; ``reasons`` says, for each that would not, why (``"X was reassigned since"``,
        ``"X was deleted since"``, ``"model was trained or recompiled since"``).
    """
    undoable, reasons = False, []
    for slot in change.slots:
        if not _visible(slot):
            continue
        now = _current(slot, namespace)
        if slot.stale or now is not slot.new():
            reasons.append("%s was %s since" % (slot.label, "deleted" if now is _MISSING else "reassigned"))
        else:
            undoable = True
    for state in change.models:
        model = state.model()
        if model is None or state.stale or not _still_as_left(state, model):
            reasons.append("%s was trained or recompiled since" % state.label)
        else:
            undoable = True
    return undoable, reasons


def still_applied(change: Change, namespace: Dict[str, Any]) -> bool:
    """True while the fix is in effect: every name it rebound still holds what it put there,
    and every model it changed in place is still where the user keeps it (training it since
    does not undo the fix)."""
    slots = [s for s in change.slots if _visible(s)]
    if not slots and not change.models:
        return False
    if any(s.stale or _current(s, namespace) is not s.new() for s in slots):
        return False
    for state in change.models:
        model = state.model()
        if model is None or _resolve(state.label, namespace) is not model:
            return False
    return True


def unnoted() -> List[Change]:
    """The applies still in the history that no note has told about yet (newest last).

    Read after every successful cell (:mod:`kerashape_magic.aftercare`): with nothing
    applied, this is one test of an empty list.
    """
    if not _history:
        return []
    return [c for c in _history if not c.noted]


def _names_of(change: Change) -> Tuple[str, ...]:
    names = [s.label for s in change.slots if _visible(s)]
    names += [m.label for m in change.models if m.label not in names]
    return tuple(names)


def history(namespace: Optional[Dict[str, Any]] = None) -> List[HistoryEntry]:
    """Every apply this session still knows, oldest first, with whether undo can take it back.

    Applies in the undo history get :func:`undo_status`; those that left it say why
    (``"undone"``, ``"forgotten: the history keeps the last 3 applies"``). ``%unload_ext``
    clears both.

    Args:
        namespace: the namespace the fixes ran in; default the IPython shell's ``user_ns``.

    Returns:
        A list of :class:`HistoryEntry`, by apply number.
    """
    ns = _user_ns() if namespace is None else namespace
    with _lock:
        rows = []
        for change in _history:
            ok, reasons = undo_status(change, ns)
            why = "; ".join(reasons) if ok or reasons else "it changed nothing"
            rows.append(HistoryEntry(change.number, change.fix.title, change.names, change.when, ok, why))
        for change, why in _gone:
            rows.append(
                HistoryEntry(
                    change.number, change.fix.title, change.names, change.when, False, why, kept=False
                )
            )
    return sorted(rows, key=lambda r: r.number)


def clear_history() -> None:
    """Forget every applied fix and every diagnosis record (their objects can then be collected)."""
    with _lock:
        _history.clear()
        _gone.clear()
        _seen.clear()


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
    # Keras 2 also keeps the validation data's handler when a fit fails (tf_keras/src/engine/training.py:
    # ``fit`` caches ``_eval_data_handler`` and deletes it only when it completes): the next fit would
    # validate on the old data
    for attr in ("train_function", "test_function", "predict_function", "_eval_data_handler"):
        if getattr(model, attr, None) is not None:
            setattr(model, attr, None)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and is_compiled(model):
        try:
            steps = int(optimizer.iterations.numpy())
        except Exception:
            steps = 1
        if steps == 0:
            _compile_like(model, model)
    return model


def _declared_batch_size(model: Any) -> Optional[int]:
    """The batch size the model's input declares (``keras.Input(batch_shape=(4, ...))``), or None."""
    try:
        size = tuple(model.inputs[0].shape)[0]
    except Exception:
        return None
    return size if isinstance(size, int) else None


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
        shapes = [tuple(i.shape) for i in model.inputs]
    except Exception:
        return None
    if keras2_default_embedding_input(model, shapes):
        return None  # the Embedding's own (None,), not the user's declaration
    return [s[1:] for s in shapes]


def _configured_shape(model: Any) -> Optional[tuple]:
    """For an unbuilt Sequential whose layers hold weights (a failed first call built the
    layers before the failing one, Keras 3.15): the input shape that call configured.

    Keras 2 leaves no InputLayer: the first layer keeps the shape it was built for
    (``_build_input_shape``, tf_keras/src/engine/base_layer.py); its failed fit may still mark
    the model ``built`` (measured with tf_keras 2.21), so only a declared input (asked first by
    :func:`rebuild`) tells a configured shape from a declared one.
    """
    raw = getattr(model, "_layers", None) or []
    if not _keras3(model):
        layers = list(getattr(model, "layers", None) or [])
        first = getattr(layers[0], "_build_input_shape", None) if layers else None
        if first is None or not any(lay.weights for lay in layers):
            return None
        try:
            return tuple(first)[1:]
        except TypeError:  # several inputs
            return None
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
    if not is_compiled(old):  # Keras 3 ``compiled``, Keras 2 ``_is_compiled`` (kerashape_magic/flavour.py)
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


def _check_names(model: Any, names: Any, what: str, extra: Any = ()) -> None:
    known = _names(model) + list(extra)
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


def _new_layer(spec: Any, taken: set, keras: Any) -> Any:
    """A layer to insert: a class name from ``keras.layers`` (``"Flatten"``), a class, or an instance.

    ``keras``: the model's own Keras package (:func:`kerashape_magic.flavour.keras_of`). A layer or
    class of another Keras package (Keras 3's ``RepeatVector(3)`` for a tf_keras model) is made again
    in the model's package: the class of the same name, from the layer's config.
    """
    own = package_of(keras.Model)
    foreign = package_of(spec) if not isinstance(spec, str) else None
    if foreign is not None and foreign != own:
        cls = getattr(keras.layers, (spec if isinstance(spec, type) else type(spec)).__name__, None)
        if not (isinstance(cls, type) and issubclass(cls, keras.layers.Layer)):
            raise KerashapeError("insert_after: %r has no counterpart in the model's Keras %s" % (spec, own))
        if not isinstance(spec, type):
            cfg = dict(spec.get_config())
            if isinstance(cfg.get("dtype"), dict):  # Keras 3 serialises a DTypePolicy; Keras 2 takes its name
                cfg["dtype"] = (cfg["dtype"].get("config") or {}).get("name")
            spec = cls.from_config(cfg)
        spec = cls if isinstance(spec, type) else spec
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


def _edit_plan(
    model: Any, edit: Any, insert_after: Any, insert_before: Any, remove: Any, added: Any = ()
) -> tuple:
    """Validate the edit arguments against ``model`` (and the ``added`` layers); return
    ``(edit, after, before, remove)``."""
    edit = dict(edit or {})
    for name, changes in edit.items():
        if not isinstance(changes, dict) or not changes:
            raise KerashapeError(
                "edit: expected {layer name: {config key: value}}, got %r for %r" % (changes, name)
            )
    if isinstance(remove, str):
        remove = [remove]
    remove = list(remove or [])
    extra = [layer.name for layer in added]
    _check_names(model, edit, "edit", extra)
    _check_names(model, remove, "remove", extra)
    _check_names(model, dict(insert_after or {}), "insert_after", extra)
    _check_names(model, dict(insert_before or {}), "insert_before", extra)
    both = set(edit) & set(remove)
    if both:
        raise KerashapeError("cannot both edit and remove %s" % ", ".join(map(repr, sorted(both))))
    taken = set(_names(model)) | set(extra)
    plans = []
    for what, arg in (("after", insert_after), ("before", insert_before)):
        inserts = {}
        for name, specs in dict(arg or {}).items():
            if name in remove:
                raise KerashapeError("cannot insert %s %r: it is removed" % (what, name))
            specs = list(specs) if isinstance(specs, (list, tuple)) else [specs]
            inserts[name] = [_new_layer(s, taken, keras_of(model)) for s in specs]
        plans.append(inserts)
    return edit, plans[0], plans[1], set(remove)


def _clone_layer(layer: Any, changes: Optional[Dict[str, Any]]) -> Any:
    cfg = _edited_config(layer, changes) if changes else layer.get_config()
    return type(layer).from_config(cfg)


def _sequential_layers(
    model: Any,
    edit: Dict[str, Any],
    after: Dict[str, list],
    before: Dict[str, list],
    remove: set,
    added: Any = (),
) -> List[Any]:
    layers = []
    for layer in list(model.layers) + list(added):
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


def _keras3(model: Any) -> bool:
    f = flavour_of(model)
    return f is None or f.keras3


def _keras2_functional(
    model: Any,
    keras: Any,
    edit: Dict[str, Any],
    after: Dict[str, list],
    before: Dict[str, list],
    remove: set,
    shapes: Any,
    batch_size: Any,
) -> Any:
    """A Keras 2 Functional model with layers inserted or removed, rebuilt from its own config.

    tf_keras's ``clone_model(model, input_tensors, clone_function)`` (tf_keras/src/models/cloning.py)
    cannot put a layer between two others, so the model's ``get_config()`` is rewired instead
    (tf_keras/src/engine/functional.py: each layer's ``inbound_nodes`` lists ``[layer name,
    node index, tensor index, call kwargs]``; ``output_layers`` lists ``[name, node, tensor]``)
    and ``Model.from_config`` builds it. A layer to insert around or remove must be called once
    with one input (else KerashapeError).
    """
    import copy

    cfg = copy.deepcopy(model.get_config())
    entries = cfg["layers"]
    by_name = {e["name"]: e for e in entries}
    custom = {type(lay).__name__: type(lay) for lay in model.layers}
    for e in entries:  # each layer builds when the new graph calls it, for the shape it then gets
        e.pop("build_config", None)

    def single_input(name: str) -> list:
        nodes = by_name[name].get("inbound_nodes") or []
        if len(nodes) != 1 or not isinstance(nodes[0], list) or len(nodes[0]) != 1:
            raise KerashapeError("layer %r is not called once on one input; it cannot be moved around" % name)
        return nodes[0][0]

    def redirect(old: str, ref: list, skip: set) -> None:  # every use of old's output now uses ref
        for e in entries:
            if e["name"] in skip:
                continue
            for node in e.get("inbound_nodes") or []:
                for item in node if isinstance(node, list) else ():
                    if isinstance(item, list) and item and item[0] == old:
                        item[:3] = ref[:3]
        for item in cfg.get("output_layers") or []:
            if isinstance(item, list) and item and item[0] == old:
                item[:3] = ref[:3]

    def chain(layers: list, ref: list) -> Tuple[List[Dict[str, Any]], list]:
        made = []
        for layer in layers:
            custom[type(layer).__name__] = type(layer)
            entry = {"class_name": type(layer).__name__, "config": layer.get_config(), "name": layer.name}
            entry["inbound_nodes"] = [[list(ref[:3]) + [{}]]]
            made.append(entry)
            ref = [layer.name, 0, 0]
        return made, ref

    for name, changes in edit.items():
        by_name[name]["config"] = _edited_config(model.get_layer(name), changes)
    for name, layers in before.items():
        old = single_input(name)
        made, ref = chain(layers, old)
        by_name[name]["inbound_nodes"] = [[ref + list(old[3:4] or [{}])]]
        at = entries.index(by_name[name])
        entries[at:at] = made
    for name, layers in after.items():
        if len(by_name[name].get("inbound_nodes") or []) > 1:
            raise KerashapeError("layer %r is called more than once; nothing can be inserted after it" % name)
        made, ref = chain(layers, [name, 0, 0])
        redirect(name, ref, {e["name"] for e in made})
        at = entries.index(by_name[name]) + 1
        entries[at:at] = made
    for name in remove:
        ref = single_input(name)
        redirect(name, ref, {name})
        entries.remove(by_name[name])
    if shapes:
        for item, shape in zip(cfg.get("input_layers") or [], shapes):
            by_name[item[0]]["config"]["batch_input_shape"] = (batch_size,) + tuple(shape)
    return keras.Model.from_config(cfg, custom_objects=custom)


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

    from .backend import tensorflow_kept_out  # get_config() must not import TensorFlow on JAX/PyTorch

    @functools.wraps(fn)
    def wrapper(model: Any, *args: Any, **kwargs: Any) -> Any:
        strategy = _strategy_of(model)
        if strategy is None:
            with tensorflow_kept_out():
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
    batch_size: Any = _MISSING,
    add: Any = None,
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
        batch_size: the batch size the new input declares (``keras.Input(batch_size=...)``);
            by default the one the model declares (a stateful model's ``batch_shape``), and
            ``None`` frees it. A stateful RNN predicting one sample at a time is rebuilt with
            ``batch_size=1``: every weight is kept (Keras's own advice for stateful models).
        add: a layer, or a list of layers, appended after the Sequential's own (as fresh layers
            of the same configuration; ``edit`` and the inserts may name them): the layer a
            failed ``model.add(layer)`` was given, which Keras 2 leaves out of the model
            (:func:`kerashape_magic.facts.rejected_layer`).

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
    try:  # the model's own package: Keras 3, or Keras 2 (tf_keras, tf.keras in legacy mode)
        keras = keras_of(model) if package_of(model) else None
    except LookupError:
        keras = None
    if keras is None or not isinstance(model, keras.Model):
        raise KerashapeError("rebuild() takes a Keras model, got %r" % type(model).__name__)
    added = [] if add is None else list(add) if isinstance(add, (list, tuple)) else [add]
    if added and not isinstance(model, keras.Sequential):
        raise KerashapeError("add: only a Sequential takes layers appended, not %r" % type(model).__name__)
    editing = bool(edit or insert_after or insert_before or remove or added)
    edits, after, before, removed = (
        _edit_plan(model, edit, insert_after, insert_before, remove, added)
        if editing
        else ({}, {}, {}, set())
    )
    shapes = _declared_input_shapes(model) if input_shape is None else input_shape
    if shapes is not None and input_shape is not None:
        shapes = list(shapes) if isinstance(shapes, list) else [tuple(shapes)]
    if batch_size is _MISSING:  # keep a declared batch size (a stateful model needs it)
        batch_size = _declared_batch_size(model)
    if batch_size is not None and not shapes:
        shapes = _declared_input_shapes(model)
    functional = model.__class__.__name__ == "Functional" or type(model) is keras.Model
    try:
        if isinstance(model, keras.Sequential):
            layers = _sequential_layers(model, edits, after, before, removed, added)
            new = None
            configured = None if shapes or not editing else _configured_shape(model)
            if shapes:
                new = keras.Sequential(
                    [keras.Input(shape=tuple(shapes[0]), batch_size=batch_size)] + layers, name=model.name
                )
            elif configured is not None:
                try:  # keep the weights the failed call built: build the copy for the shape it configured
                    new = keras.Sequential([keras.Input(shape=configured)] + layers, name=model.name)
                except Exception:  # the edited copy does not take that shape: leave it to build on first call
                    layers = _sequential_layers(model, edits, after, before, removed, added)
            if new is None:
                new = keras.Sequential(layers, name=model.name)
        elif functional and (after or before or removed) and not _keras3(model):
            # Keras 2: clone_model has no call_function (tf_keras/src/models/cloning.py): rewire the config
            new = _keras2_functional(model, keras, edits, after, before, removed, shapes, batch_size)
        elif functional:
            kwargs = {}
            if editing and not _keras3(model):  # Keras 2: layer edits through clone_function alone
                kwargs["clone_function"] = _functional_hooks(edits, after, before, removed)[0]
            elif editing:
                hooks = _functional_hooks(edits, after, before, removed)
                kwargs["clone_function"], kwargs["call_function"] = hooks
            if shapes:
                names = [getattr(i, "name", None) for i in model.inputs]
                tensors = [
                    keras.Input(shape=tuple(s), name=n, batch_size=batch_size) for s, n in zip(shapes, names)
                ]
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
