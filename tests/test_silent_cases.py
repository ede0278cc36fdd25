"""Zero false warnings on correct code: every scenario of ``tests/cases/``, once its first verified
fix is applied, runs its call again and kerashape must stay silent (kerashape_magic/silent.py).

One real IPython shell for all of them (the scenarios are the acceptance format, run as
``../shared/acceptance/run.py`` runs them: SETUP, then CELL, or the CHECK expression). For a
pre-flight (CHECK) scenario, the call made after the fix is ``model.evaluate(x, y)`` (or
``model.predict(x)`` without labels), built from the CHECK names: a successful call on data that
now fits. A scenario whose call still fails after the fix (its data does not fit the model then)
is not one this test is about; the test says how many it checked and requires most of them.
Before the fix, the same call of a pre-flight scenario, when Keras accepts it, must warn: the test
sees warnings where there are some.
"""

import ast
import contextlib
import glob
import io
import os

HERE = os.path.dirname(__file__)
CASES = sorted(glob.glob(os.path.join(HERE, "cases", "*.py")))


def load_case(path):
    ns = {}
    exec(compile(open(path).read(), path, "exec"), ns)
    return ns


def _check_call(check: str) -> str:
    names = [ast.unparse(e) for e in ast.parse(check, mode="eval").body.elts]
    if len(names) == 3:
        return "%s.evaluate(%s, %s, verbose=0)" % tuple(names)
    return "%s.predict(%s, verbose=0)" % tuple(names[:2])


def _warnings(outputs) -> list:
    from kerashape_magic.render.warning import HEADING

    return [o.data.get("text/plain", "") for o in outputs if HEADING in o.data.get("text/plain", "")]


def test_no_warning_once_the_fix_is_applied(tf, shell):
    from IPython.utils.capture import capture_output

    import kerashape

    checked, failing_after, false, setup_warned, warned_before, silent_before = [], [], [], [], [], []
    for path in CASES:
        case = load_case(path)
        name = os.path.basename(path)[:-3]
        quiet = io.StringIO()
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            shell.run_cell("%reset -f")
            with capture_output() as captured:
                ok = shell.run_cell(case["SETUP"], store_history=True).success
            assert ok, (name, quiet.getvalue()[-2000:])
            if _warnings(captured.outputs):  # a setup that trains on data that fits: silence too
                setup_warned.append((name, _warnings(captured.outputs)[0][:600]))
            if case.get("CHECK"):
                if case.get("CELL"):
                    shell.run_cell(case["CELL"], store_history=True)
                d = kerashape.check(*shell.ev(case["CHECK"]))
                call = _check_call(case["CHECK"])
                # before the fix, the same call is one Keras accepts silently: the warning shows
                with capture_output() as captured:
                    before = shell.run_cell(call, store_history=True)
                if before.success:
                    (warned_before if _warnings(captured.outputs) else silent_before).append(name)
                    if _warnings(captured.outputs):  # the fix the user sees now: the warning's
                        d = kerashape.last()
            else:
                shell.run_cell(case["CELL"], store_history=True)
                d = kerashape.last()
                call = case["CELL"] if case.get("RERUN", True) else None
            verified = [f for f in d.fixes if f.verified] if d is not None else []
            if not verified or call is None:
                continue
            kerashape.apply(verified[0])
            with capture_output() as captured:
                result = shell.run_cell(call, store_history=True)
            kerashape.undo()
        if not result.success:
            failing_after.append(name)
            continue
        checked.append(name)
        found = _warnings(captured.outputs)
        if found:
            false.append((name, found[0][:600]))
    print(
        "checked %d scenarios after their fix; %d still fail then: %s"
        % (len(checked), len(failing_after), failing_after)
    )
    assert not false, "warnings on code whose data fits the model:\n%s" % "\n\n".join(
        "%s: %s" % f for f in false
    )
    assert warned_before and not silent_before, (warned_before, silent_before)
    assert not setup_warned, "warnings on setup cells:\n%s" % "\n\n".join("%s: %s" % f for f in setup_warned)
    assert len(checked) >= 0.8 * len(CASES) and not failing_after, (len(checked), len(CASES), failing_after)
