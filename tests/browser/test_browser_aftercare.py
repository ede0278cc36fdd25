"""Undo after the re-run (issue 12), as a person sees it in JupyterLab (headless Chromium).

A copy of the seed 001 demo (an LSTM declared for 3 features, data with 1): its cells run
through the UI up to the failing ``model.fit``; the panel's verified **Apply** is clicked; the
failing cell is run again and now trains, and under its output (where the panel was) the note
appears: "Ran with kerashape's fix ... applied · Undo · change to keep it: cell [n]", n being the
cell that built the model. A following cell gets no second note. The note's **Undo** puts the old
model back (the probe cell prints the old input shape again), and **Show change** reveals the
panel's diff of cell [n] ("... change cell [n]:").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

import pytest
from jupyter_page import SCENARIOS, NotebookPage, browser_notebook, screenshot_on_failure
from test_browser_panel import VIEWPORT, unrelated_console_error

pytestmark = pytest.mark.browser

SEED = "seed001_lstm_input"
NOTE = ".jupyter-widgets.kerashape-note"


def test_note_undo_after_the_rerun_in_jupyterlab(browser, jupyter, tmp_path):
    scenario = SCENARIOS[SEED]
    server = jupyter("lab")
    made = browser_notebook(scenario, server.root)
    path = made.with_name("aftercare_" + made.name)
    made.rename(path)
    context = browser.new_context(viewport=VIEWPORT)
    nb = NotebookPage(context.new_page())
    with screenshot_on_failure(nb.page, context, server, tmp_path):
        _check_note(nb, server, path, scenario)


def _wait_text(locator, text: str, what: str, timeout: float = 60_000) -> None:
    try:
        locator.filter(has_text=text).wait_for(state="visible", timeout=timeout)
    except Exception as exc:
        raise AssertionError("%s never showed %r (shows %r)" % (what, text, locator.inner_text())) from exc


def _check_note(nb: NotebookPage, server, path: Path, scenario) -> None:
    import nbformat

    cells = nbformat.read(path, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    failing, probe = len(code) - 2, len(code) - 1
    builds = next(i for i, c in enumerate(code) if "model = keras.Sequential" in c.source)
    nb.open(server.url(path.name), len(code))
    nb.run_all(upto=failing)
    built_in = int(re.sub(r"\D", "", nb.prompt(builds)))

    # The panel, and its verified Apply.
    controls = nb.controls(failing)
    controls.wait_for(state="visible", timeout=60_000)
    verified = controls.locator("button.kerashape-apply.mod-success").first
    row = verified.locator("xpath=..").inner_text()  # the button's row: number, title, badge
    verified.click()
    _wait_text(controls.locator(".widget-output"), "\u2713", "the panel's result line after Apply")

    # The failing cell, re-run, trains; the note is under its output.
    nb.run(failing)
    assert nb.error_output(failing).count() == 0, nb.outputs_text(failing)
    note = nb.cell(failing).locator(NOTE)
    note.wait_for(state="visible", timeout=60_000)
    text = note.inner_text()
    found = re.search(r"Ran with kerashape's fix (.+?) applied", text)
    assert found, text
    title = found.group(1).strip()
    assert title and title in row, (title, row)  # the fix that was applied
    assert "change to keep it: cell [%d]" % built_in in text, text
    undo = note.locator("button.kerashape-note-undo")
    assert undo.is_visible() and undo.is_enabled() and undo.inner_text().strip() == "Undo"

    # Once per apply: the next cell has no note; it sees the rebuilt model.
    nb.run(probe)
    assert scenario.after in nb.outputs_text(probe), nb.outputs_text(probe)
    assert nb.cell(probe).locator(NOTE).count() == 0, "a second note"

    # Undo from the note: the old model is back.
    undo.click()
    _wait_text(note.locator(".kerashape-note-result"), "\u21b6", "the note's result line after Undo")
    assert undo.is_disabled() and undo.inner_text().strip() == "Undone"
    nb.run(probe)
    assert scenario.before in nb.outputs_text(probe), nb.outputs_text(probe)

    # Show change: the panel's diff of the cell that built the model.
    change = note.locator(".kerashape-note-change")
    assert not change.is_visible(), "the change is shown before it was asked for"
    note.locator("button.kerashape-note-show").click()
    change.wait_for(state="visible", timeout=30_000)
    shown = change.inner_text()
    assert "change cell [%d]:" % built_in in shown, shown
    edit = change.locator("pre.kerashape-edit")
    assert edit.is_visible() and re.search(r"^\+ .*\(24, 1\)", edit.inner_text(), re.M), edit.inner_text()
    assert re.search(r"^- .*\(24, 3\)", edit.inner_text(), re.M), edit.inner_text()

    errors: List[str] = [
        e for i, e in enumerate(nb.errors) if not unrelated_console_error(e, "lab", i < nb.load_errors)
    ]
    assert not errors, "browser console errors:\n" + "\n".join(errors)
