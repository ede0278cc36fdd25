"""The demo notebooks, executed in a real Jupyter kernel with nbclient.

Each notebook's cells tagged ``raises-exception`` must fail with Keras's (or TensorFlow's)
own error, traceback unchanged, and below it kerashape's panel: one ``display_data`` with
the diagnosis as HTML and plain text (no widget view: every renderer shows it), naming the
received and expected shapes and a verified fix, and right after it the controls: the widget
view (Apply, Undo) with its HTML and text fallback. Every other cell must run without error
(``allow_errors=False``), so the apply / re-run / undo cells prove the fix works. One
executed notebook is also exported to HTML without widget state, as a frontend without
widgets would show it.

The kernel is this interpreter (``sys.executable``): a private ``python3`` kernelspec is
put first on ``JUPYTER_PATH``, so a fresh venv needs no ``ipykernel install`` and a stale
user-wide ``python3`` kernelspec cannot take its place.
"""

from __future__ import annotations

import ast
import copy
import html as html_lib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

import pytest

ROOT = Path(__file__).resolve().parent.parent
NB_DIR = ROOT / "demo_notebooks"
NOTEBOOKS = sorted(p.stem for p in NB_DIR.glob("*.ipynb"))
WIDGET = "application/vnd.jupyter.widget-view+json"
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: "verified" as a badge, not as part of "not verified".
VERIFIED = re.compile(r"(?<!not )(?<!not&nbsp;)\bverified\b", re.IGNORECASE)


@dataclass(frozen=True)
class Expect:
    """What the first failing cell of a notebook must show.

    Attributes:
        kinds: acceptable ``Diagnosis.kind`` values (the acceptance seed cases').
        received: the data's full shape.
        expected_tail: the expected shape's sizes after the batch axis.
    """

    kinds: Tuple[str, ...]
    received: Tuple[int, ...]
    expected_tail: Tuple[int, ...]


EXPECT: Dict[str, Expect] = {
    "seed000_cross_validation": Expect(("feature_mismatch",), (80, 20, 2), (20, 3)),
    "seed001_lstm_input": Expect(("feature_mismatch",), (100, 24, 1), (24, 3)),
    "seed002_lstm_reshape": Expect(("flattened_input",), (100, 60), (20, 3)),
    "seed003_sensor_data": Expect(("flattened_input", "cardinality_mismatch"), (2880, 3), (144, 3)),
    "seed004_first_layer": Expect(("feature_mismatch",), (5, 3), (1,)),
}


def test_every_seed_has_a_notebook():
    assert NOTEBOOKS == sorted(EXPECT), "demo_notebooks/ holds %s" % NOTEBOOKS


def test_notebooks_are_saved_without_outputs():
    import nbformat

    for name in NOTEBOOKS:
        nb = nbformat.read(NB_DIR / (name + ".ipynb"), as_version=4)
        assert nb.metadata.kernelspec.name == "python3", name
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, "%s has saved outputs" % name


# ------------------------------------------------------------------------------ execution


@pytest.fixture(scope="session")
def kernel_env(tmp_path_factory, tf):
    """A ``python3`` kernelspec for this interpreter, first on JUPYTER_PATH, and a clean env."""
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (kerashape tests)",
                "language": "python",
            }
        )
    )
    patch = pytest.MonkeyPatch()
    patch.setenv("JUPYTER_PATH", os.pathsep.join(p for p in (str(home), os.environ.get("JUPYTER_PATH")) if p))
    patch.setenv("IPYTHONDIR", str(home / "ipython"))  # no user startup files or extensions
    patch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    patch.setenv("TF_CPP_MIN_LOG_LEVEL", "3")
    patch.setenv("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    yield home
    patch.undo()


_executed: Dict[str, object] = {}


@pytest.fixture(scope="session")
def execute(kernel_env):
    """``execute(name)`` -> the executed notebook (each notebook runs once per session)."""
    import nbformat
    from nbclient import NotebookClient

    def run(name: str):
        if name not in _executed:
            nb = nbformat.read(NB_DIR / (name + ".ipynb"), as_version=4)
            client = NotebookClient(
                nb,
                timeout=300,
                kernel_name="python3",
                allow_errors=False,  # only cells tagged raises-exception may fail
                resources={"metadata": {"path": str(NB_DIR)}},
            )
            client.execute()
            _executed[name] = nb
        return _executed[name]

    return run


def _tagged(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and "raises-exception" in c.metadata.get("tags", [])]


def _text(data: dict, mime: str) -> str:
    value = data.get(mime, "")
    return "".join(value) if isinstance(value, list) else str(value)


def _sizes_pattern(sizes: Tuple[int, ...]) -> re.Pattern:
    """The sizes in order on one line: matches ``24, 3`` and ``timesteps=24, features=3``."""
    return re.compile(r"[^\d\n]{0,40}?".join(r"(?<!\d)%d(?!\d)" % s for s in sizes))


def _check_panel_after_error(cell, where: str) -> dict:
    """The cell failed with an unchanged traceback, then showed the panel: the diagnosis as
    static HTML and text (no widget view, so every renderer shows it), then the controls (the
    widget view with its HTML and text fallback). Returns the diagnosis output's data."""
    outputs = cell.outputs
    errors = [i for i, o in enumerate(outputs) if o.output_type == "error"]
    kinds = [o.output_type for o in outputs]
    assert len(errors) == 1, "%s: expected one error output, got %s" % (where, kinds)
    error = outputs[errors[0]]
    assert re.fullmatch(r"\w*(Error|Exception)", error.ename), "%s: ename %r" % (where, error.ename)
    traceback = ANSI.sub("", "\n".join(error.traceback))
    assert "kerashape_magic" not in traceback, "%s: kerashape frames in the user's traceback" % where
    shown = [(o.output_type, sorted(o.get("data", {}))) for o in outputs]
    diagnoses = [
        i
        for i, o in enumerate(outputs)
        if o.output_type == "display_data" and 'class="kerashape-panel"' in _text(o.data, "text/html")
    ]
    assert len(diagnoses) == 1, "%s: expected one diagnosis (static HTML) among %s" % (where, shown)
    data = outputs[diagnoses[0]].data
    assert WIDGET not in data, "%s: the diagnosis is a widget view; exported pages would not show it" % where
    assert errors[0] < diagnoses[0], "%s: the panel came before the traceback" % where
    controls = [i for i, o in enumerate(outputs) if o.output_type == "display_data" and WIDGET in o.data]
    assert controls == [diagnoses[0] + 1], "%s: no controls (a widget view) right after the diagnosis: %s" % (
        where,
        shown,
    )
    for mime in ("text/html", "text/plain"):
        assert _text(data, mime).strip(), "%s: the diagnosis has no %s" % (where, mime)
        assert "kerashape.apply(" in _text(outputs[controls[0]].data, mime), (
            "%s: controls without %s fallback"
            % (
                where,
                mime,
            )
        )
    return data


def _diagnosis_after(nb, cell) -> Optional[tuple]:
    """``(kind, received_shape, expected_shape)`` shown by the first such cell after ``cell``."""
    start = nb.cells.index(cell)
    for later in nb.cells[start + 1 :]:
        if later.cell_type == "code" and "d.kind, d.received_shape, d.expected_shape" in later.source:
            for o in later.outputs:
                if o.output_type == "execute_result":
                    return ast.literal_eval(_text(o.data, "text/plain"))
    return None


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_explains_the_error(name, execute):
    expect = EXPECT[name]
    nb = execute(name)
    failing = _tagged(nb)
    assert failing, "%s has no cell tagged raises-exception" % name

    # The seed's error: what the diagnosis says, from the notebook's own `d.kind, ...` cell.
    first = failing[0]
    shown = _diagnosis_after(nb, first)
    assert shown is not None, "%s: no `d.kind, d.received_shape, d.expected_shape` result" % name
    kind, received, expected = shown
    assert kind in expect.kinds, "%s: kind %r, expected one of %s" % (name, kind, expect.kinds)
    assert tuple(received) == expect.received, "%s: received_shape %r" % (name, received)
    assert expected is not None and tuple(expected)[-len(expect.expected_tail) :] == expect.expected_tail, (
        "%s: expected_shape %r" % (name, expected)
    )

    # The panel under the traceback, in all three representations.
    data = _check_panel_after_error(first, name)
    plain = _text(data, "text/plain")
    page = html_lib.unescape(re.sub(r"<[^>]+>", " ", _text(data, "text/html")))
    for label, text in (("text/plain", plain), ("text/html", page)):
        where = "%s %s" % (name, label)
        assert str(expect.received) in text, "%s does not show %s:\n%s" % (where, expect.received, text)
        expected_sizes = _sizes_pattern(expect.expected_tail)
        tail = expect.expected_tail
        assert expected_sizes.search(text), "%s does not show the expected %s:\n%s" % (where, tail, text)
        assert VERIFIED.search(text), "%s %s shows no verified fix:\n%s" % (name, label, text)

    # Any further failing cells (seed 003's ragged sequences) explain themselves the same way.
    for i, cell in enumerate(failing[1:], 2):
        extra = _check_panel_after_error(cell, "%s, failing cell %d" % (name, i))
        assert VERIFIED.search(_text(extra, "text/plain")), "%s, failing cell %d: no verified fix" % (name, i)

    # `%kerashape check` cells show a diagnosis with a verified fix.
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("%kerashape check"):
            shown = "\n".join(
                _text(o.data, "text/plain") if "data" in o else o.get("text", "")
                for o in cell.outputs
                if o.output_type in ("display_data", "execute_result", "stream")
            )
            assert VERIFIED.search(shown), "%s: %r showed no verified fix:\n%s" % (name, cell.source, shown)


def test_html_export_without_widgets_shows_the_diagnosis(execute):
    """``jupyter nbconvert --to html`` of a notebook saved without widget state (JupyterLab's
    default) falls back to the panel's HTML: the diagnosis must be readable there."""
    from nbconvert import HTMLExporter

    name = "seed001_lstm_input"
    nb = copy.deepcopy(execute(name))
    # Only the failing cell, so nothing else in the page (sources, other outputs) can carry the text.
    nb.cells = [_tagged(nb)[0]]
    nb.metadata.pop("widgets", None)
    body, _ = HTMLExporter().from_notebook_node(nb)
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", body))
    expect = EXPECT[name]
    assert str(expect.received) in text, "the exported HTML does not show %s" % (expect.received,)
    tail = expect.expected_tail
    expected_sizes = _sizes_pattern(tail)
    assert expected_sizes.search(text), "the exported HTML does not show the expected sizes %s" % (tail,)
    assert VERIFIED.search(text), "the exported HTML shows no verified fix"
