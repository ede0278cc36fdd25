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
COMMANDS = ("status", "on", "off", "check", "last", "verify")


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
        help="check: MODEL X [Y], names or expressions in your namespace; verify: on | off",
    )
    def kerashape(self, line: str = "") -> None:
        """Explain Keras incompatible-input errors under their traceback.

        Subcommands::

            %kerashape                      same as %kerashape status
            %kerashape status               on or off, hook installed, verification, last diagnosis
            %kerashape on                   explain shape errors (the default after %load_ext kerashape)
            %kerashape off                  show tracebacks as usual, without a panel
            %kerashape check MODEL X [Y]    pre-flight: would MODEL accept X (and Y)? Also finds what
                                            Keras accepts silently (e.g. a timestep count it ignores)
            %kerashape last                 show the most recent diagnosis again
            %kerashape verify on|off        try each fix on a slice of your data before offering it
                                            (on, the default) or only propose fixes (off: faster,
                                            nothing is marked verified)

        Examples::

            %kerashape check model X_train y_train
            %kerashape verify off
        """
        args = parse_argstring(self.kerashape, line)
        command, rest = args.command, list(args.args)
        if command not in ("check", "verify") and rest:
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
        else:
            self._check(rest)

    def __init__(self, shell: Any = None, hook_installed: Optional[Callable[[Any], bool]] = None) -> None:
        super().__init__(shell)
        self._hook_installed = hook_installed or (lambda shell: False)

    def _status(self) -> None:
        installed = self._hook_installed

        print(
            "kerashape: %s; hook %s; verification %s; last diagnosis: %s"
            % (
                "on" if _state.enabled else "off",
                "installed" if installed(self.shell) else "not installed",
                "on" if _state.verify_enabled else "off",
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
