"""The ``%kerashape`` line magic: ``on``, ``off``, ``status``, ``check MODEL X [Y]``, ``last``.

See :mod:`kerashape_magic._hook` for the user manual.
"""

from __future__ import annotations

import shlex

from IPython.core.magic import Magics, line_magic, magics_class

from . import _state

_USAGE = "usage: %kerashape on | off | status | check MODEL X [Y] | last"


@magics_class
class KerashapeMagics(Magics):
    """``%kerashape``: switch the hook, run a pre-flight check, show the last diagnosis."""

    @line_magic
    def kerashape(self, line: str) -> None:
        """%kerashape on | off | status | check MODEL X [Y] | last"""
        try:
            words = shlex.split(line)
        except ValueError:
            words = line.split()
        cmd = words[0] if words else "status"
        if cmd == "on":
            _state.enabled = True
            print("kerashape: on")
        elif cmd == "off":
            _state.enabled = False
            print("kerashape: off (tracebacks are shown as usual; '%kerashape on' to explain them again)")
        elif cmd == "status":
            from ._hook import installed

            hooked = installed(self.shell)
            print(
                "kerashape: %s; hook %s; last diagnosis: %s"
                % (
                    "on" if _state.enabled else "off",
                    "installed" if hooked else "not installed",
                    _state.last_diagnosis.kind if _state.last_diagnosis else "none",
                )
            )
        elif cmd == "last":
            if _state.last_diagnosis is None:
                print("kerashape: no diagnosis yet")
            else:
                from .render import display_diagnosis

                display_diagnosis(_state.last_diagnosis)
        elif cmd == "check":
            self._check(words[1:])
        else:
            print(_USAGE)

    def _check(self, args: list) -> None:
        if len(args) not in (2, 3):
            print("usage: %kerashape check MODEL X [Y]   (names or expressions in your namespace)")
            return
        try:
            objs = [self.shell.ev(a) for a in args]
        except Exception as exc:
            print("kerashape: could not evaluate %s: %s" % (" ".join(args), exc))
            return
        from .pipeline import check_objects

        d = check_objects(*objs, user_ns=self.shell.user_ns)
        if d is None:
            from .actions import describe

            print("kerashape: %s fits %s: no disagreement found." % (args[1], describe(objs[0])))
            return
        _state.last_diagnosis = d
        from .render import display_diagnosis

        display_diagnosis(d)
