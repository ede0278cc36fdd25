"""After a cell succeeds: say, once, that it ran with a kerashape fix applied (issue 12).

Apply patches the kernel, not the notebook, and re-running the fixed cell (the natural next
step) replaces the panel and its Undo button. So the first cell that runs successfully after
an Apply gets one line under its output (:mod:`kerashape_magic.render.note`)::

    Ran with kerashape's fix *Rebuild the model for 1 feature* applied · [Undo] · change to keep it: cell [3]

When (read from the undo history, :mod:`kerashape_magic.actions`):

* once per apply, at the first cell that succeeds after it: a cell IPython stored in its input
  history (``In``) after the apply ran. The cell that called ``kerashape.apply(...)`` itself
  does not count; a cell that fails leaves the note for the next one that succeeds (the failed
  cell itself, re-run, included);
* only while the fix is still in effect (:func:`~kerashape_magic.actions.still_applied`): not
  undone, its names still holding what it put there. An apply whose names were rebound before
  any cell succeeded gets no note, and never will;
* not while kerashape is off (``%kerashape off``): the apply is then marked told about.

Cost: run by the hook's ``post_run_cell`` callback only once :mod:`kerashape_magic.actions` is
imported; with nothing applied it is one test of an empty list
(:func:`~kerashape_magic.actions.unnoted`). IPython's callback gets the cell's
``ExecutionResult`` (``IPython/core/interactiveshell.py``, ``run_cell``: ``post_run_cell`` is
triggered with it, IPython 7.34 to 9.x).
"""

from __future__ import annotations

from typing import Any, List

from . import _state, actions

#: A cell that only runs kerashape's own magic does not count as a run with the fix.
_OWN = ("%kerashape", "%%kerashape")


def due(shell: Any, result: Any) -> List[actions.Change]:
    """The applies to tell about under the cell that just ran, marked as told about.

    Args:
        shell: the IPython shell.
        result: the cell's ``ExecutionResult`` (``None`` when IPython did not pass one).

    Returns:
        The applies still in effect whose note belongs under this cell (often none).
    """
    pending = actions.unnoted()
    if not pending or not getattr(result, "success", False):
        return []
    raw = getattr(getattr(result, "info", None), "raw_cell", None)
    if isinstance(raw, str) and raw.lstrip().startswith(_OWN):
        return []  # %kerashape history / undo: nothing of the user's ran with the fix
    try:
        stored = len(shell.history_manager.input_hist_raw)
    except Exception:
        stored = None
    out = []
    for change in pending:
        if change.mark is not None and (stored is None or stored <= change.mark):
            continue  # this cell ran before the apply, or applied it itself
        change.noted = True
        if _state.enabled and actions.still_applied(change, shell.user_ns):
            out.append(change)
    return out


def after_cell(shell: Any, result: Any) -> None:
    """``post_run_cell``: show the note under a successful cell for each apply :func:`due`.

    A widget in a kernel (a frontend may show it), the static note elsewhere
    (:func:`~kerashape_magic.render.note.note_bundle`). Never raises.
    """
    try:
        changes = due(shell, result)
        if not changes:
            return
        from IPython.display import display

        from .render import widget_frontend_possible
        from .render.note import note_bundle

        widget = widget_frontend_possible()
        for change in changes:
            display(note_bundle(change.fix, change.number, widget=widget), raw=True)
    except Exception:
        pass
