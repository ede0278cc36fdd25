"""The panel as a person sees it: JupyterLab and Notebook 7 in headless Chromium.

For each frontend and each of two demo notebooks (``seed002_lstm_reshape``, whose fix
reshapes the data variable ``data``, and ``seed001_lstm_input``, whose fix rebuilds
``model``), the test opens a copy of the demo in the frontend's own page, runs its cells
through the UI up to the failing ``model.fit``, and checks with the browser's eyes:

* the normal traceback is visible and the panel is below it: the diagnosis (static HTML,
  with the shape table and the cube image) and under it the controls, a widget with the
  Apply buttons (Undo disabled);
* Apply changes the variable in the kernel: the panel says the new shape and a following
  cell prints it; Undo puts the old object back (the cell prints the old shape again);
  applied once more, the failing cell, re-run, succeeds;
* the browser console shows no errors (see :func:`unrelated_console_error` for the only
  ones that are let through).

With ``KERASHAPE_WRITE_PANEL_PNG=1`` (or a file path) the JupyterLab run of seed 001 also
saves the README's picture (``docs/panel.png``): the end of the traceback and the panel,
cut from the page (``scripts/make_panel_png.py`` runs exactly that).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import List, Optional

import pytest
from jupyter_page import FRONTENDS, ROOT, SCENARIOS, NotebookPage, browser_notebook, screenshot_on_failure

pytestmark = pytest.mark.browser

#: The run that makes the README's picture (KERASHAPE_WRITE_PANEL_PNG).
PICTURE = ("lab", "seed001_lstm_input")
PICTURE_DEFAULT = ROOT / "docs" / "panel.png"
#: Wide enough that the output area is about 1000 px wide beside JupyterLab's side bar.
VIEWPORT = {"width": 1400, "height": 1500}
#: Height (px) of the traceback's end kept above the panel in the picture: the error message.
PICTURE_TRACEBACK_PX = 150

# Console errors let through, and only this one: Notebook 7.6's own start-up error
#   pageerror: Cannot read properties of undefined (reading 'schema')
#       at .../static/notebook/notebook_core.<hash>.js
# thrown by its keyboard-shortcuts plugin while the settings load, before any cell runs. It
# happens the same with a notebook that only prints 1 and with the ipywidgets extension
# disabled (`disabledExtensions` in page_config.json), and never in JupyterLab: it is not the
# widget's. It is let through only while the page loads, only in Notebook 7, only from
# notebook_core, and never if it mentions widgets or kerashape. Every other console error and
# uncaught page error, at any time, fails the test.
_NOTEBOOK7_STARTUP = re.compile(
    r"^pageerror: Cannot read properties of undefined \(reading 'schema'\)\n"
    r"\s+at \S+/static/notebook/notebook_core\.\w+\.js"
)
_WIDGETS = re.compile(r"widget|jupyter-widgets|ipywidgets|kerashape", re.IGNORECASE)


def unrelated_console_error(entry: str, frontend: str, during_load: bool) -> bool:
    """True for a console error that is clearly not the widget's (see ``_NOTEBOOK7_STARTUP``)."""
    if _WIDGETS.search(entry):
        return False
    return frontend == "notebook" and during_load and bool(_NOTEBOOK7_STARTUP.search(entry))


def picture_path() -> Optional[Path]:
    """Where to write the README's picture: ``KERASHAPE_WRITE_PANEL_PNG`` = ``1`` for
    ``docs/panel.png``, or a path; ``None`` when unset."""
    value = os.environ.get("KERASHAPE_WRITE_PANEL_PNG", "").strip()
    if value.lower() in ("", "0", "false", "no"):
        return None
    if value.lower() in ("1", "true", "yes"):
        return PICTURE_DEFAULT
    return Path(value).resolve()


def write_picture(nb: NotebookPage, index: int, path: Path) -> None:
    """Save the end of cell ``index``'s traceback and the panel below it as a PNG."""
    page, panel, controls = nb.page, nb.panel(index), nb.controls(index)
    page.mouse.move(0, 0)  # no hover highlight
    panel.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    traceback = nb.error_output(index).bounding_box()
    box = controls.bounding_box()
    assert traceback and box, "traceback or controls not on the page"
    left = traceback["x"]
    top = max(traceback["y"], traceback["y"] + traceback["height"] - PICTURE_TRACEBACK_PX)
    bottom = box["y"] + box["height"] + 6
    width = min(1000.0, traceback["width"])
    assert top >= 0 and bottom <= page.viewport_size["height"], "the picture does not fit the viewport"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), clip={"x": left, "y": top, "width": width, "height": bottom - top})


@pytest.mark.parametrize("seed", sorted(SCENARIOS, reverse=True))
@pytest.mark.parametrize("frontend", FRONTENDS)
def test_panel_in_browser(frontend, seed, browser, jupyter, tmp_path):
    scenario = SCENARIOS[seed]
    server = jupyter(frontend)
    path = browser_notebook(scenario, server.root)
    context = browser.new_context(viewport=VIEWPORT)
    nb = NotebookPage(context.new_page())
    with screenshot_on_failure(nb.page, context, server, tmp_path):
        _check_panel(nb, server, path, scenario, frontend)


def _check_panel(nb: NotebookPage, server, path: Path, scenario, frontend: str) -> None:
    import nbformat

    cells = sum(c.cell_type == "code" for c in nbformat.read(path, as_version=4).cells)
    failing, probe = cells - 2, cells - 1
    nb.open(server.url(path.name), cells)
    nb.run_all(upto=failing)

    # The normal traceback, visible, and the panel below it.
    traceback = nb.error_output(failing)
    assert traceback.count() == 1, "expected one traceback, found %d" % traceback.count()
    assert traceback.is_visible(), "the traceback is not visible"
    text = traceback.inner_text()
    assert "Traceback" in text and "model.fit(" in text and re.search(r"\w+Error", text), text[-2000:]
    panel, controls = nb.panel(failing), nb.controls(failing)
    panel.wait_for(state="visible", timeout=60_000)
    controls.wait_for(state="visible", timeout=60_000)
    tb_box, panel_box, controls_box = traceback.bounding_box(), panel.bounding_box(), controls.bounding_box()
    assert panel_box["y"] >= tb_box["y"] + tb_box["height"] - 1, "the panel is not below the traceback"
    assert controls_box["y"] >= panel_box["y"] + panel_box["height"] - 1, (
        "the controls are not below the panel"
    )

    # The shape table with a mismatched axis, the cube, the fix buttons.
    table = panel.locator("table")
    assert table.is_visible(), "no shape table"
    assert table.locator("tr[data-status]").count() >= 2, "the table has no axis rows"
    assert table.locator('tr[data-status]:not([data-status="ok"])').count() >= 1, "no mismatched axis"
    cube = panel.locator("img.kerashape-cube")
    assert cube.count() == 2, "the cube is not two pictures (received, expected)"
    for i in range(2):
        assert cube.nth(i).is_visible(), "cube picture %d is not visible" % i
        assert cube.nth(i).evaluate("img => img.complete && img.naturalWidth > 100"), (
            "cube %d did not load" % i
        )
    applies = controls.locator("button.kerashape-apply")
    assert applies.count() >= 1, "no Apply button"
    for i in range(applies.count()):
        assert applies.nth(i).is_visible() and applies.nth(i).inner_text().strip() == "Apply"
    verified = controls.locator("button.kerashape-apply.mod-success").first  # green: verified
    assert verified.is_visible(), "no verified fix (green Apply button)"
    undo = controls.locator("button.kerashape-undo")
    assert undo.is_visible() and undo.is_disabled(), "Undo should be shown, disabled"
    assert "verified" in panel.inner_text() and "verified" in controls.inner_text()

    picture = picture_path()
    if picture is not None and (frontend, scenario.seed) == PICTURE:
        write_picture(nb, failing, picture)

    # Before: the probe cell prints the old shape.
    nb.run(probe)
    assert scenario.before in nb.outputs_text(probe)

    # Apply: the panel says the new shape, the kernel has it.
    clicks = controls.locator(".widget-output")
    verified.click()
    _wait_text(clicks, "\u2713", "the panel's result line after Apply")
    assert scenario.shown in clicks.inner_text(), clicks.inner_text()
    assert controls.locator("button.kerashape-apply", has_text="Applied").count() == 1
    assert undo.is_enabled(), "Undo is still disabled after Apply"
    nb.run(probe)
    assert scenario.after in nb.outputs_text(probe), nb.outputs_text(probe)

    # Undo: the old object is back.
    undo.click()
    _wait_text(clicks, "\u21b6", "the panel's result line after Undo")
    assert undo.is_disabled()
    nb.run(probe)
    assert scenario.before in nb.outputs_text(probe), nb.outputs_text(probe)

    # Apply again, then the failing cell, re-run, succeeds (its output replaces the panel).
    verified.click()
    nb.page.wait_for_function(
        "el => (el.innerText.match(/\u2713/g) || []).length >= 2", arg=clicks.element_handle(), timeout=60_000
    )
    nb.run(failing)
    assert nb.error_output(failing).count() == 0, nb.outputs_text(failing)
    assert "History" in nb.outputs_text(failing), nb.outputs_text(failing)

    errors: List[str] = [
        e for i, e in enumerate(nb.errors) if not unrelated_console_error(e, frontend, i < nb.load_errors)
    ]
    assert not errors, "browser console errors:\n" + "\n".join(errors)


def _wait_text(locator, text: str, what: str, timeout: float = 60_000) -> None:
    try:
        locator.filter(has_text=text).wait_for(state="visible", timeout=timeout)
    except Exception as exc:
        raise AssertionError("%s never showed %r (shows %r)" % (what, text, locator.inner_text())) from exc
