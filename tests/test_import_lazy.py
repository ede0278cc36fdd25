"""Import-time budget (DESIGN.md): ``import kerashape`` and ``%load_ext kerashape`` import
neither TensorFlow, Keras, matplotlib nor ipywidgets; nor does an unrelated error.

Each check runs in a fresh interpreter, so nothing this test process imported counts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

HEAVY = ("tensorflow", "keras", "matplotlib", "ipywidgets")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_REPORT = textwrap.dedent(
    """
    import json, sys
    heavy = sorted({m.split(".")[0] for m in sys.modules} & set(%r))
    print("KERASHAPE-REPORT " + json.dumps({"heavy": heavy, "extra": extra}))
    """
    % (HEAVY,)
)


def _run(*parts: str) -> dict:
    """Run the code ``parts`` then the report in a fresh interpreter; return the report."""
    code = "\n".join(textwrap.dedent(part) for part in parts) + _REPORT
    pythonpath = os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH", "")) if p)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=pythonpath)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, "subprocess failed:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-3000:])
    lines = [line for line in proc.stdout.splitlines() if line.startswith("KERASHAPE-REPORT ")]
    assert lines, "no report from the subprocess:\n%s\n%s" % (proc.stdout[-3000:], proc.stderr[-3000:])
    return json.loads(lines[-1][len("KERASHAPE-REPORT ") :])


_SHELL = """
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
"""


def test_a_bare_shell_imports_none_of_them():
    """The baseline: without kerashape, this environment imports none of the heavy modules."""
    report = _run(_SHELL, "extra = None")
    assert report["heavy"] == [], "the environment itself imports %s" % report["heavy"]


def test_import_and_load_ext_stay_lazy():
    report = _run(
        "import kerashape",
        _SHELL,
        """
        shell.run_line_magic("load_ext", "kerashape")
        extra = {
            "loaded": "kerashape" in shell.extension_manager.loaded,
            "custom_exceptions": [t.__name__ for t in shell.custom_exceptions],
        }
        """,
    )
    assert report["extra"]["loaded"], "%load_ext kerashape did not load the extension"
    # The hook sits in IPython's custom-exception slot, or this test would prove nothing.
    assert report["extra"]["custom_exceptions"], "no custom-exception handler installed"
    assert report["heavy"] == [], "import kerashape + %%load_ext kerashape imported %s" % report["heavy"]


@pytest.mark.parametrize("cell", ["1 / 0", "{}['missing']", "int('x')", "len(5)"])
def test_an_unrelated_error_stays_lazy(cell):
    """An error that is not a shape error does not pull TensorFlow or the renderers in."""
    report = _run(
        _SHELL,
        """
        import io, contextlib
        shell.run_line_magic("load_ext", "kerashape")
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            result = shell.run_cell(%r)
        extra = {"failed": not result.success}
        """
        % cell,
    )
    assert report["extra"]["failed"], "the cell %r did not fail" % cell
    assert report["heavy"] == [], "an unrelated error (%s) imported %s" % (cell, report["heavy"])
