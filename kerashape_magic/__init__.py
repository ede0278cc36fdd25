"""kerashape: explain Keras incompatible-input errors and fix them with verified one-click fixes.

Public API (importing this package imports neither TensorFlow, Keras, matplotlib nor
ipywidgets; they load when first needed)::

    import kerashape
    kerashape.last()                          # the hook's most recent Diagnosis, or None
    kerashape.diagnose(error, model=None, x=None, y=None)   # Diagnosis | None
    kerashape.check(model, x, y=None)         # pre-flight: Diagnosis | None, no exception needed
    kerashape.apply(fix)                      # run fix.code in the user namespace
    kerashape.undo()                          # restore what the last apply rebound
    kerashape.rebuild(model, input_shape=...) # a new model for another input shape, same weights
    kerashape.reset(model)                    # clear what a failed fit left behind
    kerashape.rejected_layer(model)           # the layer a failed model.add() left out (Keras 2)

In IPython / Jupyter: ``%load_ext kerashape`` (see :mod:`kerashape_magic._hook`).
"""

from __future__ import annotations

from typing import Any, Optional

from .core.types import AxisRow, Diagnosis, Fix, KerashapeError

__version__ = "0.1.0"

__all__ = [
    "AxisRow",
    "Diagnosis",
    "Fix",
    "KerashapeError",
    "apply",
    "check",
    "diagnose",
    "last",
    "rebuild",
    "rejected_layer",
    "reset",
    "undo",
    "load_ipython_extension",
    "unload_ipython_extension",
]


def last() -> Optional[Diagnosis]:
    """Return the diagnosis of the most recent error the hook explained, or ``None``."""
    from . import _state

    return _state.last_diagnosis


def diagnose(error: BaseException, model: Any = None, x: Any = None, y: Any = None) -> Optional[Diagnosis]:
    """Explain a Keras / TensorFlow / NumPy shape error.

    Args:
        error: the exception (its ``__cause__`` / ``__context__`` chain is searched).
        model: the Keras model involved, if known; found in the traceback otherwise.
        x, y: the data and labels passed to the failing call, if known.

    Returns:
        A :class:`Diagnosis` with verified fixes first, or ``None`` when the error is not
        a shape error kerashape knows.
    """
    from .pipeline import diagnose_error

    return diagnose_error(error, model=model, x=x, y=y)


def check(model: Any, x: Any, y: Any = None) -> Optional[Diagnosis]:
    """Pre-flight: compare ``x`` (and ``y``) with what ``model`` expects, without fitting.

    Reports what Keras 3 would reject and also what it accepts silently (more timesteps
    than declared, a size-1 axis added quietly, labels that do not fit the loss). The
    fixes name the user's variables that hold these objects.

    Args:
        model: a Keras model.
        x: the input data (array, tensor, DataFrame, ``tf.data.Dataset``, list).
        y: the labels, optional.

    Returns:
        A :class:`Diagnosis`, or ``None`` when the data fits the model.
    """
    from .pipeline import check_objects

    return check_objects(model, x, y)


def apply(fix: Fix) -> str:
    """Run ``fix.code`` in the user's namespace, keeping the old objects for :func:`undo`.

    A fix is written for the objects its diagnosis saw: if the data or the model it reads was
    rebound since (``X`` now holds another array), nothing runs and :class:`KerashapeError`
    says so; run the failing cell again for a fresh diagnosis.

    Returns:
        One line saying what changed (``"X_train is now (100, 24, 1) float64"``; for a model,
        what changed in it: its input shape, its loss, an edited layer).

    Raises:
        KerashapeError: an object the fix reads changed since the diagnosis, or the code failed
            (the namespace, attributes and model state are then rolled back).
    """
    from . import actions

    return actions.apply(fix)


def undo(number: Optional[int] = None) -> str:
    """Restore what an :func:`apply` changed: the identical objects, never newer work.

    Without ``number``, the newest apply that can still be undone; with it, apply ``number``
    as ``%kerashape history`` lists it (``%kerashape undo N`` does the same).

    What it keeps: the history holds the last 3 applies
    (``kerashape_magic.actions.HISTORY_SIZE``), each with the objects it replaced, names and
    attributes (``h.X``) alike, and the state of a model the fix changed in place (its
    optimizer and compiled loss after ``kerashape.reset``). ``%reset``, ``%unload_ext
    kerashape`` and rebinding or deleting a changed name release those objects.

    A name is restored only if it still holds what apply put there; one rebound since is left
    as it is, and so is a model trained or recompiled since. The returned line says which.

    Returns:
        One line, e.g. ``"X_train is (100, 24) float64 again"``.

    Raises:
        KerashapeError: nothing to undo, or apply ``number`` is not in the history.
    """
    from . import actions

    return actions.undo(number=number)


def rebuild(model: Any, input_shape: Any = None, **kwargs: Any) -> Any:
    """A new model like ``model`` for ``input_shape``, keeping every weight that still fits.

    See :func:`kerashape_magic.actions.rebuild`.
    """
    from . import actions

    return actions.rebuild(model, input_shape, **kwargs)


def rejected_layer(model: Any) -> Any:
    """The layer the last failed ``model.add(layer)`` was given, which Keras 2 left out of ``model``.

    Keras 2 appends a layer only once it accepted the model's output (tf_keras/src/engine/
    sequential.py, ``Sequential.add``); a fix that rebuilds the model adds it back with
    ``kerashape.rebuild(model, ..., add=kerashape.rejected_layer(model))``.

    Raises:
        KerashapeError: no failed ``add`` on ``model`` was seen (Keras 3 keeps the layer).
    """
    from . import facts

    return facts.rejected_layer(model)


def reset(model: Any) -> Any:
    """Clear the cached train/test/predict functions a failed call left in ``model``."""
    from . import actions

    return actions.reset(model)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext kerashape``: install the exception hook and the ``%kerashape`` magic."""
    from ._hook import load

    load(ipython)


def unload_ipython_extension(ipython: Any) -> None:
    """``%unload_ext kerashape``: restore the previous exception handler."""
    from ._hook import unload

    unload(ipython)
