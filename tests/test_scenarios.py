"""Scenario cases (the acceptance format) run in a real IPython shell with real Keras models.

Each file in ``tests/cases/`` (the seeds' copies and the real cases rebuilt from public
threads), ``tests/cases_fresh/`` and ``tests/cases_fresh2/`` (the two held-out batches, written
without running kerashape; cases still failing live in ``tests/cases_open/``) defines SETUP,
CELL, CHECK, KINDS, FIXES, FORBID, AFTER and RERUN exactly as
``../shared/acceptance/run.py`` reads them. For each case: the failing cell fails (or the
pre-flight check runs), the diagnosis has an accepted kind, no forbidden fix is verified, the
first verified fix is applied, the cell re-runs, the AFTER check holds, and undo restores
every user variable to the identical object. When that fix carries ``source_edits`` (the
change to the user's own cells), the edited cells run from the top in a cleared namespace,
as the notebook re-run would, and never mention kerashape (issue 12).

The same run checks kerashape's warnings for what Keras accepts silently (kerashape_magic/silent.py):
no warning on a setup cell, none when the call runs again after the fix (the data fits then). For a
pre-flight (CHECK) scenario the call is ``model.evaluate(x, y)`` (``model.predict(x)`` without
labels), built from the CHECK names: after the fix it must succeed without a warning, and on the
data as it was (after undo), when Keras accepts it, it must warn.
"""

import ast
import contextlib
import glob
import io
import os

import pytest

HERE = os.path.dirname(__file__)
CASES = sorted(
    glob.glob(os.path.join(HERE, "cases", "*.py"))
    + glob.glob(os.path.join(HERE, "cases_fresh", "*.py"))
    + glob.glob(os.path.join(HERE, "cases_fresh2", "*.py"))
)


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


def _rerun_from_top(shell, case, edits, setup_n, cell_n):
    texts = {setup_n: case["SETUP"]}
    if cell_n is not None:
        texts[cell_n] = case["CELL"]
    for e in edits:
        assert e.cell in texts, "edit names cell %r, not one of this case's cells %s" % (
            e.cell,
            sorted(texts),
        )
        assert e.before.strip() == texts[e.cell].strip(), (
            "the edit's 'before' is not cell %r as it ran" % e.cell
        )
        assert "kerashape" not in e.after, "the edited cell depends on kerashape"
        texts[e.cell] = e.after
    shell.run_cell("%reset -f")
    assert shell.run_cell(texts[setup_n], store_history=True).success, "the edited setup fails from the top"
    if cell_n is not None:
        assert shell.run_cell(texts[cell_n], store_history=True).success, "the edited cell fails from the top"


@pytest.mark.parametrize("path", CASES, ids=[os.path.basename(p)[:-3] for p in CASES])
def test_scenario(path, tf, shell):
    from IPython.utils.capture import capture_output

    import kerashape

    case = load_case(path)
    quiet = io.StringIO()
    with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
        setup_n = len(shell.history_manager.input_hist_raw)
        with capture_output() as captured:
            assert shell.run_cell(case["SETUP"], store_history=True).success, quiet.getvalue()[-2000:]
        assert not _warnings(captured.outputs), ("a warning on the setup cell", _warnings(captured.outputs))
        before = shell.user_ns.copy()
        cell_n = len(shell.history_manager.input_hist_raw) if case.get("CELL") else None
        if case.get("CHECK"):
            if case.get("CELL"):
                shell.run_cell(case["CELL"], store_history=True)
            d = kerashape.check(*shell.ev(case["CHECK"]))
        else:
            kerashape_last_before = kerashape.last()
            assert not shell.run_cell(case["CELL"], store_history=True).success, (
                "the failing cell did not fail"
            )
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
        call = _check_call(case["CHECK"]) if case.get("CHECK") else None
        if case.get("RERUN", True) and case.get("CELL"):
            with capture_output() as captured:
                assert shell.run_cell(case["CELL"]).success, quiet.getvalue()[-3000:]
            assert not _warnings(captured.outputs), ("a warning after the fix", _warnings(captured.outputs))
        if call:
            with capture_output() as captured:
                assert shell.run_cell(call).success, (call, quiet.getvalue()[-3000:])
            assert not _warnings(captured.outputs), ("a warning after the fix", _warnings(captured.outputs))
        if case.get("AFTER"):
            assert shell.run_cell(case["AFTER"]).success, quiet.getvalue()[-3000:]
        kerashape.undo()
        if call:  # the data as it was: a call Keras accepts silently gets the warning
            with capture_output() as captured:
                accepted = shell.run_cell(call).success
            assert not accepted or _warnings(captured.outputs), ("no warning on the data as it was", call)
    changed = [
        k
        for k, v in before.items()
        if not k.startswith("_") and k in shell.user_ns and shell.user_ns[k] is not v
    ]
    assert not changed, "undo did not restore %s" % changed
    if fix.source_edits:
        with contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            _rerun_from_top(shell, case, fix.source_edits, setup_n, cell_n)
