"""Scenario cases (the acceptance format) run in a real IPython shell with real Keras models.

Each file in ``tests/cases/`` defines SETUP, CELL, CHECK, KINDS, FIXES, FORBID, AFTER and
RERUN exactly as ``../shared/acceptance/run.py`` reads them (the seed cases are copied
here so the suite does not depend on the shared folder). For each case: the failing cell
fails (or the pre-flight check runs), the diagnosis has an accepted kind, no forbidden fix
is verified, the first verified fix is applied, the cell re-runs, the AFTER check holds,
and undo restores every user variable to the identical object.
"""

import contextlib
import glob
import io
import os

import pytest

CASES = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "cases", "*.py")))


def load_case(path):
    ns = {}
    exec(compile(open(path).read(), path, "exec"), ns)
    return ns


@pytest.mark.parametrize("path", CASES, ids=[os.path.basename(p)[:-3] for p in CASES])
def test_scenario(path, tf, shell):
    import kerashape

    case = load_case(path)
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        assert shell.run_cell(case["SETUP"]).success, quiet.getvalue()[-2000:]
        before = shell.user_ns.copy()
        if case.get("CHECK"):
            if case.get("CELL"):
                shell.run_cell(case["CELL"])
            d = kerashape.check(*shell.ev(case["CHECK"]))
        else:
            kerashape_last_before = kerashape.last()
            assert not shell.run_cell(case["CELL"]).success, "the failing cell did not fail"
            d = kerashape.last()
            assert d is not kerashape_last_before
    assert d is not None, quiet.getvalue()[-3000:]
    assert d.kind in case["KINDS"], (d.kind, d.summary)
    verified = [f for f in d.fixes if f.verified]
    assert not [f.kind for f in verified if f.kind in case.get("FORBID", ())]
    assert verified, [(f.kind, f.verification) for f in d.fixes]
    fix = verified[0]
    assert fix.kind in case["FIXES"], (fix.kind, [f.kind for f in verified])
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        kerashape.apply(fix)
        if case.get("RERUN", True) and case.get("CELL"):
            assert shell.run_cell(case["CELL"]).success, quiet.getvalue()[-3000:]
        if case.get("AFTER"):
            assert shell.run_cell(case["AFTER"]).success, quiet.getvalue()[-3000:]
        kerashape.undo()
    changed = [
        k
        for k, v in before.items()
        if not k.startswith("_") and k in shell.user_ns and shell.user_ns[k] is not v
    ]
    assert not changed, "undo did not restore %s" % changed
