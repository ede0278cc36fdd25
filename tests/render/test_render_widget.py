"""The ipywidgets panel, clicked for real in a real IPython shell."""

from __future__ import annotations

from dataclasses import replace
from html import escape as html_escape

import ipywidgets as widgets
import numpy as np
import pytest
from IPython.core.interactiveshell import InteractiveShell

from kerashape_magic import actions
from kerashape_magic.core.types import Diagnosis, Fix
from kerashape_magic.render.widget import build_controls


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _find(panel, kind, description=None):
    found = [w for w in _walk(panel) if isinstance(w, kind)]
    return [w for w in found if description in (None, getattr(w, "description", None))]


def _text(output) -> str:
    return "".join(o.get("text", "") for o in output.outputs)


@pytest.fixture
def user_shell():
    """The process's real IPython shell (no extension loaded), with an empty undo history."""
    shell = InteractiveShell.instance()
    actions.clear_history()
    yield shell
    actions.clear_history()
    shell.user_ns.pop("X", None)


def _diagnosis() -> Diagnosis:
    return Diagnosis(
        "reshape_size",
        "dense",
        (10, 4),
        (None, 2, 2),
        1,
        "Dense 'dense' expects (batch_size, 2, 2); `X` is (10, 4).",
        fixes=(
            Fix(
                "reshape",
                "Reshape X to (10, 2, 2)",
                "X = X.reshape(10, 2, 2)",
                "Row-major, no value moves.",
                resulting_shape=(10, 2, 2),
                verified=True,
                target="X",
            ),
            Fix("reshape", "Reshape X to (3, 3)", "X = X.reshape(3, 3)", "Cannot work.", target="X"),
        ),
    )


def test_apply_then_undo_in_the_user_namespace(user_shell):
    original = np.random.rand(10, 4)
    user_shell.user_ns["X"] = original
    panel = build_controls(_diagnosis())  # namespace None: the shell's user_ns at click time
    good, bad = _find(panel, widgets.Button, "Apply")
    (undo,) = _find(panel, widgets.Button, "Undo")
    (output,) = _find(panel, widgets.Output)
    assert good.button_style == "success" and bad.button_style == ""
    assert undo.disabled

    good.click()
    assert user_shell.user_ns["X"].shape == (10, 2, 2)
    assert "X is now (10, 2, 2)" in _text(output)
    assert not undo.disabled
    assert bad.disabled and good.disabled and good.description == "Applied"

    undo.click()
    assert user_shell.user_ns["X"] is original
    assert undo.disabled
    assert not good.disabled and not bad.disabled and good.description == "Apply"
    assert "X is (10, 4) float64 again" in _text(output)


def test_each_panel_undoes_its_own_apply(user_shell):
    """Two panels, two applies: the first panel's Undo takes back its own fix, not the newest."""
    user_shell.user_ns["X"] = original_x = np.random.rand(10, 4)
    user_shell.user_ns["Y"] = original_y = np.random.rand(10, 4)
    first = build_controls(_diagnosis())
    fix_y = Fix(
        "reshape",
        "Reshape Y",
        "Y = Y.reshape(10, 2, 2)",
        "r",
        resulting_shape=(10, 2, 2),
        verified=True,
        target="Y",
    )
    second = build_controls(replace(_diagnosis(), fixes=(fix_y,)))
    _find(first, widgets.Button, "Apply")[0].click()
    _find(second, widgets.Button, "Apply")[0].click()
    assert user_shell.user_ns["X"].shape == user_shell.user_ns["Y"].shape == (10, 2, 2)

    _find(first, widgets.Button, "Undo")[0].click()
    assert user_shell.user_ns["X"] is original_x
    assert user_shell.user_ns["Y"].shape == (10, 2, 2)  # the second panel's fix stays
    _find(second, widgets.Button, "Undo")[0].click()
    assert user_shell.user_ns["Y"] is original_y
    user_shell.user_ns.pop("Y", None)


def test_a_failing_fix_reports_and_changes_nothing(user_shell):
    original = np.random.rand(10, 4)
    user_shell.user_ns["X"] = original
    panel = build_controls(_diagnosis())
    _, bad = _find(panel, widgets.Button, "Apply")
    (undo,) = _find(panel, widgets.Button, "Undo")
    (output,) = _find(panel, widgets.Output)

    bad.click()  # must not raise
    assert user_shell.user_ns["X"] is original
    errors = [o for o in output.outputs if o.get("name") == "stderr"]
    assert errors and "failed and was rolled back" in errors[0]["text"]
    assert "cannot reshape array of size 40" in errors[0]["text"]
    assert undo.disabled and not bad.disabled


def test_explicit_namespace_and_undo_with_nothing_to_undo(user_shell):
    ns = {"X": np.zeros((10, 4))}
    original = ns["X"]
    panel = build_controls(_diagnosis(), namespace=ns)
    good, _ = _find(panel, widgets.Button, "Apply")
    (undo,) = _find(panel, widgets.Button, "Undo")
    (output,) = _find(panel, widgets.Output)
    good.click()
    assert ns["X"].shape == (10, 2, 2) and "X" not in user_shell.user_ns
    actions.undo(ns)  # undone elsewhere (kerashape.undo())
    assert ns["X"] is original
    undo.click()  # nothing left: says so, does not raise, resets the buttons
    assert "nothing to undo" in _text(output)
    assert undo.disabled and not good.disabled


def test_controls_content(seed001):
    controls = build_controls(seed001, namespace={})
    assert "kerashape-controls" in controls._dom_classes
    html = "".join(w.value for w in _find(controls, widgets.HTML))
    for number, fix in enumerate(seed001.fixes, 1):
        assert "%d. %s" % (number, html_escape(fix.title)) in html
    assert "&#10003; verified" in html and "not verified" in html
    applies = _find(controls, widgets.Button, "Apply")
    assert len(applies) == len(seed001.fixes)
    assert [b.button_style for b in applies] == ["success" if f.verified else "" for f in seed001.fixes]
    # The diagnosis is the static HTML above the controls: no picture, code or Details here.
    assert not _find(controls, widgets.Image) and not _find(controls, widgets.Accordion)
    assert "<pre" not in html and "0.1234567" not in html
