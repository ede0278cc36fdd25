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
**Undo** puts the old objects back. The first cell that then runs successfully gets one line
under its output, "Ran with kerashape's fix ... applied", with its own **Undo** and the change
to your cells that keeps the fix when the notebook runs again.

Commands::

    %kerashape status          # on or off, and what is hooked
    %kerashape off             # stop explaining errors (the traceback is untouched)
    %kerashape on
    %kerashape check model X_train y_train   # pre-flight, no fit needed; also reports what
                                             # Keras 3 accepts silently (48 timesteps into
                                             # a model declared for 24, a size-1 axis added)
    %kerashape last            # show the last diagnosis again
    %kerashape history         # the fixes applied, and whether each can still be undone
    %kerashape undo [N]        # undo the latest fix that can be (or number N of the history)
    %unload_ext kerashape      # remove the hook, restoring the previous handler

From Python: ``kerashape.last()``, ``kerashape.check(model, x, y)``,
``kerashape.apply(fix)``, ``kerashape.undo()``.

How the hook behaves (checked against IPython's ``InteractiveShell.set_custom_exc`` and
``run_code``):

* It uses IPython's one custom-exception slot, for ``ValueError``, ``TypeError``,
  ``RuntimeError`` (Keras 3 on JAX and PyTorch wraps a failing first call in
  ``RuntimeError("Unable to automatically build the model ...")``, the backend's own error as its
  cause: ``dot_general requires contracting dimensions ...``, ``mat1 and mat2 shapes cannot be
  multiplied ...``), ``KeyError``, ``IndexError`` (PyTorch's ``Target 11 is out of bounds.`` from
  the loss) and TensorFlow's ``OpError`` (added as soon as TensorFlow is imported). Errors of other
  types never reach it. Errors that reach it but are not shape
  errors go, untouched, to the handler that held the slot before (Colab's kernel and other
  extensions use it) or to IPython's own traceback display.
* The traceback comes first, the panel below it. The hook never raises: IPython would
  unregister it for good. If kerashape fails internally, the traceback is still shown,
  followed by one quiet line.
* ``%unload_ext`` restores the previous handler; ``%reload_ext`` leaves exactly one.
  ``kerashape`` and ``kerashape_magic`` are one extension: unloading either name unloads both,
  and a handler that another extension chained to kerashape's stays silent once unloaded.
* Nothing the user or another handler does takes the hook away: Ctrl-C (``KeyboardInterrupt``),
  ``SystemExit`` or ``GeneratorExit`` during a diagnosis, or from an exception's ``__str__``,
  stop the diagnosis (the traceback is shown, then ``kerashape: interrupted``); a previous
  handler that raises, or an exception IPython cannot display (a cyclic ``__context__``), are
  caught and the traceback is printed plainly; and if IPython unregistered the slot anyway, the
  next cell puts kerashape back.
* A diagnosis has a deadline, ``kerashape_magic.facts.DEADLINE_S`` (2 s): past it kerashape
  stops, shows the diagnosis without the fixes it had no time to verify, and says so.
* An error counts as a shape error for Keras only when a Keras frame is in its traceback, or the
  failing call involves a Keras model or layer, or it is a data-preparation call kerashape has
  fixes for (``np.array``, ``reshape``, ``from_tensor_slices``, ...): a NumPy broadcast error in
  plain arithmetic goes to the previous handler untouched.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from typing import Any, Dict, Iterator, Optional, Tuple

from . import _state

_BASE_TYPES: Tuple[type, ...] = (  # pipeline.CLAIMED
    ValueError,
    TypeError,
    RuntimeError,
    KeyError,
    IndexError,
)
#: What stops a diagnosis at once: the user pressed Ctrl-C, or code asked to exit.
_STOPS = (KeyboardInterrupt, SystemExit, GeneratorExit)
#: The names this extension loads under (``kerashape.py`` is a shim over ``kerashape_magic``).
_NAMES = ("kerashape", "kerashape_magic")


class _Install:
    """What this hook replaced on one shell, to chain to it and to restore it."""

    def __init__(self, shell: Any) -> None:
        self.prev_types: Tuple[type, ...] = tuple(shell.custom_exceptions or ())
        self.prev_handler = shell.CustomTB
        self.ours = None  # the bound CustomTB IPython made from our handler
        self.active = True  # False once unloaded: a chained copy of the handler only passes on


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


def _is_ours(value: BaseException, tb: Any = None, user_ns: Optional[Dict[str, Any]] = None) -> bool:
    """True when ``value`` (or its cause/context) is a shape error of the user's Keras work.

    The message decides whether it is a shape error (``messages.is_shape_error`` then
    ``parse``, bounded whatever its size); an error whose message no parser reads is still a
    candidate when it came out of Keras's code (:func:`kerashape_magic.pipeline.claims`: the
    objects then decide, as ``check`` would). The traceback's frames and the failing call's
    objects decide whether it is Keras's (:func:`kerashape_magic.facts.involves_keras`).
    """
    from .pipeline import claims, shape_exception

    if shape_exception(value)[1] is None and not claims(value, tb):
        return False  # neither a shape message nor an error out of Keras's code
    if tb is None:
        return True
    from .facts import involves_keras

    return involves_keras(tb, user_ns)


def _say(line: str) -> None:
    """One quiet line on stderr; never raises."""
    try:
        print(line, file=sys.stderr)
    except BaseException:
        pass


def _print_plain(etype, value, tb) -> None:
    """The traceback as Python prints it (handles cycles in ``__context__``); never raises."""
    try:
        import traceback

        sys.stderr.write("".join(traceback.format_exception(etype, value, tb)))
    except BaseException:
        try:
            sys.stderr.write("%s\n" % getattr(etype, "__name__", "error"))
        except BaseException:
            pass


def _show_traceback(shell: Any, etype, value, tb, tb_offset) -> None:
    """IPython's traceback display; if IPython itself fails on this exception, Python's."""
    try:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    except BaseException:
        _print_plain(etype, value, tb)


def _slot_cleared(shell: Any) -> bool:
    """True when IPython emptied the slot (``set_custom_exc((), None)`` after a handler raised)."""
    handler = getattr(shell.CustomTB, "__func__", shell.CustomTB)
    return not shell.custom_exceptions and getattr(handler, "__name__", "") == "dummy_handler"


def _reclaim(shell: Any, inst: _Install) -> bool:
    """Put kerashape back in the slot IPython emptied because the previous handler raised.

    IPython unregisters a handler that raises (``InteractiveShell.set_custom_exc``'s
    ``wrapped``), and the previous handler's failure emptied the one slot, kerashape included.
    As without kerashape, the failing handler stays unregistered: kerashape no longer passes
    anything on to it, and unload leaves the slot empty.
    """
    if not inst.active or shell.CustomTB is inst.ours or not _slot_cleared(shell):
        return False
    inst.prev_types, inst.prev_handler = (), None
    shell.CustomTB = inst.ours
    shell.custom_exceptions = _types_for(inst)
    return True


def _delegate(shell: Any, inst: _Install, etype, value, tb, tb_offset) -> None:
    """Show the error exactly as IPython (or the previous handler) would have; never raises."""
    try:
        prev = inst.prev_handler
        if prev is not None and inst.prev_types and isinstance(value, inst.prev_types):
            try:
                prev(etype, value, tb, tb_offset=tb_offset)
            except BaseException:  # a handler set without set_custom_exc's protection
                _print_plain(etype, value, tb)
            if _reclaim(shell, inst):  # it raised inside IPython's wrapper, which showed no traceback
                _show_traceback(shell, etype, value, tb, tb_offset)
            return
        in_exec = tb is not None and tb.tb_frame.f_code.co_name == "run_code"
        if not in_exec:  # raised while IPython compiled the cell (run_cell_async)
            if isinstance(value, IndentationError):
                shell.showindentationerror()
            else:
                shell.showsyntaxerror()
            return
        _show_traceback(shell, etype, value, tb, tb_offset)
    except BaseException:
        _print_plain(etype, value, tb)


# --------------------------------------------------------------------------- deadline


@contextlib.contextmanager
def _time_limit(seconds: Optional[float]) -> Iterator[None]:
    """Raise :class:`~kerashape_magic.facts.DeadlineExceeded` into this thread after ``seconds``.

    In the main thread, with SIGALRM free (no handler, no timer of the user's), a real-time
    timer: its signal also interrupts a blocking call (a slow ``__getitem__`` sleeping).
    Elsewhere, a timer thread sets an asynchronous exception (``PyThreadState_SetAsyncExc``),
    which lands at the thread's next Python instruction. Either is disarmed on exit.
    """
    from .facts import DeadlineExceeded

    if seconds is None or seconds <= 0:
        yield
        return
    armed = [True]
    lock = threading.Lock()
    use_alarm = (
        threading.current_thread() is threading.main_thread()
        and hasattr(signal, "setitimer")
        and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
        and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    )
    if use_alarm:

        def on_alarm(signum: int, frame: Any) -> None:
            if armed[0]:
                armed[0] = False
                raise DeadlineExceeded()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, float(seconds))
        try:
            yield
        finally:
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    import ctypes

    tid = threading.get_ident()
    fired = [False]

    def fire() -> None:
        with lock:
            if armed[0]:
                fired[0] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(tid), ctypes.py_object(DeadlineExceeded)
                )

    timer = threading.Timer(float(seconds), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            armed[0] = False
            if fired[0]:  # not raised yet: take it back
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(tid), None)
        timer.cancel()


def _partial_diagnosis(value: BaseException) -> Any:
    """After the deadline: the diagnosis from the facts gathered so far, its fixes not verified."""
    from dataclasses import replace

    from . import facts
    from .core import diagnose as core
    from .pipeline import shape_exception

    gathered = facts.last_gathered()
    parsed = shape_exception(value)[1]
    if gathered is None or parsed is None:
        return None
    d = core.diagnose(parsed, gathered.facts, mode="error")
    if d is None:
        return None
    limit = facts.DEADLINE_S
    why = "not verified: kerashape stopped at its %s s limit before verifying it" % limit
    fixes = tuple(f.with_verification(False, why) for f in d.fixes)
    note = (
        "kerashape stopped after %s s (kerashape_magic.facts.DEADLINE_S) and skipped verifying the fixes%s."
        % (limit, "".join("; " + s for s in facts.skipped()))
    )
    return replace(d, fixes=fixes, notes=tuple(d.notes) + (note,))


def _diagnose(shell: Any, value: BaseException, tb: Any) -> None:
    """The diagnosis and its panel, within the deadline; the traceback is already shown."""
    from . import facts
    from .pipeline import diagnose_error

    d = None
    with facts.diagnosis_clock():
        try:
            with _time_limit(facts.DEADLINE_S):
                d = diagnose_error(value, tb=tb, user_ns=shell.user_ns)
        except facts.DeadlineExceeded:
            d = _partial_diagnosis(value)
            if d is None:
                _say(
                    "kerashape: stopped after %s s while reading your objects "
                    "(kerashape_magic.facts.DEADLINE_S); the traceback above is unchanged." % facts.DEADLINE_S
                )
    if d is None:
        return
    _state.last_diagnosis = d
    try:
        from . import actions

        actions.remember(d, shell.user_ns)
    except Exception:
        pass
    from .render import display_diagnosis

    display_diagnosis(d)


def _handle(shell: Any, inst: _Install, etype, value, tb, tb_offset) -> None:
    try:  # the cell that raised: the last input IPython stored (its execution count)
        _state.failed_cells.add(len(shell.history_manager.input_hist_raw) - 1)
    except BaseException:
        pass
    if not (inst.active and _state.enabled):
        _delegate(shell, inst, etype, value, tb, tb_offset)
        return
    try:
        ours = _is_ours(value, tb, shell.user_ns)
    except _STOPS:  # from the exception's own __str__, or Ctrl-C while reading it
        _delegate(shell, inst, etype, value, tb, tb_offset)
        _say("kerashape: interrupted")
        return
    except BaseException:
        ours = False
    if not ours:
        _delegate(shell, inst, etype, value, tb, tb_offset)
        return
    _show_traceback(shell, etype, value, tb, tb_offset)
    try:
        _diagnose(shell, value, tb)
    except _STOPS:
        _say("kerashape: interrupted")
    except BaseException as exc:  # never raise from the hook
        try:
            detail = "%s: %s" % (type(exc).__name__, str(exc)[:200])
        except BaseException:
            detail = type(exc).__name__
        _say(
            "kerashape: could not explain this error (%s). The traceback above is unchanged; "
            "'%%kerashape off' turns kerashape off." % detail
        )


def _make_handler(inst: _Install):
    def kerashape_handler(shell: Any, etype, value, tb, tb_offset=None):
        # IPython unregisters a handler that raises, for good: nothing gets out of here, not even
        # a second Ctrl-C pressed while kerashape recovers from the first.
        for attempt in range(3):
            try:
                if attempt == 0:
                    _handle(shell, inst, etype, value, tb, tb_offset)
                else:
                    _say("kerashape: interrupted")
                break
            except BaseException:
                continue
        return None

    return kerashape_handler


def _refresh_types(*_args: Any, **_kwargs: Any) -> None:
    """pre_run_cell: add TensorFlow's OpError once imported; reclaim a slot IPython emptied."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        inst = _installs.get(id(shell)) if shell is not None else None
        if inst is None or not inst.active:
            return
        _reclaim(shell, inst)
        if shell.CustomTB is inst.ours:
            types = _types_for(inst)
            if types != shell.custom_exceptions:
                shell.custom_exceptions = types
    except BaseException:
        pass


def _after_cell(*_args: Any, **_kwargs: Any) -> None:
    """post_run_cell: let the undo history drop what the user's namespace no longer holds."""
    try:  # a cell that ran a Keras model and succeeded: what Keras accepted silently (silent.py)
        from IPython import get_ipython

        from . import silent

        silent.after_cell(get_ipython(), _args[0] if _args else None)
    except BaseException:
        pass
    try:
        actions = sys.modules.get("kerashape_magic.actions")
        if actions is None:
            return
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            actions.prune(shell.user_ns)
            if actions.unnoted():  # the note under the first successful cell after an Apply
                from . import aftercare

                aftercare.after_cell(shell, _args[0] if _args else None)
    except BaseException:
        pass


def installed(shell: Any) -> bool:
    """True when kerashape's handler is the one in ``shell``'s custom-exception slot."""
    inst = _installs.get(id(shell))
    return inst is not None and inst.active and shell.CustomTB is inst.ours


def _events(shell: Any, register: bool) -> None:
    for event, callback in (("pre_run_cell", _refresh_types), ("post_run_cell", _after_cell)):
        try:
            shell.events.unregister(event, callback)
        except ValueError:
            pass
        if register:
            shell.events.register(event, callback)


def load(shell: Any) -> None:
    """Install the hook and the ``%kerashape`` magic (idempotent: one handler only)."""
    if installed(shell):
        return
    old = _installs.pop(id(shell), None)
    if old is not None:
        old.active = False
    inst = _Install(shell)
    shell.set_custom_exc(_types_for(inst), _make_handler(inst))
    inst.ours = shell.CustomTB
    _installs[id(shell)] = inst
    _events(shell, True)
    from .magics import KerashapeMagics

    # the magic asks the hook whether it is installed through this callable: magics never
    # imports _hook, so the imports point one way (hook -> magics)
    shell.register_magics(KerashapeMagics(shell, hook_installed=installed))
    _state.enabled = True


def unload(shell: Any) -> None:
    """Remove the hook, putting back the handler that held the slot before.

    The extension is one under both its names: the other name is marked unloaded too. A
    handler another extension chained to kerashape's stays in that extension's hands, but
    passes everything on untouched from now on. The undo history is cleared.
    """
    inst = _installs.pop(id(shell), None)
    _events(shell, False)
    try:
        loaded = shell.extension_manager.loaded
        for name in _NAMES:
            loaded.discard(name)
    except Exception:
        pass
    actions = sys.modules.get("kerashape_magic.actions")
    if actions is not None:
        actions.clear_history()
    if inst is None:
        return
    inst.active = False
    if shell.CustomTB is inst.ours:
        if inst.prev_handler is None:  # the previous handler failed and IPython dropped it
            shell.set_custom_exc((), None)
        else:
            shell.CustomTB = inst.prev_handler
            shell.custom_exceptions = inst.prev_types
