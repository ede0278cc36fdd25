"""The one-way flow, on one screen: exception -> facts -> rules -> moves -> verify -> rank.

Used by the hook, by ``kerashape.diagnose`` and by ``kerashape.check``. Rendering is not
done here.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from types import TracebackType
from typing import Any, Dict, Optional

from .core.diagnose import diagnose
from .core.rank import rank
from .core.types import Diagnosis, Facts
from .core.vocab import MODEL_METHODS
from .facts import gather
from .verify import verify


def _user_ns() -> Optional[Dict[str, Any]]:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    shell = get_ipython()
    if shell is not None:
        return shell.user_ns
    main = sys.modules.get("__main__")
    return getattr(main, "__dict__", None)


def shape_exception(error: BaseException):
    """The exception in ``error``'s cause/context chain whose message kerashape can parse.

    Returns:
        ``(exception, ParsedMessage)`` or ``(None, None)``.
    """
    from .core import messages

    seen = set()
    e: Optional[BaseException] = error
    while e is not None and id(e) not in seen and len(seen) < 10:
        seen.add(id(e))
        text = str(e)
        if messages.is_shape_error(type(e).__name__, text):
            parsed = messages.parse(text)
            if parsed is not None:
                return e, parsed
        e = e.__cause__ or e.__context__
    return None, None


#: Where Keras's model methods live (keras/src/trainers/, keras/src/models/, the backend
#: trainers, keras/src/layers/layer.py for ``model(x)``; tf_keras/src/engine for Keras 2).
_KERAS_FRAMES = ("/keras/src/", "/tf_keras/src/", "/keras/engine/", "/keras/src/engine/")


def raised_in_keras(tb: Optional[TracebackType]) -> bool:
    """True when a frame of ``tb`` is Keras's own code (the error came out of a Keras call)."""
    n = 0
    while tb is not None and n < 500:
        name = tb.tb_frame.f_code.co_filename.replace("\\", "/")
        if any(part in name for part in _KERAS_FRAMES):
            return True
        tb = tb.tb_next
        n += 1
    return False


#: Exception types that Keras raises for a mismatch whose message no parser may read:
#: ValueError / TypeError (input specs, ops), RuntimeError (Keras 3's "Unable to automatically
#: build the model" on JAX and PyTorch), KeyError (keras/src/trainers/compile_utils.py: a loss
#: path not found in the labels' structure), IndexError (PyTorch's nll_loss: a class index past the
#: output's units).
CLAIMED = (ValueError, TypeError, RuntimeError, KeyError, IndexError)


def claims(error: BaseException, tb: Optional[TracebackType] = None) -> bool:
    """Whether kerashape should try to explain ``error``: its message parses as a shape
    error, or it is a ``ValueError`` / ``TypeError`` / ``RuntimeError`` that came out of
    Keras's code (the objects then decide: :func:`diagnose_error`)."""
    if shape_exception(error)[1] is not None:
        return True
    framework_error = any(c.__name__ == "OpError" for c in type(error).__mro__)  # TF's errors_impl.OpError
    return (isinstance(error, CLAIMED) or framework_error) and raised_in_keras(
        tb if tb is not None else error.__traceback__
    )


def trained(model: Any) -> bool:
    """Whether ``model`` carries learned weights: its optimizer took steps, or a layer is
    frozen (transfer learning). Reads ``optimizer.iterations`` (a Keras variable) only."""
    if model is None:
        return False
    try:
        it = getattr(getattr(model, "optimizer", None), "iterations", None)
        if it is not None:
            value = it.numpy() if hasattr(it, "numpy") else it
            if int(value) > 0:
                return True
    except Exception:
        pass
    try:
        return any(getattr(layer, "trainable", True) is False for layer in getattr(model, "layers", ()) or ())
    except Exception:
        return False


def _with_trained(facts: Facts, model: Any) -> Facts:
    if facts.model is None or not trained(model):
        return facts
    return replace(facts, model=replace(facts.model, trained=True))


def _shell() -> Any:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return None
    return get_ipython()


def with_source_edits(d: Diagnosis, facts: Facts, failing: bool = True) -> Diagnosis:
    """Each fix with the change to the user's own cells that makes it last
    (:func:`kerashape_magic.edits.fix_edits`, read from IPython's raw input history), or the
    reason there is none. Outside IPython the fixes are returned unchanged.

    ``failing``: the diagnosis explains the error of the cell IPython stored last (its
    execution count is the history's last index; IPython 8+ has already counted the next
    one); for a pre-flight check, the edits may go into every cell run so far.
    """
    shell = _shell()
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if not d.fixes or not history or len(history) < 2:
        return d  # no cell stored in the history (code run outside notebook cells)
    cell = len(history) - 1 if failing else len(history)
    from . import _state
    from .edits import fix_edits

    m = facts.model
    layers = tuple((lay.name, lay.class_name) for lay in m.layers) if m is not None else ()
    declared = tuple(m.input_shapes[0][1:]) if m is not None and len(m.input_shapes) == 1 else None
    out = []
    for fix in d.fixes:
        try:
            found = fix_edits(
                history,
                cell,
                fix.code,
                layers=layers,
                declared=declared,
                line=facts.call.line,
                failed=frozenset(_state.failed_cells),
            )
        except Exception as exc:  # a change we cannot find is said, never raised
            out.append(replace(fix, edit_note="kerashape could not find the cells to change (%s)" % exc))
            continue
        if found:
            out.append(replace(fix, source_edits=tuple(found)))
        else:
            out.append(replace(fix, edit_note=getattr(found, "reason", "")))
    return replace(d, fixes=tuple(out))


def _finish(d: Optional[Diagnosis], gathered: Any, failing: bool = True) -> Optional[Diagnosis]:
    if d is None:
        return None
    # the label and layer-edit verifiers register themselves in verify.VERIFIERS; importing
    # them here (not from verify) keeps the imports one-way: verify_* -> verify
    from . import verify_internal, verify_labels  # noqa: F401

    d = with_source_edits(rank(verify(d, gathered), gathered.facts), gathered.facts, failing)
    try:  # apply refuses a fix whose objects changed since (actions.remember)
        from . import actions

        actions.remember(d, gathered.namespace)
    except Exception:
        pass
    return d


def _keeping_streams(fn: Any) -> Any:
    """Run ``fn`` with every random stream and Keras name counter put back after (streams.kept),
    and without importing TensorFlow when it is not imported yet (backend.tensorflow_kept_out:
    a layer's ``get_config()`` would import it on JAX and PyTorch)."""
    import functools

    from .backend import tensorflow_kept_out
    from .streams import kept

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with kept(), tensorflow_kept_out():
            return fn(*args, **kwargs)

    return wrapper


@_keeping_streams
def diagnose_error(
    error: BaseException,
    model: Any = None,
    x: Any = None,
    y: Any = None,
    tb: Optional[TracebackType] = None,
    user_ns: Optional[Dict[str, Any]] = None,
) -> Optional[Diagnosis]:
    """Explain ``error`` (see :func:`kerashape.diagnose`); ``None`` when it is not a shape error.

    A message that no parser reads is still explained when the failing call is a Keras
    model method whose model and data resolve: the objects are compared as ``check``
    compares them (the message is a hint, the objects are the truth).
    """
    _exc, parsed = shape_exception(error)
    trace = tb if tb is not None else error.__traceback__
    if parsed is None and not claims(error, trace):
        return None
    ns = user_ns if user_ns is not None else _user_ns()
    from .backend import reattach_jax_state

    reattach_jax_state(trace)  # Keras on JAX detached the weights for the failed call (backend.py)
    gathered = gather(error, trace, ns, model, x, y)
    gathered.facts = _with_trained(gathered.facts, gathered.model)
    facts = gathered.facts
    if parsed is None:
        if facts.call.method not in MODEL_METHODS or facts.model is None or facts.role("x") is None:
            return None
        d = diagnose(None, facts, mode="objects")
    else:
        d = diagnose(parsed, facts, mode="error")
    return _finish(d, gathered)


@_keeping_streams
def check_objects(
    model: Any, x: Any, y: Any = None, user_ns: Optional[Dict[str, Any]] = None
) -> Optional[Diagnosis]:
    """Pre-flight comparison of ``x`` / ``y`` with ``model`` (see :func:`kerashape.check`)."""
    ns = user_ns if user_ns is not None else _user_ns()
    gathered = gather(None, None, ns, model, x, y)
    gathered.facts = _with_trained(gathered.facts, gathered.model)
    return _finish(diagnose(None, gathered.facts, mode="check"), gathered, failing=False)
