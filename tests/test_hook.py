"""The IPython hook contract, in a real InteractiveShell (STYLE.md, "The IPython hook contract")."""

import contextlib
import io
import re

import pytest
from IPython.core.interactiveshell import InteractiveShell

from kerashape_magic import _hook, _state


@pytest.fixture()
def ishell():
    shell = InteractiveShell.instance()
    shell.colors = "nocolor"
    # start from IPython's own state, whatever earlier tests left
    if "kerashape" in shell.extension_manager.loaded:
        shell.run_line_magic("unload_ext", "kerashape")
    shell.set_custom_exc((), None)
    saved = (shell.custom_exceptions, shell.CustomTB)
    yield shell
    if "kerashape" in shell.extension_manager.loaded:
        shell.run_line_magic("unload_ext", "kerashape")
    shell.custom_exceptions, shell.CustomTB = saved
    shell.run_cell("%reset -f")


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    return result, re.sub(r"(In|Cell In)\s*\[\d+\]", r"\1[N]", out.getvalue())


@pytest.mark.parametrize(
    "cell",
    [
        "1/0",
        "{}['missing']",
        "undefined_name",
        "raise ValueError('could not convert string to float: abc')",
        "int('x')",
        "raise TypeError('unsupported operand')",
        "def f(:\n  pass",
    ],
)
def test_other_errors_print_exactly_the_plain_traceback(ishell, cell):
    plain_result, plain = run(ishell, cell)
    ishell.run_cell("%load_ext kerashape")
    hooked_result, hooked = run(ishell, cell)
    assert not plain_result.success and not hooked_result.success
    assert hooked == plain
    assert type(hooked_result.error_in_exec or hooked_result.error_before_exec) is type(
        plain_result.error_in_exec or plain_result.error_before_exec
    )


def test_shape_error_keeps_the_traceback_first_then_the_panel(ishell):
    ishell.run_cell("%load_ext kerashape")
    _, out = run(ishell, "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)")
    assert "ValueError" in out and "cannot reshape array of size 3000" in out
    assert _state.last_diagnosis is not None
    assert out.index("Traceback") < out.index(_state.last_diagnosis.summary[:30])


def test_internal_failure_still_shows_the_traceback_and_keeps_the_hook(ishell, monkeypatch):
    from kerashape_magic import pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom inside kerashape")

    monkeypatch.setattr(pipeline, "diagnose_error", broken)
    ishell.run_cell("%load_ext kerashape")
    result, out = run(ishell, "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)")
    assert not result.success
    assert "cannot reshape array of size 3000 into shape (100,5,30)" in out
    assert "kerashape: could not explain this error (RuntimeError: boom inside kerashape)" in out
    assert "unregistering" not in out
    assert _hook.installed(ishell)


def test_previous_handler_is_chained_and_restored(ishell):
    calls = []

    def previous(shell, etype, value, tb, tb_offset=None):
        calls.append(etype)
        print("previous handler saw", etype.__name__)

    ishell.set_custom_exc((KeyError, ValueError), previous)
    prev_handler, prev_types = ishell.CustomTB, ishell.custom_exceptions
    ishell.run_cell("%load_ext kerashape")
    assert ishell.CustomTB is not prev_handler
    _, out = run(ishell, "{}['k']")
    assert "previous handler saw KeyError" in out
    _, out = run(ishell, "raise ValueError('not a shape problem')")
    assert "previous handler saw ValueError" in out
    assert calls == [KeyError, ValueError]
    ishell.run_cell("%unload_ext kerashape")
    assert ishell.CustomTB is prev_handler
    assert ishell.custom_exceptions == prev_types


def test_reload_leaves_exactly_one_handler(ishell, monkeypatch):
    shown = []
    import kerashape_magic.render as render

    monkeypatch.setattr(render, "display_diagnosis", lambda d: shown.append(d))
    ishell.run_cell("%load_ext kerashape")
    ishell.run_cell("%reload_ext kerashape")
    ishell.run_cell("%reload_ext kerashape")
    assert _hook.installed(ishell)
    run(ishell, "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)")
    assert len(shown) == 1
    ishell.run_cell("%unload_ext kerashape")
    assert not _hook.installed(ishell)
    assert ishell.custom_exceptions == ()


def test_off_and_on(ishell):
    ishell.run_cell("%load_ext kerashape")
    _state.last_diagnosis = None
    _, out = run(ishell, "%kerashape off")
    assert "off" in out
    run(ishell, "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)")
    assert _state.last_diagnosis is None
    _, out = run(ishell, "%kerashape status")
    assert "kerashape: off; hook installed" in out
    run(ishell, "%kerashape on")
    run(ishell, "np.zeros(3000).reshape(100, 5, 30)")
    assert _state.last_diagnosis is not None
