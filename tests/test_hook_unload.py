"""Issue 10, item 3: unloaded means silent, under either name, also when another extension chained to us."""

import contextlib
import io
import re

import pytest
from IPython.core.interactiveshell import InteractiveShell

from kerashape_magic import _hook, _state

SHAPE_ERROR = "import numpy as np\nnp.zeros(3000).reshape(100, 5, 30)"


@pytest.fixture()
def ishell(monkeypatch):
    import kerashape_magic.render as render

    shell = InteractiveShell.instance()
    shell.colors = "nocolor"
    for name in ("kerashape", "kerashape_magic"):
        if name in shell.extension_manager.loaded:
            shell.run_line_magic("unload_ext", name)
    shell.set_custom_exc((), None)
    saved = (shell.custom_exceptions, shell.CustomTB)
    shown = []
    monkeypatch.setattr(render, "display_diagnosis", lambda d: shown.append(d))
    shell.kerashape_panels = shown
    yield shell
    for name in ("kerashape", "kerashape_magic"):
        if name in shell.extension_manager.loaded:
            shell.run_line_magic("unload_ext", name)
    shell.custom_exceptions, shell.CustomTB = saved
    shell.run_cell("%reset -f")


def normalise(text):
    return re.sub(r"(In|Cell In)\s*\[\d+\]", r"\1[N]", text)


def run(shell, cell):
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        result = shell.run_cell(cell)
    return result, out.getvalue()


def test_a_handler_chained_to_kerashape_is_silent_after_unload(ishell):
    _, plain = run(ishell, SHAPE_ERROR)
    ishell.run_cell("%load_ext kerashape")
    kerashape_tb, kerashape_types = ishell.CustomTB, ishell.custom_exceptions
    other_seen = []

    def other_extension(shell, etype, value, tb, tb_offset=None):  # chains to whoever was there
        other_seen.append(etype)
        return kerashape_tb(etype, value, tb, tb_offset=tb_offset)

    ishell.set_custom_exc(kerashape_types, other_extension)
    run(ishell, SHAPE_ERROR)
    assert len(ishell.kerashape_panels) == 1  # loaded: the chained call explains
    ishell.run_cell("%unload_ext kerashape")
    _state.last_diagnosis = None
    _, out = run(ishell, SHAPE_ERROR)
    assert len(other_seen) == 2
    assert len(ishell.kerashape_panels) == 1 and _state.last_diagnosis is None  # silent
    assert normalise(out) == normalise(plain)  # the traceback exactly as without kerashape


def test_both_names_are_one_extension(ishell):
    ishell.run_cell("%load_ext kerashape")
    ishell.run_cell("%load_ext kerashape_magic")
    assert {"kerashape", "kerashape_magic"} <= ishell.extension_manager.loaded
    ishell.run_cell("%unload_ext kerashape_magic")
    assert not _hook.installed(ishell)
    assert not {"kerashape", "kerashape_magic"} & ishell.extension_manager.loaded
    run(ishell, SHAPE_ERROR)
    assert ishell.kerashape_panels == []  # unloaded under one name: silent under both
    _, out = run(ishell, "%load_ext kerashape")
    assert "already loaded" not in out
    assert _hook.installed(ishell)
    run(ishell, SHAPE_ERROR)
    assert len(ishell.kerashape_panels) == 1


@pytest.mark.parametrize(
    "first, second", [("kerashape", "kerashape_magic"), ("kerashape_magic", "kerashape")]
)
def test_unload_under_the_other_name_restores_the_slot(ishell, first, second):
    before = (ishell.custom_exceptions, ishell.CustomTB)
    ishell.run_cell("%load_ext " + first)
    ishell.run_cell("%load_ext " + second)
    ishell.run_cell("%unload_ext " + first)
    assert (ishell.custom_exceptions, ishell.CustomTB) == before
