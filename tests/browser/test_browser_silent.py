"""The warning for what Keras accepts silently, as a person sees it in JupyterLab (headless Chromium).

A notebook whose ``Sequential`` LSTM is declared for 24 timesteps and fit on 48 (seed 001's
second example, which Keras 3 trains without a word): the ``fit`` cell succeeds, no traceback,
and under its output kerashape's compact warning is visible (the sentence, the axis table with
the timesteps row marked, a verified fix with the change to the user's cell) with the panel's
controls (a green Apply). Apply rebuilds the model in the kernel; the ``fit`` cell, run again,
shows no warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from jupyter_page import NotebookPage, screenshot_on_failure
from test_browser_panel import VIEWPORT, unrelated_console_error

pytestmark = pytest.mark.browser

CELLS = [
    "%load_ext kerashape",
    "import numpy as np\nimport keras\nfrom keras.layers import LSTM, Dense\n\n"
    "X_train = np.random.rand(100, 48, 3)\ny_train = np.random.rand(100, 1)\n"
    "model = keras.Sequential([LSTM(50, input_shape=(24, 3)), Dense(1)])\n"
    'model.compile(optimizer="adam", loss="mse")',
    "model.fit(X_train, y_train, epochs=1, verbose=0)",
    'print("model input:", tuple(model.inputs[0].shape))',
]


def silent_notebook(dest: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = dest / "silent_timesteps.ipynb"
    nbformat.write(nb, path)
    return path


def test_silent_timesteps_warning_in_jupyterlab(browser, jupyter, tmp_path):
    server = jupyter("lab")
    path = silent_notebook(server.root)
    context = browser.new_context(viewport=VIEWPORT)
    nb = NotebookPage(context.new_page())
    with screenshot_on_failure(nb.page, context, server, tmp_path):
        _check_warning(nb, server, path)


def _check_warning(nb: NotebookPage, server, path: Path) -> None:
    fit, probe = 2, 3
    nb.open(server.url(path.name), len(CELLS))
    nb.run_all(upto=fit)

    # The cell succeeded: no traceback, and the warning under its output.
    assert nb.error_output(fit).count() == 0 or "Traceback" not in nb.error_output(fit).first.inner_text()
    warning = nb.cell(fit).locator(".jp-OutputArea-output .kerashape-warning")
    warning.wait_for(state="visible", timeout=60_000)
    text = warning.inner_text()
    assert "without an error" in text and "48 timesteps, not 24" in text, text
    table = warning.locator("table")
    assert table.is_visible(), "no axis table"
    bad = table.locator('tr[data-status="mismatch"]')
    assert bad.count() == 1 and "timesteps" in bad.inner_text(), table.inner_text()
    assert warning.locator("pre.kerashape-edit").first.is_visible(), "no change to the user's cell shown"
    assert "verified" in text

    # The controls under it: a green Apply rebuilds the model in the kernel.
    controls = nb.cell(fit).locator(".jupyter-widgets.kerashape-controls")
    controls.wait_for(state="visible", timeout=60_000)
    verified = controls.locator("button.kerashape-apply.mod-success").first
    assert verified.is_visible(), "no verified fix (green Apply button)"
    clicks = controls.locator(".widget-output")
    verified.click()
    nb.page.wait_for_function(
        "el => el.innerText.includes('\u2713')", arg=clicks.element_handle(), timeout=60_000
    )
    nb.run(probe)
    out = nb.outputs_text(probe)
    assert "model input: (None, None, 3)" in out or "model input: (None, 48, 3)" in out, out

    # The fit cell again: no warning now.
    nb.run(fit)
    nb.page.wait_for_timeout(1000)
    assert nb.cell(fit).locator(".kerashape-warning").count() == 0, nb.outputs_text(fit)

    errors: List[str] = [
        e for i, e in enumerate(nb.errors) if not unrelated_console_error(e, "lab", i < nb.load_errors)
    ]
    assert not errors, "browser console errors:\n" + "\n".join(errors)
