"""The ``%kerashape`` line magic, declared with IPython's ``magic_arguments``.

``%kerashape?`` prints the manual below (IPython adds the usage line from the declared
arguments), and bad arguments get IPython's own ``UsageError``, as for ``%autoreload``
(``IPython/extensions/autoreload.py``, IPython 7.34 to 9.x). See :mod:`kerashape_magic._hook`
for the extension as a whole.
"""

from __future__ import annotations

from typing import Any, Callable, List, Optional

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from . import _state

#: The subcommands, in the order the manual lists them.
COMMANDS = ("status", "on", "off", "check", "last", "verify", "undo", "history", "warnings")
#: The subcommands that take arguments.
_TAKE_ARGS = ("check", "verify", "undo", "warnings")


@magics_class
class KerashapeMagics(Magics):
    """``%kerashape``: switch the hook and verification, run a pre-flight check, show the last diagnosis."""

    @line_magic
    @magic_arguments()
    @argument(
        "command",
        nargs="?",
        default="status",
        choices=COMMANDS,
        help="what to do (default: status)",
    )
    @argument(
        "args",
        nargs="*",
        help="check: MODEL X [Y], names or expressions in your namespace; verify: on | off; "
        "undo: N (a number from %%kerashape history); warnings: on | off | status",
    )
    def kerashape(self, line: str = "") -> None:
        """Explain Keras incompatible-input errors under their traceback.

        Subcommands::

            %kerashape                      same as %kerashape status
            %kerashape status               on or off, hook installed, verification, warnings, last diagnosis
            %kerashape on                   explain shape errors (the default after %load_ext kerashape)
            %kerashape off                  show tracebacks as usual, without a panel
            %kerashape check MODEL X [Y]    pre-flight: would MODEL accept X (and Y)? Also finds what
                                            Keras accepts silently (e.g. a timestep count it ignores)
            %kerashape last                 show the most recent diagnosis again
            %kerashape verify on|off        try each fix on a slice of your data before offering it
                                            (on, the default) or only propose fixes (off: faster,
                                            nothing is marked verified)
            %kerashape history              the fixes applied: number, title, the names each rebound,
                                            when, and whether undo can still take it back (if not,
                                            why: e.g. X was reassigned since)
            %kerashape undo [N]             undo the latest fix that can still be undone, or fix N of
                                            the history; a name you changed since is left as it is
            %kerashape warnings on|off|status
                                            after a cell that ran a Keras model and succeeded, say what
                                            Keras accepted silently (on by default)

        After an Apply, the first cell that runs successfully gets a note under its output:
        "Ran with kerashape's fix ... applied", with Undo and the change to your cells that keeps
        the fix when the notebook runs again.

        Examples::

            %kerashape check model X_train y_train
            %kerashape verify off
            %kerashape undo 2
        """
        args = parse_argstring(self.kerashape, line)
        command, rest = args.command, list(args.args)
        if command not in _TAKE_ARGS and rest:
            raise UsageError("%%kerashape %s takes no arguments (got %s)" % (command, " ".join(rest)))
        if command == "on":
            _state.enabled = True
            print("kerashape: on")
        elif command == "off":
            _state.enabled = False
            print("kerashape: off (tracebacks are shown as usual; '%kerashape on' to explain them again)")
        elif command == "status":
            self._status()
        elif command == "last":
            if _state.last_diagnosis is None:
                print("kerashape: no diagnosis yet")
            else:
                from .render import display_diagnosis

                display_diagnosis(_state.last_diagnosis)
        elif command == "verify":
            self._verify(rest)
        elif command == "undo":
            self._undo(rest)
        elif command == "history":
            self._history()
        elif command == "warnings":
            from .silent import warnings_command

            print(warnings_command(self.shell, rest))
        else:
            self._check(rest)

    def __init__(self, shell: Any = None, hook_installed: Optional[Callable[[Any], bool]] = None) -> None:
        super().__init__(shell)
        self._hook_installed = hook_installed or (lambda shell: False)

    def _status(self) -> None:
        installed = self._hook_installed
        from . import silent  # standard library only

        print(
            "kerashape: %s; hook %s; verification %s; warnings after successful cells %s; last diagnosis: %s"
            % (
                "on" if _state.enabled else "off",
                "installed" if installed(self.shell) else "not installed",
                "on" if _state.verify_enabled else "off",
                "on" if silent.enabled else "off",
                _state.last_diagnosis.kind if _state.last_diagnosis else "none",
            )
        )

    def _verify(self, rest: List[str]) -> None:
        if not rest:
            print("kerashape: verification %s" % ("on" if _state.verify_enabled else "off"))
            return
        if len(rest) != 1 or rest[0] not in ("on", "off"):
            raise UsageError("%%kerashape verify takes on or off, not %r" % " ".join(rest))
        _state.verify_enabled = rest[0] == "on"
        if _state.verify_enabled:
            print(
                "kerashape: verification on (fixes are tried on a slice of your data before they are offered)"
            )
        else:
            print("kerashape: verification off (fixes are proposed, none is tried or marked verified)")

    def _undo(self, rest: List[str]) -> None:
        if len(rest) > 1 or (rest and not rest[0].isdigit()):
            raise UsageError(
                "%%kerashape undo [N]: N is a number from %%kerashape history, not %r" % " ".join(rest)
            )
        from . import actions
        from .core.types import KerashapeError

        ns = self.shell.user_ns
        number = int(rest[0]) if rest else None
        if number is None:
            entries = actions.history(ns)
            kept = [e for e in entries if e.kept]
            if kept and not any(e.undoable for e in kept):
                print(
                    "kerashape: nothing to undo (undo never overwrites newer work): %s"
                    % "; ".join("fix %d (%r): %s" % (e.number, e.title, e.why) for e in kept)
                )
                return
            latest = next((e.number for e in reversed(kept) if e.undoable), None)
            if latest is None:
                print(
                    "kerashape: nothing to undo: %s"
                    % (
                        "every fix applied was undone or forgotten (%kerashape history)"
                        if entries
                        else "no kerashape fix has been applied"
                    )
                )
                return
            number = latest
        title = next((e.title for e in actions.history(ns) if e.number == number), "")
        try:
            line = actions.undo(ns, number=number)
        except KerashapeError as exc:
            print("kerashape: %s" % exc)
            return
        print("kerashape: undid fix %d (%r): %s" % (number, title, line))

    def _history(self) -> None:
        import time

        from . import actions

        entries = actions.history(self.shell.user_ns)
        if not entries:
            print("kerashape: no fix applied yet")
            return
        rows = [("#", "fix", "rebound", "applied", "undo")]
        for e in entries:
            if e.undoable:
                undo = "possible (%%kerashape undo %d)%s" % (
                    e.number,
                    "; %s: left as it is" % e.why if e.why else "",
                )
            else:
                undo = "not possible: %s" % e.why
            when = time.strftime("%H:%M:%S", time.localtime(e.when))
            rows.append((str(e.number), e.title, ", ".join(e.names) or "-", when, undo))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        print("kerashape: fixes applied in this kernel, oldest first")
        for r in rows:
            print("  " + "  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4])

    def _check(self, rest: List[str]) -> None:
        if len(rest) not in (2, 3):
            raise UsageError(
                "%%kerashape check MODEL X [Y]: names or expressions in your namespace (got %d)" % len(rest)
            )
        try:
            objs = [self.shell.ev(a) for a in rest]
        except Exception as exc:
            print("kerashape: could not evaluate %s: %s" % (" ".join(rest), exc))
            return
        from .pipeline import check_objects

        d = check_objects(*objs, user_ns=self.shell.user_ns)
        if d is None:
            from .actions import describe

            print("kerashape: %s fits %s: no disagreement found." % (rest[1], describe(objs[0])))
            return
        _state.last_diagnosis = d
        from .render import display_diagnosis

        display_diagnosis(d)
