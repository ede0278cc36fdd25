"""kerashape in IPython and Jupyter: the user manual.

Load it once per kernel::

    %load_ext kerashape

From then on, when a cell fails with an incompatible-input error from Keras, TensorFlow
or NumPy (``Input 0 of layer "lstm" is incompatible with the layer``, ``Invalid input
shape``, ``Dimensions must be equal``, ``Data cardinality is ambiguous``, ``Cannot batch
tensors with different shapes``, ``cannot reshape array of size ...``), the normal
traceback is printed exactly as before, and under it a panel compares the data's shape
with what the layer expects, axis by axis, and offers fixes that were tried on two samples
against your real model. Clicking **Apply** runs the shown code in your namespace;
**Undo** puts the old objects back.

Commands::

    %kerashape status          # on or off, and what is hooked
    %kerashape off             # stop explaining errors (the traceback is untouched)
    %kerashape on
    %kerashape check model X_train y_train   # pre-flight, no fit needed; also reports what
                                             # Keras 3 accepts silently (48 timesteps into
                                             # a model declared for 24, a size-1 axis added)
    %kerashape last            # show the last diagnosis again
    %unload_ext kerashape      # remove the hook, restoring the previous handler

From Python: ``kerashape.last()``, ``kerashape.check(model, x, y)``,
``kerashape.apply(fix)``, ``kerashape.undo()``.

How the hook behaves (checked against IPython's ``InteractiveShell.set_custom_exc`` and
``run_code``):

* It uses IPython's one custom-exception slot, for ``ValueError``, ``TypeError`` and
  TensorFlow's ``OpError`` (added as soon as TensorFlow is imported). Errors of other
  types never reach it. Errors that reach it but are not shape errors go, untouched, to
  the handler that held the slot before (Colab's kernel and other extensions use it) or
  to IPython's own traceback display.
* The traceback comes first, the panel below it. The hook never raises: IPython would
  unregister it for good. If kerashape fails internally, the traceback is still shown,
  followed by one quiet line.
* ``%unload_ext`` restores the previous handler; ``%reload_ext`` leaves exactly one.
"""

from __future__ import annotations

import sys
from typing import Any, Dict, Tuple

from . import _state

_BASE_TYPES: Tuple[type, ...] = (ValueError, TypeError)


class _Install:
    """What this hook replaced on one shell, to chain to it and to restore it."""

    def __init__(self, shell: Any) -> None:
        self.prev_types: Tuple[type, ...] = tuple(shell.custom_exceptions or ())
        self.prev_handler = shell.CustomTB
        self.ours = None  # the bound CustomTB IPython made from our handler


_installs: Dict[int, _Install] = {}


def _tf_error_types() -> Tuple[type, ...]:
    errors = sys.modules.get("tensorflow.python.framework.errors_impl")
    op_error = getattr(errors, "OpError", None)
    return (op_error,) if isinstance(op_error, type) else ()


def _types_for(inst: _Install) -> Tuple[type, ...]:
    out = []
    for t in inst.prev_types + _BASE_TYPES + _tf_error_types():
        if t not in out:
            out.append(t)
    return tuple(out)


def _is_ours(value: BaseException) -> bool:
    """True when ``value`` (or its cause/context) is a shape error kerashape can parse."""
    from .pipeline import shape_exception

    return shape_exception(value)[1] is not None


def _delegate(shell: Any, inst: _Install, etype, value, tb, tb_offset) -> Any:
    """Show the error exactly as IPython (or the previous handler) would have."""
    if inst.prev_types and isinstance(value, inst.prev_types):
        return inst.prev_handler(etype, value, tb, tb_offset=tb_offset)
    in_exec = tb is not None and tb.tb_frame.f_code.co_name == "run_code"
    if not in_exec:  # raised while IPython compiled the cell (run_cell_async)
        if isinstance(value, IndentationError):
            shell.showindentationerror()
        else:
            shell.showsyntaxerror()
        return None
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    return None


def _make_handler(inst: _Install):
    def kerashape_handler(shell: Any, etype, value, tb, tb_offset=None):
        try:
            ours = _state.enabled and _is_ours(value)
        except Exception:
            ours = False
        if not ours:
            return _delegate(shell, inst, etype, value, tb, tb_offset)
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
        try:
            from .pipeline import diagnose_error

            d = diagnose_error(value, tb=tb, user_ns=shell.user_ns)
            if d is not None:
                _state.last_diagnosis = d
                from .render import display_diagnosis

                display_diagnosis(d)
        except Exception as exc:  # never raise from the hook
            try:
                print(
                    "kerashape: could not explain this error (%s: %s). The traceback above is unchanged; "
                    "'%%kerashape off' turns kerashape off." % (type(exc).__name__, str(exc)[:200]),
                    file=sys.stderr,
                )
            except Exception:
                pass
        return None

    return kerashape_handler


def _refresh_types(*_args: Any, **_kwargs: Any) -> None:
    """pre_run_cell callback: add TensorFlow's OpError once TensorFlow has been imported."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        inst = _installs.get(id(shell)) if shell is not None else None
        if inst is not None and shell.CustomTB is inst.ours:
            types = _types_for(inst)
            if types != shell.custom_exceptions:
                shell.custom_exceptions = types
    except Exception:
        pass


def installed(shell: Any) -> bool:
    """True when kerashape's handler is the one in ``shell``'s custom-exception slot."""
    inst = _installs.get(id(shell))
    return inst is not None and shell.CustomTB is inst.ours


def load(shell: Any) -> None:
    """Install the hook and the ``%kerashape`` magic (idempotent: one handler only)."""
    if installed(shell):
        return
    inst = _Install(shell)
    shell.set_custom_exc(_types_for(inst), _make_handler(inst))
    inst.ours = shell.CustomTB
    _installs[id(shell)] = inst
    try:
        shell.events.unregister("pre_run_cell", _refresh_types)
    except ValueError:
        pass
    shell.events.register("pre_run_cell", _refresh_types)
    from .magics import KerashapeMagics

    shell.register_magics(KerashapeMagics)
    _state.enabled = True


def unload(shell: Any) -> None:
    """Remove the hook, putting back the handler that held the slot before."""
    inst = _installs.pop(id(shell), None)
    try:
        shell.events.unregister("pre_run_cell", _refresh_types)
    except ValueError:
        pass
    if inst is None:
        return
    if shell.CustomTB is inst.ours:
        shell.CustomTB = inst.prev_handler
        shell.custom_exceptions = inst.prev_types
