"""Undo after the re-run (issue 12): the note under the first successful cell after an Apply,
``%kerashape undo`` and ``%kerashape history``.

A real IPython shell, real Keras models, the panel's real Apply button and the note's real Undo
button (``Button.click()``). The widgets are found as a frontend finds them: by the model id in
the widget view the cell's output carries. Only one thing stands in for what cannot run here: a
frontend being attached (``widget_frontend_possible``), so that the shell publishes widget views.
"""

from __future__ import annotations

import re

import pytest
from IPython.utils.capture import capture_output

from kerashape_magic import actions, render
from kerashape_magic.core.types import Fix
from kerashape_magic.edits import SourceEdit
from kerashape_magic.render import _compat
from kerashape_magic.render.note import HIDE, SHOW, UNDONE, note_bundle, note_html, note_text

SETUP = """import numpy as np
import keras
from keras.layers import LSTM, Dense
X_train = np.random.rand(40, 24, 1)
y_train = np.random.rand(40, 1)
model = keras.Sequential([keras.Input((24, 3)), LSTM(8), Dense(1)])
model.compile(optimizer="adam", loss="mse")
"""
CELL = "model.fit(X_train, y_train, epochs=1, verbose=0)"
NOTE = "Ran with kerashape's fix"


@pytest.fixture(autouse=True)
def empty_history():
    actions.clear_history()
    yield
    actions.clear_history()


@pytest.fixture
def frontend(monkeypatch):
    """A frontend that shows widgets is attached: the panel and the note publish widget views."""
    monkeypatch.setattr(render, "widget_frontend_possible", lambda: True)


def run(shell, cell):
    """Run ``cell`` as a notebook does (stored in ``In``); return the result and its outputs."""
    with capture_output() as cap:
        result = shell.run_cell(cell, store_history=True)
    return result, cap


def texts(cap) -> str:
    return cap.stdout + cap.stderr + "".join(o.data.get("text/plain", "") for o in cap.outputs)


def notes(cap):
    return [o.data for o in cap.outputs if "kerashape-note" in o.data.get("text/html", "")]


def widget_of(data):
    return _compat.open_widgets()[data[_compat.WIDGET_MIME]["model_id"]]


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def with_class(widget, name):
    return [w for w in walk(widget) if name in getattr(w, "_dom_classes", ())]


def fail_and_apply(shell):
    """SETUP, then the failing fit; click the panel's first Apply. Returns (setup cell, old model)."""
    setup_cell = shell.execution_count
    assert run(shell, SETUP)[0].success
    old = shell.user_ns["model"]
    result, cap = run(shell, CELL)
    assert not result.success
    (controls,) = [o.data for o in cap.outputs if _compat.WIDGET_MIME in o.data]
    apply_button = with_class(widget_of(controls), "kerashape-apply")[0]
    apply_button.click()
    assert apply_button.description == "Applied"
    assert shell.user_ns["model"] is not old
    return setup_cell, old


def test_fail_apply_rerun_the_note_then_its_undo(shell, tf, frontend):
    setup_cell, old = fail_and_apply(shell)
    fix = actions.history()[-1]
    assert fix.undoable and fix.names == ("model",)

    result, cap = run(shell, CELL)  # the failed cell, re-run: it trains now
    assert result.success, texts(cap)
    (note,) = notes(cap)
    assert "%s <i>%s</i> applied" % (NOTE, fix.title) in note["text/html"]
    assert "change to keep it: cell [%d]" % setup_cell in note["text/html"]
    assert "ran with the fix %r applied" % fix.title in note["text/plain"]
    assert "%%kerashape undo %d" % fix.number in note["text/plain"]
    view = widget_of(note)
    assert "kerashape-note" in view._dom_classes

    # Show change: the panel's own diff of the setup cell, hidden until asked for.
    (toggle,) = with_class(view, "kerashape-note-show")
    (change,) = with_class(view, "kerashape-note-change")
    assert change.layout.display == "none" and toggle.description == SHOW
    toggle.value = True
    assert change.layout.display == "" and toggle.description == HIDE
    assert "change cell [%d]:" % setup_cell in change.value
    assert "keras.Input((24, 1))" in change.value and "keras.Input((24, 3))" in change.value

    # Once per apply: the next successful cell has no note.
    result, cap = run(shell, CELL)
    assert result.success and notes(cap) == [] and NOTE not in texts(cap)

    # The note's Undo: the user's variable holds the old model again.
    (undo,) = with_class(view, "kerashape-note-undo")
    undo.click()
    assert shell.user_ns["model"] is old
    assert undo.description == UNDONE and undo.disabled
    (output,) = with_class(view, "kerashape-note-result")
    said = "".join(o.get("text", "") for o in output.outputs)
    assert said.startswith("\u21b6 model is a model taking (None, 24, 3)") and said.endswith("again\n"), said
    assert not actions.history()[-1].undoable and actions.history()[-1].why == "undone"


def test_the_cell_that_applies_gets_no_note_a_failing_cell_waits_and_text_names_the_magic(shell, tf):
    setup_cell = shell.execution_count
    run(shell, SETUP)
    assert not run(shell, CELL)[0].success
    result, cap = run(shell, "import kerashape\nline = kerashape.apply(kerashape.last().verified_fixes[0])")
    assert result.success and NOTE not in texts(cap) and "ran with the fix" not in texts(cap)
    result, cap = run(shell, "1 / 0")  # a failure keeps the note for the next success
    assert not result.success and "ran with the fix" not in texts(cap)
    result, cap = run(shell, "%kerashape history")  # kerashape's own magic: not a run with the fix
    assert "ran with the fix" not in texts(cap)
    result, cap = run(shell, CELL)
    assert result.success
    (note,) = notes(cap)  # no widget without a frontend: the static note, and plain text
    assert _compat.WIDGET_MIME not in note
    number = actions.history()[-1].number
    text = note["text/plain"]
    assert text.startswith("kerashape: ran with the fix 'Rebuild model for 1 feature' applied")
    assert "'%%kerashape undo %d' puts the old objects back" % number in text
    assert "change cell [%d]:" % setup_cell in text and "+ model = " in text
    assert "<code>%%kerashape undo %d</code>" % number in note["text/html"]
    assert "<details" in note["text/html"] and "Show change" in note["text/html"]


def test_no_note_when_the_fix_is_no_longer_in_effect(shell, tf, frontend):
    fail_and_apply(shell)
    # The user rebuilds the model in the next cell: that cell did not run with the fix.
    result, cap = run(shell, SETUP)
    assert result.success and notes(cap) == []
    result, cap = run(shell, "x = 1")  # and never later: that apply is no longer in effect
    assert result.success and notes(cap) == []


def test_history_and_undo_never_overwrite_newer_work(shell, tf):
    run(shell, SETUP)
    run(shell, CELL)
    result, cap = run(shell, "import kerashape\nline = kerashape.apply(kerashape.last().verified_fixes[0])")
    assert result.success, texts(cap)
    (entry,) = actions.history()
    n = entry.number

    _, cap = run(shell, "%kerashape history")
    out = texts(cap)
    assert re.search(
        r"^\s+%d\s+Rebuild model for 1 feature\s+model\s+\d\d:\d\d:\d\d\s+possible \(%%kerashape undo %d\)$"
        % (n, n),
        out,
        re.M,
    ), out

    # The user builds a model of their own into the same name: undo must not take it away.
    run(shell, "mine = keras.Sequential([keras.Input((24, 1)), LSTM(4), Dense(1)])\nmodel = mine")
    _, cap = run(shell, "%kerashape history")
    assert "not possible: model was reassigned since" in texts(cap)
    _, cap = run(shell, "%kerashape undo")
    assert "nothing to undo (undo never overwrites newer work)" in texts(cap)
    assert "model was reassigned since" in texts(cap)
    _, cap = run(shell, "%%kerashape undo %d" % n)
    assert "fix %d ('Rebuild model for 1 feature') cannot be undone: model was reassigned since" % n in texts(
        cap
    )
    assert shell.user_ns["model"] is shell.user_ns["mine"]


def test_undo_takes_the_latest_undoable_fix_and_history_says_undone(shell, tf):
    run(shell, "import numpy as np\nimport kerashape\nX = np.zeros((4, 6))\nY = np.zeros(3)")
    old_x = shell.user_ns["X"]
    actions.apply(Fix("reshape", "Reshape X to (4, 2, 3)", "X = X.reshape(4, 2, 3)", "r"))
    actions.apply(Fix("reshape", "Shift Y", "Y = Y + 1", "r"))
    first, second = (e.number for e in actions.history())
    run(shell, "Y = 'newer work'")
    _, cap = run(shell, "%kerashape undo")  # the newest (Y) cannot be undone: X's fix is taken back
    assert "undid fix %d ('Reshape X to (4, 2, 3)'): X is (4, 6) float64 again" % first in texts(cap)
    assert shell.user_ns["X"] is old_x and shell.user_ns["Y"] == "newer work"
    _, cap = run(shell, "%kerashape history")
    out = texts(cap)
    assert re.search(
        r"^\s+%d\s+Reshape X to \(4, 2, 3\)\s+X\s+\S+\s+not possible: undone$" % first, out, re.M
    )
    assert re.search(
        r"^\s+%d\s+Shift Y\s+Y\s+\S+\s+not possible: Y was reassigned since$" % second, out, re.M
    )
    _, cap = run(shell, "%%kerashape undo %d" % first)
    assert "fix %d is not in the undo history (undone" % first in texts(cap)
    _, cap = run(shell, "%kerashape undo")
    assert "nothing to undo (undo never overwrites newer work)" in texts(cap)  # Y's fix is left
    result, cap = run(shell, "%kerashape undo two")
    assert not result.success and "N is a number from %kerashape history" in texts(cap)


def test_history_when_nothing_was_applied(shell):
    _, cap = run(shell, "%kerashape history")
    assert "kerashape: no fix applied yet" in texts(cap)
    _, cap = run(shell, "%kerashape undo")
    assert "nothing to undo: no kerashape fix has been applied" in texts(cap)


def test_the_static_note_escapes_and_lists_every_cell():
    fix = Fix(
        "expand_dims",
        "Add <the> axis",
        "X = X[..., None]",
        "r",
        source_edits=(
            SourceEdit(3, "X = load()\nfit(X)", "X = load()\nX = X[..., None]\nfit(X)"),
            SourceEdit(5, "Y = 1", "Y = 2"),
        ),
    )
    page = note_html(fix, 7)
    assert "<i>Add &lt;the&gt; axis</i>" in page and "<the>" not in page
    assert "change to keep it: cells [3], [5]" in page and "<code>%kerashape undo 7</code>" in page
    assert page.count('class="kerashape-edit"') == 2  # the panel's own diff, one per cell
    text = note_text(fix, 7)
    assert "    + X = X[..., None]" in text and "change cell [5]:" in text
    bare = Fix("reshape", "t", "X = X.reshape(2, 2)", "r")
    assert "change to keep it" not in note_html(bare, 1) and "<details" not in note_html(bare, 1)
    assert set(note_bundle(bare, 1)) == {"text/plain", "text/html"}


def test_the_notes_undo_leaves_newer_work_alone_and_says_why(shell, tf, frontend):
    fail_and_apply(shell)
    result, cap = run(shell, CELL)
    (note,) = notes(cap)
    view = widget_of(note)
    run(shell, "mine = keras.Sequential([keras.Input((24, 1)), LSTM(4), Dense(1)])\nmodel = mine")
    (undo,) = with_class(view, "kerashape-note-undo")
    undo.click()
    assert shell.user_ns["model"] is shell.user_ns["mine"]  # the user's newer model stays
    assert undo.disabled and undo.description == "Undo"  # not undone, and cannot be
    (output,) = with_class(view, "kerashape-note-result")
    said = "".join(o.get("text", "") for o in output.outputs)
    assert "cannot be undone: model was reassigned since" in said, said


def test_no_note_while_kerashape_is_off(shell, tf, frontend):
    fail_and_apply(shell)
    try:
        run(shell, "%kerashape off")
        result, cap = run(shell, CELL)
        assert result.success and notes(cap) == []
    finally:
        run(shell, "%kerashape on")
    result, cap = run(shell, CELL)  # that apply was passed over for good: no late note
    assert result.success and notes(cap) == []


def test_warnings_is_routed_to_the_silent_warnings_switch(shell):
    from kerashape_magic import silent

    before = silent.enabled
    try:
        _, cap = run(shell, "%kerashape warnings off")
        assert silent.enabled is False and "kerashape: warnings off" in texts(cap)
        _, cap = run(shell, "%kerashape warnings status")
        assert "kerashape: warnings off" in texts(cap)
        result, cap = run(shell, "%kerashape warnings sometimes")
        assert not result.success and "UsageError" in texts(cap)
    finally:
        silent.enabled = before


def test_undo_when_every_fix_was_undone(shell):
    run(shell, "import numpy as np\nX = np.zeros((4, 6))")
    actions.apply(Fix("reshape", "Reshape X to (4, 2, 3)", "X = X.reshape(4, 2, 3)", "r"))
    _, cap = run(shell, "%kerashape undo")
    assert "undid fix" in texts(cap) and shell.user_ns["X"].shape == (4, 6)
    _, cap = run(shell, "%kerashape undo")
    assert "nothing to undo: every fix applied was undone or forgotten (%kerashape history)" in texts(cap)
