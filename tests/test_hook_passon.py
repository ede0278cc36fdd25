"""Issue 10, item 2 and issue 11 (Colab): the pass-on path to IPython and the previous handler is guarded.

Whatever the previous handler or IPython does, kerashape's handler returns normally and stays
installed; Colab's start-up handler (``set_custom_exc((ImportError, DisabledFunctionError), ...)``,
google.colab._shell) still gets its errors and is restored on unload.
"""

import contextlib
import io

import pytest
from IPython.core.interactiveshell import InteractiveShell

from kerashape_magic import _hook, _state


@pytest.fixture()
def ishell():
    shell = InteractiveShell.instance()
    shell.colors = "nocolor"
    for name in ("kerashape", "kerashape_magic"):
        if name in shell.extension_manager.loaded:
            shell.run_line_magic("unload_ext", name)
    shell.set_custom_exc((), None)
    saved = (shell.custom_exceptions, shell.CustomTB)
    yield shell
    for name in ("kerashape", "kerashape_magic"):
        if name in shell.extension_manager.loaded:
            shell.run_line_magic("unload_ext", name)
    shell.custom_exceptions, shell.CustomTB = saved
    shell.run_cell("%reset -f")


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    return result, out.getvalue()


CYCLE = """
a = ValueError("a: %s"); b = ValueError("b")
a.__context__ = b; b.__context__ = a
raise a
"""


@pytest.mark.parametrize(
    "text", ["not a shape problem", "cannot reshape array of size 3000 into shape (100,5,30)"]
)
def test_an_exception_with_a_cyclic_context_is_shown_and_the_hook_stays(ishell, text):
    ishell.run_cell("%load_ext kerashape")
    result, out = run(ishell, CYCLE % text)
    assert not result.success
    assert "unregistering" not in out
    assert "ValueError: a: " + text in out  # IPython's own display fails on the cycle: Python's is shown
    assert _hook.installed(ishell)


def test_a_previous_handler_that_raises_does_not_take_kerashape_with_it(ishell):
    def broken(shell, etype, value, tb, tb_offset=None):
        raise RuntimeError("the previous handler is broken")

    ishell.set_custom_exc((KeyError,), broken)
    ishell.run_cell("%load_ext kerashape")
    result, out = run(ishell, "{}['missing_key']")
    assert not result.success
    assert "KeyError" in out and "missing_key" in out  # the user's traceback is shown
    assert _hook.installed(ishell)
    _state.last_diagnosis = None
    run(ishell, "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)")
    assert _state.last_diagnosis is not None  # kerashape still explains
    result, out = run(ishell, "{}['again']")  # as without kerashape, the broken handler stays dropped
    assert "KeyError" in out and "again" in out and "unregistering" not in out
    ishell.run_cell("%unload_ext kerashape")
    assert ishell.custom_exceptions == ()


class DisabledFunctionError(ValueError):
    """Stands for google.colab's DisabledFunctionError (a ValueError subclass there too)."""


def test_colabs_start_up_handler_still_gets_its_errors_and_is_restored(ishell):
    seen = []

    def colab_handler(shell, etype, value, tb, tb_offset=None):
        seen.append(etype.__name__)
        print("colab handler:", etype.__name__)

    ishell.user_ns["DisabledFunctionError"] = DisabledFunctionError
    ishell.set_custom_exc((ImportError, DisabledFunctionError), colab_handler)
    prev_handler, prev_types = ishell.CustomTB, ishell.custom_exceptions
    ishell.run_cell("%load_ext kerashape")
    assert _hook.installed(ishell)
    _, out = run(ishell, "import kerashape_no_such_module")
    assert "colab handler: ModuleNotFoundError" in out
    _, out = run(ishell, "raise DisabledFunctionError('this function is disabled in Colab')")
    assert "colab handler: DisabledFunctionError" in out
    _state.last_diagnosis = None
    run(ishell, "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)")
    assert _state.last_diagnosis is not None
    assert seen == ["ModuleNotFoundError", "DisabledFunctionError"]
    ishell.run_cell("%unload_ext kerashape")
    assert ishell.CustomTB is prev_handler and ishell.custom_exceptions == prev_types
    _, out = run(ishell, "import kerashape_no_such_module")
    assert "colab handler: ModuleNotFoundError" in out


def test_a_slot_ipython_emptied_is_reclaimed_before_the_next_cell(ishell):
    ishell.run_cell("%load_ext kerashape")
    ishell.set_custom_exc((), None)  # what IPython does when a handler in the slot raises
    assert not _hook.installed(ishell)
    ishell.run_cell("1 + 1")
    assert _hook.installed(ishell)
