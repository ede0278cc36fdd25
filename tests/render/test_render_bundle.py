"""bundle / display_diagnosis: the MIME bundle a cell output gets, in a shell and in a kernel."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from kerashape_magic.core.types import Diagnosis
from kerashape_magic.render import (
    WIDGET_MIME,
    bundle,
    bundles,
    controls_bundle,
    display_diagnosis,
    render_text,
)

ROOT = Path(__file__).resolve().parents[2]


def _widget_instances() -> dict:
    """Every open widget, by model id (ipywidgets 8 and 7)."""
    from kerashape_magic.render._compat import open_widgets

    return open_widgets()


def test_terminal_ipython_gets_text_and_html_only(seed001):
    InteractiveShell.instance()
    (data,) = bundles(seed001)
    assert data == bundle(seed001)
    assert set(data) == {"text/plain", "text/html"}
    assert data["text/plain"] == render_text(seed001)
    assert "data:image/png;base64," in data["text/html"]


def test_in_a_kernel_the_controls_follow_the_static_diagnosis(seed001):
    import ipywidgets as widgets

    diagnosis, controls = bundles(seed001, namespace={}, widget=True)
    assert set(diagnosis) == {"text/plain", "text/html"}  # no widget: every renderer shows it
    assert set(controls) == {WIDGET_MIME, "text/plain", "text/html"}
    view = controls[WIDGET_MIME]
    assert view["version_major"] == 2
    box = _widget_instances()[view["model_id"]]
    assert isinstance(box, widgets.VBox) and "kerashape-controls" in box._dom_classes
    # The fallback says how to do from code what the buttons do.
    assert "kerashape.apply(kerashape.last().fixes[0]" in controls["text/plain"]
    assert "<code" in controls["text/html"] and "kerashape.undo()" in controls["text/html"]


def test_no_fixes_no_controls_and_no_widget_models(cases):
    before = set(_widget_instances())
    assert len(bundles(cases["rank1"], widget=True)) == 1
    assert controls_bundle(cases["rank1"]) is None
    assert set(_widget_instances()) == before


def test_the_controls_share_layouts_and_styles(cases):
    """3 widget models a fix (Apply, its label, their row) and 11 for the rest, in ipywidgets
    7 and 8 alike: each widget does not open a Layout and a style model of its own."""
    for name in ("seed001", "truncate"):
        d = cases[name]
        before = set(_widget_instances())
        assert controls_bundle(d, namespace={}) is not None
        assert len(set(_widget_instances()) - before) == 3 * len(d.fixes) + 11, name


def test_a_build_that_fails_half_way_leaves_no_model_open(seed001, monkeypatch):
    import kerashape_magic.render.widget as widget

    def broken_row(*args):
        raise RuntimeError("broken")

    monkeypatch.setattr(widget, "_fix_row", broken_row)
    before = set(_widget_instances())
    assert controls_bundle(seed001, namespace={}) is None
    assert set(_widget_instances()) == before


def test_controls_that_cannot_be_shown_close_their_models(seed001, monkeypatch):
    """A view that cannot be published leaves no widget model behind (none sent for nothing)."""
    import kerashape_magic.render._compat as compat

    def no_view(widget):
        raise ValueError("no comm")

    monkeypatch.setattr(compat, "view_bundle", no_view)
    before = set(_widget_instances())
    assert controls_bundle(seed001, namespace={}) is None
    assert set(_widget_instances()) == before


def test_display_diagnosis_publishes_the_bundle(seed001):
    InteractiveShell.instance()
    with capture_output() as captured:
        display_diagnosis(seed001)
    (output,) = captured.outputs
    assert set(output.data) == {"text/plain", "text/html"}


def test_display_never_raises_for_a_cube_that_cannot_be_drawn():
    InteractiveShell.instance()
    shape = (2, "three")  # a size matplotlib cannot draw
    d = Diagnosis("feature_mismatch", "dense", shape, (None, 4), 1, "Broken sizes.")  # type: ignore[arg-type]
    with capture_output() as captured:
        display_diagnosis(d)
    (output,) = captured.outputs
    assert "Broken sizes." in output.data["text/html"] and "<img" not in output.data["text/html"]
    assert "Broken sizes." in bundles(d, widget=True)[0]["text/plain"]


_KERNEL_CODE = """
from kerashape_magic.core.types import AxisRow, Diagnosis, Fix
from kerashape_magic.render import display_diagnosis
d = Diagnosis("feature_mismatch", "lstm", (100, 24, 1), (None, 24, 3), 2, "LSTM 'lstm' expects 3 features.",
              rows=(AxisRow("features", 1, 3, "mismatch"),),
              fixes=(Fix("rebuild_input", "Rebuild", "model = 1", "r", verified=True),))
display_diagnosis(d)
"""


def test_in_a_real_kernel_the_diagnosis_is_static_and_the_controls_a_widget():
    """Runs a real ipykernel: two display_data, the diagnosis (HTML, text) and then the
    controls (the widget view with its HTML and text fallback)."""
    script = """
import json, os, sys
from jupyter_client.manager import start_new_kernel
env = dict(os.environ, PYTHONPATH=sys.argv[1])
km, kc = start_new_kernel(kernel_name="python3", cwd=sys.argv[1], env=env)
try:
    msgs = []
    reply = kc.execute_interactive(sys.argv[2], timeout=120, output_hook=msgs.append)
    shown = [m["content"]["data"] for m in msgs if m["msg_type"] == "display_data"]
    errors = [m["content"] for m in msgs if m["msg_type"] == "error"]
    print(json.dumps({"status": reply["content"]["status"], "mimes": [sorted(s) for s in shown],
                      "view": [s.get("application/vnd.jupyter.widget-view+json") for s in shown],
                      "errors": errors}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
"""
    result = subprocess.run(
        [sys.executable, "-c", script, str(ROOT), _KERNEL_CODE], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["status"] == "ok", report["errors"]
    assert report["mimes"] == [
        sorted(["text/plain", "text/html"]),
        sorted(["text/plain", "text/html", WIDGET_MIME]),
    ]
    assert report["view"][0] is None and report["view"][1]["model_id"]
