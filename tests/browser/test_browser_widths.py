"""The panel in narrow windows and both themes: JupyterLab in headless Chromium at 1400, 900
and 600 px wide (the left side bar closed, as in a narrow window), light and dark.

The notebook is seed 003's two errors, run once through the UI: rows stacked where an LSTM
expects sequences (a fix that folds them, the cube of a 3-D array), and sequences of different
lengths (the ``pad_sequences`` fix, whose code is the longest of the demos, with a data-loss
note). For each width and theme, every element of the diagnosis and of the controls must fit:

* ``scrollWidth <= clientWidth`` for every element (nothing scrolls or is clipped inside,
  badges and warnings included: a clipped button label or ``<pre>`` would fail), and no
  element reaches past the right edge of the cell's output area;
* the output area itself does not scroll sideways;
* the cube's labels stay >= 10 CSS px: each half of the picture is drawn for 288 px with
  no text below ``MIN_FONT_PT`` (``tests/render/test_render_cube.py``), so its shown width
  decides.

A screenshot of each failing cell's panel is written for each width and theme, into
``KERASHAPE_BROWSER_SHOTS`` (a folder; CI passes one under its temporary folder) or else the
test's own temporary folder; the paths are printed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Dict, List

import pytest
from jupyter_page import NB_DIR, NotebookPage

from kerashape_magic.render.cube import MIN_FONT_PT

pytestmark = pytest.mark.browser

DEMO = "seed003_sensor_data"
WIDTHS = (1400, 900, 600)
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
#: Tall enough that a whole panel fits in the viewport at 600 px wide (for its screenshot).
HEIGHT = 2600
#: Each half of the cube is drawn for this many CSS px (``render/html.py``, ``cube_img``).
CUBE_HALF_PX = 288

_MEASURE = """
(roots) => {
  const found = [];
  const describe = (el) => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
      ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '') +
      ' "' + (el.innerText || el.alt || '').trim().slice(0, 60) + '"';
  for (const root of roots) {
    const area = root.closest('.jp-Cell-outputArea');
    const limit = area.getBoundingClientRect().right;
    for (const el of [root, ...root.querySelectorAll('*')]) {
      const box = el.getBoundingClientRect();
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1)
        found.push('scrolls/clips: ' + describe(el) + ' scrollWidth ' + el.scrollWidth +
                   ' > clientWidth ' + el.clientWidth);
      if (box.width > 0 && box.right > limit + 1)
        found.push('past the output area: ' + describe(el) + ' right ' + Math.round(box.right) +
                   ' > ' + Math.round(limit));
    }
    for (const out of area.querySelectorAll('.jp-OutputArea-output')) {
      if (out.scrollWidth > out.clientWidth + 1)
        found.push('the output area scrolls sideways: ' + out.scrollWidth + ' > ' + out.clientWidth);
    }
  }
  const cubes = [];
  for (const root of roots)
    for (const img of root.querySelectorAll('img.kerashape-cube')) cubes.push(img.clientWidth);
  const areaWidth = roots[0].closest('.jp-Cell-outputArea').clientWidth;
  return {found, cubes, areaWidth};
}
"""


def _width_notebook(dest: Path) -> Path:
    """Seed 003's code cells that build the data and fail, without its apply/undo cells."""
    import nbformat

    nb = nbformat.read(NB_DIR / (DEMO + ".ipynb"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    failing = [i for i, c in enumerate(code) if "raises-exception" in c.metadata.get("tags", [])]
    assert len(failing) == 2, "%s should have two failing cells" % DEMO
    first, second = failing
    keep = code[: first + 1] + [code[second - 1], code[second]]
    assert "sequences = " in keep[-2].source, "the cell before the second error should build the sequences"
    nb.cells = keep
    path = dest / (DEMO + "_widths.ipynb")
    nbformat.write(nb, path)
    return path


def _shots_dir(tmp_path_factory) -> Path:
    value = os.environ.get("KERASHAPE_BROWSER_SHOTS", "").strip()
    path = Path(value).resolve() if value else tmp_path_factory.mktemp("panel-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def ran(browser, jupyter, tmp_path_factory) -> Dict[str, Any]:
    """The notebook run once in JupyterLab, up to both errors; the page stays open."""
    server = jupyter("lab")
    path = _width_notebook(server.root)
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT})
    nb = NotebookPage(context.new_page())
    try:
        nb.open(server.url(path.name), 5)
        nb.close_left_sidebar()  # the window's width is the notebook's, as in a narrow window
        nb.run_all(upto=4)
        failing = [2, 4]
        for index in failing:
            nb.panel(index).wait_for(state="visible", timeout=60_000)
            nb.controls(index).wait_for(state="visible", timeout=60_000)
        yield {"nb": nb, "failing": failing, "shots": _shots_dir(tmp_path_factory)}
    finally:
        context.close()
        server.shutdown_kernels()


def _screenshot(nb: NotebookPage, index: int, path: Path) -> None:
    """The diagnosis and the controls of cell ``index``, across the output area's width."""
    panel, controls = nb.panel(index), nb.controls(index)
    panel.evaluate("e => e.scrollIntoView({block: 'start'})")
    nb.page.wait_for_timeout(300)
    area = nb.cell(index).locator(".jp-Cell-outputArea").bounding_box()
    top, bottom = panel.bounding_box(), controls.bounding_box()
    assert area and top and bottom, "panel or controls not on the page"
    y0 = max(0.0, top["y"] - 4)
    y1 = min(nb.page.viewport_size["height"], bottom["y"] + bottom["height"] + 4)
    nb.page.screenshot(
        path=str(path), clip={"x": area["x"], "y": y0, "width": area["width"], "height": y1 - y0}
    )


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("theme", sorted(THEMES, reverse=True))  # light first: the default
def test_panel_fits_the_output_area(ran, theme, width):
    nb: NotebookPage = ran["nb"]
    nb.set_theme(THEMES[theme])
    nb.page.set_viewport_size({"width": width, "height": HEIGHT})
    nb.page.wait_for_timeout(800)  # JupyterLab lays the notebook out again
    problems: List[str] = []
    for index in ran["failing"]:
        roots = [nb.panel(index).element_handle(), nb.controls(index).element_handle()]
        report = nb.page.evaluate(_MEASURE, roots)
        where = "cell %d at %d px (%s theme, output area %d px)" % (index, width, theme, report["areaWidth"])
        problems += ["%s: %s" % (where, f) for f in report["found"]]
        for shown in report["cubes"]:
            label_px = MIN_FONT_PT * 96 / 72 * shown / CUBE_HALF_PX
            if label_px < 10:
                problems.append(
                    "%s: cube shown %d px wide, its smallest text %.1f px" % (where, shown, label_px)
                )
        shot = ran["shots"] / ("panel-cell%d-%s-%dpx.png" % (index, theme, width))
        _screenshot(nb, index, shot)
        print("%s: screenshot %s" % (where, shot))
    assert not problems, "\n".join(problems)
    errors = [e for e in nb.errors[nb.load_errors :] if "kerashape" in e or "widget" in e.lower()]
    assert not errors, "browser console errors:\n" + "\n".join(errors)
