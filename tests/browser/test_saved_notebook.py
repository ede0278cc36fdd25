"""What a saved notebook carries where no kernel (and no JupyterLab) runs: Colab, VS Code,
GitHub, ``jupyter nbconvert``.

A real Colab or VS Code cannot run here, so this makes sure of what can be made sure:

* the controls are stock ipywidgets only: every model in the widget state that nbclient saves
  (``store_widget_state=True``, as ``jupyter nbconvert --execute`` does) is one of
  ``@jupyter-widgets/base``, ``/controls`` or ``/output``, so nothing needs custom JavaScript;
* the diagnosis is an output of its own with no widget view, only ``text/html`` and
  ``text/plain``; the controls' output keeps its ``text/html`` and ``text/plain`` fallback;
* ``jupyter nbconvert --to html`` of the executed demo, opened in headless Chromium with every
  network request refused and no kernel running, shows the diagnosis: sentence, shape table,
  cube and fix code (``tests/test_notebooks.py`` checks the exported text; this looks at the
  page). That holds for a notebook saved without widget state (JupyterLab's and Notebook 7's
  default), for one whose widget state nbconvert drops (``--ClearMetadataPreprocessor.enabled=True``)
  and for one saved with its widget state, whose widget views need JavaScript from unpkg.com
  that an offline page never gets: only the controls are a widget view.

Marked ``browser`` with the rest of this folder: it needs Chromium and runs a kernel.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_page import NB_DIR, jupyter_environment

pytestmark = pytest.mark.browser

DEMO = "seed002_lstm_reshape"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
STOCK_MODULES = {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}


@pytest.fixture(scope="module")
def executed(tf, tmp_path_factory) -> Path:
    """The demo executed in a real kernel with nbclient, saved with its widget state."""
    import nbformat
    from nbclient import NotebookClient

    home = tmp_path_factory.mktemp("saved-notebook")
    with pytest.MonkeyPatch.context() as patch:
        for name, value in jupyter_environment(home).items():
            patch.setenv(name, value)
        nb = nbformat.read(NB_DIR / (DEMO + ".ipynb"), as_version=4)
        NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            allow_errors=False,  # only the cell tagged raises-exception may fail
            store_widget_state=True,
            resources={"metadata": {"path": str(NB_DIR)}},
        ).execute()
    path = home / (DEMO + ".ipynb")
    nbformat.write(nb, path)
    return path


def _output(nb, test, what: str) -> dict:
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "display_data" and test(output.data):
                return output
    raise AssertionError("no %s in the executed notebook" % what)


def _diagnosis_output(nb) -> dict:
    """The output holding the diagnosis: the static HTML panel."""
    return _output(nb, lambda data: 'class="kerashape-panel"' in data.get("text/html", ""), "diagnosis")


def _controls_output(nb) -> dict:
    """The output holding the controls: a widget view."""
    return _output(nb, lambda data: WIDGET_VIEW in data, "output with a widget view")


def test_saved_widget_state_is_stock_ipywidgets(executed):
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    state = nb.metadata.widgets[WIDGET_STATE]["state"]
    assert state, "no widget state saved"
    modules = {}
    for model_id, model in state.items():
        for key in (model["model_module"], model["state"].get("_view_module")):
            if key is not None:
                modules.setdefault(key, set()).add(model["model_name"])
    assert set(modules) <= STOCK_MODULES, "widget modules other than stock ipywidgets: %s" % {
        m: sorted(names) for m, names in modules.items() if m not in STOCK_MODULES
    }
    for model in state.values():
        assert not {"_esm", "_css", "_anywidget_id"} & set(model["state"]), "custom JavaScript in %r" % model

    # The controls are a stock VBox whose output keeps an HTML and a text fallback; the
    # diagnosis is no widget at all.
    controls = _controls_output(nb)
    box = state[controls.data[WIDGET_VIEW]["model_id"]]
    assert box["model_name"] == "VBoxModel" and "kerashape-controls" in box["state"]["_dom_classes"]
    assert (
        "kerashape.apply(" in controls.data["text/html"] and "kerashape.apply(" in controls.data["text/plain"]
    )
    diagnosis = _diagnosis_output(nb)
    assert set(diagnosis.data) == {"text/html", "text/plain"}
    assert "(100, 60)" in diagnosis.data["text/plain"]


def _export_html(executed: Path, tmp_path: Path, keep_widget_state: bool, *options: str) -> Path:
    """``jupyter nbconvert --to html [options]`` of the executed notebook, as a user runs it."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    if not keep_widget_state:
        # JupyterLab and Notebook 7 save without widget state unless "Save Widget State
        # Automatically" is switched on.
        nb.metadata.pop("widgets", None)
    source = tmp_path / (DEMO + ".ipynb")
    nbformat.write(nb, source)
    subprocess.run(
        [sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", *options, str(source)],
        check=True,
        capture_output=True,
        cwd=str(tmp_path),
    )
    page = tmp_path / (DEMO + ".html")
    assert page.is_file(), "nbconvert wrote no %s" % page.name
    return page


@pytest.fixture
def offline_page(browser):
    """A page in headless Chromium that refuses every request but ``file://``."""
    context = browser.new_context(viewport={"width": 1200, "height": 1400})
    context.route(re.compile(r"^(?!file:)"), lambda route: route.abort())
    try:
        yield context.new_page()
    finally:
        context.close()


# How the notebook was saved, and the nbconvert options: saved without widget state (JupyterLab's
# and Notebook 7's default); saved with it (nbclient, `jupyter nbconvert --execute`) and
# exported with the notebook metadata cleared, which drops the widget state.
EXPORTS = {
    "saved-without-widget-state": (False, ()),
    "widget-state-cleared-by-nbconvert": (True, ("--ClearMetadataPreprocessor.enabled=True",)),
    "saved-with-widget-state": (True, ()),
}


@pytest.mark.parametrize("export", list(EXPORTS))
def test_nbconvert_html_shows_the_diagnosis_offline(export, executed, tmp_path, offline_page):
    import nbformat

    keep_state, options = EXPORTS[export]
    page_file = _export_html(executed, tmp_path, keep_state, *options)
    page = offline_page
    # The diagnosis sentence: the first line of the saved text fallback, without its backticks.
    plain = _diagnosis_output(nbformat.read(executed, as_version=4)).data["text/plain"]
    sentence = " ".join(plain.strip().splitlines()[0].replace("`", "").split())
    page.goto(page_file.as_uri(), wait_until="load")
    panel = page.locator(".kerashape-panel")
    assert panel.count() == 1, "the exported page has %d kerashape panels" % panel.count()
    assert panel.is_visible(), "the panel is not visible in the exported page"
    text = " ".join(panel.inner_text().split())
    assert "LSTM 'lstm'" in sentence and "(100, 60)" in sentence, sentence
    assert sentence in text, "the sentence %r is not on the page:\n%s" % (sentence, text[:800])
    table = panel.locator("table")
    assert table.is_visible(), "no shape table on the page"
    assert table.locator('tr[data-status]:not([data-status="ok"])').count() >= 1, "no mismatched axis"
    cube = panel.locator("img")
    assert cube.count() == 2, "the cube is not two pictures (received, expected)"
    for i in range(2):
        loaded = cube.nth(i).evaluate("img => img.complete && img.naturalWidth > 100")
        assert cube.nth(i).is_visible() and loaded, "cube picture %d is not shown" % i
    assert "Fixes, best first" in text and "verified" in text
    # The first fix's code, line by line as the saved text fallback lists it (indented 6 spaces).
    lines = plain.splitlines()
    first = next(i for i, line in enumerate(lines) if line.lstrip().startswith("1. "))
    code = []
    for line in lines[first + 1 :]:
        if not line.startswith("      "):  # the code block ends where "after Apply" / "why:" begin
            break
        code.append(line.strip())
    assert any("data.reshape(" in c for c in code), code
    for line in code:
        assert " ".join(line.split()) in text, "fix code %r is not on the page" % line
